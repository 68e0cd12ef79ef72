//! Single sign-on: a second login in the same browser needs no second code, unless the
//! request says otherwise (prompt, max_age, id_token_hint).

use crate::support::*;
use std::time::Duration;

/// GET /authorize in `b`; the redirect it answers with.
async fn authorize_in(b: &reqwest::Client, url: &str) -> String {
    let res = b.get(url).send().await.unwrap();
    assert_eq!(res.status(), 303);
    absolute(url, &location(&res))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_login_in_the_same_browser_needs_no_code() {
    let server = default_server().await;
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let spa = rp(&server, "spa", None).await;
    let b = browser();
    let phone = fresh_phone();
    let (_, first_code) = login_in(&server, &b, &portal, &phone, &[]).await;
    let (_, first) = redeem_raw(&server, &first_code).await;
    let sent = server.hook.count_for(&phone);

    // Another portal, same browser: straight back with a code.
    let pending = authorize_url(&spa, true, &[]);
    let back = url::Url::parse(&authorize_in(&b, &pending.url).await).unwrap();
    assert!(back.as_str().starts_with(CALLBACK), "{back}");
    assert_eq!(query(&back, "state").unwrap(), *pending.state.secret());
    assert_eq!(query(&back, "iss").unwrap(), server.issuer);
    assert_eq!(
        server.hook.count_for(&phone),
        sent,
        "no second WhatsApp code"
    );
    let tokens = redeem(&spa, &query(&back, "code").unwrap(), pending.verifier).await;
    let id = claims_of(
        &openidconnect::TokenResponse::id_token(&tokens)
            .unwrap()
            .to_string(),
    );
    let first_id = claims_of(first["id_token"].as_str().unwrap());
    assert_eq!(id["sub"], first_id["sub"]);
    assert_eq!(
        id["auth_time"], first_id["auth_time"],
        "auth_time is when the person really logged in"
    );
    assert_eq!(id["sid"], first_id["sid"]);
    assert!(id["sid"].is_string());
    assert_eq!(id["nonce"], pending.nonce.secret().as_str());

    // A browser without the session gets the login.
    assert!(
        authorize_in(&browser(), &pending.url)
            .await
            .contains("/login/")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prompt_values() {
    let server = default_server().await;
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let b = browser();

    // prompt=none without a session: login_required, by redirect, never a page.
    let none = authorize_url(&portal, false, &[("prompt", "none")]);
    let back = url::Url::parse(&authorize_in(&b, &none.url).await).unwrap();
    assert_eq!(query(&back, "error").as_deref(), Some("login_required"));
    assert_eq!(query(&back, "state").unwrap(), *none.state.secret());

    let phone = fresh_phone();
    login_in(&server, &b, &portal, &phone, &[]).await;

    // prompt=none with a session: a code.
    let back = url::Url::parse(&authorize_in(&b, &none.url).await).unwrap();
    assert!(query(&back, "code").is_some(), "{back}");
    // consent and select_account ask first, even with a session.
    for (prompt, step) in [("consent", "consent"), ("select_account", "choose_account")] {
        let p = authorize_url(&portal, false, &[("prompt", prompt)]);
        let flow = authorize_in(&b, &p.url).await;
        assert!(flow.contains("/login/"), "prompt={prompt}: {flow}");
        let (_, view) = crate::authorize_errors::get_json(&b, &flow).await;
        assert_eq!(view["step"], step, "prompt={prompt}");
    }

    // prompt=login: a new code even with a session.
    let before = server.hook.count_for(&phone);
    let login = authorize_url(&portal, false, &[("prompt", "login")]);
    let flow = authorize_in(&b, &login.url).await;
    assert!(flow.contains("/login/"), "{flow}");
    send_code(&server, &b, &flow, &phone).await;
    assert_eq!(server.hook.count_for(&phone), before + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn max_age_forces_a_fresh_login_with_a_later_auth_time() {
    let (server, clock) = start_with_clock(|_| {}).await;
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let b = browser();
    let phone = fresh_phone();
    let (_, code) = login_in(&server, &b, &portal, &phone, &[]).await;
    let first = claims_of(
        redeem_raw(&server, &code).await.1["id_token"]
            .as_str()
            .unwrap(),
    );

    clock.advance(Duration::from_secs(120));
    let recent_enough = authorize_url(&portal, false, &[("max_age", "600")]);
    assert!(
        authorize_in(&b, &recent_enough.url)
            .await
            .starts_with(CALLBACK)
    );

    let too_old = authorize_url(&portal, false, &[("max_age", "60")]);
    let flow = authorize_in(&b, &too_old.url).await;
    assert!(flow.contains("/login/"), "{flow}");
    let code = send_code(&server, &b, &flow, &phone).await;
    let (_, body) = post_json(
        &b,
        &format!("{flow}/code"),
        serde_json::json!({"code": code}),
    )
    .await;
    let back = url::Url::parse(body["redirect_to"].as_str().unwrap()).unwrap();
    let (_, tokens) = redeem_raw(&server, &query(&back, "code").unwrap()).await;
    let second = claims_of(tokens["id_token"].as_str().unwrap());
    assert_eq!(second["sub"], first["sub"]);
    assert_eq!(
        second["sid"], first["sid"],
        "the same person keeps the session"
    );
    assert_eq!(
        second["auth_time"].as_i64().unwrap() - first["auth_time"].as_i64().unwrap(),
        120
    );

    // prompt=none with a max_age the session cannot meet: login_required.
    clock.advance(Duration::from_secs(120));
    let none = authorize_url(&portal, false, &[("prompt", "none"), ("max_age", "60")]);
    let back = url::Url::parse(&authorize_in(&b, &none.url).await).unwrap();
    assert_eq!(query(&back, "error").as_deref(), Some("login_required"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn id_token_hint_must_name_the_signed_in_person() {
    let server = default_server().await;
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let b = browser();
    let (_, code) = login_in(&server, &b, &portal, &fresh_phone(), &[]).await;
    let mine = redeem_raw(&server, &code).await.1["id_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, other_code) = login_in(&server, &browser(), &portal, &fresh_phone(), &[]).await;
    let theirs = redeem_raw(&server, &other_code).await.1["id_token"]
        .as_str()
        .unwrap()
        .to_owned();

    let ok = authorize_url(
        &portal,
        false,
        &[("prompt", "none"), ("id_token_hint", &mine)],
    );
    assert!(
        query(
            &url::Url::parse(&authorize_in(&b, &ok.url).await).unwrap(),
            "code"
        )
        .is_some()
    );

    let other = authorize_url(
        &portal,
        false,
        &[("prompt", "none"), ("id_token_hint", &theirs)],
    );
    let back = url::Url::parse(&authorize_in(&b, &other.url).await).unwrap();
    assert_eq!(query(&back, "error").as_deref(), Some("login_required"));

    let forged = format!("{}x", &mine[..mine.len() - 1]);
    let bad = authorize_url(&portal, false, &[("id_token_hint", &forged)]);
    let back = url::Url::parse(&authorize_in(&b, &bad.url).await).unwrap();
    assert_eq!(query(&back, "error").as_deref(), Some("invalid_request"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_sessions_end() {
    let (server, clock) = start_with_clock(|c| c.sessions.idle_ttl_secs = 600).await;
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let b = browser();
    login_in(&server, &b, &portal, &fresh_phone(), &[]).await;
    let url = authorize_url(&portal, false, &[]).url;
    clock.advance(Duration::from_secs(500));
    assert!(
        authorize_in(&b, &url).await.starts_with(CALLBACK),
        "use renews the session"
    );
    clock.advance(Duration::from_secs(500));
    assert!(authorize_in(&b, &url).await.starts_with(CALLBACK));
    clock.advance(Duration::from_secs(601));
    assert!(
        authorize_in(&b, &url).await.contains("/login/"),
        "idle too long"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_end_at_their_absolute_lifetime_however_busy() {
    let (server, clock) = start_with_clock(|c| {
        c.sessions.idle_ttl_secs = 600;
        c.sessions.absolute_ttl_secs = 1800;
    })
    .await;
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let b = browser();
    login_in(&server, &b, &portal, &fresh_phone(), &[]).await;
    let url = authorize_url(&portal, false, &[]).url;
    for _ in 0..3 {
        clock.advance(Duration::from_secs(500));
        assert!(authorize_in(&b, &url).await.starts_with(CALLBACK));
    }
    clock.advance(Duration::from_secs(301));
    assert!(
        authorize_in(&b, &url).await.contains("/login/"),
        "past the absolute lifetime"
    );
}

/// The `sub` and `sid` an authorization code stands for.
async fn who(server: &TestServer, code: &str) -> (String, String, i64) {
    let (status, tokens) = redeem_raw(server, code).await;
    assert_eq!(status, 200, "{tokens}");
    let id = claims_of(tokens["id_token"].as_str().unwrap());
    (
        id["sub"].as_str().unwrap().to_owned(),
        id["sid"].as_str().unwrap().to_owned(),
        id["auth_time"].as_i64().unwrap(),
    )
}

fn code_in(answer: &serde_json::Value) -> String {
    let back = url::Url::parse(answer["redirect_to"].as_str().unwrap()).unwrap();
    query(&back, "code").unwrap_or_else(|| panic!("no code in {back}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn select_account_offers_the_session_or_another_number() {
    let server = default_server().await;
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let b = browser();
    let first = fresh_phone();
    let (_, code) = login_in(&server, &b, &portal, &first, &[]).await;
    let (sub, sid, auth_time) = who(&server, &code).await;

    // Continue as the session's person: no code sent, the same session and login time.
    let sent = server.hook.count_for(&first);
    let pending = authorize_url(&portal, false, &[("prompt", "select_account")]);
    let flow = authorize_in(&b, &pending.url).await;
    let (_, view) = crate::authorize_errors::get_json(&b, &flow).await;
    assert_eq!(view["step"], "choose_account");
    let shown = view["phone"].as_str().unwrap();
    assert!(
        shown.contains('•') && shown.ends_with(&first[first.len() - 2..]),
        "{shown}"
    );
    assert!(
        !shown.contains(&first[4..first.len() - 2]),
        "masked: {shown}"
    );
    // Nothing else is possible at this step.
    let (status, body) = post_json(
        &b,
        &format!("{flow}/phone"),
        serde_json::json!({"phone": first}),
    )
    .await;
    assert_eq!((status, body["error"].as_str()), (409, Some("wrong_step")));
    let (status, body) = post_json(&b, &format!("{flow}/account"), serde_json::json!({})).await;
    assert_eq!(status, 400, "{body}");
    let (status, done) = post_json(
        &b,
        &format!("{flow}/account"),
        serde_json::json!({"choice": "continue"}),
    )
    .await;
    assert_eq!(
        (status, done["step"].as_str()),
        (200, Some("done")),
        "{done}"
    );
    let back = url::Url::parse(done["redirect_to"].as_str().unwrap()).unwrap();
    assert_eq!(query(&back, "state").unwrap(), *pending.state.secret());
    assert_eq!(
        who(&server, &code_in(&done)).await,
        (sub.clone(), sid, auth_time)
    );
    assert_eq!(server.hook.count_for(&first), sent);

    // Another number: a fresh phone step; the browser then belongs to the other person.
    let pending = authorize_url(&portal, false, &[("prompt", "select_account")]);
    let flow = authorize_in(&b, &pending.url).await;
    let (status, next) = post_json(
        &b,
        &format!("{flow}/account"),
        serde_json::json!({"choice": "other"}),
    )
    .await;
    assert_eq!(
        (status, next["step"].as_str()),
        (200, Some("phone")),
        "{next}"
    );
    assert!(
        next["login_hint"].is_null(),
        "nothing of the first person: {next}"
    );
    let second = fresh_phone();
    let code = send_code(&server, &b, &flow, &second).await;
    let (_, done) = post_json(
        &b,
        &format!("{flow}/code"),
        serde_json::json!({"code": code}),
    )
    .await;
    let (other_sub, _, _) = who(&server, &code_in(&done)).await;
    assert_ne!(other_sub, sub);
    let again = authorize_url(&portal, false, &[("prompt", "none")]);
    let back = url::Url::parse(&authorize_in(&b, &again.url).await).unwrap();
    assert_eq!(
        who(&server, &query(&back, "code").unwrap()).await.0,
        other_sub
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn consent_is_asked_before_the_portal_gets_a_code() {
    let server = default_server().await;
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let b = browser();
    let phone = fresh_phone();

    // Without a session: the login first, then the question.
    let pending = authorize_url(&portal, false, &[("prompt", "consent")]);
    let flow = open_flow(&b, &pending.url).await;
    let code = send_code(&server, &b, &flow, &phone).await;
    let (status, asked) = post_json(
        &b,
        &format!("{flow}/code"),
        serde_json::json!({"code": code}),
    )
    .await;
    assert_eq!(
        (status, asked["step"].as_str()),
        (200, Some("consent")),
        "{asked}"
    );
    assert_eq!(asked["client_name"], "portal portal");
    assert_eq!(asked["scopes"], serde_json::json!(["openid", "phone"]));
    let (status, done) = post_json(
        &b,
        &format!("{flow}/consent"),
        serde_json::json!({"decision": "allow"}),
    )
    .await;
    assert_eq!(
        (status, done["step"].as_str()),
        (200, Some("done")),
        "{done}"
    );
    let (sub, sid, _) = who(&server, &code_in(&done)).await;

    // With the session: the question alone; "Cancel" tells the portal access_denied.
    let pending = authorize_url(&portal, false, &[("prompt", "consent")]);
    let flow = authorize_in(&b, &pending.url).await;
    let (status, declined) = post_json(
        &b,
        &format!("{flow}/consent"),
        serde_json::json!({"decision": "deny"}),
    )
    .await;
    assert_eq!(
        (status, declined["step"].as_str()),
        (200, Some("declined")),
        "{declined}"
    );
    let back = url::Url::parse(declined["redirect_to"].as_str().unwrap()).unwrap();
    assert_eq!(query(&back, "error").as_deref(), Some("access_denied"));
    assert_eq!(query(&back, "state").unwrap(), *pending.state.secret());
    assert_eq!(query(&back, "code"), None);
    // The flow is spent either way.
    let (status, _) = post_json(
        &b,
        &format!("{flow}/consent"),
        serde_json::json!({"decision": "allow"}),
    )
    .await;
    assert_eq!(status, 410);

    // The hosted page: no JavaScript, a form with the CSRF token.
    let pending = authorize_url(&portal, false, &[("prompt", "consent")]);
    let flow = authorize_in(&b, &pending.url).await;
    let (status, html, _) = crate::pages::page(&b, &flow).await;
    assert_eq!(status, 200);
    assert!(html.contains("Allow portal portal?"), "{html}");
    assert!(html.contains("your phone number"), "{html}");
    assert!(
        !html.contains(&phone[4..phone.len() - 2]),
        "masked on the page"
    );
    let forged =
        crate::pages::post_form(&b, &format!("{flow}/consent"), &[("decision", "allow")]).await;
    assert_eq!(forged.status(), 403);
    let csrf = crate::pages::csrf_of(&html);
    let res = crate::pages::post_form(
        &b,
        &format!("{flow}/consent"),
        &[("csrf", &csrf), ("decision", "allow")],
    )
    .await;
    assert_eq!(res.status(), 303);
    let back = url::Url::parse(&location(&res)).unwrap();
    let (again, same_sid, _) = who(&server, &query(&back, "code").unwrap()).await;
    assert_eq!((again, same_sid), (sub, sid));
}
