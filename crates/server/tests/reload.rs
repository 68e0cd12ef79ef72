#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers outside #[test] fns
//! Reloading the configuration of the running binary: SIGHUP, or a change of the file with
//! `reload.watch`. New clients are served at once; requests in flight, and a login begun
//! before the reload, finish; a configuration with problems is refused and the old one kept.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use support::*;

const NEW_CLIENT: &str = r#"
[[clients]]
client_id = "newportal"
client_secret = "newportal-secret-0123456789-abcdefghij"
redirect_uris = ["http://127.0.0.1:3000/new"]
"#;

/// The status of an authorization request by `client`.
async fn authorize(base: &str, client: &str, redirect: &str) -> u16 {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    authorization(&http, base, client, redirect)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// Writes `text` as the configuration, sends SIGHUP, and returns the first refusal logged.
async fn refused(wagate: &Wagate, path: &std::path::Path, text: &str) -> String {
    std::fs::write(path, text).unwrap();
    let seen = wagate.log().len();
    wagate.signal("HUP");
    let line = wagate
        .log_line_after(seen, "configuration reload refused")
        .await;
    wagate.log()[line].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sighup_adds_a_client_while_requests_are_in_flight_and_refuses_a_broken_file() {
    let (outside, url) = outside().await;
    let (port, ops) = (free_port(), free_port());
    // Without the rules against abuse, which the funnel's count must not need.
    let first = config(port, ops, &url, "[fraud]\nenabled = false\n");
    let path = write("reload", &first);
    let wagate = Arc::new(Wagate::start(&path, port, ops).await);
    let base = wagate.base.clone();
    assert_eq!(
        authorize(&base, "newportal", "http://127.0.0.1:3000/new").await,
        400
    );

    // A login whose code is on its way (the gateway is slow) when the reload happens.
    outside.delay_ms.store(800, Ordering::SeqCst);
    let person = browser();
    let flow = open_login(&base, &person).await;
    let phone_step = tokio::spawn({
        let (person, flow) = (person.clone(), flow.clone());
        async move {
            person
                .post(format!("{flow}/phone"))
                .header("Accept", "application/json")
                .json(&serde_json::json!({"phone": "+447400223344"}))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    });
    // And a steady stream of requests all along.
    let stop = Arc::new(AtomicBool::new(false));
    let stream = tokio::spawn({
        let (stop, base) = (stop.clone(), base.clone());
        async move {
            let mut statuses = Vec::new();
            while !stop.load(Ordering::SeqCst) {
                statuses.push(authorize(&base, "portal", CALLBACK).await);
            }
            statuses
        }
    });
    outside
        .until("the code request", |o| {
            (o.entered.load(Ordering::SeqCst) > 0).then_some(())
        })
        .await;

    std::fs::write(&path, format!("{first}{NEW_CLIENT}")).unwrap();
    let seen = wagate.log().len();
    wagate.signal("HUP");
    wagate.log_line_after(seen, "configuration reloaded").await;
    assert_eq!(
        authorize(&base, "newportal", "http://127.0.0.1:3000/new").await,
        303
    );

    // The phone step that was in flight finished, and its login completes after the reload.
    assert_eq!(phone_step.await.unwrap(), 200);
    let code = outside.code_for("+447400223344").await.code;
    let res = person
        .post(format!("{flow}/code"))
        .header("Accept", "application/json")
        .json(&serde_json::json!({"code": code}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let done: serde_json::Value = res.json().await.unwrap();
    assert_eq!(done["step"], "done", "{done}");
    stop.store(true, Ordering::SeqCst);
    let statuses = stream.await.unwrap();
    assert!(!statuses.is_empty());
    assert!(
        statuses.iter().all(|s| *s == 303),
        "every request around the reload was answered: {statuses:?}"
    );

    // A file with a problem: refused, logged, the configuration in force kept.
    let broken = format!("{first}{NEW_CLIENT}").replace(PORTAL_SECRET, "too-short");
    let refusal = refused(&wagate, &path, &broken).await;
    assert!(refusal.contains("at least 32 characters"), "{refusal}");
    assert_eq!(authorize(&base, "portal", CALLBACK).await, 303);
    assert_eq!(
        authorize(&base, "newportal", "http://127.0.0.1:3000/new").await,
        303
    );

    // What needs a restart is refused too.
    let moved = format!("{first}{NEW_CLIENT}").replace(&format!("127.0.0.1:{ops}"), "127.0.0.1:1");
    let refusal = refused(&wagate, &path, &moved).await;
    assert!(
        refusal.contains("ops.listen: changed; restart"),
        "{refusal}"
    );

    let scrape = wagate.metrics().await;
    assert_eq!(
        sample(&scrape, "wagate_config_reloads_total{outcome=\"success\"}"),
        Some(1.0)
    );
    assert_eq!(
        sample(&scrape, "wagate_config_reloads_total{outcome=\"failure\"}"),
        Some(2.0)
    );
    assert_eq!(
        sample(
            &scrape,
            "wagate_codes_verified_total{channel=\"webhook\",region=\"GB\"}"
        ),
        Some(1.0)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_watched_file_is_read_again_when_it_changes() {
    let (_outside, url) = outside().await;
    let (port, ops) = (free_port(), free_port());
    let first = config(port, ops, &url, "[reload]\nwatch = true\n");
    let path = write("watched", &first);
    let wagate = Wagate::start(&path, port, ops).await;
    assert_eq!(
        authorize(&wagate.base, "newportal", "http://127.0.0.1:3000/new").await,
        400
    );
    // As editors and Kubernetes do: a new file renamed over the old one.
    let next = path.with_extension("new");
    std::fs::write(&next, format!("{first}{NEW_CLIENT}")).unwrap();
    std::fs::rename(&next, &path).unwrap();
    wagate.log_line("configuration reloaded").await;
    assert_eq!(
        authorize(&wagate.base, "newportal", "http://127.0.0.1:3000/new").await,
        303
    );
}
