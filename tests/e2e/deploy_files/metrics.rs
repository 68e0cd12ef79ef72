//! Every metric the dashboard and the rules read is exposed on a running wagate's /metrics.

use super::{
    array, dashboard, dashboard_expressions, output_text, rule_groups, scratch, str_at,
    this_test_name, tool,
};
use crate::support::*;
use actix_web::{App, HttpResponse, HttpServer, web};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Command, ExitCode};
use std::sync::Arc;
use std::time::Duration;
use wagate_dev::whatsapp::{FakeWhatsApp, FakeWhatsAppSettings};
use wagate_server::cli::{Cli, Command as WagateCommand};
use wagate_storage::Secret;

/// Series Prometheus makes itself: never on wagate's /metrics.
const PROMETHEUS_OWN: &[&str] = &["up", "ALERTS"];

/// Set in a child process of this test binary, to a configuration file: the child runs
/// `wagate serve --config FILE` (the binary's own command) instead of the test.
const SERVE_CHILD: &str = "E2E_DEPLOY_SERVE_CONFIG_FILE";

/// A family appears on /metrics with its first sample, and call timings only under `serve`'s
/// own telemetry: so this runs `wagate serve` itself, production-shaped (Redis, WhatsApp with
/// an SMS webhook behind it, the event webhook, the rules against abuse, prices), drives what
/// makes each family count, then reads its /metrics.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_metric_the_dashboard_and_the_rules_read_is_exposed() {
    if let Some(file) = std::env::var_os(SERVE_CHILD) {
        let code = wagate_server::cli::run(Cli {
            command: WagateCommand::Serve {
                config: Some(file.into()),
            },
        })
        .await;
        std::process::exit(if code == ExitCode::SUCCESS { 0 } else { 1 });
    }

    // What the dashboard and the rules read.
    let groups = rule_groups();
    let recorded: BTreeSet<String> = groups
        .iter()
        .flat_map(|g| array(g, "/rules"))
        .filter_map(|r| r["record"].as_str().map(str::to_owned))
        .collect();
    let mut read: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let dashboard = dashboard();
    let mut expressions = dashboard_expressions(&dashboard);
    for group in &groups {
        for rule in array(group, "/rules") {
            let name = rule["record"].as_str().or(rule["alert"].as_str()).unwrap();
            expressions.push((format!("rule {name}"), str_at(rule, "/expr").to_owned()));
        }
    }
    for (place, expr) in expressions {
        for name in metric_names(&expr) {
            read.entry(name).or_default().insert(place.clone());
        }
    }
    assert!(
        read.contains_key("wagate_http_requests_total"),
        "the expressions were read: {read:?}"
    );

    let wagate = Served::start().await;
    wagate.drive().await;

    // Some families count after the fact (event deliveries retry, reports arrive): look again
    // for a while before failing.
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let (exposed, missing) = loop {
        let exposed = exposed_names(&wagate.metrics().await);
        let missing: Vec<String> = read
            .iter()
            .filter(|(name, _)| {
                !exposed.contains(*name)
                    && !recorded.contains(*name)
                    && !PROMETHEUS_OWN.contains(&name.as_str())
            })
            .map(|(name, places)| {
                let places: Vec<&str> = places.iter().map(String::as_str).collect();
                format!("{name} (read by {})", places.join("; "))
            })
            .collect();
        if missing.is_empty() || std::time::Instant::now() > deadline {
            break (exposed, missing);
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    assert!(
        missing.is_empty(),
        "read by the dashboard or the rules but not on wagate's /metrics (nor recorded by a rule):\n  {}\n\nwagate exposes: {}",
        missing.join("\n  "),
        exposed
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(" ")
    );
}

const WHATSAPP_TOKEN: &str = "deploy-whatsapp-access-token";
const WHATSAPP_APP_SECRET: &str = "deploy-whatsapp-app-secret-0123456789";
const WHATSAPP_NUMBER_ID: &str = "106540352242922";

/// `wagate serve` in a child process, with the fakes it talks to in this one.
struct Served {
    child: std::process::Child,
    dir: PathBuf,
    public: String,
    ops: String,
    whatsapp: Arc<FakeWhatsApp>,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = fs::remove_dir_all(&self.dir);
    }
}

