//! The person's own account beyond the authenticator: their sessions, a new number proven by a
//! WhatsApp code, and deleting the account, through the account API and its page.

use crate::support::*;
use crate::totp::get_json;
use serde_json::{Value, json};
use std::time::Duration;

/// A fresh login to the portal in `b` (which keeps the session); the `sub`.
async fn signed_in(server: &TestServer, b: &reqwest::Client, phone: &str) -> String {
    let portal = rp(server, "portal", Some(PORTAL_SECRET)).await;
    let (_, code) = login_in(server, b, &portal, phone, &[("prompt", "login")]).await;
    let (status, tokens) = redeem_raw(server, &code).await;
    assert_eq!(status, 200, "{tokens}");
    claims_of(tokens["id_token"].as_str().unwrap())["sub"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Codes the webhook carried to British numbers and people typed back.
async fn verified(server: &TestServer) -> f64 {
    metrics(server)
        .await
        .lines()
        .find_map(|l| {
            l.strip_prefix(r#"wagate_codes_verified_total{channel="webhook",region="GB"} "#)
        })
        .map_or(0.0, |v| v.parse().unwrap())
}

async fn account(server: &TestServer, b: &reqwest::Client) -> (u16, Value) {
    get_json(b, &format!("{}/account", server.issuer)).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn people_see_their_sessions_change_their_number_and_delete_their_account() {
    let (server, clock) = start_with_clock(|_| {}).await;
    let phone = fresh_phone();
    let (here, elsewhere) = (browser(), browser());
    let sub = signed_in(&server, &here, &phone).await;
    assert_eq!(signed_in(&server, &elsewhere, &phone).await, sub);

    let (status, mine) = account(&server, &here).await;
    assert_eq!(status, 200, "{mine}");
    assert_eq!(mine["phone"], phone.as_str());
    assert_eq!(mine["fresh_login"], true);
    assert_eq!(mine["can_delete"], true);
    let sessions = mine["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 2);
    assert_eq!(sessions.iter().filter(|s| s["current"] == true).count(), 1);
    assert_eq!(sessions[0]["clients"], json!(["portal"]));

    // Signing out the other browser: it loses its session, the portal hears of it.
    let url = |path: &str| format!("{}/account{path}", server.issuer);
    let (status, ended) = post_json(&here, &url("/sessions/end-others"), json!({})).await;
    assert_eq!((status, &ended["ended"]), (200, &json!(1)), "{ended}");
    assert_eq!(account(&server, &elsewhere).await.0, 401);
    assert_eq!(account(&server, &here).await.0, 200);
    let logout = claims_of(&server.hook.logout_token(1).await);
    assert_eq!(logout["sub"], sub.as_str());

    // A number someone else has: the code goes (so nobody learns whose it is without it),
    // then the change is refused.
    let other = fresh_phone();
    signed_in(&server, &browser(), &other).await;
    let (status, sent) = post_json(&here, &url("/phone"), json!({"phone": other})).await;
    assert_eq!(status, 200, "{sent}");
    let code = server.hook.last_code_for(&other);
    let (status, body) = post_json(&here, &url("/phone/confirm"), json!({"code": code})).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("phone_taken")),
        "{body}"
    );

    // A free number, typed as people type it: a wrong code first, then the right one.
    clock.advance(Duration::from_secs(31));
    let new = fresh_phone();
    let typed = format!("{} {}", &new[..5], &new[5..]);
    let (status, sent) = post_json(&here, &url("/phone"), json!({"phone": typed})).await;
    assert_eq!(status, 200, "{sent}");
    assert_eq!(
        (sent["step"].as_str(), sent["phone"].as_str()),
        (Some("code"), Some(new.as_str()))
    );
    let (status, body) = post_json(&here, &url("/phone/confirm"), json!({"code": "000000"})).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_code")),
        "{body}"
    );
    let code = server.hook.last_code_for(&new);
    let before = verified(&server).await;
    let (status, body) = post_json(&here, &url("/phone/confirm"), json!({"code": code})).await;
    assert_eq!(
        (status, body["phone"].as_str()),
        (200, Some(new.as_str())),
        "{body}"
    );
    // The same code again proves nothing.
    let (status, _) = post_json(&here, &url("/phone/confirm"), json!({"code": code})).await;
    assert_eq!(status, 400);
    assert_eq!(
        verified(&server).await,
        before + 1.0,
        "the new number's code is the funnel's, once"
    );
    assert_eq!(account(&server, &here).await.1["phone"], new.as_str());
    assert_eq!(signed_in(&server, &browser(), &new).await, sub);
    assert_ne!(
        signed_in(&server, &browser(), &phone).await,
        sub,
        "the old number is free"
    );

    // Later, the big changes need a fresh login.
    clock.advance(Duration::from_secs(601));
    let (_, stale) = account(&server, &here).await;
    assert_eq!(stale["can_delete"], false);
    for (path, body) in [
        ("/phone", json!({"phone": fresh_phone()})),
        ("/delete", json!({"confirm": true})),
    ] {
        let (status, answer) = post_json(&here, &url(path), body).await;
        assert_eq!(
            (status, answer["error"].as_str()),
            (403, Some("reauthentication_required")),
            "{path}: {answer}"
        );
    }

    // Deleting, after a fresh login and with the confirmation only.
    signed_in(&server, &here, &new).await;
    let (status, body) = post_json(&here, &url("/delete"), json!({})).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_request"))
    );
    let (status, body) = post_json(&here, &url("/delete"), json!({"confirm": true})).await;
    assert_eq!((status, &body["deleted"]), (200, &json!(true)), "{body}");
    assert_eq!(account(&server, &here).await.0, 401);
    assert_ne!(
        signed_in(&server, &browser(), &new).await,
        sub,
        "someone new"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_account_page_offers_the_same_by_forms() {
    let server = default_server().await;
    let b = browser();
    let phone = fresh_phone();
    signed_in(&server, &b, &phone).await;
    let page = b
        .get(format!("{}/account", server.issuer))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for needle in [
        "Where you are signed in",
        "this browser",
        "action=\"/account/phone\"",
        "action=\"/account/delete\"",
        "name=\"confirm\"",
    ] {
        assert!(page.contains(needle), "{needle} missing in {page}");
    }
    let csrf = page
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    // Without the box ticked the page says so and nothing is deleted.
    let res = b
        .post(format!("{}/account/delete", server.issuer))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert!(res.text().await.unwrap().contains("Tick the box"));
    let res = b
        .post(format!("{}/account/delete", server.issuer))
        .form(&[("csrf", csrf.as_str()), ("confirm", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Your account is deleted")
    );
    assert_eq!(account(&server, &b).await.0, 401);
}
