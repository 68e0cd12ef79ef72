//! The admin API on the ops listener, across two instances on one Redis: machine clients get
//! tokens from the `client_credentials` grant; tokens without the scope, for another
//! audience, expired or revoked are refused; every operation acts on what the other instance
//! serves.

use crate::support::*;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;
use wagate_server::Deps;
use wagate_server::config::Config;
use wagate_storage::{Clock, ManualClock, Secret, SystemClock};

const SHARED_REDIS: &str = "redis://127.0.0.1:6379";
pub const TOOL: (&str, &str) = ("ops-tool", "ops-tool-secret-0123456789-abcdefghij");
pub const READER: (&str, &str) = ("reader", "reader-secret-0123456789-abcdefghijkl");

pub fn machine(id: &str, secret: &str, scopes: &[&str]) -> wagate_server::config::ClientConfig {
    wagate_server::config::ClientConfig {
        client_id: id.into(),
        client_secret: Some(Secret::new(secret)),
        grant_types: Some(vec!["client_credentials".into()]),
        scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
        ..Default::default()
    }
}

/// Two instances on one Redis prefix and one clock, with the machine clients registered.
pub async fn pair(tweak: impl Fn(&mut Config)) -> (TestServer, TestServer, Arc<ManualClock>) {
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
        c.clients
            .push(machine(READER.0, READER.1, &["wagate:admin.read"]));
        tweak(c);
    };
    let deps = || Deps {
        clock: clock.clone(),
        ..Deps::default()
    };
    let a = start_with(deps(), setup).await;
    let issuer = a.issuer.clone();
    let b = start_with(deps(), |c| {
        setup(c);
        c.issuer = issuer.clone();
    })
    .await;
    (a, b, clock)
}

/// A service token for `client` from `server`'s token endpoint.
pub async fn service_token(
    server: &TestServer,
    client: (&str, &str),
    scope: Option<&str>,
) -> String {
    let mut form = vec![("grant_type", "client_credentials")];
    if let Some(s) = scope {
        form.push(("scope", s));
    }
    let (status, body) = post_on(server, "/token", client, &form).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    assert!(
        body.get("id_token").is_none() && body.get("refresh_token").is_none(),
        "{body}"
    );
    body["access_token"].as_str().unwrap().to_owned()
}

