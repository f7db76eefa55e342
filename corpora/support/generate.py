#!/usr/bin/env python3
"""Generate the kgqa product-support demo corpus.

Run from the repository root:

    python3 corpora/support/generate.py

The script writes, next to itself:

* ``graph.ttl`` -- a product-support knowledge graph in Turtle;
* ``questions/train.tsv``, ``questions/dev.tsv``, ``questions/test.tsv`` --
  natural-language questions with topic entity, gold answers, hop count and
  question type.

It then re-reads its own output, checks it and prints corpus statistics (these
are the numbers quoted in ``corpora/README.md``).  Output is deterministic: the
only randomness is ``random.Random(20261122)`` and every iteration is ordered,
so two runs produce byte-identical files.  Standard library only (Python 3.11).

Every vendor, product, part number, error code and article in this corpus is
invented for the kgqa project; none is taken from a real catalogue.
"""

from __future__ import annotations

import random
import re
import statistics
import sys
from collections import Counter, defaultdict
from pathlib import Path

SEED = 20261122
OUT_DIR = Path(__file__).resolve().parent
ID_NS = "http://example.org/support/id/"
SV_NS = "http://example.org/support/vocab/"
PREFIXES = {
    "id": ID_NS,
    "sv": SV_NS,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
}
SPLITS = ("train", "dev", "test")
SPLIT_WEIGHTS = (5, 1, 1)
# Questions per split and hop count (1, 2, 3): roughly 40% / 35% / 25%.
QUOTAS = {
    "train": {1: 800, 2: 700, 3: 500},
    "dev": {1: 160, 2: 140, 3: 100},
    "test": {1: 160, 2: 140, 3: 100},
}
ALT_SURFACE_RATE = 0.30  # share of questions naming the topic by a non-label form
MAX_ANSWERS = 30
HEADER = "question\ttopic\tanswers\thops\ttype"

# --------------------------------------------------------------------------
# Schema
# --------------------------------------------------------------------------

# class local name -> (label, superclass or None)
CLASSES = {
    "Product": ("product", None),
    "Model": ("product model", "Product"),
    "Accessory": ("accessory", "Product"),
    "ProductFamily": ("product family", None),
    "ProductCategory": ("product category", None),
    "Vendor": ("vendor", None),
    "Component": ("hardware component", None),
    "FirmwareVersion": ("firmware version", None),
    "AppVersion": ("companion app version", None),
    "ErrorCode": ("error code", None),
    "Symptom": ("symptom", None),
    "Cause": ("cause", None),
    "Fix": ("fix", None),
    "Tool": ("tool", None),
    "Manual": ("manual", None),
    "SupportArticle": ("support article", None),
}

# relation local name -> (label, domain, range, one-line meaning)
RELATIONS = {
    "partOfFamily": ("part of family", "Model", "ProductFamily",
                     "the model belongs to the product family"),
    "inCategory": ("in category", "Model", "ProductCategory",
                   "the model is a product of this kind"),
    "manufacturedBy": ("manufactured by", "Product", "Vendor",
                       "the model or accessory is made and sold by the vendor"),
    "hasComponent": ("has component", "Model", "Component",
                     "the model contains the hardware component"),
    "suppliedBy": ("supplied by", "Component", "Vendor",
                   "the component is made by the supplier"),
    "shippedWithFirmware": ("shipped with firmware", "Model", "FirmwareVersion",
                            "the firmware version installed at the factory"),
    "supportedOn": ("supported on", "FirmwareVersion", "Model",
                    "the firmware version can be installed on the model"),
    "requiresAppVersion": ("requires app version", "FirmwareVersion", "AppVersion",
                           "minimum companion app version needed by the firmware"),
    "fixesError": ("fixes error", "FirmwareVersion", "ErrorCode",
                   "the firmware release fixes or mitigates the error"),
    "reportsError": ("can report error", "Model", "ErrorCode",
                     "the model can display or log the error code"),
    "indicates": ("indicates", "ErrorCode", "Cause",
                  "the error code points to this underlying cause"),
    "causedBy": ("caused by", "Symptom", "Cause",
                 "the observable symptom can be caused by the cause"),
    "fixedBy": ("fixed by", "Cause", "Fix",
                "the troubleshooting step resolves the cause"),
    "involvesComponent": ("involves component", "Cause", "Component",
                          "the cause concerns this hardware component"),
    "requiresTool": ("requires tool", "Fix", "Tool",
                     "the troubleshooting step needs the tool"),
    "compatibleWith": ("compatible with", "Accessory", "Model",
                       "the accessory works with the model"),
    "documentedIn": ("documented in", "Model", "Manual",
                     "the manual covers the model"),
    "addressesError": ("addresses error", "SupportArticle", "ErrorCode",
                       "the support article explains the error code"),
    "addressesSymptom": ("addresses symptom", "SupportArticle", "Symptom",
                         "the support article explains the symptom"),
    "recommendsFix": ("recommends fix", "SupportArticle", "Fix",
                      "the support article recommends the troubleshooting step"),
}

# --------------------------------------------------------------------------
# Data tables (all invented)
# --------------------------------------------------------------------------

# key -> (label, altLabels)
VENDORS = {
    "northwind": ("Northwind Devices", ["Northwind"]),
    "corvid": ("Corvid Networks", ["Corvid"]),
    "halcyon": ("Halcyon Labs", ["Halcyon"]),
    "brightmere": ("Brightmere Electronics", ["Brightmere"]),
    "kestrel": ("Kestrel Audio", ["Kestrel"]),
    "fennick": ("Fennick Wearables", ["Fennick"]),
    "orrin": ("Orrin Systems", ["Orrin"]),
    "tidewater": ("Tidewater Robotics", ["Tidewater"]),
    "gridline": ("Gridline Accessories", ["Gridline"]),
    "qorvane": ("Qorvane Semiconductor", ["Qorvane"]),
    "helix": ("Helix Microdevices", ["Helix"]),
    "palisade": ("Palisade Power", ["Palisade"]),
    "arden": ("Arden Optics", ["Arden"]),
    "sorrel": ("Sorrel Sensors", ["Sorrel"]),
    "vantor": ("Vantor Storage", ["Vantor"]),
    "mireille": ("Mireille Acoustics", ["Mireille"]),
    "copperfield": ("Copperfield Motors", ["Copperfield"]),
}

# key -> (app name, version list)
APPS = {
    "northwind_home": ("Northwind Home app", ["4.8", "4.9", "5.0", "5.1", "5.2", "5.4", "6.0"]),
    "corvid_connect": ("Corvid Connect app", ["2.1", "2.3", "2.4", "3.0", "3.1"]),
    "halcyon_guard": ("Halcyon Guard app", ["7.2", "7.5", "8.0", "8.1", "8.3", "9.0"]),
    "brightmere_home": ("Brightmere Home app", ["3.0", "3.1", "3.3", "3.6", "4.0"]),
    "kestrel_sound": ("Kestrel Sound app", ["1.9", "2.0", "2.2", "2.5", "3.0"]),
    "fennick_fit": ("Fennick Fit app", ["10.1", "10.4", "11.0", "11.2", "12.0"]),
    "orrin_connect": ("Orrin Connect app", ["5.5", "5.6", "6.0", "6.2"]),
    "tidewater_home": ("Tidewater Home app", ["2.0", "2.1", "2.4", "3.0", "3.2"]),
}

# key -> (label, altLabels)
TOOLS = {
    "pin": ("Paperclip or SIM eject pin", ["reset pin"]),
    "phillips": ("Phillips #1 screwdriver", ["Phillips screwdriver"]),
    "ethernet": ("Spare Ethernet cable", ["network cable"]),
    "air": ("Can of compressed air", ["compressed air"]),
    "cloth": ("Microfiber cloth", ["lint-free cloth"]),
    "ipa": ("Isopropyl alcohol wipes", ["rubbing alcohol"]),
    "usbc": ("USB-C charging cable", ["USB-C cable"]),
    "multimeter": ("Digital multimeter", ["multimeter"]),
    "app": ("Smartphone with the companion app", ["phone with the app"]),
    "laptop": ("Computer with a web browser", ["computer"]),
    "tester": ("Non-contact voltage tester", ["voltage tester"]),
    "brush": ("Soft cleaning brush", ["cleaning brush"]),
    "ladder": ("Step ladder", []),
    "drive": ("Spare drive of equal or larger capacity", ["spare hard drive"]),
    "scissors": ("Small scissors", []),
}

# key -> (label, altLabels, supplier vendor key)
COMPONENTS = {
    # networking
    "qv6200": ("Qorvane QV6200 Wi-Fi 6 SoC", ["QV6200"], "qorvane"),
    "qv6400": ("Qorvane QV6400 Wi-Fi 6E SoC", ["QV6400"], "qorvane"),
    "hx880": ("Helix HX-880 network processor", ["HX-880"], "helix"),
    "radio44": ("Helix 4x4 dual-band radio module", ["HX-R44"], "helix"),
    "radio3b": ("Helix tri-band radio module", ["HX-R3B"], "helix"),
    "wan1": ("Helix 1 GbE WAN controller", ["HX-1G"], "helix"),
    "wan25": ("Helix 2.5 GbE WAN controller", ["HX-2G5"], "helix"),
    "psu12_2": ("Palisade 12 V 2 A power adapter", ["PA-1220"], "palisade"),
    "psu12_3": ("Palisade 12 V 3 A power adapter", ["PA-1230"], "palisade"),
    "fan40": ("Copperfield 40 mm cooling fan", ["CF-40"], "copperfield"),
    "nand256": ("Vantor 256 MB NAND flash", ["VN-256"], "vantor"),
    "nand512": ("Vantor 512 MB NAND flash", ["VN-512"], "vantor"),
    # cameras
    "cam1080": ("Arden 1080p image sensor", ["AR-1080"], "arden"),
    "cam2k": ("Arden 2K HDR image sensor", ["AR-2K"], "arden"),
    "cam4k": ("Arden 4K image sensor", ["AR-4K"], "arden"),
    "pir": ("Sorrel PIR motion sensor", ["SS-PIR2"], "sorrel"),
    "radar": ("Sorrel mmWave radar sensor", ["SS-RD60"], "sorrel"),
    "qv2100": ("Qorvane QV2100 camera SoC", ["QV2100"], "qorvane"),
    "qv2300": ("Qorvane QV2300 camera SoC", ["QV2300"], "qorvane"),
    "qw24": ("Qorvane QW-24 2.4 GHz Wi-Fi module", ["QW-24"], "qorvane"),
    "qw58": ("Qorvane QW-58 dual-band Wi-Fi module", ["QW-58"], "qorvane"),
    "pb6500": ("Palisade 6500 mAh battery pack", ["PB-6500"], "palisade"),
    "chime": ("Helix chime relay board", ["HX-CR1"], "helix"),
    "spot": ("Sorrel LED spotlight module", ["SS-LS1"], "sorrel"),
    "ptmotor": ("Copperfield pan-tilt stepper motor", ["CF-PT2"], "copperfield"),
    # climate and lighting
    "th3": ("Sorrel temperature and humidity sensor", ["SS-TH3"], "sorrel"),
    "lcd24": ("Arden 2.4 inch round LCD", ["AR-LCD24"], "arden"),
    "hvac4": ("Helix HVAC relay board", ["HX-HV4"], "helix"),
    "pb500": ("Palisade 500 mAh backup cell", ["PB-500"], "palisade"),
    "oc1": ("Sorrel occupancy sensor", ["SS-OC1"], "sorrel"),
    "led_w": ("Sorrel tunable white LED array", ["SS-TW"], "sorrel"),
    "led_rgbw": ("Sorrel RGBW LED array", ["SS-RGBW"], "sorrel"),
    "ledd": ("Palisade constant-current LED driver", ["PD-CC9"], "palisade"),
    "qz30": ("Qorvane QZ-30 Zigbee radio", ["QZ-30"], "qorvane"),
    "rl16": ("Helix 16 A power relay", ["HX-RL16"], "helix"),
    "acm": ("Palisade AC-DC micro converter", ["PD-ACM"], "palisade"),
    "em1": ("Sorrel energy metering IC", ["SS-EM1"], "sorrel"),
    # smart home hub
    "qv3000": ("Qorvane QV3000 application processor", ["QV3000"], "qorvane"),
    "zw8": ("Helix Z-Wave 800 radio", ["HX-ZW8"], "helix"),
    "qt15": ("Qorvane QT-15 Thread radio", ["QT-15"], "qorvane"),
    "pa0520": ("Palisade 5 V 2 A USB power supply", ["PA-0520"], "palisade"),
    "pb1200": ("Palisade 1200 mAh backup battery", ["PB-1200"], "palisade"),
    # audio
    "mercury_dsp": ("Mercury", ["Helix Mercury audio DSP", "HX-M1"], "helix"),
    "qb53": ("Qorvane QB-53 Bluetooth 5.3 chip", ["QB-53"], "qorvane"),
    "d10": ("Mireille 10 mm dynamic driver", ["MA-10D"], "mireille"),
    "d40": ("Mireille 40 mm dynamic driver", ["MA-40D"], "mireille"),
    "ancmic": ("Mireille ANC microphone array", ["MA-ANC4"], "mireille"),
    "pb60": ("Palisade 60 mAh earbud cell", ["PB-60"], "palisade"),
    "pb800": ("Palisade 800 mAh headphone battery", ["PB-800"], "palisade"),
    "w3": ("Mireille 3 inch woofer", ["MA-W3"], "mireille"),
    "t1": ("Mireille 1 inch tweeter", ["MA-T1"], "mireille"),
    "ff6": ("Mireille far-field microphone array", ["MA-FF6"], "mireille"),
    "pd30": ("Palisade 30 W internal power supply", ["PD-30"], "palisade"),
    "arc": ("Helix HDMI eARC receiver", ["HX-ARC"], "helix"),
    # wearables
    "hr2": ("Sorrel optical heart-rate sensor", ["SS-HR2"], "sorrel"),
    "imu6": ("Sorrel 6-axis motion sensor", ["SS-IMU6"], "sorrel"),
    "am14": ("Arden 1.4 inch AMOLED panel", ["AR-AM14"], "arden"),
    "pb180": ("Palisade 180 mAh wearable cell", ["PB-180"], "palisade"),
    "qg10": ("Qorvane QG-10 GNSS receiver", ["QG-10"], "qorvane"),
    # storage
    "hx4": ("Helix HX-4 quad-core storage processor", ["HX-4"], "helix"),
    "hx8": ("Helix HX-8 octa-core storage processor", ["HX-8"], "helix"),
    "vd4": ("Vantor 4 GB DDR4 module", ["VD-4G"], "vantor"),
    "vd8": ("Vantor 8 GB DDR4 module", ["VD-8G"], "vantor"),
    "cf80": ("Copperfield 80 mm chassis fan", ["CF-80"], "copperfield"),
    "pa90": ("Palisade 90 W power brick", ["PA-9012"], "palisade"),
    "sb4": ("Helix SATA backplane", ["HX-SB4"], "helix"),
    "hx10g": ("Helix 10 GbE controller", ["HX-10G"], "helix"),
    "vnc256": ("Vantor 256 GB NVMe cache module", ["VN-C256"], "vantor"),
    # printing
    "hxp1": ("Helix HX-P1 printer controller", ["HX-P1"], "helix"),
    "pr1": ("Copperfield paper pickup roller", ["CF-PR1"], "copperfield"),
    "ph3": ("Arden thermal inkjet printhead", ["AR-PH3"], "arden"),
    "lsu2": ("Arden laser scanning unit", ["AR-LSU2"], "arden"),
    "pf220": ("Palisade fuser assembly", ["PF-220"], "palisade"),
    "sc6": ("Arden flatbed scanner module", ["AR-SC6"], "arden"),
    # robot vacuums
    "ld1": ("Arden LiDAR navigation sensor", ["AR-LD1"], "arden"),
    "cl4": ("Sorrel cliff sensor set", ["SS-CL4"], "sorrel"),
    "bs2": ("Sorrel bumper switch", ["SS-BS2"], "sorrel"),
    "sm5": ("Copperfield suction motor", ["CF-SM5"], "copperfield"),
    "dw": ("Copperfield drive wheel module", ["CF-DW"], "copperfield"),
    "bm": ("Copperfield main brush motor", ["CF-BM"], "copperfield"),
    "pb5200": ("Palisade 5200 mAh vacuum battery", ["PB-5200"], "palisade"),
    "ml": ("Copperfield mop lift module", ["CF-ML"], "copperfield"),
}

