#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, dead_code)] // test helpers
//! The `wagate` binary as operators run it: a configuration file, its own process, its log on
//! standard output; beside it a code gateway and an OTLP/HTTP collector, both in this process.

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::trace::v1::Span;
use prost::Message;
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Notify;

pub const PORTAL_SECRET: &str = "portal-secret-0123456789-abcdefghijkl";
pub const HOOK_SECRET: &str = "hook-secret-0123456789-abcdefghijklmnop";
pub const KEK: &str = "key-encryption-key-0123456789-abcdefghij";
pub const CALLBACK: &str = "http://127.0.0.1:3000/callback";

/// One request that reached the code gateway.
#[derive(Clone, Debug)]
pub struct Arrival {
    pub traceparent: Option<String>,
    pub to: String,
    pub code: String,
}

/// The operator's code gateway (answers after `delay_ms`) and an OTLP/HTTP trace collector.
#[derive(Default)]
pub struct Outside {
    pub arrivals: Mutex<Vec<Arrival>>,
    pub spans: Mutex<Vec<Span>>,
    pub delay_ms: AtomicU64,
    /// Code requests that reached the gateway (counted before it answers).
    pub entered: AtomicU64,
    changed: Notify,
}

impl Outside {
    /// Waits (at most 10 s) until `done` holds of what arrived.
    pub async fn until<T>(&self, what: &str, done: impl Fn(&Outside) -> Option<T>) -> T {
        tokio::time::timeout(Duration::from_secs(10), async {
            loop {
                let changed = self.changed.notified();
                if let Some(t) = done(self) {
                    return t;
                }
                changed.await;
            }
        })
        .await
        .unwrap_or_else(|_| {
            let spans: Vec<String> = self
                .spans
                .lock()
                .unwrap()
                .iter()
                .map(|s| format!("{} {:?} <- {:?}", s.name, s.span_id, s.parent_span_id))
                .collect();
            panic!("{what} never arrived; spans:\n{}", spans.join("\n"))
        })
    }

    pub async fn code_for(&self, phone: &str) -> Arrival {
        self.until(&format!("a code for {phone}"), |o| {
            o.arrivals
                .lock()
                .unwrap()
                .iter()
                .rev()
                .find(|a| a.to == phone)
                .cloned()
        })
        .await
    }
}

async fn otp(req: HttpRequest, body: web::Bytes, outside: web::Data<Arc<Outside>>) -> HttpResponse {
    outside.entered.fetch_add(1, Ordering::SeqCst);
    outside.changed.notify_waiters();
    let delay = outside.delay_ms.load(Ordering::SeqCst);
    if delay > 0 {
        actix_web::rt::time::sleep(Duration::from_millis(delay)).await;
    }
    let v: Value = serde_json::from_slice(&body).unwrap();
    outside.arrivals.lock().unwrap().push(Arrival {
        traceparent: req
            .headers()
            .get("traceparent")
            .map(|v| v.to_str().unwrap().to_owned()),
        to: v["to"].as_str().unwrap().to_owned(),
        code: v["code"].as_str().unwrap().to_owned(),
    });
    outside.changed.notify_waiters();
    HttpResponse::Ok().finish()
}

async fn traces(body: web::Bytes, outside: web::Data<Arc<Outside>>) -> HttpResponse {
    let Ok(export) = ExportTraceServiceRequest::decode(body.as_ref()) else {
        return HttpResponse::BadRequest().finish();
    };
    let spans = export
        .resource_spans
        .into_iter()
        .flat_map(|r| r.scope_spans)
        .flat_map(|s| s.spans);
    outside.spans.lock().unwrap().extend(spans);
    outside.changed.notify_waiters();
    HttpResponse::Ok()
        .content_type("application/x-protobuf")
        .finish()
}

/// Starts the gateway and the collector; their base URL.
pub async fn outside() -> (Arc<Outside>, String) {
    let outside = Arc::new(Outside::default());
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let data = web::Data::new(outside.clone());
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .route("/otp", web::post().to(otp))
            .route("/v1/traces", web::post().to(traces))
    })
    .workers(1)
    .listen(listener)
    .unwrap()
    .run();
    tokio::spawn(server);
    (outside, url)
}

/// A free port on the loopback (the issuer must name it before wagate starts).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A configuration for one instance on `port`: codes to the gateway at `outside`, traces to
/// the collector there, JSON logs at debug level.
pub fn config(port: u16, ops: u16, outside: &str, extra: &str) -> String {
    format!(
        r#"
issuer = "http://127.0.0.1:{port}"
[http]
listen = "127.0.0.1:{port}"
trusted_proxies = ["127.0.0.1"]
[ops]
listen = "127.0.0.1:{ops}"
[delivery]
channel = "webhook"
webhook_url = "{outside}/otp"
webhook_secret = "{HOOK_SECRET}"
[signing]
key_encryption_key = "{KEK}"
[totp]
enabled = false
[log]
format = "json"
level = "debug"
[telemetry]
enabled = true
endpoint = "{outside}"
{extra}
[[clients]]
client_id = "portal"
client_secret = "{PORTAL_SECRET}"
redirect_uris = ["{CALLBACK}"]
"#
    )
}

