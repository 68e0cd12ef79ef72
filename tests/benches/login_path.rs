//! The OTP login path, end to end over HTTP: /authorize → phone → code (from the webhook) →
//! /token, by concurrent simulated browsers against one wagate on the memory backend. Prints
//! logins per second and latency percentiles. Client and server share the machine's cores, so
//! the figures are a floor for the server alone.
//!
//! Runs with the rules against abuse (`[fraud]`) off and on, in turns, and prints what they
//! cost.
//!
//! Run: cargo bench -p wagate-e2e --bench login_path (on Redis: WAGATE_BENCH_STORAGE=redis)

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../e2e/support.rs"]
#[allow(dead_code)]
mod support;

use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::*;

const CONCURRENCY: usize = 16;
const RUN: Duration = Duration::from_secs(3);
/// Rounds of off-then-on; the machine drifts by more than the rules cost, so the verdict is
/// the median of each round's own difference.
const ROUNDS: u32 = 8;

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

/// `WAGATE_BENCH_STORAGE=redis`: on the machine's Redis (127.0.0.1:6379) instead of memory.
fn on_redis() -> bool {
    std::env::var("WAGATE_BENCH_STORAGE").is_ok_and(|s| s == "redis")
}

/// What one run measured.
struct Run {
    logins: usize,
    login: Vec<Duration>,
    token: Vec<Duration>,
}

/// Logins for `RUN` against a fresh wagate; `fraud`: the rules against abuse on (with caps
/// that never trip, so that every check runs and none refuses) or off.
async fn run(fraud: bool, round: u32) -> Run {
    let server = Arc::new(
        start(|c| {
            c.http.workers = 2;
            c.login.sends_per_ip_per_hour = 1_000_000;
            c.login.flows_per_ip_per_minute = 1_000_000;
            c.fraud = Default::default();
            c.fraud.enabled = fraud;
            c.fraud.prefix_sends_per_hour = 1_000_000;
            c.fraud.sends_per_hour = 1_000_000;
            c.fraud.sends_per_day = 1_000_000;
            if on_redis() {
                use_redis(c, "redis://127.0.0.1:6379", &redis_prefix());
            }
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
                // A different number per login: the per-number budgets stay out of the way.
                let phone = format!("+4474{round}{:02}{:05}", worker, n);
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
    let mut login: Vec<Duration> = samples.iter().map(|s| s.login).collect();
    let mut token: Vec<Duration> = samples.iter().map(|s| s.token).collect();
    login.sort();
    token.sort();
    Run {
        logins: samples.len(),
        login,
        token,
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    // The rules against abuse off and on, in turns, so that the machine's drift falls on both.
    let mut rates = [Vec::new(), Vec::new()];
    for round in 0..ROUNDS {
        for fraud in [false, true] {
            let r = run(fraud, round).await;
            let rate = r.logins as f64 / RUN.as_secs_f64();
            rates[usize::from(fraud)].push(rate);
            println!(
                "[fraud rules {}] {} complete logins in {} s with {} concurrent browsers: {:.0} logins/s; \
                 full login (5 requests) p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms; token p50 {:.1} ms, p99 {:.1} ms",
                if fraud { "on " } else { "off" },
                r.logins,
                RUN.as_secs(),
                CONCURRENCY,
                rate,
                percentile(&r.login, 0.5),
                percentile(&r.login, 0.95),
                percentile(&r.login, 0.99),
                percentile(&r.token, 0.5),
                percentile(&r.token, 0.99),
            );
        }
    }
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        (v[(v.len() - 1) / 2] + v[v.len() / 2]) / 2.0
    };
    let costs: Vec<f64> = rates[0]
        .iter()
        .zip(&rates[1])
        .map(|(off, on)| (off - on) / off * 100.0)
        .collect();
    let (off, on) = (median(rates[0].clone()), median(rates[1].clone()));
    println!(
        "{} storage, {ROUNDS} rounds: median {off:.0} logins/s with the fraud rules off, {on:.0} on; \
         each round's cost {:?} %, median {:.1}%",
        if on_redis() { "redis" } else { "memory" },
        costs
            .iter()
            .map(|c| (c * 10.0).round() / 10.0)
            .collect::<Vec<_>>(),
        median(costs.clone())
    );
}