# Fixes shared by every category: key -> (label, altLabels, tools)
GENERIC_FIXES = {
    "g_update": ("Install the latest firmware update", ["update the firmware", "firmware update"], ["app"]),
    "g_rma": ("Request a warranty replacement", ["RMA", "get a replacement unit"], []),
    "g_app": ("Reinstall the companion app", ["reinstall the app"], ["app"]),
    "g_wifi24": ("Connect the device to a 2.4 GHz Wi-Fi network", ["use 2.4 GHz Wi-Fi"], ["app"]),
}

# Each category: parts are (part type, component keys, optional); the first key
# is the default variant and model flags pick others or switch optional parts on.
# causes: key -> (label, kind, involved part types or component keys, fix keys)
# symptoms: key -> (label, altLabels, cause keys)
# fixes: key -> (label, altLabels, tool keys)
# codes: one entry per error code of each family in the category: cause keys.
CATEGORIES = {
    "router": dict(
        label="Wi-Fi router", plural="routers",
        parts=[("soc", ["qv6200", "hx880", "qv6400"], False), ("radio", ["radio44", "radio3b"], False),
               ("psu", ["psu12_2", "psu12_3"], False), ("flash", ["nand256", "nand512"], False),
               ("wan", ["wan1", "wan25"], False), ("fan", ["fan40"], True)],
        causes={
            "overheat": ("Overheating", "hw", ["fan", "soc"], ["r_ventilate", "r_clean_fan", "g_rma"]),
            "wan_down": ("No signal from the ISP modem", "env", ["wan"], ["r_check_modem", "r_powercycle"]),
            "fw_leak": ("Router firmware memory leak", "sw", ["flash"], ["g_update", "r_powercycle"]),
            "psu_fail": ("Failing router power adapter", "hw", ["psu"], ["r_swap_psu", "g_rma"]),
            "congestion": ("Wi-Fi channel congestion", "env", ["radio"], ["r_change_channel", "r_relocate"]),
            "backhaul": ("Weak mesh backhaul between nodes", "env", ["radio"], ["r_move_satellite", "r_wired_backhaul"]),
            "image_corrupt": ("Corrupted router firmware image", "sw", ["flash"], ["r_recovery_flash", "r_factory_reset"]),
            "dhcp": ("DHCP address pool exhausted", "config", [], ["r_expand_dhcp", "r_powercycle"]),
            "pppoe": ("Wrong PPPoE credentials", "config", ["wan"], ["r_reenter_pppoe"]),
        },
        symptoms={
            "amber": ("Router LED blinks amber", ["amber light on the router", "router light blinking orange"],
                      ["wan_down", "pppoe", "image_corrupt"]),
            "drops": ("Internet drops every few hours", ["internet keeps dropping"], ["fw_leak", "overheat", "dhcp"]),
            "slow": ("Slow Wi-Fi in some rooms", ["weak Wi-Fi in the bedroom"], ["congestion", "backhaul"]),
            "reboots": ("Router restarts by itself", ["router keeps rebooting"], ["overheat", "psu_fail", "fw_leak"]),
            "red_node": ("Satellite node shows a red light", [], ["backhaul"]),
            "no_ip": ("New devices cannot get an IP address", ["no IP address"], ["dhcp"]),
            "dead": ("Router will not power on", ["router is dead"], ["psu_fail"]),
            "loud": ("Router fan is loud", [], ["overheat"]),
        },
        fixes={
            "r_powercycle": ("Power-cycle the router and modem", ["restart the router", "reboot the router"], []),
            "r_ventilate": ("Move the router to a well-ventilated spot", [], []),
            "r_clean_fan": ("Clean the router cooling fan with compressed air", [], ["air", "phillips"]),
            "r_check_modem": ("Check the modem connection and ISP status", [], ["ethernet"]),
            "r_swap_psu": ("Replace the router power adapter", [], ["multimeter"]),
            "r_change_channel": ("Switch to a less crowded Wi-Fi channel", ["change the Wi-Fi channel"], ["app"]),
            "r_relocate": ("Relocate the router to a central location", [], []),
            "r_move_satellite": ("Move the satellite node closer to the main router", [], ["app"]),
            "r_wired_backhaul": ("Connect the mesh nodes with a wired Ethernet backhaul", ["wired backhaul"], ["ethernet"]),
            "r_recovery_flash": ("Reflash the router firmware in recovery mode", ["recovery flash"],
                                 ["pin", "laptop", "ethernet"]),
            "r_factory_reset": ("Factory reset the router with the reset pin", ["factory reset the router"], ["pin"]),
            "r_expand_dhcp": ("Enlarge the DHCP address range", [], ["laptop"]),
            "r_reenter_pppoe": ("Re-enter the PPPoE username and password", [], ["laptop"]),
        },
        codes=[["overheat"], ["wan_down"], ["fw_leak"], ["psu_fail"], ["congestion", "backhaul"], ["backhaul"],
               ["image_corrupt"], ["dhcp"], ["pppoe", "wan_down"], ["fw_leak", "dhcp"]],
    ),
    "doorbell": dict(
        label="Video doorbell", plural="doorbells",
        parts=[("sensor", ["cam1080", "cam2k"], False), ("motion", ["pir", "radar"], False), ("soc", ["qv2100"], False),
               ("wifi", ["qw24"], False), ("battery", ["pb6500"], True), ("relay", ["chime"], True)],
        causes={
            "weak_wifi": ("Weak Wi-Fi signal at the front door", "env", ["wifi"],
                          ["d_extender", "d_move_router", "g_wifi24"]),
            "low_voltage": ("Insufficient doorbell transformer voltage", "env", ["relay"],
                            ["d_transformer", "d_check_wiring"]),
            "batt_drain": ("Battery drained by frequent motion events", "env", ["battery"],
                           ["d_motion_zones", "d_charge"]),
            "cold_batt": ("Doorbell battery too cold to charge", "env", ["battery"], ["d_warm_charge"]),
            "fw_stream": ("Firmware bug in the video streaming service", "sw", ["soc"], ["g_update", "d_restart"]),
            "chime_cfg": ("Chime type set incorrectly", "config", ["relay"], ["d_chime_type"]),
            "pir_dirty": ("Dirty or obstructed doorbell motion sensor", "env", ["motion"], ["d_clean_lens", "d_wedge"]),
            "lens_fog": ("Condensation on the doorbell lens", "env", ["sensor"], ["d_clean_lens", "d_dry"]),
            "session": ("Expired account session", "sw", [], ["d_relogin", "g_app"]),
        },
        symptoms={
            "buffering": ("Doorbell live view keeps buffering", ["live view buffering"], ["weak_wifi", "fw_stream"]),
            "no_chime": ("Doorbell does not ring the indoor chime", ["chime not ringing"], ["low_voltage", "chime_cfg"]),
            "drain": ("Doorbell battery drains within days", ["doorbell battery dies fast"], ["batt_drain", "cold_batt"]),
            "missed": ("Doorbell misses motion events", [], ["pir_dirty", "batt_drain", "weak_wifi"]),
            "blurry": ("Doorbell video looks blurry", ["blurry doorbell video"], ["lens_fog", "weak_wifi"]),
            "offline": ("Doorbell shows offline in the app", ["doorbell offline"], ["weak_wifi", "low_voltage", "session"]),
            "spinning": ("Doorbell LED spins blue continuously", ["blue ring keeps spinning"], ["low_voltage", "fw_stream"]),
        },
        fixes={
            "d_extender": ("Install a Wi-Fi extender near the front door", [], ["app"]),
            "d_move_router": ("Move the router closer to the doorbell", [], []),
            "d_transformer": ("Replace the doorbell transformer with a 16 V model", [], ["tester", "phillips"]),
            "d_check_wiring": ("Check and tighten the doorbell wiring", [], ["phillips", "tester"]),
            "d_motion_zones": ("Reduce motion zones and sensitivity in the app", [], ["app"]),
            "d_charge": ("Fully recharge the doorbell battery", [], ["usbc"]),
            "d_warm_charge": ("Charge the doorbell battery indoors at room temperature", [], ["usbc"]),
            "d_restart": ("Restart the doorbell from the app", [], ["app"]),
            "d_chime_type": ("Set the correct chime type in the app", [], ["app"]),
            "d_clean_lens": ("Wipe the lens and motion sensor with a microfiber cloth", [], ["cloth"]),
            "d_wedge": ("Angle the doorbell with a wedge mount", [], ["phillips"]),
            "d_dry": ("Let the doorbell dry and reseal the faceplate", [], ["phillips"]),
            "d_relogin": ("Sign out of the app and sign in again", ["log in again"], ["app"]),
        },
        codes=[["weak_wifi"], ["low_voltage"], ["batt_drain"], ["cold_batt"], ["fw_stream"],
               ["chime_cfg", "low_voltage"], ["session"], ["fw_stream", "weak_wifi"], ["lens_fog"]],
    ),
    "camera": dict(
        label="Security camera", plural="cameras",
        parts=[("sensor", ["cam1080", "cam2k", "cam4k"], False), ("motion", ["pir"], False),
               ("soc", ["qv2100", "qv2300"], False), ("wifi", ["qw24", "qw58"], False),
               ("battery", ["pb6500"], True), ("spotlight", ["spot"], True), ("motor", ["ptmotor"], True)],
        causes={
            "weak_wifi": ("Weak Wi-Fi signal at the camera", "env", ["wifi"], ["c_move_router", "c_mesh_node", "g_wifi24"]),
            "sd_full": ("microSD card full or corrupted", "env", [], ["c_format_sd", "c_replace_sd"]),
            "ir_reflect": ("Infrared light reflecting off a window", "env", ["sensor"], ["c_reposition", "c_disable_ir"]),
            "fw_motion": ("Firmware bug in motion detection", "sw", ["motion"], ["g_update", "c_restart"]),
            "motor_jam": ("Pan-tilt motor obstructed", "hw", ["motor"], ["c_clear_motor", "g_rma"]),
            "solar_low": ("Insufficient sunlight on the solar panel", "env", ["battery"], ["c_solar_angle"]),
            "spot_fail": ("Spotlight driver failure", "hw", ["spotlight"], ["g_rma"]),
            "batt_worn": ("Worn camera battery", "hw", ["battery"], ["c_replace_batt"]),
            "clock": ("Camera clock out of sync", "sw", [], ["c_restart", "g_update"]),
        },
        symptoms={
            "washed": ("Camera night vision image is washed out", ["night vision too bright"], ["ir_reflect"]),
            "no_clips": ("Camera stops recording clips", ["camera not recording"], ["sd_full", "fw_motion"]),
            "night_offline": ("Camera goes offline at night", [], ["weak_wifi", "solar_low", "batt_worn"]),
            "grinding": ("Camera pan-tilt makes a grinding noise", [], ["motor_jam"]),
            "no_spot": ("Spotlight does not turn on", ["spotlight not working"], ["spot_fail"]),
            "false_alerts": ("Camera sends false motion alerts", ["too many motion alerts"], ["fw_motion", "ir_reflect"]),
            "timestamps": ("Clip timestamps are wrong", ["wrong time on clips"], ["clock"]),
        },
        fixes={
            "c_move_router": ("Move the router closer to the camera", [], []),
            "c_mesh_node": ("Add a mesh node near the camera", [], ["app"]),
            "c_format_sd": ("Format the microSD card from the app", ["format the SD card"], ["app"]),
            "c_replace_sd": ("Replace the microSD card", [], []),
            "c_reposition": ("Angle the camera away from the window glass", [], []),
            "c_disable_ir": ("Turn off infrared night vision in the app", [], ["app"]),
            "c_restart": ("Restart the camera", ["reboot the camera"], []),
            "c_clear_motor": ("Remove obstructions and recalibrate the pan-tilt motor", [], ["app"]),
            "c_solar_angle": ("Re-angle the solar panel toward the sun", [], ["ladder"]),
            "c_replace_batt": ("Replace the camera battery pack", [], ["phillips"]),
        },
        codes=[["weak_wifi"], ["sd_full"], ["fw_motion"], ["motor_jam"], ["solar_low"], ["spot_fail"],
               ["batt_worn", "solar_low"], ["clock"], ["ir_reflect"]],
    ),
    "thermostat": dict(
        label="Smart thermostat", plural="thermostats",
        parts=[("tsensor", ["th3"], False), ("display", ["lcd24"], False), ("relay", ["hvac4"], False),
               ("wifi", ["qw24"], False), ("battery", ["pb500"], True), ("occupancy", ["oc1"], True)],
        causes={
            "no_cwire": ("Missing common wire", "config", ["relay"], ["t_cwire_adapter", "t_check_wiring"]),
            "miswired": ("Incorrect HVAC wiring", "config", ["relay"], ["t_check_wiring", "t_pro"]),
            "drift": ("Temperature sensor drift", "hw", ["tsensor"], ["t_offset", "g_rma"]),
            "draft": ("Thermostat mounted near a draft or heat source", "env", ["tsensor"], ["t_relocate", "t_room_sensor"]),
            "sched_bug": ("Schedule sync firmware bug", "sw", [], ["g_update", "t_reset_schedule"]),
            "batt_low": ("Thermostat backup battery depleted", "hw", ["battery"], ["t_cwire_adapter", "t_charge"]),
            "wifi_lost": ("Thermostat lost its Wi-Fi connection", "env", ["wifi"], ["g_wifi24", "t_rejoin"]),
            "lockout": ("Compressor short-cycle protection active", "env", ["relay"], ["t_wait_lockout"]),
        },
        symptoms={
            "blank": ("Thermostat screen is blank", ["blank thermostat display"], ["no_cwire", "batt_low"]),
            "no_hvac": ("Heating or cooling does not turn on", ["heat not coming on"], ["miswired", "lockout", "no_cwire"]),
            "wrong_temp": ("Thermostat shows the wrong temperature", ["temperature reading is off"], ["drift", "draft"]),
            "schedule": ("Schedule changes do not stick", [], ["sched_bug", "wifi_lost"]),
            "reboot_loop": ("Thermostat reboots repeatedly", [], ["no_cwire", "batt_low"]),
            "t_offline": ("Thermostat shows offline in the app", ["thermostat offline"], ["wifi_lost"]),
        },
        fixes={
            "t_cwire_adapter": ("Install the common wire adapter", ["install the C-wire adapter"], ["phillips", "tester"]),
            "t_check_wiring": ("Verify the wiring against the wiring diagram", [], ["phillips", "tester"]),
            "t_pro": ("Have a licensed HVAC technician inspect the system", ["call an HVAC technician"], []),
            "t_offset": ("Set a temperature offset in the thermostat settings", [], []),
            "t_relocate": ("Relocate the thermostat to an interior wall", [], ["phillips", "tester"]),
            "t_room_sensor": ("Add a room sensor and use it for temperature readings", [], ["app"]),
            "t_reset_schedule": ("Clear and recreate the heating schedule", [], ["app"]),
            "t_charge": ("Charge the thermostat over USB-C", [], ["usbc"]),
            "t_rejoin": ("Reconnect the thermostat to Wi-Fi", [], ["app"]),
            "t_wait_lockout": ("Wait five minutes for the compressor delay to end", [], []),
        },
        codes=[["no_cwire"], ["miswired"], ["drift"], ["draft", "drift"], ["sched_bug"], ["batt_low", "no_cwire"],
               ["wifi_lost"], ["lockout"]],
    ),
    "bulb": dict(
        label="Smart bulb", plural="bulbs",
        parts=[("led", ["led_w", "led_rgbw"], False), ("driver", ["ledd"], False), ("radio", ["qz30", "qw24"], False)],
        causes={
            "dimmer": ("Incompatible wall dimmer switch", "config", ["driver"], ["b_bypass_dimmer", "b_smart_dimmer"]),
            "zb_range": ("Bulb out of range of the Zigbee bridge", "env", ["qz30"], ["b_move_bridge", "b_repeater"]),
            "fw_bulb": ("Bulb firmware update interrupted", "sw", ["radio"], ["b_power_reset", "g_update"]),
            "enclosed": ("Enclosed fixture traps heat", "env", ["driver"], ["b_open_fixture"]),
            "other_account": ("Bulb paired to another account", "config", [], ["b_power_reset", "b_remove_account"]),
            "driver_fail": ("LED driver failure", "hw", ["driver"], ["g_rma"]),
        },
        symptoms={
            "flicker": ("Bulb flickers when dimmed", ["flickering bulb"], ["dimmer", "driver_fail"]),
            "unreachable": ("Bulb shows unreachable in the app", ["bulb unreachable"], ["zb_range", "fw_bulb", "other_account"]),
            "three_blinks": ("Bulb blinks three times and stays white", [], ["fw_bulb"]),
            "turns_off": ("Bulb turns off after a few minutes", [], ["enclosed", "driver_fail"]),
            "cant_add": ("Bulb cannot be added during setup", ["bulb setup fails"], ["other_account", "zb_range"]),
        },
        fixes={
            "b_bypass_dimmer": ("Replace the dimmer with a standard on-off switch", [], ["tester", "phillips"]),
            "b_smart_dimmer": ("Use the Glint Dimmer Switch instead of a wall dimmer", [], []),
            "b_move_bridge": ("Move the bridge closer to the bulb", [], []),
            "b_repeater": ("Add a mains-powered Zigbee repeater", [], ["app"]),
            "b_power_reset": ("Reset the bulb by switching it off and on five times", ["reset the bulb"], []),
            "b_open_fixture": ("Use the bulb in an open or ventilated fixture", [], []),
            "b_remove_account": ("Remove the bulb from the previous owner's account", [], ["app"]),
        },
        codes=[["dimmer"], ["zb_range"], ["fw_bulb"], ["enclosed"], ["other_account"], ["driver_fail", "enclosed"]],
    ),
    "plug": dict(
        label="Smart plug", plural="plugs",
        parts=[("relay", ["rl16"], False), ("psu", ["acm"], False), ("wifi", ["qw24"], False), ("meter", ["em1"], True)],
        causes={
            "overload": ("Connected load exceeds 15 A", "env", ["relay"], ["p_reduce_load"]),
            "welded": ("Relay contacts welded", "hw", ["relay"], ["g_rma"]),
            "wifi_range": ("Plug out of Wi-Fi range", "env", ["wifi"], ["g_wifi24", "p_move"]),
            "timer_bug": ("Timer schedule firmware bug", "sw", [], ["g_update", "p_reset"]),
            "meter_cal": ("Energy meter calibration error", "hw", ["meter"], ["p_calibrate", "g_update"]),
            "moisture": ("Moisture inside the outdoor plug", "env", ["psu"], ["p_cover", "p_dry"]),
        },
        symptoms={
            "clicks": ("Plug clicks but the device stays off", [], ["welded", "overload"]),
            "self_off": ("Plug turns off by itself", ["plug switches off randomly"], ["overload", "timer_bug", "moisture"]),
            "red_led": ("Plug LED blinks red", ["red light on the plug"], ["wifi_range", "overload"]),
            "high_kwh": ("Energy readings look too high", [], ["meter_cal"]),
            "ignores": ("Plug ignores its schedule", ["schedule not working on the plug"], ["timer_bug", "wifi_range"]),
        },
        fixes={
            "p_reduce_load": ("Plug high-power appliances directly into the wall", [], []),
            "p_move": ("Move the plug to an outlet closer to the router", [], []),
            "p_reset": ("Hold the plug button for ten seconds to reset it", ["reset the plug"], []),
            "p_calibrate": ("Run energy meter calibration in the app", [], ["app"]),
            "p_cover": ("Fit the weatherproof cover", [], []),
            "p_dry": ("Unplug the outdoor plug and let it dry for 24 hours", [], []),
        },
        codes=[["overload"], ["welded"], ["wifi_range"], ["timer_bug"], ["meter_cal"], ["moisture", "overload"]],
    ),
    "hub": dict(
        label="Smart-home hub", plural="hubs",
        parts=[("soc", ["qv3000"], False), ("zigbee", ["qz30"], False), ("zwave", ["zw8"], True),
               ("thread", ["qt15"], True), ("psu", ["pa0520"], False), ("battery", ["pb1200"], True),
               ("flash", ["nand256"], False)],
        causes={
            "zb_interference": ("Zigbee interference from 2.4 GHz Wi-Fi", "env", ["zigbee"], ["h_zb_channel", "h_usb_ext"]),
            "db_corrupt": ("Corrupted hub device database", "sw", ["flash"], ["h_restore", "h_factory_reset"]),
            "not_excluded": ("Z-Wave device not excluded before re-pairing", "config", ["zwave"], ["h_exclude"]),
            "underpowered": ("Underpowered USB power supply", "hw", ["psu"], ["h_psu"]),
            "cloud": ("Cloud service outage", "env", [], ["h_status"]),
            "fw_auto": ("Automation engine firmware bug", "sw", [], ["g_update", "h_reboot"]),
            "thread": ("Thread border router conflict", "config", ["thread"], ["h_thread_primary"]),
        },
        symptoms={
            "zb_drop": ("Zigbee devices drop off the hub", ["Zigbee devices disconnect"], ["zb_interference", "underpowered"]),
            "late": ("Automations run late or not at all", ["automations not running"], ["fw_auto", "cloud", "db_corrupt"]),
            "purple": ("Hub LED flashes purple", ["purple light on the hub"], ["db_corrupt", "fw_auto"]),
            "zw_pair": ("Z-Wave device will not pair", [], ["not_excluded"]),
            "hub_reboots": ("Hub keeps rebooting", [], ["underpowered", "db_corrupt"]),
            "matter": ("Matter devices show no response", ["Matter device not responding"], ["thread", "cloud"]),
        },
        fixes={
            "h_zb_channel": ("Change the Zigbee channel to 15, 20 or 25", ["change the Zigbee channel"], ["app"]),
            "h_usb_ext": ("Move the hub away from the Wi-Fi router", [], []),
            "h_restore": ("Restore the hub from a cloud backup", [], ["app"]),
            "h_factory_reset": ("Factory reset the hub", [], ["pin"]),
            "h_exclude": ("Run Z-Wave exclusion before pairing again", [], ["app"]),
            "h_psu": ("Use the original 5 V 2 A power supply", [], []),
            "h_status": ("Check the service status page and wait for recovery", [], ["laptop"]),
            "h_reboot": ("Reboot the hub from the app", [], ["app"]),
            "h_thread_primary": ("Set a single preferred Thread border router", [], ["app"]),
        },
        codes=[["zb_interference"], ["db_corrupt"], ["not_excluded"], ["underpowered"], ["cloud"], ["fw_auto"],
               ["thread"], ["fw_auto", "db_corrupt"]],
    ),
    "earbuds": dict(
        label="Wireless earbuds and headphones", plural="earbuds",
        parts=[("dsp", ["mercury_dsp"], False), ("bt", ["qb53"], False), ("driver", ["d10", "d40"], False),
               ("anc", ["ancmic"], True), ("battery", ["pb60", "pb800"], False)],
        causes={
            "too_many": ("Too many paired Bluetooth devices", "config", ["bt"], ["e_clear_pairings"]),
            "contacts": ("Dirty charging contacts", "env", ["battery"], ["e_clean_contacts"]),
            "bud_worn": ("Worn earbud battery", "hw", ["battery"], ["g_rma"]),
            "anc_bug": ("ANC firmware calibration bug", "sw", ["anc"], ["g_update", "e_reset"]),
            "tip_seal": ("Poor ear tip seal", "env", ["driver"], ["e_fit_test"]),
            "desync": ("Earbuds out of sync with each other", "sw", ["bt"], ["e_reset"]),
            "mic_blocked": ("Blocked microphone port", "env", ["anc"], ["e_clean_mesh"]),
        },
        symptoms={
            "one_bud": ("Only one earbud plays sound", ["one earbud not working"], ["desync", "contacts"]),
            "no_charge": ("Earbuds do not charge in the case", ["earbuds not charging"], ["contacts", "bud_worn"]),
            "weak_anc": ("Noise cancelling sounds weak", ["ANC not working well"], ["tip_seal", "anc_bug", "mic_blocked"]),
            "call_cuts": ("Audio cuts out on calls", [], ["too_many", "mic_blocked"]),
            "short_batt": ("Battery life much shorter than advertised", [], ["bud_worn"]),
            "wont_connect": ("Earbuds will not connect to my phone", ["earbuds won't pair"], ["too_many", "desync"]),
        },
        fixes={
            "e_clear_pairings": ("Clear old pairings and pair the earbuds again", [], ["app"]),
            "e_clean_contacts": ("Clean the charging contacts with isopropyl alcohol", [], ["ipa", "cloth"]),
            "e_reset": ("Reset the earbuds in the charging case", ["reset the earbuds"], []),
            "e_fit_test": ("Run the ear tip fit test and try a different tip size", ["ear tip fit test"], ["app"]),
            "e_clean_mesh": ("Clean the microphone mesh with a soft brush", [], ["brush"]),
        },
        codes=[["too_many"], ["contacts"], ["bud_worn"], ["anc_bug"], ["desync"], ["mic_blocked", "tip_seal"]],
    ),
    "speaker": dict(
        label="Smart speaker", plural="speakers",
        parts=[("dsp", ["mercury_dsp"], False), ("wifi", ["qw58"], False), ("woofer", ["w3"], False),
               ("tweeter", ["t1"], True), ("mics", ["ff6"], True), ("psu", ["pd30"], False), ("hdmi", ["arc"], True)],
        causes={
            "congested": ("Speaker on a congested Wi-Fi network", "env", ["wifi"], ["s_5ghz", "s_router"]),
            "voice_crash": ("Voice assistant firmware crash", "sw", ["dsp"], ["g_update", "s_unplug"]),
            "muted": ("Microphones muted by the privacy switch", "config", ["mics"], ["s_unmute"]),
            "amp_thermal": ("Amplifier thermal shutdown", "hw", ["woofer"], ["s_lower_volume"]),
            "stale_group": ("Stale multi-room group configuration", "config", [], ["s_regroup"]),
            "arc": ("HDMI ARC handshake failure", "config", ["hdmi"], ["s_cec", "s_unplug"]),
        },
        symptoms={
            "no_wake": ("Speaker does not respond to the wake word", ["speaker not listening"], ["muted", "voice_crash"]),
            "stutter": ("Music stutters during playback", ["music keeps cutting out"], ["congested", "stale_group"]),
            "off_loud": ("Speaker turns off at high volume", [], ["amp_thermal"]),
            "no_tv": ("Soundbar has no sound from the TV", ["no TV sound"], ["arc"]),
            "missing": ("Speaker missing from the multi-room group", [], ["stale_group", "congested"]),
        },
        fixes={
            "s_5ghz": ("Connect the speaker to the 5 GHz band", [], ["app"]),
            "s_router": ("Restart the home router", [], []),
            "s_unplug": ("Unplug the speaker for 30 seconds", ["power-cycle the speaker"], []),
            "s_unmute": ("Slide the microphone switch to on", ["unmute the microphones"], []),
            "s_lower_volume": ("Lower the volume and keep the speaker out of enclosed shelves", [], []),
            "s_regroup": ("Delete and recreate the speaker group", [], ["app"]),
            "s_cec": ("Enable HDMI-CEC on the TV and reconnect the cable", ["turn on HDMI-CEC"], []),
        },
        codes=[["congested"], ["voice_crash"], ["muted"], ["amp_thermal"], ["stale_group"], ["arc"],
               ["voice_crash", "congested"]],
    ),
    "tracker": dict(
        label="Fitness tracker", plural="trackers",
        parts=[("hr", ["hr2"], False), ("accel", ["imu6"], False), ("display", ["am14"], False),
               ("bt", ["qb53"], False), ("battery", ["pb180"], False), ("gps", ["qg10"], True)],
        causes={
            "saver": ("Bluetooth sync blocked by phone battery saver", "config", ["bt"], ["f_saver", "f_resync"]),
            "loose": ("Loose band fit on the wrist", "env", ["hr"], ["f_tighten"]),
            "skin": ("Tattoo or lotion under the heart-rate sensor", "env", ["hr"], ["f_clean_sensor"]),
            "steps_bug": ("Step counting firmware bug", "sw", ["accel"], ["g_update"]),
            "worn": ("Worn tracker battery", "hw", ["battery"], ["g_rma"]),
            "pins": ("Dirty charging pins", "env", ["battery"], ["f_clean_pins"]),
            "almanac": ("GPS almanac out of date", "sw", ["gps"], ["f_gps_sync"]),
        },
        symptoms={
            "hr_jumps": ("Heart rate readings jump around", ["inaccurate heart rate"], ["loose", "skin"]),
            "no_sync": ("Tracker does not sync with the app", ["tracker won't sync"], ["saver"]),
            "steps_high": ("Step count is too high", [], ["steps_bug"]),
            "dock_charge": ("Tracker will not charge on the dock", ["tracker not charging"], ["pins", "worn"]),
            "gps_slow": ("GPS takes minutes to lock", ["slow GPS fix"], ["almanac"]),
            "day_batt": ("Battery lasts less than a day", [], ["worn", "almanac"]),
        },
        fixes={
            "f_saver": ("Exclude the Fennick Fit app from battery saver", [], ["app"]),
            "f_resync": ("Force a sync from the app", [], ["app"]),
            "f_tighten": ("Wear the band one finger above the wrist bone and tighten it", [], []),
            "f_clean_sensor": ("Clean the sensor window and the skin underneath", [], ["cloth"]),
            "f_clean_pins": ("Clean the charging pins with isopropyl alcohol", [], ["ipa"]),
            "f_gps_sync": ("Sync with the app to download fresh GPS data", [], ["app"]),
        },
        codes=[["saver"], ["loose"], ["steps_bug"], ["worn"], ["pins"], ["almanac"]],
    ),
    "nas": dict(
        label="Network-attached storage", plural="NAS units",
        parts=[("cpu", ["hx4", "hx8"], False), ("ram", ["vd4", "vd8"], False), ("fan", ["cf80"], False),
               ("psu", ["pa90"], False), ("backplane", ["sb4"], False), ("nic", ["hx10g"], True),
               ("cache", ["vnc256"], True)],
        causes={
            "drive_fail": ("Failing hard drive", "hw", ["backplane"], ["n_replace_drive"]),
            "degraded": ("Degraded RAID volume", "hw", ["backplane"], ["n_replace_drive", "n_rebuild"]),
            "drive_hot": ("Drive overheating", "env", ["fan"], ["n_clean_fan", "n_fan_mode"]),
            "fan_fail": ("Chassis fan failure", "hw", ["fan"], ["n_replace_fan"]),
            "smb_bug": ("SMB service firmware bug", "sw", [], ["g_update", "n_restart_smb"]),
            "ram_fault": ("Faulty memory module", "hw", ["ram"], ["n_reseat_ram", "n_memtest"]),
            "brick": ("Unstable power brick", "hw", ["psu"], ["n_ups", "g_rma"]),
            "cache_wear": ("NVMe cache module worn out", "hw", ["cache"], ["n_replace_cache"]),
        },
        symptoms={
            "beeps": ("NAS beeps continuously", ["NAS keeps beeping"], ["degraded", "fan_fail", "drive_fail"]),
            "shares": ("Shared folders disappear from the network", ["network shares missing"], ["smb_bug", "brick"]),
            "orange": ("NAS status LED is orange", [], ["degraded", "drive_hot"]),
            "slow": ("File transfers are very slow", ["slow NAS transfers"], ["degraded", "cache_wear", "drive_hot"]),
            "shutdown": ("NAS shuts down unexpectedly", [], ["brick", "drive_hot", "ram_fault"]),
            "full_fan": ("NAS fan runs at full speed", ["NAS fan very loud"], ["drive_hot", "fan_fail"]),
        },
        fixes={
            "n_replace_drive": ("Hot-swap the failed drive", ["replace the failed drive"], ["drive"]),
            "n_rebuild": ("Start a RAID rebuild from the storage manager", ["rebuild the RAID"], ["laptop"]),
            "n_clean_fan": ("Clean the dust filter and fan with compressed air", [], ["air"]),
            "n_fan_mode": ("Set the fan mode to high in the control panel", [], ["laptop"]),
            "n_replace_fan": ("Replace the chassis fan", [], ["phillips"]),
            "n_restart_smb": ("Restart the SMB file service", [], ["laptop"]),
            "n_reseat_ram": ("Reseat the memory module", [], ["phillips"]),
            "n_memtest": ("Run the built-in memory test", [], ["laptop"]),
            "n_ups": ("Connect the NAS to a UPS", [], []),
            "n_replace_cache": ("Replace the NVMe cache module", [], ["phillips"]),
        },
        codes=[["drive_fail"], ["degraded"], ["drive_hot"], ["fan_fail"], ["smb_bug"], ["ram_fault"], ["brick"],
               ["cache_wear"], ["drive_fail", "degraded"]],
    ),
    "printer": dict(
        label="Printer", plural="printers",
        parts=[("controller", ["hxp1"], False), ("pickup", ["pr1"], False), ("wifi", ["qw24"], False),
               ("inkhead", ["ph3"], True), ("laser", ["lsu2"], True), ("fuser", ["pf220"], True),
               ("scanner", ["sc6"], True)],
        causes={
            "jam": ("Paper jam in the rear path", "env", ["pickup"], ["pr_clear_jam"]),
            "roller": ("Worn pickup roller", "hw", ["pickup"], ["pr_clean_roller", "pr_replace_roller"]),
            "clogged": ("Clogged printhead nozzles", "env", ["inkhead"], ["pr_head_clean", "pr_replace_cart"]),
            "toner": ("Toner cartridge nearly empty", "env", ["laser"], ["pr_replace_toner"]),
            "fuser": ("Fuser temperature fault", "hw", ["fuser"], ["pr_cool_down", "g_rma"]),
            "spooler": ("Print spooler firmware bug", "sw", ["controller"], ["g_update", "pr_restart"]),
            "driver": ("Outdated printer driver on the computer", "config", [], ["pr_driver"]),
            "scan_lock": ("Scanner carriage lock engaged", "config", ["scanner"], ["pr_unlock"]),
        },
        symptoms={
            "multi_feed": ("Printer pulls in several sheets at once", ["multiple sheets feeding"], ["roller"]),
            "streaks": ("Printouts have streaks or missing lines", ["streaky prints"], ["clogged", "toner"]),
            "phantom_jam": ("Printer reports a paper jam but no paper is stuck", ["phantom paper jam"],
                            ["jam", "roller"]),
            "stuck_queue": ("Print jobs stay stuck in the queue", ["print queue stuck"], ["spooler", "driver"]),
            "smudged": ("Pages come out smudged", ["smeared toner"], ["fuser"]),
            "scan_noise": ("Scanner makes a grinding noise", [], ["scan_lock"]),
        },
        fixes={
            "pr_clear_jam": ("Open the rear door and remove the jammed paper", ["clear the paper jam"], []),
            "pr_clean_roller": ("Clean the pickup roller with a damp lint-free cloth", [], ["cloth"]),
            "pr_replace_roller": ("Replace the pickup roller", [], ["phillips"]),
            "pr_head_clean": ("Run a deep printhead cleaning cycle", ["clean the printhead"], []),
            "pr_replace_cart": ("Replace the ink cartridge", [], []),
            "pr_replace_toner": ("Replace the toner cartridge", [], []),
            "pr_cool_down": ("Turn the printer off and let the fuser cool for 30 minutes", [], []),
            "pr_restart": ("Restart the printer and clear the print queue", [], ["laptop"]),
            "pr_driver": ("Install the latest printer driver", ["update the printer driver"], ["laptop"]),
            "pr_unlock": ("Slide the scanner lock to the unlocked position", [], []),
        },
        codes=[["jam"], ["roller", "jam"], ["clogged"], ["toner"], ["fuser"], ["spooler"], ["driver", "spooler"],
               ["scan_lock"]],
    ),
    "vacuum": dict(
        label="Robot vacuum", plural="robot vacuums",
        parts=[("soc", ["qv3000"], False), ("wifi", ["qw24"], False), ("cliff", ["cl4"], False),
               ("bumper", ["bs2"], False), ("motor", ["sm5"], False), ("wheel", ["dw"], False),
               ("brush", ["bm"], False), ("battery", ["pb5200"], False), ("lidar", ["ld1"], True),
               ("mop", ["ml"], True)],
        causes={
            "overheat": ("Overheating", "hw", ["motor", "battery"], ["v_clean_filter", "v_cool", "g_rma"]),
            "tangle": ("Hair tangled in the main brush", "env", ["brush"], ["v_clean_brush"]),
            "wheel": ("Drive wheel stuck", "env", ["wheel"], ["v_clean_wheels"]),
            "cliff": ("Dirty cliff sensors", "env", ["cliff"], ["v_clean_sensors"]),
            "lidar": ("LiDAR turret blocked", "env", ["lidar"], ["v_clear_lidar"]),
            "dock_spot": ("Dock placed in a tight spot", "config", [], ["v_dock_space"]),
            "map": ("Corrupted floor map", "sw", [], ["v_remap", "g_update"]),
            "vbatt": ("Worn vacuum battery", "hw", ["battery"], ["v_replace_batt"]),
            "no_mop": ("Mop pad not attached", "config", ["mop"], ["v_attach_mop"]),
            "filter": ("Clogged dust filter", "env", ["motor"], ["v_clean_filter", "v_replace_filter"]),
        },
        symptoms={
            "circles": ("Vacuum spins in circles", ["robot going in circles"], ["wheel", "cliff"]),
            "no_dock": ("Vacuum cannot find the dock", ["robot can't find its base"], ["dock_spot", "map", "lidar"]),
            "weak": ("Suction is weak", ["weak suction"], ["filter", "tangle"]),
            "stops": ("Vacuum stops mid-clean", [], ["overheat", "vbatt", "tangle"]),
            "cliff_msg": ("Vacuum says it is stuck on a cliff", [], ["cliff"]),
            "partial": ("Vacuum cleans only part of the map", [], ["map", "lidar"]),
            "mop_idle": ("Mopping does not start", [], ["no_mop"]),
        },
        fixes={
            "v_clean_filter": ("Clean the dust filter", [], ["brush"]),
            "v_replace_filter": ("Replace the HEPA filter", [], []),
            "v_cool": ("Let the vacuum cool down for an hour", [], []),
            "v_clean_brush": ("Remove hair from the main brush", ["clean the brush roll"], ["scissors"]),
            "v_clean_wheels": ("Remove debris from the drive wheels", [], ["brush"]),
            "v_clean_sensors": ("Wipe the cliff sensors with a dry cloth", [], ["cloth"]),
            "v_clear_lidar": ("Clear obstructions around the LiDAR turret", [], []),
            "v_dock_space": ("Leave half a metre of free space on each side of the dock", [], []),
            "v_remap": ("Delete the map and run a new mapping clean", ["remap the house"], ["app"]),
            "v_replace_batt": ("Replace the vacuum battery", [], ["phillips"]),
            "v_attach_mop": ("Attach the mop pad until it clicks", [], []),
        },
        codes=[["overheat"], ["tangle"], ["wheel"], ["cliff"], ["lidar"], ["dock_spot"], ["map"], ["vbatt"],
               ["no_mop"], ["filter", "overheat"]],
    ),
}

