//! The pages in a real browser, as the people who log in see them: headless Chromium through
//! the whole login (a wrong number, a wrong code, a resend, the right code), the authenticator
//! set-up and logout, in English and Arabic, with and without JavaScript. Every page is checked
//! with axe-core at a phone's and a laptop's size, in light and dark schemes.

use crate::chrome::{Chrome, Setup};
use crate::numbers::arabic_indic;
use crate::support::*;
use crate::totp::{now, totp};
use std::time::Duration;
use wagate_storage::ManualClock;

/// What the test expects to read on the pages in each language.
struct Words {
    lang: &'static str,
    dir: &'static str,
    /// The start of a page title that reports an error.
    error_title: &'static str,
}

const ENGLISH: Words = Words {
    lang: "en",
    dir: "ltr",
    error_title: "Error:",
};

const ARABIC: Words = Words {
    lang: "ar",
    dir: "rtl",
    error_title: "خطأ:",
};

/// A code that is not `code`.
fn wrong(code: &str) -> String {
    code.chars()
        .map(|c| match c {
            '9' => '0',
            _ => char::from_digit(c.to_digit(10).unwrap() + 1, 10).unwrap(),
        })
        .collect()
}

async fn page_is(chrome: &Chrome, words: &Words, what: &str) {
    let (lang, dir) = chrome.lang_and_dir().await;
    assert_eq!(
        (lang.as_str(), dir.as_str()),
        (words.lang, words.dir),
        "{what}"
    );
    chrome.assert_accessible(what).await;
    if chrome.setup.javascript {
        let slug = what.trim_start_matches("the ").replace(' ', "-");
        chrome
            .keep_screenshot(&format!("{}-{slug}", words.lang))
            .await;
    }
}

/// After a refused form: the title says so, the field is marked, described by the error and
/// holds the focus.
async fn error_on(chrome: &Chrome, words: &Words, field: &str, what: &str) {
    let title = chrome.client.title().await.unwrap();
    assert!(title.starts_with(words.error_title), "{what}: {title}");
    let css = format!("#{field}");
    assert_eq!(
        chrome.attribute(&css, "aria-invalid").await.as_deref(),
        Some("true"),
        "{what}"
    );
    let described = chrome.attribute(&css, "aria-describedby").await.unwrap();
    assert!(described.split(' ').any(|id| id == "error"), "{what}");
    assert_eq!(
        chrome.eval("return document.activeElement.id;").await,
        field,
        "{what}: the focus lands on the field in error"
    );
    page_is(chrome, words, what).await;
}

async fn submit_code(chrome: &Chrome, code: &str, arabic: bool) {
    let typed = if arabic {
        arabic_indic(code)
    } else {
        code.to_owned()
    };
    chrome.type_into("#code", &typed).await;
    chrome
        .click_through("form:has(#code) button[type=submit]")
        .await;
}

