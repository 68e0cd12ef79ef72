//! Numbers as people type them: a country picked on the form (offered from their language),
//! national formats, digits of any script in numbers and codes, and numbers shown grouped.

use crate::support::*;
use serde_json::json;

/// `digits` in Arabic-Indic script.
pub(crate) fn arabic_indic(digits: &str) -> String {
    digits
        .chars()
        .map(|c| {
            c.to_digit(10)
                .and_then(|d| char::from_u32(0x0660 + d))
                .unwrap_or(c)
        })
        .collect()
}

#[tokio::test]
async fn a_national_number_in_the_picked_country_and_a_code_in_arabic_digits() {
    let server = default_server().await;
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let b = browser();
    let flow = open_flow(&b, &authorize_url(&portal, false, &[]).url).await;
    let (status, sent) = post_json(
        &b,
        &format!("{flow}/phone"),
        json!({"phone": "(11) 91234-5678", "country": "BR"}),
    )
    .await;
    assert_eq!(status, 200, "{sent}");
    let code = server.hook.last_code_for("+5511912345678");

    // The code page shows the number grouped as people read it.
    let html = b.get(&flow).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("+55 11 91234-5678"), "{html}");
    // "Use a different number" takes national numbers too, in the country picked before.
    let other = html.split("<details>").nth(1).unwrap();
    assert!(
        other.contains(r#"<select id="country" name="country">"#)
            && other.contains(r#"<option value="BR" selected>"#),
        "{other}"
    );

    let (status, done) = post_json(
        &b,
        &format!("{flow}/code"),
        json!({"code": arabic_indic(&code)}),
    )
    .await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["step"], "done");
}

#[tokio::test]
async fn the_form_offers_the_country_of_the_persons_language() {
    let server = start(|c| c.login.allowed_countries = vec!["BR".into(), "IN".into()]).await;
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let b = browser();
    let flow = open_flow(
        &b,
        &authorize_url(&portal, false, &[("ui_locales", "hi")]).url,
    )
    .await;
    let html = b.get(&flow).send().await.unwrap().text().await.unwrap();
    assert!(
        html.contains(r#"<option value="IN" selected>🇮🇳 IN +91</option>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<option value="BR">🇧🇷 BR +55</option>"#),
        "{html}"
    );
    assert!(
        !html.contains(r#"value="US""#),
        "only the allowed countries: {html}"
    );
    // The example follows the country, as people there write numbers.
    assert!(html.contains("placeholder=\"0"), "{html}");

    // A country that may not sign in is refused as such.
    let (status, body) = post_json(
        &b,
        &format!("{flow}/phone"),
        json!({"phone": "415 555 0100", "country": "US"}),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("phone_not_allowed")),
        "{body}"
    );
}