pub fn write(name: &str, text: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "{name}-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("wagate.toml");
    std::fs::write(&path, text).unwrap();
    path
}

static NEXT: AtomicU64 = AtomicU64::new(0);

/// A running `wagate serve`, its log lines as they come.
pub struct Wagate {
    child: Child,
    pub base: String,
    pub ops: String,
    lines: Arc<Mutex<Vec<String>>>,
    line: Arc<Notify>,
}

impl Wagate {
    pub async fn start(config: &std::path::Path, port: u16, ops: u16) -> Wagate {
        let wagate = Wagate::spawn(config, port, ops);
        wagate.log_line("wagate is serving").await;
        wagate
    }

    /// For a log level that keeps the start quiet: ready once the ops listener answers (a
    /// process starting is polled, at most 10 s).
    pub async fn start_quiet(config: &std::path::Path, port: u16, ops: u16) -> Wagate {
        let wagate = Wagate::spawn(config, port, ops);
        let live = format!("{}/healthz/live", wagate.ops);
        tokio::time::timeout(Duration::from_secs(10), async {
            while reqwest::get(&live).await.is_err() {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
        .await
        .expect("wagate answers within 10 s");
        wagate
    }

    fn spawn(config: &std::path::Path, port: u16, ops: u16) -> Wagate {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_wagate"));
        for (key, _) in std::env::vars() {
            if key.starts_with("WAGATE") || key.starts_with("OTEL_") || key == "RUST_LOG" {
                cmd.env_remove(key);
            }
        }
        // Spans leave in batches; a short delay keeps the test short.
        cmd.env("OTEL_BSP_SCHEDULE_DELAY", "100");
        let mut child = cmd
            .arg("serve")
            .arg("--config")
            .arg(config)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let lines = Arc::new(Mutex::new(Vec::new()));
        let line = Arc::new(Notify::new());
        let (l, n) = (lines.clone(), line.clone());
        std::thread::spawn(move || {
            for text in BufReader::new(stdout).lines() {
                let Ok(text) = text else { break };
                l.lock().unwrap().push(text);
                n.notify_waiters();
            }
        });
        Wagate {
            child,
            base: format!("http://127.0.0.1:{port}"),
            ops: format!("http://127.0.0.1:{ops}"),
            lines,
            line,
        }
    }

    /// Waits (at most 10 s) for a log line containing `needle`, after `skip` lines; its index.
    pub async fn log_line_after(&self, skip: usize, needle: &str) -> usize {
        tokio::time::timeout(Duration::from_secs(10), async {
            loop {
                let arrived = self.line.notified();
                if let Some(i) = self
                    .lines
                    .lock()
                    .unwrap()
                    .iter()
                    .skip(skip)
                    .position(|l| l.contains(needle))
                {
                    return skip + i;
                }
                arrived.await;
            }
        })
        .await
        .unwrap_or_else(|_| panic!("no log line with {needle:?}:\n{}", self.log().join("\n")))
    }

    pub async fn log_line(&self, needle: &str) -> usize {
        self.log_line_after(0, needle).await
    }

    pub fn log(&self) -> Vec<String> {
        self.lines.lock().unwrap().clone()
    }

    pub fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .arg(format!("-{name}"))
            .arg(self.child.id().to_string())
            .status()
            .unwrap();
        assert!(status.success());
    }

    pub async fn metrics(&self) -> String {
        reqwest::get(format!("{}/metrics", self.ops))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }
}

impl Drop for Wagate {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A person's browser: cookies kept, redirects not followed.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// An authorization request by `client_id`, back to `redirect`.
pub fn authorization(
    http: &reqwest::Client,
    base: &str,
    client_id: &str,
    redirect: &str,
) -> reqwest::RequestBuilder {
    http.get(format!("{base}/authorize")).query(&[
        ("client_id", client_id),
        ("redirect_uri", redirect),
        ("response_type", "code"),
        ("scope", "openid phone"),
        ("state", "s"),
        ("nonce", "n"),
    ])
}

/// Opens a login for the portal in `browser`; the flow's URL.
pub async fn open_login(base: &str, browser: &reqwest::Client) -> String {
    let res = authorization(browser, base, "portal", CALLBACK)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    format!("{base}{}", res.headers()["location"].to_str().unwrap())
}

/// The value of the sample `name` (with its labels, as printed) in a scrape, if any.
pub fn sample(scrape: &str, name: &str) -> Option<f64> {
    scrape
        .lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
}