/// An admin API call on `server`'s ops listener.
pub async fn admin(
    server: &TestServer,
    method: reqwest::Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (u16, Value) {
    let mut req = reqwest::Client::new().request(method, format!("{}/admin/v1{path}", server.ops));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    json_answer(req).await
}

/// A person logged in to the portal with offline access: their sub and tokens.
pub struct Person {
    pub phone: String,
    pub sub: String,
    pub access: String,
    pub refresh: String,
}

/// A client-authenticated form POST to this very instance (not the shared issuer's).
pub async fn post_on(
    server: &TestServer,
    path: &str,
    client: (&str, &str),
    form: &[(&str, &str)],
) -> (u16, Value) {
    client_post_at(&server.public, path, client, form).await
}

pub async fn userinfo_on(server: &TestServer, access_token: &str) -> u16 {
    rp_http()
        .get(format!("{}/userinfo", server.public))
        .bearer_auth(access_token)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// A login of `phone` served by this instance: the code step's answer.
pub async fn code_answer(server: &TestServer, phone: &str, offline: bool) -> (u16, Value) {
    let portal = rp(server, "portal", Some(PORTAL_SECRET)).await;
    let mut url = authorize_url(&portal, false, &[]).url;
    if offline {
        url = url.replace("scope=openid+phone", "scope=openid+phone+offline_access");
    }
    let here = |u: String| u.replace(&server.issuer, &server.public);
    let b = browser();
    let flow = here(open_flow(&b, &here(url)).await);
    let code = send_code(server, &b, &flow, phone).await;
    post_json(&b, &format!("{flow}/code"), json!({"code": code})).await
}

/// A full login of `phone` on this instance; the tokens.
pub async fn tokens_on(server: &TestServer, phone: &str, offline: bool) -> Value {
    let (status, done) = code_answer(server, phone, offline).await;
    assert_eq!(status, 200, "{done}");
    let back = url::Url::parse(done["redirect_to"].as_str().unwrap()).unwrap();
    let code = query(&back, "code").unwrap();
    let (status, tokens) = post_on(
        server,
        "/token",
        PORTAL,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", CALLBACK),
        ],
    )
    .await;
    assert_eq!(status, 200, "{tokens}");
    tokens
}

pub async fn person(server: &TestServer) -> Person {
    let phone = fresh_phone();
    let tokens = tokens_on(server, &phone, true).await;
    Person {
        sub: claims_of(tokens["id_token"].as_str().unwrap())["sub"]
            .as_str()
            .unwrap()
            .to_owned(),
        phone,
        access: tokens["access_token"].as_str().unwrap().to_owned(),
        refresh: tokens["refresh_token"].as_str().unwrap().to_owned(),
    }
}

async fn refresh_status(server: &TestServer, refresh: &str) -> (u16, Value) {
    post_on(
        server,
        "/token",
        PORTAL,
        &[("grant_type", "refresh_token"), ("refresh_token", refresh)],
    )
    .await
}

/// The `sub` a fresh login of `phone` on this instance ends with.
async fn sub_of_login(server: &TestServer, phone: &str) -> String {
    let tokens = tokens_on(server, phone, false).await;
    claims_of(tokens["id_token"].as_str().unwrap())["sub"]
        .as_str()
        .unwrap()
        .to_owned()
}

use reqwest::Method as M;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_are_checked_for_scope_audience_expiry_and_revocation() {
    let (a, b, clock) = pair(|_| {}).await;
    let write = service_token(&a, TOOL, None).await;
    let claims = claims_of(&write);
    assert_eq!(claims["aud"], format!("{}/admin/v1", a.issuer));
    assert_eq!(claims["sub"], TOOL.0);
    assert_eq!(claims["scope"], "wagate:admin.read wagate:admin.write");
    // Served by the other instance all the same.
    let (status, _) = admin(&b, M::GET, "/users", Some(&write), None).await;
    assert_eq!(status, 200);

    // Asking for more than the client may have, or a public grant it lacks.
    let (status, body) = post_on(
        &a,
        "/token",
        READER,
        &[
            ("grant_type", "client_credentials"),
            ("scope", "wagate:admin.write"),
        ],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_scope"))
    );
    let (status, body) = post_on(
        &a,
        "/token",
        PORTAL,
        &[("grant_type", "client_credentials")],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("unauthorized_client"))
    );

    // Read scope only: reading works, changing does not.
    let read = service_token(&b, READER, None).await;
    let someone = person(&a).await;
    let path = format!("/users/{}", someone.sub);
    assert_eq!(admin(&a, M::GET, &path, Some(&read), None).await.0, 200);
    let (status, body) = admin(&a, M::POST, &format!("{path}/block"), Some(&read), None).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (403, Some("insufficient_scope"))
    );
    let narrowed = service_token(&a, TOOL, Some("wagate:admin.read")).await;
    assert_eq!(
        admin(&a, M::DELETE, &path, Some(&narrowed), None).await.0,
        403
    );

    // No token, garbage, and a person's own access token (audience userinfo).
    assert_eq!(admin(&a, M::GET, "/users", None, None).await.0, 401);
    let (status, body) = admin(&a, M::GET, "/users", Some("not.a.token"), None).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_token"))
    );
    let (status, _) = admin(&a, M::GET, "/users", Some(&someone.access), None).await;
    assert_eq!(status, 401, "a token for another audience");
    // Nor does a service token open userinfo.
    assert_eq!(userinfo_on(&a, &write).await, 401);

    // Revoked at one instance, refused at the other.
    let (status, _) = post_on(&a, "/revoke", TOOL, &[("token", &write)]).await;
    assert_eq!(status, 200);
    assert_eq!(admin(&b, M::GET, "/users", Some(&write), None).await.0, 401);
    // Another client may not revoke it.
    let (status, _) = post_on(&a, "/revoke", READER, &[("token", &narrowed)]).await;
    assert_eq!(status, 400);

    // Expired: service tokens live five minutes.
    clock.advance(Duration::from_secs(301));
    assert_eq!(admin(&a, M::GET, "/users", Some(&read), None).await.0, 401);
    assert_eq!(
        admin(&b, M::GET, "/users", Some(&narrowed), None).await.0,
        401
    );
    // The document is public: it says how to call.
    let doc: Value = reqwest::get(format!("{}/admin/v1/openapi.json", a.ops))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let committed: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../docs/admin-api.openapi.json"
        ))
        .unwrap(),
    )
    .unwrap();
    assert_eq!(
        doc, committed,
        "docs/admin-api.openapi.json is the served document"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operators_find_block_renumber_and_erase_people() {
    let (a, b, clock) = pair(|_| {}).await;
    let token = service_token(&a, TOOL, None).await;
    let p1 = person(&a).await;
    // A second later, so the newest is clear.
    clock.advance(Duration::from_secs(1));
    let p2 = person(&b).await;

    // Found by number as people type it, from the other instance.
    let typed = format!("{} {} {}", &p1.phone[..3], &p1.phone[3..7], &p1.phone[7..]);
    let (status, found) = admin(
        &b,
        M::GET,
        &format!("/users?phone_number={}", urlencoding(&typed)),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, 200, "{found}");
    let shown = &found["people"][0];
    assert_eq!(shown["sub"], p1.sub.as_str());
    assert_eq!(shown["phone_number"], p1.phone.as_str());
    assert_eq!(shown["blocked"], false);
    assert_eq!(shown["authenticator"], false);
    assert!(shown["last_login_at"].as_i64().unwrap() >= shown["created_at"].as_i64().unwrap());
    assert_eq!(shown["sessions"].as_array().unwrap().len(), 1);
    let (_, by_sub) = admin(
        &a,
        M::GET,
        &format!("/users?sub={}", p1.sub),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(by_sub["people"][0]["sub"], p1.sub.as_str());
    let (_, nobody) = admin(
        &a,
        M::GET,
        "/users?phone_number=%2B447400999999",
        Some(&token),
        None,
    )
    .await;
    assert_eq!(nobody["people"], json!([]));

    // Listed newest first, a page at a time.
    let (_, page) = admin(&a, M::GET, "/users?limit=1", Some(&token), None).await;
    assert_eq!(page["people"][0]["sub"], p2.sub.as_str());
    let cursor = page["next_cursor"].as_str().unwrap();
    let (_, next) = admin(
        &b,
        M::GET,
        &format!("/users?limit=1&cursor={cursor}"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(next["people"][0]["sub"], p1.sub.as_str());

    // Blocked on one instance: sessions end (the portal hears by back-channel logout), tokens
    // stop working on the other, and the person cannot log in.
    let (status, blocked) = admin(
        &a,
        M::POST,
        &format!("/users/{}/block", p1.sub),
        Some(&token),
        Some(json!({"reason": "reported stolen phone"})),
    )
    .await;
    assert_eq!(status, 200, "{blocked}");
    assert_eq!(blocked["blocked"], true);
    assert_eq!(blocked["block_reason"], "reported stolen phone");
    assert_eq!(blocked["sessions"], json!([]));
    let logout = claims_of(&a.hook.logout_token(1).await);
    assert_eq!(logout["sub"], p1.sub.as_str());
    assert_eq!(userinfo_on(&b, &p1.access).await, 401);
    let (status, body) = refresh_status(&b, &p1.refresh).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    let (_, introspected) = post_on(&b, "/introspect", PORTAL, &[("token", &p1.access)]).await;
    assert_eq!(introspected["active"], false);
    let (status, body) = code_answer(&b, &p1.phone, false).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (403, Some("account_blocked")),
        "{body}"
    );
    // Others are untouched.
    assert_eq!(userinfo_on(&a, &p2.access).await, 200);

    // Unblocked (a second later: revocation is by the second): they log in again; what the
    // block revoked stays revoked.
    clock.advance(Duration::from_secs(1));
    let (status, unblocked) = admin(
        &b,
        M::POST,
        &format!("/users/{}/unblock", p1.sub),
        Some(&token),
        None,
    )
    .await;
    assert_eq!((status, &unblocked["blocked"]), (200, &json!(false)));
    assert_eq!(sub_of_login(&a, &p1.phone).await, p1.sub);
    assert_eq!(refresh_status(&a, &p1.refresh).await.0, 400);

    // A new number: someone else's is refused; a free one, typed loosely, is taken and the
    // old one is free for a new person.
    let path = format!("/users/{}/phone_number", p1.sub);
    let (status, body) = admin(
        &a,
        M::PUT,
        &path,
        Some(&token),
        Some(json!({"phone_number": p2.phone})),
    )
    .await;
    assert_eq!((status, body["error"].as_str()), (409, Some("phone_taken")));
    let new_number = fresh_phone();
    let loose = format!("{} {}", &new_number[..5], &new_number[5..]);
    let (status, moved) = admin(
        &b,
        M::PUT,
        &path,
        Some(&token),
        Some(json!({"phone_number": loose})),
    )
    .await;
    assert_eq!(status, 200, "{moved}");
    assert_eq!(moved["phone_number"], new_number.as_str());
    assert_eq!(sub_of_login(&a, &new_number).await, p1.sub);
    assert_ne!(
        sub_of_login(&b, &p1.phone).await,
        p1.sub,
        "the old number is someone new"
    );

    // Sessions, one by one.
    let (_, sessions) = admin(
        &a,
        M::GET,
        &format!("/users/{}/sessions", p1.sub),
        Some(&token),
        None,
    )
    .await;
    let sid = sessions["sessions"][0]["session_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let one = format!("/users/{}/sessions/{sid}", p1.sub);
    assert_eq!(admin(&b, M::DELETE, &one, Some(&token), None).await.0, 204);
    let (status, body) = admin(&a, M::DELETE, &one, Some(&token), None).await;
    assert_eq!((status, body["error"].as_str()), (404, Some("not_found")));
    let (status, ended) = admin(
        &a,
        M::DELETE,
        &format!("/users/{}/sessions", p2.sub),
        Some(&token),
        None,
    )
    .await;
    assert_eq!((status, ended["ended"].as_u64()), (200, Some(1)));
    let (status, body) = admin(
        &a,
        M::DELETE,
        &format!("/users/{}/authenticator", p1.sub),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (404, Some("no_authenticator"))
    );

    // Erased: gone everywhere, its tokens dead, the number signs up as someone new; again is
    // harmless.
    let p3 = person(&a).await;
    let path = format!("/users/{}", p3.sub);
    assert_eq!(admin(&a, M::DELETE, &path, Some(&token), None).await.0, 204);
    let (status, body) = admin(&b, M::GET, &path, Some(&token), None).await;
    assert_eq!((status, body["error"].as_str()), (404, Some("not_found")));
    assert_eq!(userinfo_on(&b, &p3.access).await, 401);
    assert_eq!(refresh_status(&b, &p3.refresh).await.0, 400);
    assert_eq!(admin(&b, M::DELETE, &path, Some(&token), None).await.0, 204);
    assert_ne!(sub_of_login(&b, &p3.phone).await, p3.sub);
    let (_, list) = admin(&a, M::GET, "/users?limit=200", Some(&token), None).await;
    assert!(
        list["people"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["sub"] != p3.sub.as_str())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_admin_requests_get_clear_answers() {
    let (a, _b, _clock) = pair(|_| {}).await;
    let token = service_token(&a, TOOL, None).await;
    let someone = person(&a).await;
    let path = format!("/users/{}", someone.sub);
    let cases: Vec<(M, String, Option<Value>, u16, &str)> = vec![
        (
            M::PUT,
            format!("{path}/phone_number"),
            Some(json!({"phone_number": "not a number"})),
            400,
            "invalid_phone_number",
        ),
        (
            M::PUT,
            format!("{path}/phone_number"),
            Some(json!({"phone": "+447400000001"})),
            400,
            "invalid_request",
        ),
        (
            M::PUT,
            format!("{path}/phone_number"),
            None,
            400,
            "invalid_request",
        ),
        (
            M::POST,
            format!("{path}/block"),
            Some(json!({"reason": "x".repeat(501)})),
            400,
            "invalid_request",
        ),
        (
            M::GET,
            "/users?limit=0".into(),
            None,
            400,
            "invalid_request",
        ),
        (
            M::GET,
            "/users?limit=many".into(),
            None,
            400,
            "invalid_request",
        ),
        (
            M::GET,
            "/users?cursor=%%%".into(),
            None,
            400,
            "invalid_request",
        ),
        (
            M::GET,
            "/users?phone_number=12&sub=x".into(),
            None,
            400,
            "invalid_request",
        ),
        (
            M::POST,
            "/users/nobody/block".into(),
            None,
            404,
            "not_found",
        ),
        (
            M::PUT,
            "/users/nobody/phone_number".into(),
            Some(json!({"phone_number": "+447400000002"})),
            404,
            "not_found",
        ),
    ];
    for (method, path, body, status, error) in cases {
        let (got, answer) = admin(&a, method.clone(), &path, Some(&token), body).await;
        assert_eq!(
            (got, answer["error"].as_str()),
            (status, Some(error)),
            "{method} {path}: {answer}"
        );
    }
    // Nothing of the person changed.
    let (_, after) = admin(&a, M::GET, &path, Some(&token), None).await;
    assert_eq!(after["phone_number"], someone.phone.as_str());
    assert_eq!(after["blocked"], false);
}

fn urlencoding(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