/// The whole journey for one kind of browser.
async fn a_person_logs_in_and_out(words: &Words, javascript: bool) {
    let (server, clock) = start_with_clock(|_| {}).await;
    let arabic = words.lang == "ar";
    let chrome = Chrome::open(Setup {
        languages: if arabic { "ar,en;q=0.5" } else { "en-GB,en" },
        javascript,
    })
    .await;
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    let pending = authorize_url(&portal, true, &[]);
    let phone = fresh_phone();

    // The phone page, then a number that cannot be one.
    chrome.goto(&pending.url).await;
    page_is(&chrome, words, "the phone page").await;
    chrome.type_into("#phone", "12").await;
    chrome
        .click_through("form:has(#phone) button[type=submit]")
        .await;
    error_on(&chrome, words, "phone", "the phone page with an error").await;

    // The number as people type it: national, in their own digits, with the country picked.
    let national = format!("0{}", &phone[3..]);
    chrome.select("#country", "GB").await;
    let typed = if arabic {
        arabic_indic(&national)
    } else {
        national
    };
    chrome.type_into("#phone", &typed).await;
    chrome
        .click_through("form:has(#phone) button[type=submit]")
        .await;
    let first = server.hook.wait_for_code(&phone, 1).await;
    let code_page = chrome.url().await.to_string();
    let grouped = format!("+44 {} {}", &phone[3..7], &phone[7..]);
    let lead = chrome.text(".lead").await;
    assert!(lead.contains(&grouped), "the number, grouped: {lead}");
    page_is(&chrome, words, "the code page").await;

    // A wrong code: the attempts left, tied to the field.
    submit_code(&chrome, &wrong(&first.code), arabic).await;
    assert!(chrome.has("#error").await);
    error_on(&chrome, words, "code", "the code page with an error").await;

    // The resend waits, and the server says so whether or not scripts run.
    let resend = "button[data-wait]";
    assert!(chrome.has("#resend-wait").await, "the wait is shown");
    // Without scripts, a link to load the page again once the time is up; with them, the
    // clock counts down instead.
    assert_eq!(
        chrome
            .eval("return document.getElementById('resend-refresh').hidden;")
            .await,
        javascript,
    );
    assert_eq!(
        chrome.attribute(resend, "disabled").await.as_deref(),
        Some("true"),
        "the resend is off until its time"
    );
    clock.advance(Duration::from_secs(31));
    chrome.goto(&code_page).await;
    assert!(!chrome.has("#resend-wait").await);
    assert_eq!(chrome.attribute(resend, "disabled").await, None);
    chrome.click_through(resend).await;
    let second = server.hook.wait_for_code(&phone, 2).await;
    assert!(chrome.has("[role=status]").await, "a new code was sent");
    page_is(&chrome, words, "the code page after a resend").await;

    // The right code: back at the portal with a code it redeems.
    submit_code(&chrome, &second.code, arabic).await;
    let back = chrome.url().await;
    assert!(back.as_str().starts_with(CALLBACK), "{back}");
    assert_eq!(query(&back, "state").unwrap(), *pending.state.secret());
    let tokens = redeem(&portal, &query(&back, "code").unwrap(), pending.verifier).await;
    let id = claims_of(
        &openidconnect::TokenResponse::id_token(&tokens)
            .unwrap()
            .to_string(),
    );
    assert_eq!(id["phone_number"], phone);

    set_up_an_authenticator(&chrome, words, &server, &clock).await;

    // Logout: asked, then done, then somewhere to go.
    chrome.goto(&format!("{}/logout", server.public)).await;
    page_is(&chrome, words, "the logout page").await;
    assert!(
        chrome.has("main a[href$='/account']").await,
        "staying leads somewhere"
    );
    chrome.click_through("form button[type=submit]").await;
    page_is(&chrome, words, "the signed-out page").await;
    assert!(chrome.has("main a[href$='/account']").await);

    a_login_that_ends(&chrome, words, &server, &portal).await;
}

/// From the account page: the key in groups of four, an `otpauth:` link, the app's code, the
/// recovery codes kept before going on.
async fn set_up_an_authenticator(
    chrome: &Chrome,
    words: &Words,
    server: &TestServer,
    clock: &ManualClock,
) {
    chrome.goto(&format!("{}/account", server.public)).await;
    page_is(chrome, words, "the account page").await;
    chrome
        .click_through("form[action$='/account/totp'] button")
        .await;
    page_is(chrome, words, "the authenticator set-up").await;
    let grouped = chrome.text("code").await;
    assert!(grouped.split(' ').all(|g| g.len() == 4), "{grouped}");
    assert!(chrome.has("a[href^='otpauth://totp/']").await);
    let key = grouped.replace(' ', "");
    let secret = base32::decode(base32::Alphabet::Rfc4648 { padding: false }, &key).unwrap();
    chrome.type_into("#code", &totp(&secret, now(clock))).await;
    chrome
        .click_through("form:has(#code) button[type=submit]")
        .await;
    page_is(chrome, words, "the recovery codes").await;
    assert!(chrome.has("a[download='recovery-codes.txt']").await);
    // Going on needs the box ticked: the browser itself refuses the form until then.
    let kept = "input[name=kept]";
    assert_eq!(
        chrome.attribute(kept, "required").await.as_deref(),
        Some("true")
    );
    chrome.click(kept).await;
    chrome
        .click_through("form:has(input[name=kept]) button")
        .await;
    assert!(!chrome.has("pre").await, "the codes are shown once");
    page_is(chrome, words, "the account page with an authenticator").await;
}

