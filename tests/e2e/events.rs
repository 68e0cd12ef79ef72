//! Security events at an event webhook: CloudEvents as documented, signed, in order per
//! person, retried after the receiver's errors, and still delivered after the instance that
//! queued them stops (another instance on the same Redis takes over the queue).

use crate::admin::{TOOL, admin, machine, person, service_token};
use crate::support::*;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use hmac::{Hmac, Mac};
use reqwest::Method as M;
use serde_json::{Value, json};
use sha2::Sha256;
use std::net::TcpListener;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use wagate_server::Deps;
use wagate_server::config::Config;
use wagate_storage::{Clock, ManualClock, Secret, SystemClock};

const SHARED_REDIS: &str = "redis://127.0.0.1:6379";
const EVENTS_SECRET: &str = "events-secret-0123456789-abcdefghijklmn";

/// A security team's receiver.
struct Receiver {
    url: String,
    events: Mutex<Vec<Value>>,
    /// Requests still to answer with 500.
    fail_next: AtomicU64,
    attempts: AtomicU64,
    bad_signatures: AtomicU64,
    arrived: tokio::sync::Notify,
}

impl Receiver {
    fn events(&self) -> Vec<Value> {
        self.events.lock().unwrap().clone()
    }

    /// Waits (at most 15 s) until `done` holds of the receiver.
    async fn until(&self, what: &str, done: impl Fn(&Receiver) -> bool) {
        tokio::time::timeout(Duration::from_secs(15), async {
            loop {
                let arrived = self.arrived.notified();
                if done(self) {
                    return;
                }
                arrived.await;
            }
        })
        .await
        .unwrap_or_else(|_| panic!("never: {what}; got {:#?}", self.events()));
    }

    /// The types of `sub`'s events, in the order they arrived (each id once).
    fn types_of(&self, sub: &str) -> Vec<String> {
        let mut seen = std::collections::HashSet::new();
        self.events()
            .into_iter()
            .filter(|e| e["subject"] == sub && seen.insert(e["id"].as_str().unwrap().to_owned()))
            .map(|e| e["type"].as_str().unwrap().to_owned())
            .collect()
    }
}

async fn receive(req: HttpRequest, body: web::Bytes, r: web::Data<Arc<Receiver>>) -> HttpResponse {
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(EVENTS_SECRET.as_bytes()).unwrap();
    mac.update(header("X-Wagate-Timestamp").as_bytes());
    mac.update(b".");
    mac.update(&body);
    let expected = format!("sha256={}", hex::encode(mac.finalize().into_bytes()));
    r.attempts.fetch_add(1, Ordering::SeqCst);
    let answer = if header("X-Wagate-Signature") != expected {
        r.bad_signatures.fetch_add(1, Ordering::SeqCst);
        HttpResponse::Unauthorized().finish()
    } else if r
        .fail_next
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok()
    {
        HttpResponse::InternalServerError().finish()
    } else {
        assert!(header("Content-Type").starts_with("application/cloudevents+json"));
        r.events
            .lock()
            .unwrap()
            .push(serde_json::from_slice(&body).unwrap());
        HttpResponse::NoContent().finish()
    };
    r.arrived.notify_waiters();
    answer
}