# Families. code = (format with {n}, lowest number, highest number); fw = first version.
# models: (label, altLabels, flags); flags switch optional parts on or pick component variants.
FAMILIES = {
    "aurora": dict(label="Aurora Mesh series", core="Aurora Mesh", short="Aurora", alts=["Aurora Mesh", "Aurora routers"],
                   vendor="northwind", category="router", app="northwind_home", code=("E-{n}", 1000, 1199),
                   fw=(1, 8, 0), service=True, models=[
        ("Aurora Mesh Router AX1800", ["AX1800", "Aurora AX1800"], ""),
        ("Aurora Mesh Router AX3000", ["AX3000", "Aurora router"], ""),
        ("Aurora Mesh Satellite AX3000", ["Aurora satellite", "AX3000 satellite"], ""),
        ("Aurora Mesh Router AX3000 Pro", ["AX3000 Pro"], "fan psu12_3 wan25"),
        ("Aurora Mesh Router AX5400", ["AX5400", "Aurora AX5400"], "fan hx880 radio3b psu12_3 wan25 nand512"),
        ("Aurora Mesh Router AXE7800", ["AXE7800", "Aurora 6E router"], "fan qv6400 radio3b psu12_3 wan25 nand512"),
    ]),
    "skylark": dict(label="Skylark series", core="Skylark", short="Skylark", alts=["Skylark routers"],
                    vendor="corvid", category="router", app="corvid_connect", code=("SK-{n}", 200, 299),
                    fw=(3, 0, 2), service=True, models=[
        ("Skylark Travel Router T200", ["T200", "Skylark travel router"], ""),
        ("Skylark Wi-Fi 6 Router S600", ["S600", "Skylark S600"], "hx880"),
        ("Skylark Mesh Point M2", ["M2 mesh point", "Skylark M2"], "hx880"),
        ("Skylark Wi-Fi 6 Router S800", ["S800", "Skylark S800"], "fan hx880 radio3b psu12_3 wan25 nand512"),
    ]),
    "lumen": dict(label="Lumen Doorbell series", core="Lumen Doorbell", short="Lumen", alts=["Lumen doorbells"],
                  vendor="halcyon", category="doorbell", app="halcyon_guard", code=("LD-{n}", 300, 399),
                  fw=(1, 2, 0), service=False, models=[
        ("Lumen Doorbell Cam", ["Lumen Doorbell", "Doorbell Cam 1"], "battery"),
        ("Lumen Doorbell Cam Mini", ["Doorbell Cam Mini", "Lumen Mini"], "relay"),
        ("Lumen Doorbell Cam 2", ["Doorbell Cam 2", "Lumen 2"], "battery cam2k"),
        ("Lumen Doorbell Cam 2 Wired", ["Doorbell Cam 2 Wired", "Lumen 2 Wired"], "relay cam2k"),
        ("Lumen Doorbell Cam Pro", ["Doorbell Cam Pro", "Lumen Pro doorbell"], "relay battery cam2k radar"),
    ]),
    "sentinel": dict(label="Sentinel Camera series", core="Sentinel Camera", short="Sentinel",
                     alts=["Sentinel cams", "Sentinel"], vendor="halcyon", category="camera", app="halcyon_guard",
                     code=("SC-{n}", 400, 499), fw=(2, 1, 0), service=False, models=[
        ("Sentinel Indoor Cam", ["Indoor Cam", "Sentinel indoor camera"], ""),
        ("Sentinel Outdoor Cam", ["Outdoor Cam", "Sentinel outdoor camera"], "battery"),
        ("Sentinel Pan-Tilt Cam", ["Pan-Tilt Cam", "PT cam"], "motor cam2k"),
        ("Sentinel Outdoor Cam 2", ["Outdoor Cam 2"], "battery spotlight cam2k qv2300 qw58"),
        ("Sentinel Spotlight Cam", ["Spotlight Cam"], "spotlight cam4k qv2300 qw58"),
    ]),
    "verity": dict(label="Verity Thermostat series", core="Verity Thermostat", short="Verity",
                   alts=["Verity thermostats", "Verity"], vendor="brightmere", category="thermostat",
                   app="brightmere_home", code=("TH-{n}", 10, 99), fw=(4, 0, 0), service=False, models=[
        ("Verity Thermostat Lite", ["Thermostat Lite", "Verity Lite"], ""),
        ("Verity Smart Thermostat", ["Verity Smart", "Verity thermostat 1"], "battery"),
        ("Verity Smart Thermostat 2", ["Verity 2", "Smart Thermostat 2"], "battery occupancy"),
        ("Verity Smart Thermostat Pro", ["Verity Pro", "Thermostat Pro"], "battery occupancy"),
    ]),
    "glint": dict(label="Glint Lighting series", core="Glint Lighting", short="Glint", alts=["Glint", "Glint bulbs"],
                  vendor="brightmere", category="bulb", app="brightmere_home", code=("GL-{n}", 10, 99),
                  fw=(1, 0, 4), service=False, models=[
        ("Glint A19 White Bulb", ["A19 white", "Glint white bulb"], ""),
        ("Glint A19 Color Bulb", ["A19 color", "Glint color bulb"], "led_rgbw"),
        ("Glint BR30 Flood Bulb", ["BR30", "Glint flood light"], ""),
        ("Glint GU10 Spot", ["GU10 spot", "Glint spot"], "led_rgbw qw24"),
        ("Glint Light Strip 2 m", ["Glint strip", "light strip"], "led_rgbw qw24"),
    ]),
    "ember": dict(label="Ember Smart Plug series", core="Ember Smart Plug", short="Ember", alts=["Ember plugs", "Ember"],
                  vendor="northwind", category="plug", app="northwind_home", code=("EP-{n}", 10, 99),
                  fw=(1, 4, 0), service=False, models=[
        ("Ember Smart Plug", ["Ember plug", "Northwind smart plug"], "meter"),
        ("Ember Smart Plug Mini", ["Ember Mini", "Plug Mini"], ""),
        ("Ember Outdoor Plug", ["outdoor plug", "Ember outdoor"], "meter"),
        ("Ember Power Strip 4", ["Ember power strip", "Power Strip 4"], "meter"),
    ]),
    "beacon": dict(label="Beacon Hub series", core="Beacon Hub", short="Beacon", alts=["Beacon", "Beacon hubs"],
                   vendor="northwind", category="hub", app="northwind_home", code=("BH-{n}", 700, 799),
                   fw=(5, 2, 0), service=False, models=[
        ("Beacon Hub", ["Hub", "Beacon Hub 1"], "zwave"),
        ("Beacon Zigbee Bridge", ["Bridge", "Beacon bridge"], ""),
        ("Beacon Hub 2", ["Hub 2", "Beacon 2"], "zwave battery"),
        ("Beacon Hub Pro", ["Hub Pro", "Beacon Pro"], "zwave thread battery"),
    ]),
    "cadence": dict(label="Cadence Audio series", core="Cadence Audio", short="Cadence",
                    alts=["Cadence", "Cadence earbuds"], vendor="kestrel", category="earbuds", app="kestrel_sound",
                    code=("CE-{n}", 10, 99), fw=(1, 1, 0), service=False, models=[
        ("Cadence Buds", ["Cadence Buds 1", "Buds 1"], ""),
        ("Cadence Sport Buds", ["Sport Buds"], ""),
        ("Cadence Buds 2", ["Buds 2"], "anc"),
        ("Cadence Buds Pro", ["Buds Pro"], "anc"),
        ("Cadence Over-Ear ANC", ["Over-Ear ANC", "Cadence headphones"], "anc d40 pb800"),
    ]),
    "mercury": dict(label="Mercury", core="Mercury", short="Mercury", alts=["Mercury speakers", "Mercury series"],
                    vendor="kestrel", category="speaker", app="kestrel_sound", code=("MS-{n}", 10, 99),
                    fw=(2, 0, 0), service=False, models=[
        ("Mercury Speaker Mini", ["Speaker Mini", "Mercury Mini"], "mics"),
        ("Mercury Speaker", ["Mercury smart speaker", "Mercury 1"], "mics tweeter"),
        ("Mercury Speaker Max", ["Speaker Max", "Mercury Max"], "mics tweeter"),
        ("Mercury Soundbar 5.1", ["Mercury soundbar", "Soundbar 5.1"], "tweeter hdmi mics"),
    ]),
    "pulse": dict(label="Pulse Wearables series", core="Pulse Wearables", short="Pulse", alts=["Pulse", "Pulse trackers"],
                  vendor="fennick", category="tracker", app="fennick_fit", code=("PT-{n}", 10, 99),
                  fw=(3, 4, 0), service=False, models=[
        ("Pulse Kids Band", ["Kids Band"], ""),
        ("Pulse Band 3", ["Band 3", "Pulse 3"], ""),
        ("Pulse Band 4", ["Band 4", "Pulse 4"], ""),
        ("Pulse Band 4 Plus", ["Band 4 Plus", "Pulse 4+"], "gps"),
        ("Pulse Watch S", ["Watch S", "Pulse watch"], "gps"),
    ]),
    "harbor": dict(label="Harbor NAS series", core="Harbor NAS", short="Harbor", alts=["Harbor", "Harbor NAS"],
                   vendor="orrin", category="nas", app="orrin_connect", code=("HN-{n}", 1000, 9999),
                   fw=(6, 1, 0), service=True, models=[
        ("Harbor NAS 2-Bay", ["2-Bay NAS", "Harbor 2-Bay"], ""),
        ("Harbor NAS 4-Bay", ["4-Bay NAS", "Harbor 4-Bay"], ""),
        ("Harbor NAS 4-Bay Plus", ["4-Bay Plus", "Harbor 4-Bay Plus"], "cache vd8"),
        ("Harbor NAS 8-Bay Rack", ["8-Bay Rack", "Harbor rackmount"], "nic cache hx8 vd8"),
    ]),
    "stratus": dict(label="Stratus Printer series", core="Stratus Printer", short="Stratus",
                    alts=["Stratus", "Stratus printers"], vendor="orrin", category="printer", app="orrin_connect",
                    code=("PR-{n}", 100, 999), fw=(2, 3, 1), service=True, models=[
        ("Stratus Photo 80", ["Photo 80", "Stratus photo printer"], "inkhead"),
        ("Stratus InkJet 300", ["InkJet 300", "Stratus 300"], "inkhead"),
        ("Stratus InkJet 500 All-in-One", ["InkJet 500", "Stratus 500 AIO"], "inkhead scanner"),
        ("Stratus Laser 220", ["Laser 220", "Stratus 220"], "laser fuser"),
        ("Stratus Laser 440 MFP", ["Laser 440", "Stratus 440 MFP"], "laser fuser scanner"),
    ]),
    "drift": dict(label="Drift Robot Vacuum series", core="Drift Robot Vacuum", short="Drift",
                  alts=["Drift", "Drift vacuums"], vendor="tidewater", category="vacuum", app="tidewater_home",
                  code=("DR-{n}", 10, 99), fw=(4, 6, 0), service=True, models=[
        ("Drift Mini R3", ["Mini R3", "Drift R3"], ""),
        ("Drift Robot Vacuum R5", ["Drift R5", "R5 vacuum"], "lidar"),
        ("Drift Robot Vacuum R7", ["Drift R7", "R7 vacuum"], "lidar"),
        ("Drift Robot Vacuum R7 Max", ["Drift R7 Max", "R7 Max"], "lidar"),
        ("Drift R9 Mop Combo", ["Drift R9", "R9 Mop Combo"], "lidar mop"),
    ]),
}

