//! A tiny HTTP server on a loopback port that answers every request with what a test says (or
//! never answers), and records the requests: for the remote backend's failure modes.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

/// What the server does with one request.
pub enum Reply {
    /// Answers with this status, content type and body, then closes the connection.
    With(u16, &'static str, String),
    /// Answers with these extra header lines too.
    WithHeaders(u16, &'static str, String, Vec<String>),
    /// Reads the request and never answers (the connection stays open).
    Never,
    /// Reads the request and closes the connection without answering (a lost reply).
    Hangup,
}

/// A running fake server.
pub struct FakeServer {
    /// Its base URL, `http://127.0.0.1:PORT`.
    pub url: String,
    requests: Arc<Mutex<Vec<String>>>,
}

impl FakeServer {
    /// Starts a server answering request `n` (0-based; headers and body as text) with `reply`.
    pub fn start(reply: impl Fn(usize, &str) -> Reply + Send + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&requests);
        std::thread::spawn(move || {
            let mut parked = Vec::new();
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let Some(request) = read_request(&mut stream) else {
                    continue;
                };
                let n = {
                    let mut seen = seen.lock().unwrap();
                    seen.push(request.clone());
                    seen.len() - 1
                };
                match reply(n, &request) {
                    Reply::With(status, content_type, body) => {
                        respond(&mut stream, status, content_type, &body, &[])
                    }
                    Reply::WithHeaders(status, content_type, body, headers) => {
                        respond(&mut stream, status, content_type, &body, &headers)
                    }
                    Reply::Never => parked.push(stream),
                    Reply::Hangup => drop(stream),
                }
            }
        });
        Self { url, requests }
    }

    /// The requests received so far.
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

fn read_request(stream: &mut TcpStream) -> Option<String> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut head = String::new();
    let mut length = 0;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        if let Some(value) = line
            .to_ascii_lowercase()
            .strip_prefix("content-length:")
            .map(|v| v.trim().to_owned())
        {
            length = value.parse().unwrap_or(0);
        }
        let end = line == "\r\n";
        head.push_str(&line);
        if end {
            break;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(head + &String::from_utf8_lossy(&body))
}

fn respond(stream: &mut TcpStream, status: u16, content_type: &str, body: &str, extra: &[String]) {
    let mut head = format!(
        "HTTP/1.1 {status} Whatever\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for line in extra {
        head.push_str(line);
        head.push_str("\r\n");
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body.as_bytes());
    let _ = stream.flush();
}