async fn receiver() -> Arc<Receiver> {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let r = Arc::new(Receiver {
        url: format!("http://{}/events", listener.local_addr().unwrap()),
        events: Mutex::new(Vec::new()),
        fail_next: AtomicU64::new(0),
        attempts: AtomicU64::new(0),
        bad_signatures: AtomicU64::new(0),
        arrived: tokio::sync::Notify::new(),
    });
    let data = web::Data::new(r.clone());
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .route("/events", web::post().to(receive))
    })
    .workers(1)
    .disable_signals()
    .listen(listener)
    .unwrap()
    .run();
    tokio::spawn(server);
    r
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_arrive_in_order_are_retried_and_survive_a_restart() {
    let r = receiver().await;
    let prefix = redis_prefix();
    let clock = Arc::new(ManualClock::new(SystemClock.now()));
    let setup = |c: &mut Config| {
        use_redis(c, SHARED_REDIS, &prefix);
        c.clients.retain(|client| client.client_id == "portal");
        c.clients.push(machine(
            TOOL.0,
            TOOL.1,
            &["wagate:admin.read", "wagate:admin.write"],
        ));
        c.events.webhook_url = Some(r.url.clone());
        c.events.webhook_secret = Some(Secret::new(EVENTS_SECRET));
        c.events.include_phone = true;
        // One second between tries, always: the test moves the clock past each wait.
        c.events.retry_min_secs = 1;
        c.events.retry_max_secs = 1;
        c.events.max_age_secs = 3_600;
        c.events.poll_interval_ms = 50;
    };
    let deps = || Deps {
        clock: clock.clone(),
        ..Deps::default()
    };

    // The receiver is down while a person signs up on the first instance.
    r.fail_next.store(u64::MAX, Ordering::SeqCst);
    let first = start_with(deps(), setup).await;
    let someone = person(&first).await;
    r.until("a first, failed try", |r| {
        r.attempts.load(Ordering::SeqCst) >= 1
    })
    .await;
    assert!(r.events().is_empty());
    // That instance goes away (a deploy) with the events undelivered.
    first.stop().await;

    // Another instance on the same Redis takes over; the receiver fails twice more, then
    // takes everything.
    let tried = r.attempts.load(Ordering::SeqCst);
    r.fail_next.store(2, Ordering::SeqCst);
    let issuer = first.issuer.clone();
    let second = start_with(deps(), |c| {
        setup(c);
        c.issuer = issuer.clone();
    })
    .await;
    // Past any lease the stopped instance held; then past each wait after a failure, once
    // the deliverer has tried again, until everything is in.
    clock.advance(Duration::from_secs(11));
    let complete = |r: &Receiver| {
        r.types_of(&someone.sub).len() >= 2 && r.events().iter().any(|e| e["type"] == "code.sent")
    };
    let mut seen = tried;
    while !complete(&r) {
        r.until("another try", |r| {
            r.attempts.load(Ordering::SeqCst) > seen || complete(r)
        })
        .await;
        seen = r.attempts.load(Ordering::SeqCst);
        clock.advance(Duration::from_secs(2));
    }
    assert_eq!(
        r.fail_next.load(Ordering::SeqCst),
        0,
        "both failures were answered"
    );
    assert!(
        seen >= tried + 2 + 3,
        "three events, two failed tries: {seen} after {tried}"
    );
    assert_eq!(
        r.types_of(&someone.sub),
        ["user.created", "login.succeeded"]
    );
    r.until("the code's event", |r| {
        r.events().iter().any(|e| e["type"] == "code.sent")
    })
    .await;

    // Exactly the documented envelope.
    let created = r
        .events()
        .into_iter()
        .find(|e| e["type"] == "user.created")
        .unwrap();
    assert_eq!(created["specversion"], "1.0");
    assert_eq!(created["source"], issuer.as_str());
    assert_eq!(created["datacontenttype"], "application/json");
    assert_eq!(created["subject"], someone.sub.as_str());
    assert_eq!(created["data"]["sub"], someone.sub.as_str());
    assert_eq!(created["data"]["phone_number"], someone.phone.as_str());
    assert!(created["id"].as_str().is_some_and(|id| id.len() >= 20));
    assert!(created["time"].as_str().unwrap().ends_with('Z'));
    let sent = r
        .events()
        .into_iter()
        .find(|e| e["type"] == "code.sent")
        .unwrap();
    assert_eq!(sent["data"]["phone_number"], someone.phone.as_str());
    assert_eq!(sent["data"]["channel"], "webhook");
    assert_eq!(sent["data"]["region"], "GB");
    assert_eq!(sent["data"]["client_id"], "portal");
    let login = r
        .events()
        .into_iter()
        .find(|e| e["type"] == "login.succeeded")
        .unwrap();
    assert_eq!(login["data"]["client_id"], "portal");
    assert_eq!(login["data"]["amr"], json!(["whatsapp"]));

    // An operator blocks, then erases, the person: their events follow in order.
    let token = service_token(&second, TOOL, None).await;
    let path = format!("/users/{}", someone.sub);
    let (status, _) = admin(
        &second,
        M::POST,
        &format!("{path}/block"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        admin(&second, M::DELETE, &path, Some(&token), None).await.0,
        204
    );
    let expected = [
        "user.created",
        "login.succeeded",
        "session.ended",
        "user.blocked",
        "admin.action",
        "user.deleted",
        "admin.action",
    ];
    r.until("the operator's events", |r| {
        r.types_of(&someone.sub).len() >= expected.len()
    })
    .await;
    assert_eq!(r.types_of(&someone.sub), expected);
    let subject = |t: &str| -> Vec<Value> {
        r.events()
            .into_iter()
            .filter(|e| e["subject"] == someone.sub.as_str() && e["type"] == t)
            .collect()
    };
    let ended = &subject("session.ended")[0];
    assert_eq!(ended["data"]["reason"], "operator");
    let actions = subject("admin.action");
    assert_eq!(actions[0]["data"]["action"], "block");
    assert_eq!(actions[1]["data"]["action"], "delete");
    assert_eq!(actions[0]["data"]["actor"]["type"], "client");
    assert_eq!(actions[0]["data"]["actor"]["client_id"], TOOL.0);
    assert_eq!(
        subject("user.deleted")[0]["data"]["phone_number"],
        someone.phone.as_str()
    );
    assert_eq!(r.bad_signatures.load(Ordering::SeqCst), 0);
    let text = metrics(&second).await;
    assert!(
        text.contains("wagate_event_deliveries_total{outcome=\"delivered\"}"),
        "{text}"
    );
    assert!(text.contains("wagate_security_events_total{type=\"user.blocked\"} 1"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_include_phone_events_carry_no_number() {
    let r = receiver().await;
    let prefix = redis_prefix();
    let server = start(|c| {
        use_redis(c, SHARED_REDIS, &prefix);
        c.events.webhook_url = Some(r.url.clone());
        c.events.webhook_secret = Some(Secret::new(EVENTS_SECRET));
        c.events.poll_interval_ms = 50;
    })
    .await;
    let someone = person(&server).await;
    r.until("the sign-up's events", |r| {
        r.types_of(&someone.sub).len() >= 2
    })
    .await;
    r.until("the code's event", |r| {
        r.events().iter().any(|e| e["type"] == "code.sent")
    })
    .await;
    let everything = serde_json::to_string(&r.events()).unwrap();
    assert!(!everything.contains(&someone.phone), "{everything}");
    assert!(!everything.contains(&someone.phone[1..]), "{everything}");
}