# Accessories: (label, altLabels, vendor, compatibility). A compatibility token is a
# family key (all its models), "family:part" (its models having that part type or
# component), or an exact model label.
ACCESSORIES = [
    ("Aurora Wall Mount Kit", ["Aurora wall mount"], "northwind", ["aurora"]),
    ("Aurora Vertical Stand", [], "northwind", ["Aurora Mesh Router AX3000", "Aurora Mesh Router AX3000 Pro",
                                                 "Aurora Mesh Router AX5400", "Aurora Mesh Router AXE7800"]),
    ("Skylark Travel Case", ["travel case"], "corvid", ["Skylark Travel Router T200"]),
    ("Skylark LTE Modem Dongle", ["LTE dongle"], "corvid", ["Skylark Travel Router T200", "Skylark Wi-Fi 6 Router S800"]),
    ("Cat 6 Ethernet Cable 2 m", ["Cat6 cable", "Ethernet cable 2 m"], "gridline",
     ["aurora", "skylark", "harbor", "Beacon Hub Pro"]),
    ("Lumen Chime", ["Lumen indoor chime"], "halcyon", ["lumen:battery"]),
    ("Lumen Wedge Mount", ["wedge mount"], "halcyon", ["lumen"]),
    ("Lumen Rechargeable Battery Pack", ["Lumen battery"], "halcyon", ["lumen:battery", "sentinel:battery"]),
    ("Lumen Transformer 16 V", ["16 V transformer"], "halcyon", ["lumen:relay"]),
    ("Sentinel Solar Panel", ["solar panel"], "halcyon", ["sentinel:battery"]),
    ("Sentinel Ceiling Mount", ["ceiling mount"], "halcyon", ["Sentinel Indoor Cam", "Sentinel Pan-Tilt Cam"]),
    ("Gridline microSD Card 128 GB", ["128 GB microSD card"], "gridline", ["sentinel"]),
    ("Verity Room Sensor", ["room sensor"], "brightmere", ["Verity Smart Thermostat 2", "Verity Smart Thermostat Pro"]),
    ("Verity Trim Plate", ["trim plate"], "brightmere", ["verity"]),
    ("Verity Common Wire Adapter", ["C-wire adapter"], "brightmere", ["verity"]),
    ("Glint Dimmer Switch", ["Glint dimmer"], "brightmere", ["glint"]),
    ("Glint Bridge", ["Bridge", "Glint Zigbee bridge"], "brightmere", ["glint:qz30"]),
    ("Glint Light Strip Extension 1 m", ["strip extension"], "brightmere", ["Glint Light Strip 2 m"]),
    ("Ember Weatherproof Cover", ["weatherproof cover"], "northwind", ["Ember Outdoor Plug"]),
    ("Beacon Zigbee USB Stick", ["Zigbee stick"], "northwind", ["Beacon Hub", "Beacon Hub 2"]),
    ("USB-C Hub", ["Hub", "Gridline USB-C hub"], "gridline", ["Beacon Hub Pro", "harbor"]),
    ("Beacon Backup Battery", ["hub backup battery"], "northwind", ["Beacon Hub 2", "Beacon Hub Pro"]),
    ("Cadence Wireless Charging Case", ["wireless charging case"], "kestrel", ["Cadence Buds 2", "Cadence Buds Pro"]),
    ("Cadence Foam Ear Tips", ["foam ear tips"], "kestrel",
     ["Cadence Buds", "Cadence Buds 2", "Cadence Buds Pro", "Cadence Sport Buds"]),
    ("Cadence Ear Hooks", ["ear hooks"], "kestrel", ["Cadence Sport Buds"]),
    ("Cadence Replacement Ear Cushions", ["ear cushions"], "kestrel", ["Cadence Over-Ear ANC"]),
    ("Mercury Wall Bracket", ["speaker wall bracket"], "kestrel", ["Mercury Speaker", "Mercury Speaker Max"]),
    ("Mercury Subwoofer", ["Mercury sub"], "kestrel", ["Mercury Soundbar 5.1", "Mercury Speaker Max"]),
    ("Mercury Rear Speakers", ["rear speakers"], "kestrel", ["Mercury Soundbar 5.1"]),
    ("Charging Dock", ["Pulse charger", "Pulse charging dock"], "fennick", ["pulse"]),
    ("Pulse Sport Strap", ["sport strap"], "fennick", ["Pulse Band 4", "Pulse Band 4 Plus", "Pulse Watch S"]),
    ("Pulse Screen Protector 2-Pack", ["screen protector"], "fennick", ["Pulse Band 4 Plus", "Pulse Watch S"]),
    ("Harbor 4 TB NAS Drive", ["4 TB NAS drive"], "orrin", ["harbor"]),
    ("Harbor 10 GbE Network Card", ["10GbE card"], "orrin", ["Harbor NAS 4-Bay Plus", "Harbor NAS 8-Bay Rack"]),
    ("Harbor Rack Rail Kit", ["rack rails"], "orrin", ["Harbor NAS 8-Bay Rack"]),
    ("Stratus XL Black Ink Cartridge", ["XL black ink"], "orrin", ["stratus:inkhead"]),
    ("Stratus Tri-Color Ink Cartridge", ["tri-color ink"], "orrin", ["stratus:inkhead"]),
    ("Stratus Laser Toner 3K", ["toner 3K"], "orrin", ["stratus:laser"]),
    ("Stratus 250-Sheet Paper Tray", ["extra paper tray"], "orrin",
     ["Stratus Laser 440 MFP", "Stratus InkJet 500 All-in-One"]),
    ("Charging Dock", ["Drift dock", "Drift charging dock"], "tidewater", ["drift"]),
    ("Drift Self-Empty Base", ["self-empty base"], "tidewater",
     ["Drift Robot Vacuum R7", "Drift Robot Vacuum R7 Max", "Drift R9 Mop Combo"]),
    ("Drift HEPA Filter 3-Pack", ["HEPA filters"], "tidewater", ["drift"]),
    ("Drift Side Brush Kit", ["side brushes"], "tidewater", ["drift"]),
    ("Drift Mop Pad Set", ["mop pads"], "tidewater", ["drift:mop"]),
]

