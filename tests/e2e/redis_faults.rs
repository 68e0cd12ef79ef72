//! Redis going wrong under running instances: restarted empty, stale connections, stalls.

use crate::support::*;
use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use wagate_server::config::Config;

/// A full login with every step on `at` (as a load balancer may send one person), for the
/// portal of `issuer`; returns the token response.
async fn login_on(at: &TestServer, issuer: &TestServer) -> Value {
    let portal = rp(issuer, "portal", Some(PORTAL_SECRET)).await;
    let pending = authorize_url(&portal, false, &[]);
    let url = pending.url.replace(&issuer.public, &at.public);
    let b = browser();
    let flow = open_flow(&b, &url).await;
    let phone = fresh_phone();
    let code = send_code(at, &b, &flow, &phone).await;
    let (status, body) = post_json(
        &b,
        &format!("{flow}/code"),
        serde_json::json!({"code": code}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let back = url::Url::parse(body["redirect_to"].as_str().unwrap()).unwrap();
    let (status, tokens) = redeem_raw(at, &query(&back, "code").unwrap()).await;
    assert_eq!(status, 200, "{tokens}");
    tokens
}

async fn jwks_of(server: &TestServer) -> jsonwebtoken::jwk::JwkSet {
    let res = rp_http()
        .get(format!("{}/jwks.json", server.public))
        .send()
        .await
        .unwrap();
    // Portals keep it no longer than a new key waits before it signs.
    assert_eq!(res.headers()["cache-control"], "public, max-age=10");
    res.json().await.unwrap()
}

/// Whether a token's signature verifies with a key of `jwks`, as a portal checks it.
fn verifies(jwks: &jsonwebtoken::jwk::JwkSet, token: &str) -> bool {
    let header = jsonwebtoken::decode_header(token).unwrap();
    let Some(jwk) = jwks.find(header.kid.as_deref().unwrap()) else {
        return false;
    };
    let key = jsonwebtoken::DecodingKey::from_jwk(jwk).unwrap();
    let mut validation = jsonwebtoken::Validation::new(header.alg);
    validation.validate_aud = false;
    jsonwebtoken::decode::<Value>(token, &key, &validation).is_ok()
}

fn on_redis(url: &str, prefix: &str) -> impl Fn(&mut Config) {
    let (url, prefix) = (url.to_owned(), prefix.to_owned());
    move |c: &mut Config| {
        use_redis(c, &url, &prefix);
        c.clients.retain(|client| client.client_id == "portal");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_keep_verifying_everywhere_when_redis_restarts_empty() {
    let mut redis = PrivateRedis::start();
    let (url, prefix) = (redis.url(), redis_prefix());
    let a = start(on_redis(&url, &prefix)).await;
    let b = start(|c| {
        on_redis(&url, &prefix)(c);
        c.issuer = a.issuer.clone();
    })
    .await;
    let mut issued = vec![login_on(&a, &a).await, login_on(&b, &a).await];

    // Redis loses everything. The first request after it returns is served (no stale
    // connection), and both instances still sign with the keys they share.
    redis.stop();
    redis.resume();
    issued.push(login_on(&a, &a).await);
    issued.push(login_on(&b, &a).await);
    // A third instance starting now finds no keys and makes its own, before A and B look.
    let c = start(|c| {
        on_redis(&url, &prefix)(c);
        c.issuer = a.issuer.clone();
    })
    .await;
    issued.push(login_on(&c, &a).await);

    // The instances' reloads (every 5 s; every second for one that just made keys), the new
    // instance first: what A and B hold goes back to storage, retiring behind the keys now
    // there, and the new instance publishes it too.
    for server in [&c, &a, &b, &c] {
        server.keys.reload().await;
    }
    for server in [&a, &b, &c] {
        issued.push(login_on(server, &a).await);
    }

    let published = jwks_of(&a).await;
    for server in [&b, &c] {
        let mut theirs: Vec<_> = jwks_of(server)
            .await
            .keys
            .iter()
            .map(|k| k.common.key_id.clone())
            .collect();
        let mut ours: Vec<_> = published
            .keys
            .iter()
            .map(|k| k.common.key_id.clone())
            .collect();
        theirs.sort();
        ours.sort();
        assert_eq!(theirs, ours, "one JWKS for the fleet");
    }
    for (i, tokens) in issued.iter().enumerate() {
        for kind in ["id_token", "access_token"] {
            let token = tokens[kind].as_str().unwrap();
            assert!(verifies(&published, token), "{kind} {i} does not verify");
        }
        // The people of the first two logins went with the lost data; later ones exist.
        if i < 2 {
            continue;
        }
        let access = tokens["access_token"].as_str().unwrap();
        for server in [&a, &b, &c] {
            let status = rp_http()
                .get(format!("{}/userinfo", server.public))
                .bearer_auth(access)
                .send()
                .await
                .unwrap()
                .status();
            assert_eq!(status, 200, "access token {i} at {}", server.public);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_request_after_redis_returns_is_served() {
    let mut redis = PrivateRedis::start();
    let (url, prefix) = (redis.url(), redis_prefix());
    let server = start(on_redis(&url, &prefix)).await;
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    // The connection is in use, then its server goes away while it idles.
    login_json(
        &server,
        &browser(),
        &authorize_url(&portal, false, &[]).url,
        &fresh_phone(),
    )
    .await;
    redis.stop();
    redis.resume();
    let ready = rp_http()
        .get(format!("{}/healthz/ready", server.ops))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), 200, "{}", ready.text().await.unwrap());
    login_json(
        &server,
        &browser(),
        &authorize_url(&portal, false, &[]).url,
        &fresh_phone(),
    )
    .await;
}

/// A Redis that accepts connections and answers the connection set-up, then never answers a
/// data command: a stalled server. It counts the commands it was sent.
struct StalledRedis {
    port: u16,
    seen: Arc<Mutex<Vec<Vec<String>>>>,
}

impl StalledRedis {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = seen.clone();
        std::thread::spawn(move || {
            for socket in listener.incoming() {
                let Ok(socket) = socket else { return };
                let record = record.clone();
                std::thread::spawn(move || serve_stalled(socket, &record));
            }
        });
        StalledRedis { port, seen }
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// How many commands named `name` whose first argument contains `key` arrived.
    fn count(&self, name: &str, key: &str) -> usize {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .filter(|c| {
                c[0].eq_ignore_ascii_case(name) && c.get(1).is_some_and(|k| k.contains(key))
            })
            .count()
    }
}

/// Reads RESP commands (arrays of bulk strings) until the client goes away.
fn serve_stalled(socket: std::net::TcpStream, seen: &Mutex<Vec<Vec<String>>>) {
    let mut writer = socket.try_clone().unwrap();
    let mut reader = BufReader::new(socket);
    let mut line = String::new();
    let mut read_line = |reader: &mut BufReader<std::net::TcpStream>| -> Option<String> {
        line.clear();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => None,
            Ok(_) => Some(line.trim_end().to_owned()),
        }
    };
    while let Some(head) = read_line(&mut reader) {
        let Some(n) = head.strip_prefix('*').and_then(|n| n.parse::<usize>().ok()) else {
            return;
        };
        let mut command = Vec::new();
        for _ in 0..n {
            let (Some(_len), Some(arg)) = (read_line(&mut reader), read_line(&mut reader)) else {
                return;
            };
            command.push(arg);
        }
        let setup = matches!(
            command[0].to_ascii_uppercase().as_str(),
            "CLIENT" | "HELLO" | "SELECT" | "AUTH"
        );
        seen.lock().unwrap().push(command);
        if setup {
            let _ = writer.write_all(b"+OK\r\n");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_redis_costs_a_page_one_timeout_not_two() {
    let redis = StalledRedis::start();
    let prefix = redis_prefix();
    let server = start(|c| {
        use_redis(c, &redis.url(), &prefix);
        c.storage.timeout_ms = 300;
    })
    .await;
    let flow = "A".repeat(32);
    let res = browser()
        .post(format!("{}/login/{flow}/phone", server.issuer))
        .form(&[("phone", "+447400000000"), ("csrf", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 503);
    let page = res.text().await.unwrap();
    assert!(page.contains("unavailable"), "{page}");
    assert_eq!(
        redis.count("GET", &format!("flow:{{{flow}}}")),
        1,
        "the page was drawn without reading the flow again"
    );
}
