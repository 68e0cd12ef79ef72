//! People's languages: chosen from the portal's `ui_locales`, then the browser's
//! `Accept-Language`, then the configured default; offered in discovery; used in the login
//! API's errors and in the text of the code message; extended by an operator's directory.

use crate::support::*;
use serde_json::{Value, json};

async fn invalid_phone(
    server: &TestServer,
    extra: &[(&str, &str)],
    accept: Option<&str>,
) -> (Value, reqwest::Client, String) {
    let portal = rp(server, "portal", Some(PORTAL_SECRET)).await;
    let b = browser();
    let flow = open_flow(&b, &authorize_url(&portal, false, extra).url).await;
    let mut req = b
        .post(format!("{flow}/phone"))
        .json(&json!({"phone": "12"}));
    if let Some(a) = accept {
        req = req.header("Accept-Language", a);
    }
    let (status, body) = json_answer(req).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body["error"], "invalid_phone",
        "the code stays the same in every language"
    );
    (body, b, flow)
}

/// `url` as a browser that asks for `languages` sees it.
async fn page_in(b: &reqwest::Client, url: &str, languages: &str) -> String {
    let res = b.get(url).header("Accept-Language", languages).send().await;
    res.unwrap().text().await.unwrap()
}

fn description(body: &Value) -> String {
    body["error_description"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn the_login_api_answers_in_the_persons_language() {
    let server = start(|c| c.i18n.default_language = "fr".into()).await;
    let meta = metadata(&server).await;
    let offered: Vec<&str> = meta["ui_locales_supported"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for lang in ["en", "es", "pt-BR", "fr", "hi", "id", "ar"] {
        assert!(offered.contains(&lang), "{lang} in {offered:?}");
    }

    let english = description(
        &invalid_phone(&server, &[("ui_locales", "en")], None)
            .await
            .0,
    );
    assert!(
        english.starts_with("That does not look like a phone number"),
        "{english}"
    );
    let by_portal = invalid_phone(&server, &[("ui_locales", "es pt-BR")], Some("ar"))
        .await
        .0;
    let by_browser = invalid_phone(&server, &[], Some("pt-PT,pt;q=0.9,en;q=0.5"))
        .await
        .0;
    let by_default = invalid_phone(&server, &[("ui_locales", "xx")], Some("de"))
        .await
        .0;
    let arabic = invalid_phone(&server, &[], Some("ar-EG")).await.0;
    let texts: Vec<String> = [&by_portal, &by_browser, &by_default, &arabic]
        .iter()
        .map(|b| description(b))
        .collect();
    for t in &texts {
        assert_ne!(t, &english, "translated: {texts:?}");
    }
    let distinct: std::collections::BTreeSet<&String> = texts.iter().collect();
    assert_eq!(
        distinct.len(),
        4,
        "Spanish, Portuguese, French, Arabic: {texts:?}"
    );
    assert!(
        texts[3]
            .chars()
            .any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
        "{}",
        texts[3]
    );
}

#[tokio::test]
async fn the_code_message_is_written_in_the_persons_language() {
    let server = default_server().await;
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let b = browser();
    let flow = open_flow(
        &b,
        &authorize_url(&portal, false, &[("ui_locales", "pt-BR")]).url,
    )
    .await;
    let phone = fresh_phone();
    let code = send_code(&server, &b, &flow, &phone).await;
    let sent = server
        .hook
        .all()
        .into_iter()
        .rfind(|d| d.to == phone)
        .unwrap();
    assert_eq!(sent.locale.as_deref(), Some("pt-BR"));
    assert!(sent.message.contains(&code), "{}", sent.message);
    assert!(sent.message.contains("código"), "{}", sent.message);
    assert!(
        !sent.message.contains("verification code"),
        "{}",
        sent.message
    );
}

#[tokio::test]
async fn an_operator_changes_words_without_rebuilding() {
    let dir = std::env::temp_dir().join(format!("wagate-e2e-i18n-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("es")).unwrap();
    std::fs::write(
        dir.join("es/ours.ftl"),
        "error-invalid-phone = Escribe tu número de celular con la clave del país.\n",
    )
    .unwrap();
    let folder = dir.clone();
    let server = start(move |c| c.i18n.directory = Some(folder)).await;
    let body = invalid_phone(&server, &[("ui_locales", "es")], None)
        .await
        .0;
    assert_eq!(
        description(&body),
        "Escribe tu número de celular con la clave del país."
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The first message `key` of a language's file, as written there.
fn words(lang: &str, key: &str) -> String {
    let path = format!(
        "{}/../locales/{lang}/wagate.ftl",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("{key} = ")))
        .unwrap_or_else(|| panic!("{lang} has no {key}"))
        .to_owned()
}

#[tokio::test]
async fn the_pages_speak_the_persons_language_in_its_direction() {
    let server = default_server().await;
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;

    let b = browser();
    let flow = open_flow(
        &b,
        &authorize_url(&portal, false, &[("ui_locales", "ar")]).url,
    )
    .await;
    let (status, html, _) = crate::pages::page(&b, &flow).await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"<html lang="ar" dir="rtl">"#), "{html}");
    assert!(html.contains(&words("ar", "phone-heading")), "{html}");
    assert!(!html.contains("Send me a WhatsApp code"), "{html}");
    // A refusal on the page is in the page's language.
    let csrf = crate::pages::csrf_of(&html);
    let res = crate::pages::post_form(
        &b,
        &format!("{flow}/phone"),
        &[("csrf", &csrf), ("phone", "12")],
    )
    .await;
    assert_eq!(res.status(), 400);
    let refused = res.text().await.unwrap();
    assert!(refused.contains(r#"dir="rtl""#), "{refused}");
    assert!(
        refused.contains(&words("ar", "error-invalid-phone")),
        "{refused}"
    );

    // Without ui_locales, the browser's language.
    let b = browser();
    let flow = open_flow(&b, &authorize_url(&portal, false, &[]).url).await;
    let html = page_in(&b, &flow, "es-MX,es;q=0.9").await;
    assert!(html.contains(r#"<html lang="es" dir="ltr">"#), "{html}");
    assert!(html.contains(&words("es", "phone-heading")), "{html}");
}

#[tokio::test]
async fn the_account_pages_and_refusals_speak_it_too() {
    let server = default_server().await;
    let http = reqwest::Client::new();
    let res = http
        .get(format!("{}/account", server.public))
        .header("Accept-Language", "hi-IN,hi;q=0.9,en;q=0.5")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    let html = res.text().await.unwrap();
    assert!(html.contains(r#"<html lang="hi" dir="ltr">"#), "{html}");
    assert!(
        html.contains(&words("hi", "account-sign-in-lead")),
        "{html}"
    );

    let res = http
        .get(format!("{}/no/such/page", server.public))
        .header("Accept-Language", "id")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let html = res.text().await.unwrap();
    assert!(html.contains(&words("id", "problem-not-found")), "{html}");
}

#[tokio::test]
async fn a_language_picked_on_the_page_is_remembered() {
    let server = default_server().await;
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let b = browser();
    let flow = open_flow(&b, &authorize_url(&portal, false, &[]).url).await;
    let html = page_in(&b, &flow, "en").await;
    // The switcher names each language in itself and comes back to this page.
    assert!(
        html.contains(r#"lang="ar" hreflang="ar">العربية</a>"#),
        "{html}"
    );
    let path = url::Url::parse(&flow).unwrap().path().to_owned();
    let link = format!(
        "{}/language?lang=fr&back={}",
        server.public,
        url::form_urlencoded::byte_serialize(path.as_bytes()).collect::<String>()
    );
    let res = b.get(&link).send().await.unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), path);
    let html = page_in(&b, &flow, "en").await;
    assert!(
        html.contains(r#"<html lang="fr""#),
        "picked beats the browser: {html}"
    );
    // And the portal's hint: it is the person's own word.
    let arabic = open_flow(
        &b,
        &authorize_url(&portal, false, &[("ui_locales", "ar")]).url,
    )
    .await;
    let html = page_in(&b, &arabic, "en").await;
    assert!(
        html.contains(r#"<html lang="fr""#),
        "picked beats ui_locales: {html}"
    );

    // Another site's address is never gone back to.
    let res = b
        .get(format!(
            "{}/language?lang=es&back=//evil.example/",
            server.public
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(location(&res), "/");
}

#[tokio::test]
async fn a_portal_demanding_an_authenticator_is_refused_in_its_language() {
    let server = default_server().await;
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let b = browser();
    let extra = [crate::totp::MFA_DEMAND, ("ui_locales", "es")];
    let flow = open_flow(&b, &authorize_url(&portal, false, &extra).url).await;
    let code = send_code(&server, &b, &flow, &fresh_phone()).await;
    let (status, refused) = post_json(&b, &format!("{flow}/code"), json!({"code": code})).await;
    assert_eq!(status, 403, "{refused}");
    let expected =
        words("es", "authenticator-required-lead").replace("{ $client }", "portal portal");
    assert_eq!(description(&refused), expected);
}