# Surface forms (lower-cased) deliberately shared by exactly two entities.
AMBIGUOUS_FORMS = {"hub", "bridge", "mercury", "overheating", "charging dock"}

ARTICLE_ERROR_TITLES = [
    "KB-{n}: What error {c} means on {s} {p}",
    "KB-{n}: Fixing error {c} on {s} {p}",
    "KB-{n}: Troubleshooting error code {c} for {s} {p}",
]
ARTICLE_SYMPTOM_TITLES = [
    "KB-{n}: {s} {p} - what to do when {y}",
    "KB-{n}: Troubleshooting {s} {p} when {y}",
]

# --------------------------------------------------------------------------
# Question types: name -> (topic class, path of (relation, +1 forward / -1 inverse), templates)
# --------------------------------------------------------------------------

F, I = 1, -1
QUESTION_TYPES = {
    # ---- one hop
    "errorcode_to_cause": ("ErrorCode", [("indicates", F)], [
        "what does error code {e} indicate", "what can cause error {e}", "why does my device show {e}",
        "what is the cause of error {e}", "{e} error meaning", "what problem does {e} point to"]),
    "cause_to_fix": ("Cause", [("fixedBy", F)], [
        "what fixes {e}", "what is the fix when the cause is {e}", "how can {e} be resolved",
        "which troubleshooting steps address {e}", "remedy for {e}", "if the root cause is {e}, what should i do"]),
    "symptom_to_cause": ("Symptom", [("causedBy", F)], [
        "what can cause the symptom {e}", "possible causes of {e}", "{e}: what is the likely cause",
        "troubleshooting {e}, what could be the cause", "what is behind the problem {e}"]),
    "model_to_component": ("Model", [("hasComponent", F)], [
        "what components are in the {e}", "which hardware parts does the {e} contain", "list the components of the {e}",
        "what is inside the {e}", "which parts are used in {e}", "hardware components of {e}"]),
    "model_to_vendor": ("Model", [("manufacturedBy", F)], [
        "who makes the {e}", "who manufactures the {e}", "which company produces {e}", "what brand is the {e}",
        "manufacturer of {e}"]),
    "model_to_errorcode": ("Model", [("reportsError", F)], [
        "which error codes can the {e} show", "what errors can {e} report", "list the error codes for the {e}",
        "what error codes exist for {e}", "possible error codes on the {e}"]),
    "model_to_firmware": ("Model", [("supportedOn", I)], [
        "which firmware versions are supported on the {e}", "what firmware can i install on the {e}",
        "list firmware releases available for {e}", "which firmware versions run on {e}",
        "supported firmware for the {e}"]),
    "model_to_manual": ("Model", [("documentedIn", F)], [
        "which manuals cover the {e}", "where can i find documentation for the {e}",
        "what documents are available for {e}", "list the guides for the {e}", "{e} manuals"]),
    "firmware_to_errorcode": ("FirmwareVersion", [("fixesError", F)], [
        "what error codes does {e} fix", "which errors are fixed in {e}", "what errors were resolved by {e}",
        "which error codes does the {e} update address", "error codes fixed by {e}"]),
    "errorcode_to_firmware": ("ErrorCode", [("fixesError", I)], [
        "which firmware fixes error {e}", "what firmware update resolves {e}",
        "is there a firmware version that fixes {e}", "which firmware release addresses error code {e}",
        "firmware fix for {e}"]),
    "accessory_to_model": ("Accessory", [("compatibleWith", F)], [
        "which models is the {e} compatible with", "what devices does the {e} work with",
        "compatible models for {e}", "what can i use the {e} with", "which products support the {e}"]),
    "fix_to_tool": ("Fix", [("requiresTool", F)], [
        "what tools do i need for the step {e}", "tools required for the fix {e}",
        "which tools does the procedure {e} need", "equipment needed for {e}",
        "what should i have ready before i {e}"]),
    "article_to_fix": ("SupportArticle", [("recommendsFix", F)], [
        "which fixes does {e} recommend", "what steps are suggested in {e}",
        "what does the support article {e} tell me to do", "recommended fixes in {e}",
        "what troubleshooting steps are in {e}"]),
    # ---- two hops
    "errorcode_to_cause_to_fix": ("ErrorCode", [("indicates", F), ("fixedBy", F)], [
        "how do i fix error {e}", "how to resolve {e}", "what should i do when i see error {e}",
        "steps to clear error code {e}", "my device shows {e}, how do i fix it", "troubleshooting for error {e}"]),
    "symptom_to_cause_to_fix": ("Symptom", [("causedBy", F), ("fixedBy", F)], [
        "how do i fix {e}", "what can i do about {e}", "how to solve the problem {e}", "{e} - how do i fix this",
        "which steps fix {e}", "recommended fixes for {e}"]),
    "model_to_errorcode_to_cause": ("Model", [("reportsError", F), ("indicates", F)], [
        "what problems can trigger error codes on the {e}", "which root causes are behind the {e} error codes",
        "what issues do the error codes of {e} indicate", "which faults can the error codes on the {e} point to",
        "causes behind errors reported by {e}"]),
    "firmware_to_errorcode_to_cause": ("FirmwareVersion", [("fixesError", F), ("indicates", F)], [
        "which underlying problems were addressed by {e}", "what root causes are behind the errors fixed in {e}",
        "what issues did {e} fix", "which causes relate to the errors resolved in {e}",
        "what problems does {e} address"]),
    "model_to_component_to_vendor": ("Model", [("hasComponent", F), ("suppliedBy", F)], [
        "which suppliers provide parts for the {e}", "who supplies the components in the {e}",
        "which vendors make the hardware inside {e}", "component suppliers of {e}",
        "who makes the parts used in the {e}"]),
    "model_to_family_to_model": ("Model", [("partOfFamily", F), ("partOfFamily", I)], [
        "what other models are in the same family as the {e}", "which models are siblings of the {e}",
        "which models belong to the same product family as {e}", "other devices in the same line as the {e}",
        "what else is in the product family of the {e}"]),
    "model_to_firmware_to_errorcode": ("Model", [("supportedOn", I), ("fixesError", F)], [
        "which error codes have been fixed by firmware for the {e}", "what errors do the firmware updates for {e} fix",
        "which error codes are resolved by firmware available for the {e}",
        "error codes fixed in firmware supported on {e}", "what error codes can a firmware update fix on my {e}"]),
    "accessory_to_model_to_family": ("Accessory", [("compatibleWith", F), ("partOfFamily", F)], [
        "which product families does the {e} work with", "what product lines is the {e} compatible with",
        "which series of devices can use the {e}", "the {e} fits which product families",
        "product families compatible with {e}"]),
    "cause_to_fix_to_tool": ("Cause", [("fixedBy", F), ("requiresTool", F)], [
        "what tools might i need to deal with {e}", "which tools are needed to fix {e}",
        "tools required to resolve {e}", "what equipment do the fixes for {e} need",
        "if the problem is {e}, what tools should i have"]),
    "errorcode_to_cause_to_component": ("ErrorCode", [("indicates", F), ("involvesComponent", F)], [
        "which components are involved in error {e}", "what hardware parts does error {e} relate to",
        "which parts could be at fault for {e}", "components implicated by error code {e}",
        "what part of the device does {e} concern"]),
    "component_to_model_to_family": ("Component", [("hasComponent", I), ("partOfFamily", F)], [
        "which product families use the {e}", "what product lines contain the {e}",
        "which series have the {e} inside", "product families built with the {e}",
        "in which product families is the {e} used"]),
    "symptom_to_cause_to_errorcode": ("Symptom", [("causedBy", F), ("indicates", I)], [
        "which error codes go with {e}", "what error codes might appear along with {e}",
        "which error codes are related to {e}", "error codes associated with the symptom {e}",
        "if i notice {e}, which error codes could show up"]),
    "component_to_cause_to_symptom": ("Component", [("involvesComponent", I), ("causedBy", I)], [
        "what symptoms can a faulty {e} cause", "which symptoms are linked to problems with the {e}",
        "if the {e} fails, what would i notice", "symptoms related to issues involving the {e}",
        "what signs point to a problem with the {e}"]),
    # ---- three hops
    "model_to_errorcode_to_cause_to_fix": ("Model", [("reportsError", F), ("indicates", F), ("fixedBy", F)], [
        "what fixes might i need for error codes on the {e}", "how do i fix the problems behind {e} error codes",
        "which troubleshooting steps address errors reported by the {e}",
        "fixes for the causes of errors on {e}", "what should i try when my {e} shows an error code"]),
    "symptom_to_cause_to_fix_to_tool": ("Symptom", [("causedBy", F), ("fixedBy", F), ("requiresTool", F)], [
        "what tools do i need to fix {e}", "which tools should i have ready to troubleshoot {e}",
        "tools needed to repair the problem {e}", "what equipment is needed to fix the symptom {e}",
        "to fix {e}, which tools might be required"]),
    "errorcode_to_cause_to_fix_to_tool": ("ErrorCode", [("indicates", F), ("fixedBy", F), ("requiresTool", F)], [
        "what tools do i need to fix error {e}", "which tools are needed to resolve error code {e}",
        "tools required for fixing {e}", "to clear error {e}, what tools will i need",
        "equipment needed to fix {e}"]),
    "firmware_to_errorcode_to_cause_to_fix": ("FirmwareVersion", [("fixesError", F), ("indicates", F),
                                                                  ("fixedBy", F)], [
        "what fixes apply to the causes of errors resolved by {e}",
        "which troubleshooting steps relate to the errors fixed in {e}",
        "what manual fixes exist for the problems addressed by {e}",
        "if i cannot install {e}, what fixes address the same errors",
        "which fixes target the root causes of the errors in the {e} release notes"]),
    "model_to_firmware_to_errorcode_to_cause": ("Model", [("supportedOn", I), ("fixesError", F), ("indicates", F)], [
        "what root causes were addressed by firmware updates for the {e}",
        "which problems have firmware releases for the {e} fixed",
        "what underlying issues do firmware versions for {e} resolve",
        "causes behind errors fixed in firmware for the {e}",
        "which faults were fixed by firmware releases for {e}"]),
    "symptom_to_cause_to_errorcode_to_firmware": ("Symptom", [("causedBy", F), ("indicates", I), ("fixesError", I)], [
        "which firmware updates fix errors related to {e}", "is there firmware that helps with {e}",
        "what firmware versions fix error codes linked to {e}",
        "firmware releases addressing errors behind the symptom {e}",
        "which firmware should i install if i see {e}"]),
    "manual_to_model_to_errorcode_to_cause": ("Manual", [("documentedIn", I), ("reportsError", F), ("indicates", F)], [
        "what problems can occur on the devices covered by the {e}",
        "which root causes apply to error codes of models in the {e}",
        "for products documented in {e}, what can cause their error codes",
        "causes of errors on models covered by {e}",
        "what issues do error codes on devices described in the {e} indicate"]),
    "component_to_cause_to_fix_to_tool": ("Component", [("involvesComponent", I), ("fixedBy", F),
                                                        ("requiresTool", F)], [
        "what tools do i need to repair problems with the {e}", "which tools are used to fix issues involving the {e}",
        "tools needed when the {e} is at fault", "if the {e} causes trouble, which tools will i need",
        "equipment for fixing faults related to the {e}"]),
}


