//! The OTP login path, end to end over HTTP: /authorize → phone → code (from the webhook) →
//! /token, by concurrent simulated browsers against one wagate on the memory backend. Prints
//! logins per second and latency percentiles. Client and server share the machine's cores, so
//! the figures are a floor for the server alone.
//!
//! Run: cargo bench -p wagate-e2e --bench login_path

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../e2e/support.rs"]
#[allow(dead_code)]
mod support;

use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::*;

const CONCURRENCY: usize = 16;
const RUN: Duration = Duration::from_secs(10);

struct Sample {
    login: Duration,
    token: Duration,
}

async fn one_login(server: &TestServer, authorize: &str, phone: &str) -> Sample {
    let started = Instant::now();
    let b = browser();
    let flow = open_flow(&b, authorize).await;
    let code = send_code(server, &b, &flow, phone).await;
    let (status, body) = post_json(&b, &format!("{flow}/code"), json!({"code": code})).await;
    assert_eq!(status, 200, "{body}");
    let back = url::Url::parse(body["redirect_to"].as_str().unwrap()).unwrap();
    let token_started = Instant::now();
    let res = b
        .post(format!("{}/token", server.issuer))
        .basic_auth("portal", Some(PORTAL_SECRET))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", &query(&back, "code").unwrap()),
            ("redirect_uri", CALLBACK),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let _ = res.bytes().await.unwrap();
    Sample {
        login: started.elapsed(),
        token: token_started.elapsed(),
    }
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let server = Arc::new(
        start(|c| {
            c.http.workers = 2;
            c.login.sends_per_ip_per_hour = 1_000_000;
            c.login.flows_per_ip_per_minute = 1_000_000;
        })
        .await,
    );
    let rp = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let authorize = authorize_url(&rp, false, &[]).url;
    let deadline = Instant::now() + RUN;
    let mut tasks = Vec::new();
    for worker in 0..CONCURRENCY {
        let (server, authorize) = (server.clone(), authorize.clone());
        tasks.push(tokio::spawn(async move {
            let mut samples = Vec::new();
            let mut n = 0u32;
            while Instant::now() < deadline {
                // A different number per login: the per-number hourly budget stays out of the way.
                let phone = format!("+447700{:02}{:04}", worker, n);
                samples.push(one_login(&server, &authorize, &phone).await);
                n += 1;
            }
            samples
        }));
    }
    let mut samples = Vec::new();
    for t in tasks {
        samples.extend(t.await.unwrap());
    }
    let mut logins: Vec<Duration> = samples.iter().map(|s| s.login).collect();
    let mut tokens: Vec<Duration> = samples.iter().map(|s| s.token).collect();
    logins.sort();
    tokens.sort();
    println!(
        "{} complete logins in {} s with {} concurrent browsers: {:.0} logins/s",
        samples.len(),
        RUN.as_secs(),
        CONCURRENCY,
        samples.len() as f64 / RUN.as_secs_f64()
    );
    println!(
        "full login (5 requests): p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms",
        percentile(&logins, 0.5),
        percentile(&logins, 0.95),
        percentile(&logins, 0.99)
    );
    println!(
        "token request:           p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms",
        percentile(&tokens, 0.5),
        percentile(&tokens, 0.95),
        percentile(&tokens, 0.99)
    );
}
