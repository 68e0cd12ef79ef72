//! Authenticator apps on the hosted pages, as a browser without JavaScript uses them: the
//! account page's set-up with its QR code, the two-factor login, the refusal page, removal.

use crate::pages::{csrf_of, page, post_form};
use crate::support::*;
use crate::totp::{now, totp};
use regex::Regex;

const MFA: &str = "urn:wagate:acr:mfa";

/// The first group of `pattern` in `html`.
pub(crate) fn capture(html: &str, pattern: &str) -> String {
    Regex::new(pattern)
        .unwrap()
        .captures(html)
        .unwrap_or_else(|| panic!("no {pattern} in {html}"))[1]
        .to_owned()
}

/// Posts a form and follows its 303 once; the page it lands on.
async fn submit(b: &reqwest::Client, url: &str, form: &[(&str, &str)]) -> (u16, String, String) {
    let res = post_form(b, url, form).await;
    if res.status() == 303 {
        let next = absolute(url, &location(&res));
        let (status, html, _) = page(b, &next).await;
        return (status, html, next);
    }
    let status = res.status().as_u16();
    (status, res.text().await.unwrap(), url.to_owned())
}

/// On the flow's pages: the phone form, then the WhatsApp code the gateway got. Answers the
/// page's CSRF token and the code post's raw answer.
async fn whatsapp_on_pages(
    server: &TestServer,
    b: &reqwest::Client,
    flow: &str,
    phone: &str,
) -> (String, reqwest::Response) {
    let (_, html, _) = page(b, flow).await;
    let csrf = csrf_of(&html);
    submit(
        b,
        &format!("{flow}/phone"),
        &[("csrf", &csrf), ("phone", phone)],
    )
    .await;
    let code = server.hook.last_code_for(phone);
    let res = post_form(
        b,
        &format!("{flow}/code"),
        &[("csrf", &csrf), ("code", &code)],
    )
    .await;
    (csrf, res)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_sets_up_an_authenticator_and_uses_it_on_the_pages() {
    let (server, clock) = start_with_clock(|_| {}).await;
    let account = format!("{}/account", server.public);
    let b = browser();
    let phone = fresh_phone();

    // Not signed in: the account page offers a sign-in of its own.
    let (status, html, _) = page(&b, &account).await;
    assert_eq!(status, 401);
    assert!(html.contains("/account/login"), "{html}");
    let res = b.get(format!("{account}/login")).send().await.unwrap();
    assert_eq!(res.status(), 303);
    let flow = absolute(&account, &location(&res));
    let (_, html, _) = page(&b, &flow).await;
    assert!(html.contains("your account"), "{html}");
    let (_, res) = whatsapp_on_pages(&server, &b, &flow, &phone).await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), account);

    // Set up: the QR code and the key for typing, then the app's code.
    let (status, html, _) = page(&b, &account).await;
    assert_eq!(status, 200);
    assert!(
        html.contains(&phone) && html.contains("Set up an authenticator app"),
        "{html}"
    );
    let csrf = csrf_of(&html);
    let (status, html, _) = submit(&b, &format!("{account}/totp"), &[("csrf", &csrf)]).await;
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains(r#"<img src="data:image/png;base64,"#),
        "{html}"
    );
    // The key, shown in groups of four for people who type it by hand.
    let grouped = capture(&html, r"<code[^>]*>([A-Z2-7 ]+)</code>");
    let key = grouped.replace(' ', "");
    assert!(grouped.split(' ').all(|g| g.len() <= 4), "{grouped}");
    assert!(html.contains(r#"<a href="otpauth://totp/"#), "{html}");
    let secret = base32::decode(base32::Alphabet::Rfc4648 { padding: false }, &key).unwrap();

    let (status, html, _) = submit(
        &b,
        &format!("{account}/totp/confirm"),
        &[("csrf", &csrf), ("code", "000000")],
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        html.contains("not right") && html.contains(&grouped),
        "the set-up stays on the page"
    );
    let right = totp(&secret, now(&clock));
    let (status, html, _) = submit(
        &b,
        &format!("{account}/totp/confirm"),
        &[("csrf", &csrf), ("code", &right)],
    )
    .await;
    assert_eq!(status, 200, "{html}");
    let codes = capture(&html, r"<pre[^>]*>([^<]+)</pre>");
    assert_eq!(
        codes.lines().filter(|l| l.len() == 19).count(),
        10,
        "{codes}"
    );
    // Kept before going on: a text file to save, and a box to tick.
    assert!(
        html.contains(r#"download="recovery-codes.txt" href="data:text/plain;charset=utf-8,"#),
        "{html}"
    );
    assert!(
        html.contains(r#"type="checkbox" name="kept" value="1" required"#),
        "{html}"
    );
    let (_, html, _) = page(&b, &account).await;
    assert!(html.contains("An authenticator app is active") && !html.contains(&grouped));

    // A portal asking for two factors, in another browser: phone, WhatsApp code, app code.
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let other = browser();
    let pending = authorize_url(&portal, false, &[("acr_values", MFA)]);
    let flow = open_flow(&other, &pending.url).await;
    let (_, html, _) = page(&other, &flow).await;
    assert!(html.contains("Use my authenticator app instead"), "{html}");
    let (csrf, res) = whatsapp_on_pages(&server, &other, &flow, &phone).await;
    assert_eq!(res.status(), 303);
    let (_, html, _) = page(&other, &absolute(&flow, &location(&res))).await;
    assert!(html.contains("One more step"), "{html}");
    let app = totp(&secret, now(&clock) + 30);
    let res = post_form(
        &other,
        &format!("{flow}/totp"),
        &[("csrf", &csrf), ("code", &app)],
    )
    .await;
    assert_eq!(res.status(), 303);
    let back = url::Url::parse(&location(&res)).unwrap();
    assert!(back.as_str().starts_with(CALLBACK), "{back}");
    let tokens = redeem(&portal, &query(&back, "code").unwrap(), None).await;
    let id = claims_of(
        &openidconnect::TokenResponse::id_token(&tokens)
            .unwrap()
            .to_string(),
    );
    assert_eq!(id["acr"], MFA);

    // Removal, from the page: not offered to the WhatsApp-only login, offered to the one that
    // used the app.
    let (_, html, _) = page(&b, &account).await;
    assert!(!html.contains("/account/totp/remove"), "{html}");
    let (_, html, _) = page(&other, &account).await;
    let csrf = csrf_of(&html);
    let (status, html, _) = submit(
        &other,
        &format!("{account}/totp/remove"),
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(status, 200);
    assert!(html.contains("removed"), "{html}");
    // A forged form (no token) is refused.
    let res = post_form(&b, &format!("{account}/totp"), &[]).await;
    assert_eq!(res.status(), 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_explains_a_missing_authenticator_and_returns_unmet_requirements() {
    let server = default_server().await;
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let b = browser();
    let phone = fresh_phone();
    let pending = authorize_url(&portal, false, &[crate::totp::MFA_DEMAND]);
    let flow = open_flow(&b, &pending.url).await;
    let (_, res) = whatsapp_on_pages(&server, &b, &flow, &phone).await;
    assert_eq!(res.status(), 403);
    let html = res.text().await.unwrap();
    assert!(html.contains("Authenticator app needed"), "{html}");
    assert!(html.contains("/account"), "offers the set-up");
    let back = capture(&html, r#"href="(http://127\.0\.0\.1:3000/callback[^"]+)""#)
        .replace("&amp;", "&")
        .replace("&#38;", "&");
    let back = url::Url::parse(&back).unwrap();
    assert_eq!(
        query(&back, "error").as_deref(),
        Some("unmet_authentication_requirements")
    );
    assert_eq!(query(&back, "state").unwrap(), *pending.state.secret());
}