# Two-constraint question types: name -> (first topic class, its path, second topic class, its
# path, templates with {a} for the first topic and {b} for the second). The answers are those both
# paths reach; each constraint must remove some answers of the other, so neither alone answers.
CONJUNCTIVE_TYPES = {
    # ---- one hop and one hop
    "model_to_errorcode&cause_to_errorcode": ("Model", [("reportsError", F)], "Cause", [("indicates", I)], [
        "which error codes of the {a} are caused by {b}", "which errors can the {a} show that point to {b}",
        "what error codes on the {a} indicate {b}", "{a} error codes that mean {b}",
        "which of the {a} error codes come from {b}"]),
    "model_to_component&vendor_to_component": ("Model", [("hasComponent", F)], "Vendor", [("suppliedBy", I)], [
        "which components of the {a} are supplied by {b}", "what parts in the {a} come from {b}",
        "{a} components made by {b}", "which hardware in the {a} does {b} supply"]),
    "model_to_errorcode&firmware_to_errorcode": ("Model", [("reportsError", F)], "FirmwareVersion",
                                                 [("fixesError", F)], [
        "which error codes of the {a} does {b} fix", "what errors on the {a} are fixed by {b}",
        "which {a} errors does the {b} update resolve", "{a} error codes fixed in {b}"]),
    "cause_to_fix&tool_to_fix": ("Cause", [("fixedBy", F)], "Tool", [("requiresTool", I)], [
        "which fixes for {a} need a {b}", "what steps resolve {a} using a {b}",
        "how can {a} be fixed with a {b}", "which remedies for {a} require the {b}"]),
    "symptom_to_cause&component_to_cause": ("Symptom", [("causedBy", F)], "Component", [("involvesComponent", I)], [
        "which causes of {a} involve the {b}", "what could cause {a} that has to do with the {b}",
        "which {b} problems lead to {a}", "possible causes of {a} related to the {b}"]),
    # ---- two hops and one hop
    "model_to_errorcode_to_cause&fix_to_cause": ("Model", [("reportsError", F), ("indicates", F)], "Fix",
                                                 [("fixedBy", I)], [
        "which causes behind the {a} error codes are fixed by {b}",
        "what root causes of {a} errors can {b} resolve",
        "which problems indicated by the {a} error codes does {b} fix"]),
    "vendor_to_model_to_component&vendor_to_component": ("Vendor", [("manufacturedBy", I), ("hasComponent", F)],
                                                         "Vendor", [("suppliedBy", I)], [
        "which components in {a} products are supplied by {b}", "what parts from {b} are in devices made by {a}",
        "which {b} components do {a} models use"]),
    "family_to_model_to_errorcode&cause_to_errorcode": ("ProductFamily", [("partOfFamily", I), ("reportsError", F)],
                                                        "Cause", [("indicates", I)], [
        "which error codes of {a} models indicate {b}", "what errors on {a} devices are caused by {b}",
        "which {a} error codes point to {b}"]),
}
# Two-constraint questions per split, after the one-constraint ones.
CONJUNCTIVE_QUOTAS = {"train": 500, "dev": 100, "test": 100}
# Their own generator, so that adding them left every one-constraint question as it was.
CONJUNCTIVE_SEED = SEED + 1


# --------------------------------------------------------------------------
# Graph model
# --------------------------------------------------------------------------

class Lit(str):
    """A plain string literal (as opposed to a prefixed-name IRI)."""


class Graph:
    """An ordered in-memory RDF graph keyed by prefixed names such as ``id:x``."""

    def __init__(self) -> None:
        self.subjects: list[str] = []
        self.props: dict[str, dict[str, list]] = {}
        self.seen: set[tuple[str, str, str]] = set()
        self.label: dict[str, str] = {}
        self.alts: dict[str, list[str]] = {}
        self.cls: dict[str, str] = {}
        self.out: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        self.inv: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))

    def add(self, s: str, p: str, o: str) -> None:
        """Add one triple (duplicates are ignored)."""
        key = (s, p, ("L" if isinstance(o, Lit) else "I") + o)
        if key in self.seen:
            return
        self.seen.add(key)
        if s not in self.props:
            self.subjects.append(s)
            self.props[s] = {}
        self.props[s].setdefault(p, []).append(o)
        if p.startswith("sv:") and not isinstance(o, Lit):
            self.out[p[3:]][s].add(o)
            self.inv[p[3:]][o].add(s)

    def entity(self, slug: str, cls: str, label: str, alts=()) -> str:
        """Declare an entity with its class, one rdfs:label and altLabels."""
        node = "id:" + slug
        assert re.fullmatch(r"[a-z][a-z0-9-]*[a-z0-9]", slug), slug
        assert node not in self.label, f"duplicate slug {slug}"
        self.label[node] = label
        self.cls[node] = cls
        self.alts[node] = []
        self.add(node, "rdf:type", "sv:" + cls)
        self.add(node, "rdfs:label", Lit(label))
        for alt in alts:
            if alt != label and alt not in self.alts[node]:
                self.alts[node].append(alt)
                self.add(node, "skos:altLabel", Lit(alt))
        return node

    def rel(self, s: str, name: str, o: str) -> None:
        """Add a domain relation triple ``s sv:name o``."""
        assert name in RELATIONS, name
        assert s in self.label and o in self.label, (s, name, o)
        self.add(s, "sv:" + name, o)

    def of_class(self, cls: str) -> list[str]:
        """All entities of a class, in creation order."""
        return [n for n in self.label if self.cls[n] == cls]

    def triple_count(self) -> int:
        return len(self.seen)


