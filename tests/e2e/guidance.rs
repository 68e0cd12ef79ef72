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

    // Right after a send, asking again is switched off by the page itself.
    let (_, html, _) = page(&b, &flow).await;
    assert!(
        html.contains("Send a new code") && html.contains(" disabled>"),
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
