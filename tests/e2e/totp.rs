//! Authenticator apps end to end: enrollment on the account API, sign-in with the app's code
//! or a recovery code, two-factor step-up with `acr`/`amr` checked in the ID token, removal.
//! Codes are computed here by an RFC 6238 implementation of the test's own (HMAC-SHA-1 and
//! dynamic truncation), not by the library the server uses.

use crate::support::*;
use hmac::{Hmac, Mac};
use openidconnect::TokenResponse;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;
use wagate_storage::{Clock, ManualClock};

pub(crate) const MFA: &str = "urn:wagate:acr:mfa";
const ONE_FACTOR: &str = "urn:wagate:acr:1fa";

/// A portal's demand for both factors: the essential `acr` claim (OIDC Core §5.5.1.1).
/// `acr_values` alone is only a preference.
pub(crate) const MFA_DEMAND: (&str, &str) = (
    "claims",
    r#"{"id_token":{"acr":{"essential":true,"values":["urn:wagate:acr:mfa"]}}}"#,
);

/// RFC 6238 with SHA-1, 6 digits, 30-second steps.
pub(crate) fn totp(secret: &[u8], unix: i64) -> String {
    let step = u64::try_from(unix).unwrap() / 30;
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(secret).unwrap();
    mac.update(&step.to_be_bytes());
    let h = mac.finalize().into_bytes();
    let offset = usize::from(h[19] & 0x0f);
    let value = u32::from_be_bytes([
        h[offset] & 0x7f,
        h[offset + 1],
        h[offset + 2],
        h[offset + 3],
    ]);
    format!("{:06}", value % 1_000_000)
}

#[test]
fn the_test_implementation_matches_rfc_6238() {
    // Appendix B, SHA-1, last six of the eight published digits.
    let key = b"12345678901234567890";
    assert_eq!(totp(key, 59), "287082");
    assert_eq!(totp(key, 1_111_111_109), "081804");
    assert_eq!(totp(key, 2_000_000_000), "279037");
}

pub(crate) fn now(clock: &ManualClock) -> i64 {
    clock.now().secs()
}

pub(crate) async fn get_json(b: &reqwest::Client, url: &str) -> (u16, Value) {
    json_answer(b.get(url)).await
}

async fn delete_json(b: &reqwest::Client, url: &str) -> (u16, Value) {
    json_answer(b.delete(url)).await
}

/// A six-digit code that is not `right`.
fn other_than(right: &str) -> String {
    format!("{:06}", (right.parse::<u32>().unwrap() + 1) % 1_000_000)
}

/// An enrolled person: their number, the browser holding their session, the secret and the
/// recovery codes.
pub(crate) struct Enrolled {
    pub phone: String,
    pub browser: reqwest::Client,
    pub secret: Vec<u8>,
    pub recovery: Vec<String>,
}