/// Wrong codes until the login ends: ways out, and the portal hears `access_denied`.
async fn a_login_that_ends(chrome: &Chrome, words: &Words, server: &TestServer, portal: &Rp) {
    let pending = authorize_url(portal, false, &[]);
    let phone = fresh_phone();
    chrome.goto(&pending.url).await;
    chrome.type_into("#phone", &phone).await;
    chrome
        .click_through("form:has(#phone) button[type=submit]")
        .await;
    let code = server.hook.wait_for_code(&phone, 1).await.code;
    while chrome.has("#code").await {
        submit_code(chrome, &wrong(&code), false).await;
    }
    page_is(chrome, words, "the page of a login that ended").await;
    assert!(chrome.has("a[href*='/authorize?']").await, "start again");
    chrome
        .click_through("a[href^='http://127.0.0.1:3000/callback']")
        .await;
    let back = chrome.url().await;
    assert_eq!(query(&back, "error").as_deref(), Some("access_denied"));
    assert_eq!(query(&back, "state").unwrap(), *pending.state.secret());
    assert_eq!(query(&back, "iss").unwrap(), server.issuer);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_english_with_javascript() {
    a_person_logs_in_and_out(&ENGLISH, true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_english_without_javascript() {
    a_person_logs_in_and_out(&ENGLISH, false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_arabic_with_javascript() {
    a_person_logs_in_and_out(&ARABIC, true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_arabic_without_javascript() {
    a_person_logs_in_and_out(&ARABIC, false).await;
}

/// Which language a page speaks: the one picked on the page (remembered), else the portal's
/// `ui_locales`, else the browser's languages, else the configured default.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_language_follows_the_person_then_the_portal_then_the_browser() {
    let server = start(|c| c.i18n.default_language = "en".into()).await;
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;

    // A browser in Mexican Spanish: Spanish, and Mexico first in the country list.
    let mexican = Chrome::open(Setup {
        languages: "es-MX,es;q=0.9",
        javascript: true,
    })
    .await;
    mexican.goto(&authorize_url(&portal, false, &[]).url).await;
    assert_eq!(mexican.lang_and_dir().await.0, "es");
    assert_eq!(
        mexican
            .eval("return document.getElementById('country').value;")
            .await,
        "MX"
    );

    // The portal's ui_locales come before the browser's languages.
    let asked = authorize_url(&portal, false, &[("ui_locales", "fr-CA fr")]);
    mexican.goto(&asked.url).await;
    assert_eq!(mexican.lang_and_dir().await.0, "fr");

    // The person's own pick comes first, on this page and the next logins.
    mexican.click_through("nav.languages a[lang=hi]").await;
    assert_eq!(mexican.lang_and_dir().await.0, "hi");
    assert!(
        mexican.url().await.path().starts_with("/login/"),
        "back on the same page"
    );
    mexican.goto(&asked.url).await;
    assert_eq!(mexican.lang_and_dir().await.0, "hi");

    // A browser in a language wagate lacks gets the default; ui_locales=ar, right to left.
    let german = Chrome::open(Setup {
        languages: "de-DE,de",
        javascript: false,
    })
    .await;
    german.goto(&authorize_url(&portal, false, &[]).url).await;
    assert_eq!(german.lang_and_dir().await.0, "en");
    german
        .goto(&authorize_url(&portal, false, &[("ui_locales", "ar")]).url)
        .await;
    assert_eq!(
        german.lang_and_dir().await,
        ("ar".to_owned(), "rtl".to_owned())
    );
}

/// Past the overall send cap, the phone page asks for the proof of work: its script solves it
/// and sends the form again; without scripts the page says why it cannot go on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_send_that_needs_the_challenge_is_solved_by_the_page() {
    let server = start(|c| {
        c.fraud.sends_per_hour = 1;
        c.fraud.challenge_difficulty = 2_000;
    })
    .await;
    let portal = rp(&server, "portal", Some(PORTAL_SECRET)).await;
    // One send spends the hour's cap.
    let b = browser();
    let flow = open_flow(&b, &authorize_url(&portal, false, &[]).url).await;
    send_code(&server, &b, &flow, &fresh_phone()).await;

    for javascript in [false, true] {
        let chrome = Chrome::open(Setup {
            languages: "en",
            javascript,
        })
        .await;
        let phone = fresh_phone();
        chrome.goto(&authorize_url(&portal, false, &[]).url).await;
        chrome.type_into("#phone", &phone).await;
        chrome
            .click_through("form:has(#phone) button[type=submit]")
            .await;
        if javascript {
            // The script solved the puzzle and sent the form again: the code page.
            tokio::time::timeout(
                Duration::from_secs(30),
                chrome
                    .client
                    .wait()
                    .for_element(fantoccini::Locator::Css("#code")),
            )
            .await
            .expect("the code page comes")
            .unwrap();
            assert_eq!(server.hook.wait_for_code(&phone, 1).await.to, phone);
        } else {
            let text = chrome.text("main").await;
            assert!(text.contains("Turn on JavaScript"), "{text}");
            assert_eq!(server.hook.count_for(&phone), 0, "nothing sent");
            page_is(&chrome, &ENGLISH, "the phone page asking for a check").await;
        }
    }
}
