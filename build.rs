//! Bakes the location of libtorch into the binaries' run path, so that `kgqa` and the tests run
//! without LD_LIBRARY_PATH. libtorch comes from the venv `.ci/setup` creates (see .cargo/config.toml).

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-env-changed=LIBTORCH");
    let Some(libtorch) = std::env::var_os("LIBTORCH").map(PathBuf::from) else {
        return;
    };
    let lib = libtorch.join("lib");
    println!("cargo:rustc-link-arg=-Wl,-rpath,{}", lib.display());
}