/// Logs `phone` in with WhatsApp in a new browser, then adds an authenticator on the account
/// API, confirming with a code of the current step.
pub(crate) async fn enroll(server: &TestServer, clock: &ManualClock, rp: &Rp) -> Enrolled {
    let phone = fresh_phone();
    let b = browser();
    login_in(server, &b, rp, &phone, &[]).await;
    let account = format!("{}/account", server.public);

    let (status, started) = post_json(&b, &format!("{account}/totp"), json!({})).await;
    assert_eq!(status, 200, "{started}");
    let uri = url::Url::parse(started["otpauth_uri"].as_str().unwrap()).unwrap();
    assert_eq!(uri.scheme(), "otpauth");
    assert_eq!(uri.host_str(), Some("totp"));
    let param = |k: &str| query(&uri, k);
    assert_eq!(param("issuer").as_deref(), Some("wagate"));
    assert_eq!(param("algorithm").as_deref(), Some("SHA1"));
    assert_eq!(param("digits").as_deref(), Some("6"));
    assert_eq!(param("period").as_deref(), Some("30"));
    assert_eq!(param("secret").as_deref(), started["secret"].as_str());
    assert!(
        started["qr"]
            .as_str()
            .unwrap()
            .starts_with("data:image/png;base64,"),
        "a QR code image"
    );
    let secret = base32::decode(
        base32::Alphabet::Rfc4648 { padding: false },
        started["secret"].as_str().unwrap(),
    )
    .unwrap();
    assert_eq!(secret.len(), 20, "160-bit secret");

    // Wrong code: nothing is activated.
    let right = totp(&secret, now(clock));
    let wrong = other_than(&right);
    let (status, body) = post_json(
        &b,
        &format!("{account}/totp/confirm"),
        json!({"code": wrong}),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_code"))
    );
    let (_, state) = get_json(&b, &account).await;
    assert_eq!(state["totp"]["active"], false);

    let (status, confirmed) = post_json(
        &b,
        &format!("{account}/totp/confirm"),
        json!({"code": right}),
    )
    .await;
    assert_eq!(status, 200, "{confirmed}");
    let recovery: Vec<String> = confirmed["recovery_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(recovery.len(), 10);
    Enrolled {
        phone,
        browser: b,
        secret,
        recovery,
    }
}

/// A server whose clock the test moves, its `portal`, and a person enrolled there.
pub(crate) async fn enrolled(
    tweak: impl FnOnce(&mut wagate_server::config::Config),
) -> (TestServer, Arc<ManualClock>, Rp, Enrolled) {
    let (server, clock) = start_with_clock(tweak).await;
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let person = enroll(&server, &clock, &portal).await;
    (server, clock, portal, person)
}

/// The account page's own sign-in: the flow it opens.
async fn account_sign_in(b: &reqwest::Client, account: &str) -> String {
    let res = b.get(format!("{account}/login")).send().await.unwrap();
    assert_eq!(res.status(), 303);
    absolute(account, &location(&res))
}

/// A client `strict` that needs both factors for every login.
pub(crate) fn add_strict_client(config: &mut wagate_server::config::Config) {
    let mut strict = client("strict", Some(PORTAL_SECRET), None);
    strict.require_mfa = true;
    config.clients.push(strict);
}

/// `acr` and `amr` of the ID token the portal gets for `code`, verified by the OIDC library.
pub(crate) async fn acr_amr(rp: &Rp, code: &str, pending: &Pending) -> (String, Vec<String>) {
    let tokens = redeem(rp, code, None).await;
    let claims = tokens
        .id_token()
        .unwrap()
        .claims(&rp.id_token_verifier(), &pending.nonce)
        .expect("ID token verifies")
        .clone();
    let acr = claims.auth_context_ref().unwrap().as_str().to_owned();
    let amr = claims
        .auth_method_refs()
        .unwrap()
        .iter()
        .map(|a| a.to_string())
        .collect();
    (acr, amr)
}

pub(crate) fn code_of(redirect: &Value) -> String {
    let back = url::Url::parse(redirect["redirect_to"].as_str().unwrap()).unwrap();
    query(&back, "code").unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enrollment_needs_a_session_and_shows_the_secret_once() {
    let (server, clock) = start_with_clock(|_| {}).await;
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let account = format!("{}/account", server.public);

    let stranger = browser();
    let (status, body) = post_json(&stranger, &format!("{account}/totp"), json!({})).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("login_required"))
    );
    let (status, _) = get_json(&stranger, &account).await;
    assert_eq!(status, 401);

    let person = enroll(&server, &clock, &portal).await;
    let (status, state) = get_json(&person.browser, &account).await;
    assert_eq!(status, 200);
    assert_eq!(state["phone"], person.phone.as_str());
    assert_eq!(state["totp"]["active"], true);
    assert_eq!(state["totp"]["recovery_codes_left"], 10);
    let encoded = base32::encode(base32::Alphabet::Rfc4648 { padding: false }, &person.secret);
    assert!(!state.to_string().contains(&encoded), "never shown again");
    let page = person
        .browser
        .get(&account)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!page.contains(&encoded), "not on the page either");

    // One authenticator at a time.
    let (status, body) = post_json(&person.browser, &format!("{account}/totp"), json!({})).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("already_enrolled"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_app_code_signs_in_without_whatsapp_once_per_step() {
    let (server, clock, portal, person) = enrolled(|_| {}).await;
    let sent = server.hook.count_for(&person.phone);

    // The confirming code is spent; the next step's code (one step ahead) signs in.
    let b = browser();
    let pending = authorize_url(&portal, false, &[]);
    let flow = open_flow(&b, &pending.url).await;
    let (_, view) = get_json(&b, &flow).await;
    assert_eq!(view["authenticator"], true, "offered next to WhatsApp");
    let confirming = totp(&person.secret, now(&clock));
    let (status, body) = post_json(
        &b,
        &format!("{flow}/totp"),
        json!({"phone": person.phone, "code": confirming}),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_code"))
    );
    assert_eq!(body["attempts_left"], 4);

    let next = totp(&person.secret, now(&clock) + 30);
    let (status, done) = post_json(
        &b,
        &format!("{flow}/totp"),
        json!({"phone": person.phone, "code": next}),
    )
    .await;
    assert_eq!(
        (status, done["step"].as_str()),
        (200, Some("done")),
        "{done}"
    );
    assert_eq!(
        server.hook.count_for(&person.phone),
        sent,
        "no WhatsApp message"
    );
    let (acr, amr) = acr_amr(&portal, &code_of(&done), &pending).await;
    assert_eq!(acr, ONE_FACTOR);
    assert_eq!(amr, vec!["otp"]);

    // The same code again, in another login: refused like any wrong code.
    let b2 = browser();
    let flow2 = open_flow(&b2, &authorize_url(&portal, false, &[]).url).await;
    let (status, replay) = post_json(
        &b2,
        &format!("{flow2}/totp"),
        json!({"phone": person.phone, "code": next}),
    )
    .await;
    assert_eq!(
        (status, replay["error"].as_str()),
        (400, Some("invalid_code"))
    );

    // A number without an authenticator gets the very same answer.
    let (status, unknown) = post_json(
        &b2,
        &format!("{flow2}/totp"),
        json!({"phone": fresh_phone(), "code": next}),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(unknown["error"], replay["error"]);
    assert_eq!(unknown["error_description"], replay["error_description"]);
    assert!(
        unknown["error_description"]
            .as_str()
            .unwrap()
            .contains("authenticator app"),
        "a wrong app code talks about the app, not a message: {unknown}"
    );
    assert_eq!(unknown["attempts_left"], 3, "and it costs an attempt");

    // Once the clock moves on, the next code works again.
    clock.advance(Duration::from_secs(60));
    let later = totp(&person.secret, now(&clock));
    let (status, done) = post_json(
        &b2,
        &format!("{flow2}/totp"),
        json!({"phone": person.phone, "code": later}),
    )
    .await;
    assert_eq!(status, 200, "{done}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recovery_code_stands_in_once() {
    let (server, _clock, portal, person) = enrolled(|_| {}).await;
    let code = person.recovery[3].to_uppercase().replace('-', " ");

    let b = browser();
    let pending = authorize_url(&portal, false, &[]);
    let flow = open_flow(&b, &pending.url).await;
    let (status, done) = post_json(
        &b,
        &format!("{flow}/totp"),
        json!({"phone": person.phone, "code": code}),
    )
    .await;
    assert_eq!(status, 200, "{done}");
    let (acr, amr) = acr_amr(&portal, &code_of(&done), &pending).await;
    assert_eq!(
        (acr.as_str(), amr),
        (ONE_FACTOR, vec!["recovery".to_owned()])
    );

    // A new browser: this one's session would answer without a login.
    let b = browser();
    let flow = open_flow(&b, &authorize_url(&portal, false, &[]).url).await;
    let (status, again) = post_json(
        &b,
        &format!("{flow}/totp"),
        json!({"phone": person.phone, "code": person.recovery[3]}),
    )
    .await;
    assert_eq!(
        (status, again["error"].as_str()),
        (400, Some("invalid_code"))
    );
    let (_, state) = get_json(&person.browser, &format!("{}/account", server.public)).await;
    assert_eq!(state["totp"]["recovery_codes_left"], 9);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mfa_requests_need_both_factors_and_say_so_in_the_id_token() {
    let (server, clock) = start_with_clock(|_| {}).await;
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let meta = metadata(&server).await;
    assert_eq!(meta["acr_values_supported"], json!([ONE_FACTOR, MFA]));
    let person = enroll(&server, &clock, &portal).await;

    // A new browser: WhatsApp code first, then the app.
    let b = browser();
    let pending = authorize_url(&portal, false, &[("acr_values", MFA)]);
    let flow = open_flow(&b, &pending.url).await;
    let code = send_code(&server, &b, &flow, &person.phone).await;
    let (status, next) = post_json(&b, &format!("{flow}/code"), json!({"code": code})).await;
    assert_eq!(
        (status, next["step"].as_str()),
        (200, Some("totp")),
        "{next}"
    );
    let (_, view) = get_json(&b, &flow).await;
    assert_eq!(view["step"], "totp");
    let (status, done) = post_json(
        &b,
        &format!("{flow}/totp"),
        json!({"code": totp(&person.secret, now(&clock) + 30)}),
    )
    .await;
    assert_eq!(status, 200, "{done}");
    let (acr, amr) = acr_amr(&portal, &code_of(&done), &pending).await;
    assert_eq!(acr, MFA);
    assert_eq!(amr, vec!["whatsapp", "otp", "mfa"]);

    // The enrolling browser's session proved WhatsApp only: it is asked for the app alone.
    let sent = server.hook.count_for(&person.phone);
    let pending = authorize_url(&portal, false, &[("acr_values", MFA)]);
    let flow = open_flow(&person.browser, &pending.url).await;
    let (_, view) = get_json(&person.browser, &flow).await;
    assert_eq!(view["step"], "totp", "only what is missing");
    clock.advance(Duration::from_secs(60));
    let (status, done) = post_json(
        &person.browser,
        &format!("{flow}/totp"),
        json!({"code": totp(&person.secret, now(&clock))}),
    )
    .await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(
        server.hook.count_for(&person.phone),
        sent,
        "no WhatsApp code"
    );
    let (acr, amr) = acr_amr(&portal, &code_of(&done), &pending).await;
    assert_eq!((acr.as_str(), amr.len()), (MFA, 3));

    // Now the session holds both: the next MFA request is answered at once.
    let pending = authorize_url(&portal, false, &[("acr_values", MFA)]);
    let res = person.browser.get(&pending.url).send().await.unwrap();
    let back = url::Url::parse(&absolute(&pending.url, &location(&res))).unwrap();
    assert!(back.as_str().starts_with(CALLBACK), "{back}");
    let (acr, _) = acr_amr(&portal, &query(&back, "code").unwrap(), &pending).await;
    assert_eq!(acr, MFA);

    // The app first, under MFA: then the WhatsApp code, for the same number only.
    let b = browser();
    let pending = authorize_url(&portal, false, &[("acr_values", MFA)]);
    let flow = open_flow(&b, &pending.url).await;
    clock.advance(Duration::from_secs(30));
    let (status, next) = post_json(
        &b,
        &format!("{flow}/totp"),
        json!({"phone": person.phone, "code": totp(&person.secret, now(&clock))}),
    )
    .await;
    assert_eq!(status, 200, "{next}");
    assert_eq!(next["step"], "phone");
    assert_eq!(next["phone_locked"], true);
    assert_eq!(next["login_hint"], person.phone.as_str());
    assert_eq!(next["authenticator"], false);
    let (status, other) = post_json(
        &b,
        &format!("{flow}/phone"),
        json!({"phone": fresh_phone()}),
    )
    .await;
    assert_eq!(
        (status, other["error"].as_str()),
        (400, Some("wrong_number"))
    );
    let code = send_code(&server, &b, &flow, &person.phone).await;
    let (status, done) = post_json(&b, &format!("{flow}/code"), json!({"code": code})).await;
    assert_eq!(status, 200, "{done}");
    let (acr, amr) = acr_amr(&portal, &code_of(&done), &pending).await;
    assert_eq!(acr, MFA);
    assert_eq!(amr, vec!["otp", "whatsapp", "mfa"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mfa_demanded_without_an_authenticator_is_unmet() {
    let server = start(|c| {
        add_strict_client(c);
    })
    .await;
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let strict = rp(&server, "strict", Some(PORTAL_SECRET)).await;
    for (rp, extra) in [(&portal, &[MFA_DEMAND][..]), (&strict, &[][..])] {
        let b = browser();
        let phone = fresh_phone();
        let pending = authorize_url(rp, false, extra);
        let flow = open_flow(&b, &pending.url).await;
        let code = send_code(&server, &b, &flow, &phone).await;
        let (status, refused) = post_json(&b, &format!("{flow}/code"), json!({"code": code})).await;
        assert_eq!(status, 403, "{refused}");
        assert_eq!(refused["error"], "authenticator_required");
        assert!(
            refused["error_description"]
                .as_str()
                .unwrap()
                .contains("authenticator app")
        );
        let back = url::Url::parse(refused["redirect_to"].as_str().unwrap()).unwrap();
        assert!(back.as_str().starts_with(CALLBACK));
        assert_eq!(
            query(&back, "error").as_deref(),
            Some("unmet_authentication_requirements")
        );
        assert_eq!(query(&back, "state").unwrap(), *pending.state.secret());
        assert_eq!(query(&back, "code"), None);
        // What was proven opened a session: the account page can add an authenticator now.
        let (status, state) = get_json(&b, refused["account"].as_str().unwrap()).await;
        assert_eq!(
            (status, state["phone"].as_str()),
            (200, Some(phone.as_str()))
        );
        assert_eq!(state["fresh_login"], true);
        let (status, _) =
            post_json(&b, &format!("{}/account/totp", server.public), json!({})).await;
        assert_eq!(status, 200);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acr_values_are_a_preference_never_an_error() {
    let server = default_server().await;
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    // Every supported value, as the conformance suite sends them, and MFA alone: a person
    // without an authenticator signs in with one factor, and the ID token says so.
    for values in [format!("{ONE_FACTOR} {MFA}"), MFA.to_owned()] {
        let pending = authorize_url(&portal, false, &[("acr_values", &values)]);
        let back = login_json(&server, &browser(), &pending.url, &fresh_phone()).await;
        assert!(query(&back, "error").is_none(), "{back}");
        let (acr, amr) = acr_amr(&portal, &query(&back, "code").unwrap(), &pending).await;
        assert_eq!(
            (acr.as_str(), amr),
            (ONE_FACTOR, vec!["whatsapp".to_owned()])
        );
    }
    // An essential class nobody offers is refused before any code is sent.
    let pending = authorize_url(
        &portal,
        false,
        &[(
            "claims",
            r#"{"id_token":{"acr":{"essential":true,"values":["urn:other:gold"]}}}"#,
        )],
    );
    let res = browser().get(&pending.url).send().await.unwrap();
    let back = url::Url::parse(&location(&res)).unwrap();
    assert_eq!(
        query(&back, "error").as_deref(),
        Some("unmet_authentication_requirements")
    );
    let meta = metadata(&server).await;
    assert_eq!(meta["claims_parameter_supported"], true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn removal_needs_a_recent_login_and_ends_authenticator_sign_in() {
    let (server, clock, portal, person) = enrolled(|_| {}).await;
    let account = format!("{}/account", server.public);

    clock.advance(Duration::from_secs(601));
    let (status, stale) = delete_json(&person.browser, &format!("{account}/totp")).await;
    assert_eq!(
        (status, stale["error"].as_str()),
        (403, Some("reauthentication_required"))
    );
    let (_, state) = get_json(&person.browser, &account).await;
    assert_eq!(
        (
            state["totp"]["active"].as_bool(),
            state["fresh_login"].as_bool()
        ),
        (Some(true), Some(false))
    );

    // Sign in again for the account page itself: no portal, back to /account.
    let flow = account_sign_in(&person.browser, &account).await;
    let code = send_code(&server, &person.browser, &flow, &person.phone).await;
    let (status, done) = post_json(
        &person.browser,
        &format!("{flow}/code"),
        json!({"code": code}),
    )
    .await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["redirect_to"], account.as_str());

    // Fresh, but by WhatsApp alone: that must not be enough to take the second factor away.
    let (status, refused) = delete_json(&person.browser, &format!("{account}/totp")).await;
    assert_eq!(
        (status, refused["error"].as_str()),
        (403, Some("reauthentication_required"))
    );
    let (_, state) = get_json(&person.browser, &account).await;
    assert_eq!(
        (
            state["fresh_login"].as_bool(),
            state["can_remove"].as_bool()
        ),
        (Some(true), Some(false))
    );

    // Signed in with the app: now it may go.
    let flow = account_sign_in(&person.browser, &account).await;
    let (status, done) = post_json(
        &person.browser,
        &format!("{flow}/totp"),
        json!({"phone": person.phone, "code": totp(&person.secret, now(&clock))}),
    )
    .await;
    assert_eq!(
        (status, done["redirect_to"].as_str()),
        (200, Some(account.as_str()))
    );
    let (status, removed) = delete_json(&person.browser, &format!("{account}/totp")).await;
    assert_eq!((status, removed["active"].as_bool()), (200, Some(false)));
    let (status, again) = delete_json(&person.browser, &format!("{account}/totp")).await;
    assert_eq!(
        (status, again["error"].as_str()),
        (404, Some("not_enrolled"))
    );

    clock.advance(Duration::from_secs(30));
    let b = browser();
    let flow = open_flow(&b, &authorize_url(&portal, false, &[]).url).await;
    let (status, refused) = post_json(
        &b,
        &format!("{flow}/totp"),
        json!({"phone": person.phone, "code": totp(&person.secret, now(&clock))}),
    )
    .await;
    assert_eq!(
        (status, refused["error"].as_str()),
        (400, Some("invalid_code"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_codes_for_a_number_are_limited_across_logins() {
    let (server, clock, portal, person) =
        enrolled(|c| c.totp.failures_per_number_per_hour = 2).await;
    let right = totp(&person.secret, now(&clock) + 30);
    let wrong = other_than(&right);
    for phone in [person.phone.as_str(), &fresh_phone()] {
        for _ in 0..2 {
            // A new login each time: the per-login attempts are not what stops this.
            let b = browser();
            let flow = open_flow(&b, &authorize_url(&portal, false, &[]).url).await;
            let (status, _) = post_json(
                &b,
                &format!("{flow}/totp"),
                json!({"phone": phone, "code": wrong}),
            )
            .await;
            assert_eq!(status, 400);
        }
        let b = browser();
        let flow = open_flow(&b, &authorize_url(&portal, false, &[]).url).await;
        let (status, locked) = post_json(
            &b,
            &format!("{flow}/totp"),
            json!({"phone": phone, "code": right}),
        )
        .await;
        assert_eq!(
            (status, locked["error"].as_str()),
            (429, Some("too_many_attempts")),
            "{phone}"
        );
    }
    // WhatsApp still works for the locked number.
    let b = browser();
    login_in(&server, &b, &portal, &person.phone, &[]).await;
}
