//! A private Virtuoso server for the remote-backend tests: installed from Debian's
//! `virtuoso-opensource` when missing, started on free loopback ports with its own database in a
//! temporary directory, and stopped when dropped.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running Virtuoso instance.
pub struct Virtuoso {
    child: Child,
    dir: tempfile::TempDir,
    sql_port: u16,
    http_port: u16,
}

impl Virtuoso {
    /// Installs (if needed) and starts a server, or says why it cannot.
    pub fn start() -> Result<Self, String> {
        let server = install()?;
        let dir = tempfile::tempdir().map_err(|e| format!("no temporary directory: {e}"))?;
        let (sql_port, http_port) = (free_port()?, free_port()?);
        let ini = dir.path().join("virtuoso.ini");
        std::fs::write(&ini, config(dir.path(), sql_port, http_port))
            .map_err(|e| format!("cannot write {}: {e}", ini.display()))?;
        let log = std::fs::File::create(dir.path().join("server.log"))
            .map_err(|e| format!("cannot create the server log: {e}"))?;
        let child = Command::new(&server)
            .arg("+configfile")
            .arg(&ini)
            .arg("+foreground")
            .current_dir(dir.path())
            .stdin(Stdio::null())
            .stdout(log.try_clone().map_err(|e| e.to_string())?)
            .stderr(log)
            .spawn()
            .map_err(|e| format!("cannot run {}: {e}", server.display()))?;
        let mut virtuoso = Self {
            child,
            dir,
            sql_port,
            http_port,
        };
        virtuoso.wait_until_ready(Duration::from_secs(90))?;
        // Anonymous SPARQL users may read only; this private instance lets them write.
        virtuoso.isql("GRANT SPARQL_UPDATE TO \"SPARQL\";")?;
        Ok(virtuoso)
    }

    /// The SPARQL query (and update) endpoint.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}/sparql", self.http_port)
    }

    /// The SPARQL 1.1 Graph Store Protocol endpoint.
    pub fn graph_store(&self) -> String {
        format!("http://127.0.0.1:{}/sparql-graph-crud", self.http_port)
    }

    /// Runs SQL through `isql-vt` as the database administrator.
    pub fn isql(&self, sql: &str) -> Result<String, String> {
        let output = Command::new(isql_program())
            .arg(format!("127.0.0.1:{}", self.sql_port))
            .args(["dba", "dba"])
            .arg(format!("exec={sql}"))
            .output()
            .map_err(|e| format!("cannot run isql-vt: {e}"))?;
        let text = String::from_utf8_lossy(&output.stdout).into_owned()
            + &String::from_utf8_lossy(&output.stderr);
        if output.status.success() && !text.contains("*** Error") {
            Ok(text)
        } else {
            Err(format!("isql `{sql}` failed: {text}"))
        }
    }

    fn wait_until_ready(&mut self, limit: Duration) -> Result<(), String> {
        let started = Instant::now();
        let agent = ureq::AgentBuilder::new()
            .timeout(Duration::from_secs(5))
            .build();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!(
                    "virtuoso-t exited ({status}) before it was ready: {}",
                    self.log_tail()
                ));
            }
            let ready = agent
                .post(&self.endpoint())
                .set("Accept", "application/sparql-results+json")
                .send_form(&[("query", "ASK {}")])
                .is_ok();
            if ready {
                return Ok(());
            }
            if started.elapsed() > limit {
                return Err(format!(
                    "virtuoso-t was not ready within {} s: {}",
                    limit.as_secs(),
                    self.log_tail()
                ));
            }
            std::thread::sleep(Duration::from_millis(250));
        }
    }

    fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(5)..].join(" | ")
    }
}

impl Drop for Virtuoso {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The Virtuoso server binary, installing Debian's package when it is missing.
fn install() -> Result<PathBuf, String> {
    if let Some(server) = which("virtuoso-t") {
        return Ok(server);
    }
    eprintln!("virtuoso-t is missing: installing virtuoso-opensource with apt-get");
    let root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false);
    let apt = |args: &[&str]| {
        let mut command = if root {
            Command::new("apt-get")
        } else {
            let mut sudo = Command::new("sudo");
            sudo.args(["-n", "apt-get"]);
            sudo
        };
        command
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .stdout(Stdio::null())
            .status()
            .map(|s| s.success())
            .unwrap_or(false)
    };
    if !(apt(&["update", "-qq"]) && apt(&["install", "-y", "-qq", "virtuoso-opensource"])) {
        return Err("virtuoso-opensource could not be installed with apt-get".to_owned());
    }
    which("virtuoso-t").ok_or_else(|| "virtuoso-t is still missing after install".to_owned())
}

fn isql_program() -> PathBuf {
    which("isql-vt").unwrap_or_else(|| PathBuf::from("isql-vt"))
}

fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/bin"), PathBuf::from("/usr/sbin")])
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

fn free_port() -> Result<u16, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free loopback port: {e}"))
}

/// `tests/fixtures/virtuoso.ini` (shared with `.ci/bench-remote`) for a server in `dir`.
fn config(dir: &Path, sql_port: u16, http_port: u16) -> String {
    include_str!("../fixtures/virtuoso.ini")
        .replace("{DIR}", &dir.display().to_string())
        .replace("{SQL_PORT}", &sql_port.to_string())
        .replace("{HTTP_PORT}", &http_port.to_string())
}