def slugify(text: str) -> str:
    """Lower-case ASCII slug: runs of other characters become one hyphen."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def lower_first(text: str) -> str:
    """Lower-case the first character unless the first word is an acronym."""
    first = text.split()[0]
    return text if first.isupper() or any(ch.isdigit() for ch in first) else text[0].lower() + text[1:]


# --------------------------------------------------------------------------
# Graph construction
# --------------------------------------------------------------------------

def add_schema(g: Graph) -> None:
    """Declare classes and relations with labels, domains and ranges."""
    for name, (label, parent) in CLASSES.items():
        node = "sv:" + name
        g.add(node, "rdf:type", "rdfs:Class")
        g.add(node, "rdfs:label", Lit(label))
        if parent:
            g.add(node, "rdfs:subClassOf", "sv:" + parent)
    for name, (label, dom, rng_, meaning) in RELATIONS.items():
        node = "sv:" + name
        g.add(node, "rdf:type", "rdf:Property")
        g.add(node, "rdfs:label", Lit(label))
        g.add(node, "rdfs:comment", Lit(meaning[0].upper() + meaning[1:] + "."))
        g.add(node, "rdfs:domain", "sv:" + dom)
        g.add(node, "rdfs:range", "sv:" + rng_)


def add_reference_entities(g: Graph) -> dict:
    """Vendors, tools, components, generic fixes and app versions."""
    ids = {"vendor": {}, "tool": {}, "part": {}, "fix": {}, "app": {}, "kb_numbers": set()}
    for key, (label, alts) in VENDORS.items():
        ids["vendor"][key] = g.entity("vendor-" + key, "Vendor", label, alts)
    for key, (label, alts) in TOOLS.items():
        ids["tool"][key] = g.entity("tool-" + slugify(key), "Tool", label, alts)
    for key, (label, alts, supplier) in COMPONENTS.items():
        node = g.entity("part-" + slugify(key), "Component", label, alts)
        g.rel(node, "suppliedBy", ids["vendor"][supplier])
        ids["part"][key] = node
    for key, (label, alts, tools) in GENERIC_FIXES.items():
        ids["fix"][key] = add_fix(g, ids, key, label, alts, tools)
    for key, (name, versions) in APPS.items():
        stem = name.removesuffix(" app")
        ids["app"][key] = [g.entity(f"app-{slugify(stem)}-{slugify(v)}", "AppVersion", f"{name} {v}",
                                    [f"{stem} {v}"]) for v in versions]
    return ids


def add_fix(g: Graph, ids: dict, key: str, label: str, alts, tools) -> str:
    """Create a Fix entity with its required tools."""
    node = g.entity("fix-" + slugify(key), "Fix", label, alts)
    for tool in tools:
        g.rel(node, "requiresTool", ids["tool"][tool])
    return node


def add_category(g: Graph, ids: dict, key: str, cat: dict) -> dict:
    """Create the category node and its causes, fixes and symptoms (not yet linked to parts)."""
    node = g.entity("category-" + key, "ProductCategory", cat["label"], [cat["plural"]])
    fixes = {k: add_fix(g, ids, k, *v) for k, v in cat["fixes"].items()}
    fixes.update(ids["fix"])
    causes = {}
    for ckey, (label, _kind, _parts, fix_keys) in cat["causes"].items():
        causes[ckey] = g.entity(f"cause-{key}-{slugify(ckey)}", "Cause", label)
        for fk in fix_keys:
            g.rel(causes[ckey], "fixedBy", fixes[fk])
    symptoms = {}
    for skey, (label, alts, cause_keys) in cat["symptoms"].items():
        symptoms[skey] = g.entity(f"symptom-{key}-{slugify(skey)}", "Symptom", label, alts)
        for ck in cause_keys:
            g.rel(symptoms[skey], "causedBy", causes[ck])
    return {"node": node, "causes": causes, "symptoms": symptoms, "fixes": fixes}


def model_parts(cat: dict, flags: str) -> dict[str, str]:
    """Choose one component per part type for a model, honouring its flags."""
    tokens = set(flags.split())
    chosen = {}
    for ptype, keys, optional in cat["parts"]:
        if optional and ptype not in tokens:
            continue
        forced = [k for k in keys if k in tokens]
        chosen[ptype] = forced[0] if forced else keys[0]
    return chosen


def cause_applies(cat: dict, cause_key: str, parts: dict[str, str]) -> bool:
    """A cause can occur on a model unless it needs a part the model lacks."""
    needs = cat["causes"][cause_key][2]
    return not needs or any(n in parts or n in parts.values() for n in needs)


def next_version(rng: random.Random, v: tuple[int, int, int]) -> tuple[int, int, int]:
    """Bump a semantic version the way a firmware team plausibly would."""
    roll = rng.random()
    if roll < 0.08:
        return (v[0] + 1, 0, 0)
    if roll < 0.45:
        return (v[0], v[1] + 1, 0)
    return (v[0], v[1], v[2] + rng.randint(1, 3))


def add_family(g: Graph, rng: random.Random, ids: dict, cats: dict, key: str, fam: dict) -> dict:
    """Create a product family with its models, firmware, error codes, manuals and articles."""
    cat = CATEGORIES[fam["category"]]
    catinfo = cats[fam["category"]]
    vendor = ids["vendor"][fam["vendor"]]
    node = g.entity("family-" + key, "ProductFamily", fam["label"], fam["alts"])

    models = []
    for label, alts, flags in fam["models"]:
        m = g.entity(slugify(label), "Model", label, alts)
        g.rel(m, "partOfFamily", node)
        g.rel(m, "inCategory", catinfo["node"])
        g.rel(m, "manufacturedBy", vendor)
        parts = model_parts(cat, flags)
        for part in parts.values():
            g.rel(m, "hasComponent", ids["part"][part])
        models.append({"node": m, "label": label, "alts": alts, "parts": parts})

    codes = add_error_codes(g, rng, fam, cat, catinfo, models)
    firmware = add_firmware(g, rng, ids, fam, cat, models, codes)
    add_manuals(g, fam, models)
    add_articles(g, rng, fam, cat, catinfo, codes, ids["kb_numbers"])
    return {"node": node, "models": models, "codes": codes, "firmware": firmware}


def add_error_codes(g, rng, fam, cat, catinfo, models) -> list[dict]:
    """One error code per category code pattern, linked to causes and to the models that can show it."""
    fmt, lo, hi = fam["code"]
    numbers = sorted(rng.sample(range(lo, hi + 1), len(cat["codes"])))
    codes = []
    for number, cause_keys in zip(numbers, cat["codes"]):
        label = fmt.format(n=number)
        node = g.entity("err-" + slugify(label), "ErrorCode", label,
                        [label.replace("-", ""), f"{fam['short']} error {number}"])
        for ck in cause_keys:
            g.rel(node, "indicates", catinfo["causes"][ck])
        for m in models:
            if any(cause_applies(cat, ck, m["parts"]) for ck in cause_keys):
                g.rel(m["node"], "reportsError", node)
        kinds = {cat["causes"][ck][1] for ck in cause_keys}
        codes.append({"node": node, "label": label, "causes": cause_keys, "software": "sw" in kinds})
    return codes


def add_firmware(g, rng, ids, fam, cat, models, codes) -> list[str]:
    """Firmware releases for the family: support windows per model, fixed errors and app requirements."""
    n_models = len(models)
    n_fw = n_models + rng.randint(2, 3)
    versions = [fam["fw"]]
    while len(versions) < n_fw:
        versions.append(next_version(rng, versions[-1]))
    fw_nodes = []
    for v in versions:
        vs = ".".join(map(str, v))
        fw_nodes.append(g.entity(f"fw-{fam['short'].lower()}-{vs.replace('.', '-')}", "FirmwareVersion",
                                 f"{fam['short']} firmware {vs}",
                                 [f"{fam['short']} fw {vs}", f"{fam['core']} firmware v{vs}"]))
    for i, m in enumerate(models):
        release = round(i * (n_fw - 2) / max(1, n_models - 1))
        last = n_fw - 2 if i == 0 and rng.random() < 0.5 else n_fw - 1
        g.rel(m["node"], "shippedWithFirmware", fw_nodes[release])
        for j in range(release, last + 1):
            g.rel(fw_nodes[j], "supportedOn", m["node"])
    for code in codes:
        if code["software"] or rng.random() < 0.15:
            first = rng.randint(1, n_fw - 1)
            g.rel(fw_nodes[first], "fixesError", code["node"])
            if code["software"] and first < n_fw - 1 and rng.random() < 0.3:
                g.rel(fw_nodes[rng.randint(first + 1, n_fw - 1)], "fixesError", code["node"])
    apps = ids["app"][fam["app"]]
    for j, fw in enumerate(fw_nodes):
        g.rel(fw, "requiresAppVersion", apps[j * len(apps) // n_fw])
    return fw_nodes


def add_manuals(g: Graph, fam: dict, models: list[dict]) -> None:
    """A user guide per model plus family-wide quick start, safety and (some) service manuals."""
    for m in models:
        doc = g.entity("doc-" + slugify(m["label"]) + "-user-guide", "Manual", m["label"] + " User Guide",
                       [m["alts"][0] + " manual"])
        g.rel(m["node"], "documentedIn", doc)
    shared = [("quick-start-guide", "Quick Start Guide", [f"{fam['short']} quick start"]),
              ("safety-and-warranty-booklet", "Safety and Warranty Booklet", [])]
    if fam["service"]:
        shared.append(("service-manual", "Service Manual", [f"{fam['short']} repair manual"]))
    for suffix, title, alts in shared:
        doc = g.entity(f"doc-{slugify(fam['core'])}-{suffix}", "Manual", f"{fam['core']} {title}", alts)
        for m in models:
            g.rel(m["node"], "documentedIn", doc)


def add_articles(g, rng, fam, cat, catinfo, codes, kb_numbers: set[int]) -> None:
    """Knowledge-base articles about some of the family's error codes and symptoms."""
    for code in rng.sample(codes, min(4, len(codes))):
        n = next_kb_number(rng, kb_numbers)
        title = rng.choice(ARTICLE_ERROR_TITLES).format(n=n, c=code["label"], s=fam["short"], p=cat["plural"])
        art = g.entity(f"kb-{n}", "SupportArticle", title, [f"KB-{n}", f"support article {n}"])
        g.rel(art, "addressesError", code["node"])
        fixes = sorted({f for ck in code["causes"] for f in g.out["fixedBy"][catinfo["causes"][ck]]})
        for f in rng.sample(fixes, min(3, len(fixes))):
            g.rel(art, "recommendsFix", f)
    for skey in rng.sample(sorted(catinfo["symptoms"]), 2):
        sym = catinfo["symptoms"][skey]
        n = next_kb_number(rng, kb_numbers)
        title = rng.choice(ARTICLE_SYMPTOM_TITLES).format(n=n, s=fam["short"], p=cat["plural"],
                                                           y=lower_first(g.label[sym]))
        art = g.entity(f"kb-{n}", "SupportArticle", title, [f"KB-{n}", f"support article {n}"])
        g.rel(art, "addressesSymptom", sym)
        fixes = sorted({f for c in g.out["causedBy"][sym] for f in g.out["fixedBy"][c]})
        for f in rng.sample(fixes, min(3, len(fixes))):
            g.rel(art, "recommendsFix", f)


def next_kb_number(rng: random.Random, used: set[int]) -> int:
    """A fresh five-digit knowledge-base article number."""
    while True:
        n = rng.randint(20000, 49999)
        if n not in used:
            used.add(n)
            return n


def link_causes_to_parts(g: Graph, ids: dict, cats: dict, families: dict) -> None:
    """Link each cause to the concrete components (of the named part types) used in its category."""
    for ckey, cat in CATEGORIES.items():
        used: dict[str, set[str]] = defaultdict(set)
        for fam_key, fam in families.items():
            if FAMILIES[fam_key]["category"] == ckey:
                for m in fam["models"]:
                    for ptype, part in m["parts"].items():
                        used[ptype].add(part)
                        used[part].add(part)
        for cause_key, (_label, _kind, needs, _fixes) in cat["causes"].items():
            for part in sorted({p for n in needs for p in used.get(n, ())}):
                g.rel(cats[ckey]["causes"][cause_key], "involvesComponent", ids["part"][part])


def add_accessories(g: Graph, ids: dict, families: dict) -> None:
    """Accessories with vendor and model compatibility."""
    by_label = {m["label"]: m for fam in families.values() for m in fam["models"]}
    for label, alts, vendor, compat in ACCESSORIES:
        slug = "acc-" + slugify(label)
        if "id:" + slug in g.label:
            slug += "-" + vendor
        node = g.entity(slug, "Accessory", label, alts)
        g.rel(node, "manufacturedBy", ids["vendor"][vendor])
        for token in compat:
            for m in resolve_compat(token, families, by_label):
                g.rel(node, "compatibleWith", m["node"])


def resolve_compat(token: str, families: dict, by_label: dict) -> list[dict]:
    """Models matched by an accessory compatibility token."""
    if token in families:
        return families[token]["models"]
    if ":" in token:
        fam, need = token.split(":")
        found = [m for m in families[fam]["models"] if need in m["parts"] or need in m["parts"].values()]
        assert found, token
        return found
    return [by_label[token]]


def build_graph(rng: random.Random) -> Graph:
    """Build the whole knowledge graph."""
    g = Graph()
    add_schema(g)
    ids = add_reference_entities(g)
    cats = {key: add_category(g, ids, key, cat) for key, cat in CATEGORIES.items()}
    families = {key: add_family(g, rng, ids, cats, key, fam) for key, fam in FAMILIES.items()}
    link_causes_to_parts(g, ids, cats, families)
    add_accessories(g, ids, families)
    return g


# --------------------------------------------------------------------------
# Turtle output and a small self-check parser
# --------------------------------------------------------------------------

PRED_ORDER = ["rdf:type", "rdfs:label", "skos:altLabel", "rdfs:subClassOf", "rdfs:comment", "rdfs:domain",
              "rdfs:range"] + ["sv:" + r for r in RELATIONS]


def turtle_term(o: str) -> str:
    """Serialise an object term."""
    if isinstance(o, Lit):
        return '"' + o.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return o


def to_turtle(g: Graph) -> str:
    """Serialise the graph as Turtle, one block per subject."""
    lines = [f"@prefix {p}: <{iri}> ." for p, iri in PREFIXES.items()]
    lines += ["", "# kgqa product-support demo knowledge graph.",
              "# Generated by corpora/support/generate.py; every name in it is invented.",
              "# Licensed under Apache-2.0, like the rest of the kgqa project.", ""]
    for s in g.subjects:
        props = g.props[s]
        preds = sorted(props, key=PRED_ORDER.index)
        parts = []
        for p in preds:
            objs = props[p] if p in ("rdfs:label", "skos:altLabel") else sorted(props[p])
            pred = "a" if p == "rdf:type" else p
            parts.append(f"{pred} " + " , ".join(turtle_term(o) for o in objs))
        lines.append(s + " " + " ;\n    ".join(parts) + " .")
        lines.append("")
    return "\n".join(lines)


TOKEN_RE = re.compile(r'\s*(@prefix|<[^>\s]*>|"(?:[^"\\\n]|\\["\\])*"|[A-Za-z][\w-]*:[A-Za-z0-9_-]*'
                      r'|[A-Za-z][\w-]*:|[;,.]|a(?=\s))')