impl Served {
    async fn start() -> Served {
        let whatsapp = Arc::new(FakeWhatsApp::new(FakeWhatsAppSettings {
            phone_number_id: WHATSAPP_NUMBER_ID.into(),
            access_token: Secret::new(WHATSAPP_TOKEN),
            app_secret: Secret::new(WHATSAPP_APP_SECRET),
            callback_url: None,
            status_delay: Some(Duration::from_millis(20)),
            late_delay: Duration::from_secs(600),
        }));
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let whatsapp_url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(wagate_dev::serve_fake_whatsapp(listener, whatsapp.clone()).unwrap());
        // The SMS gateway behind the fallback webhook takes everything.
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let gateway = format!("http://{}/otp", listener.local_addr().unwrap());
        let server = HttpServer::new(|| {
            App::new().default_service(web::to(|| async { HttpResponse::NoContent().finish() }))
        })
        .workers(1)
        .disable_signals()
        .listen(listener)
        .unwrap()
        .run();
        tokio::spawn(server);
        // Free ports for the child's listeners; nobody listens on the event receiver's.
        let [public, ops, nobody] = [(); 3].map(|()| {
            TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port()
        });
        let dir = scratch("serve");
        let config = dir.join("wagate.toml");
        let prefix = redis_prefix();
        fs::write(
            &config,
            format!(
                r#"issuer = "http://127.0.0.1:{public}"
[http]
listen = "127.0.0.1:{public}"
workers = 1
[ops]
listen = "127.0.0.1:{ops}"
[storage]
backend = "redis"
url = "redis://127.0.0.1:6379"
key_prefix = "{prefix}"
[signing]
key_encryption_key = "deploy-files-key-encryption-key-0123456789"
[totp]
encryption_key = "{TOTP_KEY}"
[delivery]
channel = "whatsapp"
fallback = "webhook"
webhook_url = "{gateway}"
webhook_secret = "{HOOK_SECRET}"
webhook_medium = "sms"
[delivery.whatsapp]
phone_number_id = "{WHATSAPP_NUMBER_ID}"
access_token = "{WHATSAPP_TOKEN}"
app_secret = "{WHATSAPP_APP_SECRET}"
verify_token = "deploy-verify-token"
api_base_url = "{whatsapp_url}"
[fraud]
sends_per_hour = 3
countries = {{ NG = "deny" }}
[costs.channels.whatsapp]
per_message = 0.03
[events]
webhook_url = "http://127.0.0.1:{nobody}/events"
webhook_secret = "deploy-files-events-secret-0123456789"
[log]
level = "warn"
[[clients]]
client_id = "portal"
client_secret = "{PORTAL_SECRET}"
redirect_uris = ["{CALLBACK}"]
"#
            ),
        )
        .unwrap();
        let mut command = Command::new(std::env::current_exe().unwrap());
        command
            .arg(this_test_name(
                module_path!(),
                "every_metric_the_dashboard_and_the_rules_read_is_exposed",
            ))
            .args(["--exact", "--nocapture", "--test-threads=1"])
            .env(SERVE_CHILD, &config)
            .stdout(fs::File::create(dir.join("stdout")).unwrap())
            .stderr(fs::File::create(dir.join("stderr")).unwrap());
        for (key, _) in std::env::vars() {
            if key.starts_with("WAGATE") || key == "RUST_LOG" {
                command.env_remove(key);
            }
        }
        let mut served = Served {
            child: command.spawn().unwrap(),
            dir,
            public: format!("http://127.0.0.1:{public}"),
            ops: format!("http://127.0.0.1:{ops}"),
            whatsapp,
        };
        served
            .whatsapp
            .set_callback_url(Some(format!("{}/hooks/whatsapp", served.public)));
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        loop {
            let ready = rp_http()
                .get(format!("{}/healthz/ready", served.ops))
                .send()
                .await
                .is_ok_and(|r| r.status() == 200);
            if ready {
                break served;
            }
            let exited = served.child.try_wait().unwrap();
            assert!(
                exited.is_none() && std::time::Instant::now() < deadline,
                "wagate serve did not become ready ({exited:?}):\n{}",
                served.log()
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    fn log(&self) -> String {
        ["stdout", "stderr"]
            .iter()
            .map(|f| fs::read_to_string(self.dir.join(f)).unwrap_or_default())
            .collect()
    }

    async fn metrics(&self) -> String {
        rp_http()
            .get(format!("{}/metrics", self.ops))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// A login opened by the portal: the browser and the flow's URL.
    async fn open(&self) -> (reqwest::Client, String) {
        let url = url::Url::parse_with_params(
            &format!("{}/authorize", self.public),
            [
                ("response_type", "code"),
                ("client_id", "portal"),
                ("redirect_uri", CALLBACK),
                ("scope", "openid phone"),
                ("state", "deploy-files"),
                ("nonce", "deploy-files"),
            ],
        )
        .unwrap();
        let browser = browser();
        let flow = open_flow(&browser, url.as_str()).await;
        (browser, flow)
    }

    async fn phone_step(&self, phone: &str) -> (u16, Value) {
        let (browser, flow) = self.open().await;
        post_json(&browser, &format!("{flow}/phone"), json!({"phone": phone})).await
    }

    /// What makes every family of the dashboard count.
    async fn drive(&self) {
        // A login by WhatsApp with its delivery report, redeemed by the portal: HTTP, the
        // funnel, WhatsApp and its webhook, storage, security events (and their webhook, which
        // nobody answers), tokens.
        let (browser, flow) = self.open().await;
        let phone = fresh_phone();
        let (status, body) =
            post_json(&browser, &format!("{flow}/phone"), json!({"phone": phone})).await;
        assert_eq!(status, 200, "{body}");
        let message = self
            .whatsapp
            .last_message(&phone)
            .expect("sent by WhatsApp");
        let report = self
            .whatsapp
            .wait_posted(&message.id, "delivered", Duration::from_secs(10))
            .await;
        assert_eq!(report, Some(200), "wagate takes the delivery report");
        let (status, done) = post_json(
            &browser,
            &format!("{flow}/code"),
            json!({"code": message.code}),
        )
        .await;
        assert_eq!(status, 200, "{done}");
        let back = url::Url::parse(done["redirect_to"].as_str().unwrap()).unwrap();
        let code = query(&back, "code").unwrap();
        let (status, tokens) = client_post_at(
            &self.public,
            "/token",
            PORTAL,
            &[
                ("grant_type", "authorization_code"),
                ("code", code.as_str()),
                ("redirect_uri", CALLBACK),
            ],
        )
        .await;
        assert_eq!(status, 200, "{tokens}");

        // A number WhatsApp cannot reach: the SMS fallback.
        let pid = u64::from(std::process::id()) % 100;
        let unreachable = format!("+447400{pid:02}{}", wagate_dev::whatsapp::NOT_ON_WHATSAPP);
        let (status, body) = self.phone_step(&unreachable).await;
        assert_eq!((status, &body["channel"]), (200, &json!("sms")), "{body}");

        // A denied country, then sends past the overall hourly cap (3).
        let (status, body) = self.phone_step("+2348031234567").await;
        assert_eq!(status, 400, "{body}");
        let mut challenged = false;
        for _ in 0..3 {
            let (status, body) = self.phone_step(&fresh_phone()).await;
            challenged |= body["error"] == "challenge_required";
            assert!(status == 200 || challenged, "{status} {body}");
        }
        assert!(challenged, "the overall cap asks for a proof of work");

        // `systemctl reload`: SIGHUP, and the configuration is read again.
        let hangup = tool(
            Command::new("kill")
                .arg("-HUP")
                .arg(self.child.id().to_string()),
            "Debian's package `procps` has it: apt-get install procps",
        );
        assert!(hangup.status.success(), "{}", output_text(&hangup));
    }
}

#[test]
fn metric_names_are_read_out_of_promql() {
    assert_eq!(
        metric_names(
            r#"histogram_quantile(0.99, sum by (le, route) (rate(wagate_http_request_duration_seconds_bucket{route="/login/{flow}/phone", instance=~"$instance"}[$__rate_interval])))"#
        ),
        ["wagate_http_request_duration_seconds_bucket"]
    );
    assert_eq!(
        metric_names(
            "time() - max by (alg) (wagate_key_seconds) > 90 * 86400 or up{job='wagate'} == 0 \
             unless on (instance) group_left wagate:x:rate5m offset 1d and ALERTS"
        ),
        ["wagate_key_seconds", "up", "wagate:x:rate5m", "ALERTS"]
    );
    let exposed = exposed_names(
        "# TYPE wagate_a counter\n# TYPE wagate_b histogram\n# TYPE process_open_fds gauge\n\
         # TYPE wagate_c info\nwagate_a_total{x=\"1\"} 2\n# EOF\n",
    );
    for name in [
        "wagate_a_total",
        "wagate_b_bucket",
        "wagate_b_count",
        "wagate_b_sum",
        "process_open_fds",
        "wagate_c_info",
    ] {
        assert!(exposed.contains(name), "{name} in {exposed:?}");
    }
    assert!(!exposed.contains("wagate_a") && !exposed.contains("wagate_b"));
}

/// Sample names a scrape of this exposition gives Prometheus: a family's `# TYPE` line says
/// which (a counter `x` gives `x_total`, a histogram `x_bucket`, `x_count`, `x_sum`), even before
/// its first sample; sample lines add their own names.
fn exposed_names(exposition: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for line in exposition.lines() {
        if let Some(declared) = line.strip_prefix("# TYPE ") {
            let mut words = declared.split_whitespace();
            let (Some(family), Some(kind)) = (words.next(), words.next()) else {
                continue;
            };
            let suffixes: &[&str] = match kind {
                "counter" => &["_total", "_created"],
                "histogram" => &["_bucket", "_count", "_sum", "_created"],
                "gaugehistogram" => &["_bucket", "_gcount", "_gsum"],
                "summary" => &["", "_count", "_sum", "_created"],
                "info" => &["_info"],
                _ => &[""],
            };
            for suffix in suffixes {
                names.insert(format!("{family}{suffix}"));
            }
        } else if !line.starts_with('#') && !line.trim().is_empty() {
            let end = line.find(['{', ' ']).unwrap_or(line.len());
            names.insert(line[..end].to_owned());
        }
    }
    names
}

/// The metric names a PromQL expression reads. Skips strings, label matchers, ranges, the label
/// lists of by/without/on/ignoring/group_left/group_right, functions (a name before `(`),
/// keywords, numbers, durations and Grafana's `$variables`.
fn metric_names(expr: &str) -> Vec<String> {
    const LABEL_LISTS: &[&str] = &[
        "by",
        "without",
        "on",
        "ignoring",
        "group_left",
        "group_right",
    ];
    const KEYWORDS: &[&str] = &[
        "sum",
        "min",
        "max",
        "avg",
        "group",
        "stddev",
        "stdvar",
        "count",
        "count_values",
        "bottomk",
        "topk",
        "quantile",
        "limitk",
        "limit_ratio",
        "and",
        "or",
        "unless",
        "atan2",
        "offset",
        "bool",
        "inf",
        "nan",
    ];
    let chars: Vec<char> = expr.chars().collect();
    let word_char = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == ':';
    let mut names = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if matches!(c, '"' | '\'' | '`') {
            i = after_string(&chars, i);
        } else if c == '{' {
            i = after_group(&chars, i, '}');
        } else if c == '[' {
            i = after_group(&chars, i, ']');
        } else if c == '$' {
            i += 1;
            if chars.get(i) == Some(&'{') {
                i = after_group(&chars, i, '}');
            } else {
                while i < chars.len() && word_char(chars[i]) {
                    i += 1;
                }
            }
        } else if c.is_ascii_digit() || c == '.' {
            // Numbers and durations: 0.99, 1e3, 5m, 1h30m.
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '.') {
                i += 1;
            }
        } else if c.is_ascii_alphabetic() || c == '_' || c == ':' {
            let start = i;
            while i < chars.len() && word_char(chars[i]) {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let next = chars[i..].iter().copied().find(|c| !c.is_whitespace());
            if LABEL_LISTS.contains(&word.as_str()) {
                if next == Some('(') {
                    let open = i + chars[i..].iter().position(|c| *c == '(').unwrap_or(0);
                    i = after_group(&chars, open, ')');
                }
            } else if !KEYWORDS.contains(&word.as_str()) && next != Some('(') {
                names.push(word);
            }
        } else {
            i += 1;
        }
    }
    names
}

/// The index after the string literal that starts at `start`.
fn after_string(chars: &[char], start: usize) -> usize {
    let quote = chars[start];
    let mut i = start + 1;
    while i < chars.len() {
        match chars[i] {
            '\\' if quote != '`' => i += 2,
            c if c == quote => return i + 1,
            _ => i += 1,
        }
    }
    i
}

/// The index after the `close` that ends the group opened at `start`, strings skipped.
fn after_group(chars: &[char], start: usize, close: char) -> usize {
    let mut i = start + 1;
    while i < chars.len() {
        match chars[i] {
            '"' | '\'' | '`' => i = after_string(chars, i),
            c if c == close => return i + 1,
            _ => i += 1,
        }
    }
    i
}
