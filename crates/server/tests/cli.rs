#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers outside #[test] fns
//! The `wagate` binary itself: check-config, environment overrides, and `serve` on embedded
//! defaults with a graceful stop.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn wagate() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wagate"));
    cmd.current_dir(repo_root());
    for (key, _) in std::env::vars() {
        if key.starts_with("WAGATE") || key == "RUST_LOG" {
            cmd.env_remove(key);
        }
    }
    cmd
}

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn write_config(name: &str, text: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn check_config_reports_every_problem_at_once() {
    let path = write_config(
        "broken.toml",
        r#"
issuer = "not a url"
colour = "blue"
[http]
listen = "everywhere"
[delivery]
channel = "webhook"
[[clients]]
client_id = "portal"
client_secret = "too-short"
redirect_uris = ["/callback", "https://ok.example/cb"]
"#,
    );
    let out = wagate().arg("check-config").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = stderr(&out);
    for needle in [
        "unknown key colour",
        "issuer: \"not a url\" is not an absolute URL",
        "http.listen",
        "delivery.webhook_url: required",
        "delivery.webhook_secret: required",
        "\"/callback\" is not an absolute URI",
        "at least 32 characters",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
}

#[test]
fn machine_clients_and_the_event_webhook_are_checked() {
    let path = write_config(
        "machines.toml",
        r#"
[events]
webhook_url = "ftp://siem.example.com/in"
include_phone = true
[[clients]]
client_id = "public-machine"
grant_types = ["client_credentials"]
scopes = ["wagate:admin.everything"]
[[clients]]
client_id = "portal"
client_secret = "portal-secret-0123456789-abcdefghijkl"
redirect_uris = ["https://ok.example/cb"]
scopes = ["wagate:admin.read"]
"#,
    );
    let out = wagate().arg("check-config").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = stderr(&out);
    for needle in [
        "events.webhook_url: needs events.webhook_secret",
        "(public-machine): client_credentials needs a client_secret",
        "\"wagate:admin.everything\" is not one of wagate:admin.read, wagate:admin.write",
        "(portal).scopes: only for clients with the client_credentials grant",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
    assert!(
        !text.contains("public-machine).redirect_uris"),
        "a machine client needs no redirect URI:\n{text}"
    );
}

#[test]
fn the_example_configurations_are_valid() {
    for file in ["config/wagate.example.toml", "config/minimal.toml"] {
        let out = wagate().arg("check-config").arg(file).output().unwrap();
        assert!(out.status.success(), "{file}: {}", stderr(&out));
    }
}

#[test]
fn operator_commands_refuse_storage_they_cannot_share() {
    let out = wagate()
        .args([
            "users",
            "remove-authenticator",
            "--phone",
            "+14155550100",
            "--config",
            "config/minimal.toml",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = stderr(&out);
    assert!(text.contains("needs shared storage"), "{text}");
}

#[test]
fn environment_overrides_and_secret_files() {
    let out = wagate()
        .args(["check-config", "config/minimal.toml"])
        .env("WAGATE__LOGIN__CODE_LENGTH", "4")
        .env(
            "WAGATE__DELIVERY__WEBHOOK_SECRET_FILE",
            "/nonexistent/secret",
        )
        .env("WAGATE__LOGIN__TYPO", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = stderr(&out);
    assert!(text.contains("login.code_length"), "{text}");
    assert!(text.contains("/nonexistent/secret"), "{text}");
    assert!(text.contains("WAGATE__LOGIN__TYPO"), "{text}");

    let secret = write_config("webhook.secret", "a-secret-from-a-file-0123\n");
    let out = wagate()
        .args(["check-config", "config/minimal.toml"])
        .env("WAGATE__DELIVERY__WEBHOOK_SECRET_FILE", &secret)
        .env("WAGATE__LOGIN__CODE_LENGTH", "8")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn serve_without_a_file_runs_embedded_defaults_and_stops_on_sigterm() {
    let mut child = wagate()
        .arg("serve")
        .env("WAGATE__HTTP__LISTEN", "127.0.0.1:0")
        .env("WAGATE__OPS__LISTEN", "127.0.0.1:0")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    assert!(first.contains("embedded defaults"), "{first}");
    let serving = lines
        .by_ref()
        .map(Result::unwrap)
        .find(|l| l.contains("wagate is serving"))
        .expect("the server reports it is serving");
    let addr = serving
        .split_whitespace()
        .find_map(|w| w.strip_prefix("listen="))
        .unwrap()
        .to_owned();

    let mut stream = TcpStream::connect(&addr).unwrap();
    write!(
        stream,
        "GET /.well-known/openid-configuration HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"issuer\":\"http://127.0.0.1:8080\""));

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    assert!(child.wait().unwrap().success(), "a graceful stop exits 0");
}

/// Starts `wagate serve --config path` on free ports and returns its log up to "serving",
/// then stops it.
fn serve_log(path: &std::path::Path) -> Vec<String> {
    let mut child = wagate()
        .args(["serve", "--config"])
        .arg(path)
        .env("WAGATE__HTTP__LISTEN", "127.0.0.1:0")
        .env("WAGATE__OPS__LISTEN", "127.0.0.1:0")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut log = Vec::new();
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        let line = line.unwrap();
        let serving = line.contains("wagate is serving") || line.contains("nothing started");
        log.push(line);
        if serving {
            break;
        }
    }
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let _ = child.wait();
    log
}

fn with_mode(name: &str, text: &str, mode: u32) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = write_config(name, text);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    path
}

#[test]
fn shared_keys_in_redis_start_without_a_false_warning_and_loose_secret_files_are_named() {
    let kek = with_mode(
        "loose-kek.secret",
        "a-key-encryption-key-of-32-chars-or-more\n",
        0o644,
    );
    let totp = with_mode(
        "tight-totp.secret",
        "a-totp-key-of-32-characters-or-more!!\n",
        0o600,
    );
    let config = write_config(
        "redis-shared-keys.toml",
        &format!(
            r#"
[storage]
backend = "redis"
url = "redis://127.0.0.1:6379"
key_prefix = "wagate-test:cli:{}:"
[signing]
key_encryption_key_file = "{}"
[totp]
encryption_key_file = "{}"
"#,
            std::process::id(),
            kek.display(),
            totp.display()
        ),
    );
    let log = serve_log(&config);
    let text = log.join("\n");
    assert!(text.contains("wagate is serving"), "{text}");
    assert!(
        !text.contains("tokens will not verify after a restart"),
        "{text}"
    );
    let loose = format!("{} can be read by other users (mode 0644)", kek.display());
    assert!(text.contains(&loose), "{text}");
    assert!(!text.contains(&totp.display().to_string()), "{text}");

    let out = wagate().arg("check-config").arg(&config).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains(&loose), "{}", stderr(&out));
}

#[test]
fn a_syntax_error_never_shows_the_secret_on_its_line() {
    let config = write_config(
        "secret-syntax.toml",
        "[delivery]\nchannel = \"webhook\"\nwebhook_url = \"https://gw.example/otp\"\nwebhook_secret = \"do-not-print-me\\q\"\n",
    );
    let out = wagate().arg("check-config").arg(&config).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = stderr(&out);
    assert!(text.contains("line 4, column"), "{text}");
    assert!(!text.contains("do-not-print-me"), "{text}");
    let log = serve_log(&config).join("\n");
    assert!(log.contains("line 4, column"), "{log}");
    assert!(!log.contains("do-not-print-me"), "{log}");
}

#[test]
fn url_settings_are_parsed_not_guessed() {
    let config = write_config(
        "bad-urls.toml",
        r#"
[delivery]
channel = "webhook"
webhook_url = "http://gateway.internal/otp"
webhook_secret = "a-webhook-secret-of-enough-length"
[[clients]]
client_id = "portal"
client_secret = "a-client-secret-of-32-characters-x"
redirect_uris = ["https://portal.example/cb"]
backchannel_logout_uri = "https.internal:/logout"
allowed_origins = ["https://portal.example/app", "https://ok.example"]
[totp]
enabled = false
"#,
    );
    let out = wagate().arg("check-config").arg(&config).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = stderr(&out);
    for needle in [
        "delivery.webhook_url: must use https",
        "backchannel_logout_uri: \"https.internal:/logout\" must use https",
        "allowed_origins: \"https://portal.example/app\" must be an origin only",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
    assert!(!text.contains("ok.example"), "{text}");
}