def parse_turtle(text: str) -> set[tuple[str, str, str]]:
    """Parse the Turtle subset written by to_turtle into full-IRI triples (raises on error)."""
    text = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    tokens, pos = [], 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = TOKEN_RE.match(text, pos)
        if not m:
            raise ValueError(f"bad Turtle near: {text[pos:pos + 60]!r}")
        tokens.append(m.group(1))
        pos = m.end()
    prefixes, triples, i = {}, set(), 0

    def term(tok: str) -> str:
        if tok == "a":
            return PREFIXES["rdf"] + "type"
        if tok.startswith("<"):
            return tok[1:-1]
        if tok.startswith('"'):
            return '"' + tok[1:-1].replace('\\"', '"').replace("\\\\", "\\")
        prefix, local = tok.split(":", 1)
        if prefix not in prefixes:
            raise ValueError(f"undeclared prefix {prefix}")
        return prefixes[prefix] + local

    while i < len(tokens):
        if tokens[i] == "@prefix":
            prefixes[tokens[i + 1][:-1]] = tokens[i + 2][1:-1]
            assert tokens[i + 3] == ".", "prefix directive must end with ."
            i += 4
            continue
        subj = term(tokens[i])
        i += 1
        while True:
            pred = term(tokens[i])
            i += 1
            while True:
                triples.add((subj, pred, term(tokens[i])))
                i += 1
                if tokens[i] != ",":
                    break
                i += 1
            if tokens[i] == ";":
                i += 1
                continue
            if tokens[i] == ".":
                i += 1
                break
            raise ValueError(f"unexpected token {tokens[i]!r}")
    return triples


def expand(term: str) -> str:
    """Expand a prefixed name (or mark a literal) the way parse_turtle does."""
    if isinstance(term, Lit):
        return '"' + term
    prefix, local = term.split(":", 1)
    return PREFIXES[prefix] + local


# --------------------------------------------------------------------------
# Questions
# --------------------------------------------------------------------------

def ambiguous_entities(g: Graph) -> set[str]:
    """Check that surface forms are unique except the deliberate ambiguous ones; return those entities."""
    owners: dict[str, set[str]] = defaultdict(set)
    for node, label in g.label.items():
        for form in [label] + g.alts[node]:
            owners[form.lower()].add(node)
    shared = {form: nodes for form, nodes in owners.items() if len(nodes) > 1}
    assert set(shared) == AMBIGUOUS_FORMS, f"unexpected shared surface forms: {set(shared) ^ AMBIGUOUS_FORMS}"
    assert all(len(nodes) == 2 for nodes in shared.values())
    return {n for nodes in shared.values() for n in nodes}


def follow(g: Graph, topic: str, path) -> set[str]:
    """Entities reached from topic along the relation path, topic excluded."""
    frontier = {topic}
    for rel, direction in path:
        index = g.out[rel] if direction == F else g.inv[rel]
        frontier = {o for n in frontier for o in index.get(n, ())}
    frontier.discard(topic)
    return frontier


def candidate_pairs(g: Graph, banned: set[str]) -> dict[str, list[tuple[str, list[str]]]]:
    """For each question type, the (topic, answers) pairs with 1..MAX_ANSWERS answers."""
    pairs = {}
    for qtype, (cls, path, _templates) in QUESTION_TYPES.items():
        found = []
        for topic in g.of_class(cls):
            if topic in banned:
                continue
            answers = follow(g, topic, path)
            if 0 < len(answers) <= MAX_ANSWERS:
                found.append((topic, sorted(answers)))
        pairs[qtype] = found
    return pairs


def split_pairs(rng: random.Random, pairs: list) -> dict[str, list]:
    """Shuffle a type's pairs and cut them 5:1:1 so no (topic, type) pair crosses splits."""
    pairs = list(pairs)
    rng.shuffle(pairs)
    total = sum(SPLIT_WEIGHTS)
    n_dev = max(1, round(len(pairs) * SPLIT_WEIGHTS[1] / total))
    n_test = max(1, round(len(pairs) * SPLIT_WEIGHTS[2] / total))
    n_train = len(pairs) - n_dev - n_test
    return {"train": pairs[:n_train], "dev": pairs[n_train:n_train + n_dev], "test": pairs[n_train + n_dev:]}


def surface_form(rng: random.Random, g: Graph, node: str, use_alt: bool) -> str:
    """How the question names its topic: the label, or an altLabel / lower-cased variant."""
    label = g.label[node]
    if not use_alt:
        return label
    alts = g.alts[node]
    if alts and rng.random() < 0.75:
        return rng.choice(alts)
    if label.lower() != label:
        return label.lower()
    return rng.choice(alts) if alts else label


def render_question(rng: random.Random, template: str, form: str) -> str:
    """Fill a template and vary casing and final punctuation a little."""
    q = template.format(e=form)
    if rng.random() < 0.3:
        q = q[0].upper() + q[1:]
    if rng.random() < 0.4:
        q += "?"
    return re.sub(r"\s+", " ", q).strip()


def schedule(split_pairs_by_type: dict[str, list], quota: int):
    """Interleave types round-robin; revisit pairs with a new paraphrase only when all are used."""
    available = sum(len(p) for p in split_pairs_by_type.values())
    assert available, "no pairs for this hop"
    emitted, rounds = 0, 0
    while emitted < quota:
        longest = max(len(p) for p in split_pairs_by_type.values())
        for idx in range(longest):
            for qtype, pairs in split_pairs_by_type.items():
                if idx < len(pairs) and emitted < quota:
                    yield qtype, pairs[idx], rounds
                    emitted += 1
        rounds += 1


def build_questions(g: Graph, rng: random.Random) -> dict[str, list[dict]]:
    """Generate all question splits."""
    banned = ambiguous_entities(g)
    pairs = candidate_pairs(g, banned)
    by_split = {s: defaultdict(dict) for s in SPLITS}
    for qtype in QUESTION_TYPES:
        hops = len(QUESTION_TYPES[qtype][1])
        for split, chunk in split_pairs(rng, pairs[qtype]).items():
            by_split[split][hops][qtype] = chunk
    out = {}
    for split in SPLITS:
        rows = []
        for hops in (1, 2, 3):
            template_order: dict[tuple[str, str], list[str]] = {}
            for qtype, (topic, answers), rnd in schedule(by_split[split][hops], QUOTAS[split][hops]):
                templates = QUESTION_TYPES[qtype][2]
                order = template_order.setdefault((qtype, topic), rng.sample(templates, len(templates)))
                form = surface_form(rng, g, topic, rng.random() < ALT_SURFACE_RATE)
                rows.append({"question": render_question(rng, order[rnd % len(order)], form),
                             "topic": topic, "answers": answers, "hops": hops, "type": qtype})
        rng.shuffle(rows)
        out[split] = rows
    return out


def conjunctive_answers(g: Graph, qtype: str, first: str, second: str) -> set[str]:
    """The answers of a two-constraint question: reached by both paths, neither topic."""
    _c1, path1, _c2, path2, _t = CONJUNCTIVE_TYPES[qtype]
    return (follow(g, first, path1) & follow(g, second, path2)) - {first, second}


def conjunctive_pairs(g: Graph, banned: set[str]) -> dict[str, list[tuple[tuple[str, str], list[str]]]]:
    """For each two-constraint type, the ((first, second), answers) pairs with 1..MAX_ANSWERS
    answers where each constraint removes answers of the other."""
    pairs = {}
    for qtype, (cls1, path1, cls2, path2, _templates) in CONJUNCTIVE_TYPES.items():
        seconds = [(t, follow(g, t, path2)) for t in g.of_class(cls2) if t not in banned]
        found = []
        for first in g.of_class(cls1):
            if first in banned:
                continue
            reached = follow(g, first, path1)
            for second, others in seconds:
                if second == first:
                    continue
                answers = (reached & others) - {first, second}
                if 0 < len(answers) <= MAX_ANSWERS and answers < reached and answers < others:
                    found.append(((first, second), sorted(answers)))
        pairs[qtype] = found
    return pairs


def build_conjunctive(g: Graph) -> dict[str, list[dict]]:
    """Generate the two-constraint questions of every split, from their own seeded generator."""
    rng = random.Random(CONJUNCTIVE_SEED)
    pairs = conjunctive_pairs(g, ambiguous_entities(g))
    by_split = {split: {} for split in SPLITS}
    for qtype in CONJUNCTIVE_TYPES:
        for split, chunk in split_pairs(rng, pairs[qtype]).items():
            by_split[split][qtype] = chunk
    out = {}
    for split in SPLITS:
        rows = []
        template_order: dict[tuple[str, tuple[str, str]], list[str]] = {}
        for qtype, (topics, answers), rnd in schedule(by_split[split], CONJUNCTIVE_QUOTAS[split]):
            _c1, path1, _c2, path2, templates = CONJUNCTIVE_TYPES[qtype]
            order = template_order.setdefault((qtype, topics), rng.sample(templates, len(templates)))
            a, b = (surface_form(rng, g, t, rng.random() < ALT_SURFACE_RATE) for t in topics)
            template = order[rnd % len(order)].replace("{a}", "{e}").replace("{b}", b)
            question = render_question(rng, template, a)
            rows.append({"question": question, "topic": list(topics), "answers": answers,
                         "hops": max(len(path1), len(path2)), "type": qtype})
        rng.shuffle(rows)
        out[split] = rows
    return out


def tsv(rows: list[dict]) -> str:
    """Serialise question rows with full IRIs."""
    lines = [HEADER]
    for r in rows:
        topics = r["topic"] if isinstance(r["topic"], list) else [r["topic"]]
        lines.append("\t".join([r["question"], "|".join(expand(t) for t in topics),
                                "|".join(expand(a) for a in r["answers"]),
                                str(r["hops"]), r["type"]]))
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------
# Checks and statistics
# --------------------------------------------------------------------------

def check_and_report(g: Graph, ttl: str, questions: dict[str, list[dict]]) -> None:
    """Re-parse the output, verify invariants and print corpus statistics."""
    parsed = parse_turtle(ttl)
    expected = {(expand(s), expand(p), expand(o)) for s in g.subjects for p, objs in g.props[s].items()
                for o in objs}
    assert parsed == expected, "Turtle round trip differs from the in-memory graph"
    labels = Counter(s for s, p, _o in parsed if p == PREFIXES["rdfs"] + "label")
    assert all(v == 1 for v in labels.values()), "some node has several rdfs:label"
    entity_iris = {expand(n) for n in g.label}
    assert all(labels[e] == 1 for e in entity_iris)
    assert all(labels[PREFIXES["sv"] + r] == 1 for r in RELATIONS)

    print(f"triples: {len(parsed)}")
    print(f"entities: {len(g.label)}")
    print(f"entities with altLabels: {sum(1 for a in g.alts.values() if a)}")
    print(f"altLabel triples: {sum(len(a) for a in g.alts.values())}")
    print(f"classes: {len(CLASSES)}  relations: {len(RELATIONS)}")
    print("entities per class: " + ", ".join(f"{c}={len(g.of_class(c))}" for c in CLASSES if g.of_class(c)))
    rel_counts = {r: sum(len(v) for v in g.out[r].values()) for r in RELATIONS}
    print("relation triples: " + ", ".join(f"{r}={n}" for r, n in rel_counts.items()))
    degree = Counter()
    for r in RELATIONS:
        for s, objs in g.out[r].items():
            degree[s] += len(objs)
            for o in objs:
                degree[o] += 1
    degs = [degree[n] for n in g.label]
    print(f"relation degree: min={min(degs)} median={statistics.median(degs)} max={max(degs)}; "
          f"nodes with degree 2-20: {sum(2 <= d <= 20 for d in degs)}/{len(degs)}")
    print("top hubs: " + ", ".join(f"{g.label[n]}={d}" for n, d in degree.most_common(6)))
    print(f"ambiguous surface forms: {', '.join(sorted(AMBIGUOUS_FORMS))}")

    seen_pairs: dict[tuple[str, str], str] = {}
    total, non_exact = 0, 0
    banned = ambiguous_entities(g)
    for split, rows in questions.items():
        hop_counts = Counter(r["hops"] for r in rows)
        for r in rows:
            if r["type"] in CONJUNCTIVE_TYPES:
                check_conjunctive(g, banned, r)
                prev = seen_pairs.setdefault((tuple(r["topic"]), r["type"]), split)
                assert prev == split, f"(topics, type) pair in two splits: {r['topic']} {r['type']}"
                total += 1
                non_exact += any(g.label[t] not in r["question"] for t in r["topic"])
                continue
            cls, path, _ = QUESTION_TYPES[r["type"]]
            assert r["topic"] in g.label and r["topic"] not in banned and g.cls[r["topic"]] == cls
            assert sorted(follow(g, r["topic"], path)) == r["answers"], r
            assert all(a in g.label for a in r["answers"]) and 0 < len(r["answers"]) <= MAX_ANSWERS
            assert not re.search(r"[\[\]{}()<>\t]", r["question"]), r["question"]
            prev = seen_pairs.setdefault((r["topic"], r["type"]), split)
            assert prev == split, f"(topic, type) pair in two splits: {r['topic']} {r['type']}"
            total += 1
            non_exact += g.label[r["topic"]] not in r["question"]
        types = len({r["type"] for r in rows})
        conjunctive = sum(r["type"] in CONJUNCTIVE_TYPES for r in rows)
        print(f"{split}: {len(rows)} questions ({conjunctive} with two constraints), {types} types, "
              f"hops 1/2/3 = {hop_counts[1]}/{hop_counts[2]}/{hop_counts[3]}, distinct (topic,type) pairs = "
              f"{len({(str(r['topic']), r['type']) for r in rows})}")
    print(f"questions not using the exact rdfs:label: {non_exact}/{total} = {non_exact / total:.1%}")
    print(f"question types: {len(QUESTION_TYPES)} (" + ", ".join(
        f"{h}-hop={sum(len(p) == h for _c, p, _t in QUESTION_TYPES.values())}" for h in (1, 2, 3)) + ")")
    print(f"two-constraint question types: {len(CONJUNCTIVE_TYPES)} (" + ", ".join(
        f"{h}-hop={sum(max(len(p1), len(p2)) == h for _a, p1, _b, p2, _t in CONJUNCTIVE_TYPES.values())}"
        for h in (1, 2)) + ")")
    print("all topic and answer IRIs exist with one rdfs:label; no (topic,type) pair crosses splits")


def check_conjunctive(g: Graph, banned: set[str], r: dict) -> None:
    """A two-constraint row: its topics, classes and answers, recomputed from the graph."""
    cls1, _p1, cls2, _p2, _t = CONJUNCTIVE_TYPES[r["type"]]
    first, second = r["topic"]
    for topic, cls in ((first, cls1), (second, cls2)):
        assert topic in g.label and topic not in banned and g.cls[topic] == cls, r
    assert sorted(conjunctive_answers(g, r["type"], first, second)) == r["answers"], r
    assert 0 < len(r["answers"]) <= MAX_ANSWERS, r
    assert not re.search(r"[\[\]{}()<>\t]", r["question"]), r["question"]


def main() -> int:
    rng = random.Random(SEED)
    g = build_graph(rng)
    ttl = to_turtle(g)
    questions = build_questions(g, rng)
    for split, rows in build_conjunctive(g).items():
        questions[split].extend(rows)
    (OUT_DIR / "questions").mkdir(parents=True, exist_ok=True)
    (OUT_DIR / "graph.ttl").write_text(ttl, encoding="utf-8", newline="\n")
    for split, rows in questions.items():
        (OUT_DIR / "questions" / f"{split}.tsv").write_text(tsv(rows), encoding="utf-8", newline="\n")
    check_and_report(g, ttl, questions)
    return 0


if __name__ == "__main__":
    sys.exit(main())
