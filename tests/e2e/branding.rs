//! The operator's brand on the pages: name, logo, colour, links and footer, each portal's
//! logo, all served from wagate's own origin under names that change with their content.

use crate::support::*;
use crate::totp_pages::capture;
use regex::Regex;
use std::path::PathBuf;

/// The stylesheet the start page links to, as a path.
pub async fn stylesheet_of(server: &TestServer) -> String {
    let html = reqwest::get(format!("{}/", server.public))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    capture(&html, r#"<link rel="stylesheet" href="([^"]+)""#)
}

/// A file for this test alone.
fn file(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wagate-branding-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

const LOGO: &[u8] = br##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="#1a237e"/></svg>"##;
const PORTAL_LOGO: &[u8] = br##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="5"/></svg>"##;

async fn get(url: &str) -> reqwest::Response {
    reqwest::get(url).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pages_carry_the_operators_brand_from_wagates_own_origin() {
    let logo = file("acme.svg", LOGO);
    let portal_logo = file("portal.svg", PORTAL_LOGO);
    let server = start(|c| {
        let b = &mut c.branding;
        b.name = Some("Acme ID".into());
        b.logo_file = Some(logo);
        b.primary_color = Some("#1a237e".into());
        b.support_url = Some("https://help.acme.example/".into());
        b.privacy_url = Some("https://acme.example/privacy".into());
        b.terms_url = Some("https://acme.example/terms".into());
        b.footer = Some("Acme Corp · Rua Augusta 1, Lisboa".into());
        c.clients[0].logo_file = Some(portal_logo);
    })
    .await;
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let b = browser();
    let flow = open_flow(&b, &authorize_url(&portal, false, &[]).url).await;
    let html = b.get(&flow).send().await.unwrap().text().await.unwrap();

    assert!(html.contains("· Acme ID</title>"), "{html}");
    assert!(html.contains("Acme Corp · Rua Augusta 1, Lisboa"), "{html}");
    for (url, words) in [
        ("https://help.acme.example/", "Help"),
        ("https://acme.example/privacy", "Privacy"),
        ("https://acme.example/terms", "Terms"),
    ] {
        assert!(
            html.contains(&format!(r#"<a href="{url}">{words}</a>"#)),
            "{html}"
        );
    }

    // Everything the page loads comes from wagate, under a name that changes with the file.
    let loaded = Regex::new(r#"(?:src|href)="([^"]+)"[^>]*>"#).unwrap();
    let tags = Regex::new(r#"<(?:img|link|script)[^>]*>"#).unwrap();
    for tag in tags.find_iter(&html) {
        for c in loaded.captures_iter(tag.as_str()) {
            assert!(c[1].starts_with('/'), "{} loads from elsewhere", &c[1]);
        }
    }
    let logo_path = capture(
        &html,
        r#"<header class="brand"><img src="([^"]+)" alt="Acme ID""#,
    );
    let portal_path = capture(&html, r#"<img class="portal" src="([^"]+)""#);
    assert!(
        Regex::new(r"^/assets/logo\.[0-9a-f]{16}\.svg$")
            .unwrap()
            .is_match(&logo_path)
    );
    for (path, bytes) in [(&logo_path, LOGO), (&portal_path, PORTAL_LOGO)] {
        let res = get(&format!("{}{path}", server.public)).await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "image/svg+xml");
        assert!(
            res.headers()["cache-control"]
                .to_str()
                .unwrap()
                .contains("immutable")
        );
        assert!(
            res.headers()["content-security-policy"]
                .to_str()
                .unwrap()
                .contains("sandbox"),
            "an SVG opened alone runs nothing"
        );
        assert_eq!(res.bytes().await.unwrap().as_ref(), bytes);
    }

    // The colour, and a lighter one for links on the dark background.
    let css_path = capture(&html, r#"<link rel="stylesheet" href="([^"]+)""#);
    let css = get(&format!("{}{css_path}", server.public))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        css.starts_with(":root { --accent: #1a237e; --link: #1a237e;"),
        "{css}"
    );
    let dark = capture(
        &css,
        r"prefers-color-scheme: dark\) \{ :root \{ --link: (#[0-9a-f]{6});",
    );
    assert_ne!(dark, "#1a237e");

    // Another server with the default look links another stylesheet; names not served are 404.
    let plain = default_server().await;
    assert_ne!(stylesheet_of(&plain).await, css_path);
    let res = get(&format!(
        "{}/assets/logo.0000000000000000.svg",
        server.public
    ))
    .await;
    assert_eq!(res.status(), 404);
    let res = get(&format!("{}{logo_path}", plain.public)).await;
    assert_eq!(res.status(), 404);
}
