//! No guessing on the code page: how many tries are left, what a resend did to the code sent
//! before, and a resend button that is off until it may be used, all without JavaScript.

use crate::pages::{csrf_of, page, post_form};
use crate::support::*;
use std::time::Duration;

#[tokio::test]
async fn the_code_page_says_what_is_left_and_what_a_resend_did() {
    let (server, clock) = start_with_clock(|_| {}).await;
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let b = browser();
    let flow = open_flow(&b, &authorize_url(&portal, false, &[]).url).await;
    let (_, html, _) = page(&b, &flow).await;
    let phone = fresh_phone();
    let res = post_form(
        &b,
        &format!("{flow}/phone"),
        &[("csrf", &csrf_of(&html)), ("phone", &phone)],
    )
    .await;
    assert_eq!(res.status(), 303);
    let first = server.hook.last_code_for(&phone);

    // Right after a send, the page says how long until a new code can be asked for, with the
    // button off and a way to load the page again.
    let (_, html, _) = page(&b, &flow).await;
    assert!(
        html.contains(
            r#"You can ask for a new one in <span id="resend-clock" dir="ltr">0:30</span>"#
        ),
        "{html}"
    );
    assert!(html.contains(r#"data-wait="30" disabled>"#), "{html}");
    assert!(
        html.contains(
            &format!(r#"<a id="resend-refresh" href="{flow}">"#).replace(&server.issuer, "")
        ),
        "{html}"
    );

    let wrong = if first == "000000" {
        "111111"
    } else {
        "000000"
    };
    let res = post_form(
        &b,
        &format!("{flow}/code"),
        &[("csrf", &csrf_of(&html)), ("code", wrong)],
    )
    .await;
    assert_eq!(res.status(), 400);
    let html = res.text().await.unwrap();
    assert!(html.contains("You have 4 more tries."), "{html}");
    // Tied to the field, announced, and in the page's title.
    assert!(
        html.contains(r#"aria-describedby="error code-hint" aria-invalid="true""#),
        "{html}"
    );
    assert!(html.contains("<title>Error: Enter your code"), "{html}");

    clock.advance(Duration::from_secs(31));
    let res = post_form(&b, &format!("{flow}/resend"), &[("csrf", &csrf_of(&html))]).await;
    assert_eq!(res.status(), 303);
    let next = absolute(&flow, &location(&res));
    assert!(next.ends_with("?sent=new"), "{next}");
    let (_, html, _) = page(&b, &next).await;
    assert!(
        html.contains("The code sent before no longer works."),
        "{html}"
    );
    assert_ne!(server.hook.last_code_for(&phone), first);
}

#[tokio::test]
async fn the_code_page_says_where_to_look() {
    let server = start(|c| {
        c.branding.whatsapp_sender = Some("Acme Bank".into());
        c.branding.whatsapp_number = Some("+1 555 010 0123".into());
    })
    .await;
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let b = browser();
    let flow = open_flow(&b, &authorize_url(&portal, false, &[]).url).await;
    send_code(&server, &b, &flow, &fresh_phone()).await;
    let (_, html, _) = page(&b, &flow).await;
    assert!(
        html.contains("Look for a message from Acme Bank in WhatsApp."),
        "{html}"
    );
    assert!(
        html.contains(r#"<a href="https://wa.me/15550100123">Open WhatsApp</a>"#),
        "{html}"
    );
}

#[tokio::test]
async fn a_login_that_ended_offers_to_start_again_or_go_back() {
    let server = default_server().await;
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let pending = authorize_url(&portal, true, &[("ui_locales", "es")]);
    let b = browser();
    let flow = open_flow(&b, &pending.url).await;
    let code = send_code(&server, &b, &flow, &fresh_phone()).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let mut last = serde_json::Value::Null;
    for _ in 0..5 {
        last = post_json(
            &b,
            &format!("{flow}/code"),
            serde_json::json!({"code": wrong}),
        )
        .await
        .1;
    }
    assert_eq!(last["attempts_left"], 0, "{last}");
    let again = last["start_again"].as_str().unwrap().to_owned();
    let back = last["back_to"].as_str().unwrap().to_owned();

    // The same request anew: the portal's state and PKCE challenge come along.
    let state = pending.state.secret();
    assert!(again.contains(&format!("state={state}")), "{again}");
    assert!(again.contains("code_challenge="), "{again}");
    assert!(again.contains("ui_locales=es"), "{again}");
    let res = b.get(&again).send().await.unwrap();
    assert_eq!(res.status(), 303);
    assert!(location(&res).contains("/login/"), "a new login opens");
    // Back to the portal, which hears why.
    let back = url::Url::parse(&back).unwrap();
    assert!(back.as_str().starts_with(CALLBACK), "{back}");
    assert_eq!(query(&back, "error").as_deref(), Some("access_denied"));
    assert_eq!(query(&back, "state").as_deref(), Some(state.as_str()));
    assert_eq!(query(&back, "iss").as_deref(), Some(server.issuer.as_str()));

    // The ended login's page links both ways, in the person's language.
    let (status, html, _) = page(&b, &flow).await;
    assert_eq!(status, 410);
    assert!(
        html.contains("Empezar de nuevo") && html.contains("Volver a portal portal"),
        "{html}"
    );

    // Another browser with the same address learns nothing of the request.
    let (_, elsewhere, _) = page(&browser(), &flow).await;
    assert!(!elsewhere.contains("code_challenge"), "{elsewhere}");
    assert!(!elsewhere.contains(state.as_str()), "{elsewhere}");
}

#[tokio::test]
async fn the_only_script_is_optional_and_allowed_by_its_hash() {
    use base64::Engine;
    use sha2::Digest;
    // A clock of the test's own: the wait shown is the full one, whatever the real time.
    let (server, _clock) = start_with_clock(|_| {}).await;
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let b = browser();
    let flow = open_flow(&b, &authorize_url(&portal, false, &[]).url).await;
    send_code(&server, &b, &flow, &fresh_phone()).await;
    let res = b.get(&flow).send().await.unwrap();
    let csp = res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    let html = res.text().await.unwrap();
    // The server sends the button off (and refuses an early resend anyway); the script
    // counts down and turns it on.
    assert!(html.contains(r#"data-wait="30""#), "{html}");
    let script = html
        .split("<script>")
        .nth(1)
        .and_then(|rest| rest.split("</script>").next())
        .expect("the code page carries its script");
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(script));
    assert!(
        csp.contains(&format!("script-src 'sha256-{hash}'")),
        "{csp}"
    );
    assert!(csp.contains("default-src 'none'"), "{csp}");
    // The phone page has no script at all.
    let flow = open_flow(&b, &authorize_url(&portal, false, &[]).url).await;
    let (_, html, _) = page(&b, &flow).await;
    assert!(!html.contains("<script"), "{html}");
}
