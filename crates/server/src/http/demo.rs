//! The start page and the built-in demo portal: a real authorization-code flow with PKCE, run
//! against this very server by the `demo` client.

use super::pages;
use super::present::{Presenter, Problem, see_other};
use super::request::Format;
use crate::config::DEMO_CLIENT_ID;
use crate::live::State;
use crate::state::AppState;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;
use sha2::{Digest, Sha256};
use wagate_oidc::{IdTokenClaims, Params};
use wagate_storage::random_token;

const COOKIE: &str = "wagate_demo";

pub async fn index(state: State) -> HttpResponse {
    pages::render(
        StatusCode::OK,
        &pages::IndexPage {
            base: &state.web.base,
            // Not translated yet: English, and said so.
            t: wagate_core::i18n::english(),
            issuer: &state.web.issuer,
            demo: state.web.demo,
        },
    )
}

fn disabled(state: &AppState) -> HttpResponse {
    Presenter::new(Format::Page, &state.web.base).problem(
        &Problem::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "The demo is switched off on this server.",
        )
        .titled("Page not found", "Set [demo] enabled = true to use it."),
    )
}

fn callback_uri(state: &AppState) -> String {
    format!("{}/demo/callback", state.web.issuer)
}

/// Plays the portal's first move: remember state, nonce and the PKCE verifier, then send the
/// browser to /authorize.
pub async fn start(state: State) -> HttpResponse {
    if !state.web.demo {
        return disabled(&state);
    }
    let random = state.random.as_ref();
    let (st, nonce, verifier) = (
        random_token(random, 16),
        random_token(random, 16),
        random_token(random, 32),
    );
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("response_type", "code")
        .append_pair("client_id", DEMO_CLIENT_ID)
        .append_pair("redirect_uri", &callback_uri(&state))
        .append_pair("scope", "openid phone")
        .append_pair("state", &st)
        .append_pair("nonce", &nonce)
        .append_pair("code_challenge", &challenge)
        .append_pair("code_challenge_method", "S256")
        .finish();
    let mut res = see_other(&format!("{}/authorize?{query}", state.web.base));
    let cookie = Cookie::build(COOKIE, format!("{st}.{nonce}.{verifier}"))
        .path(format!("{}/demo", state.web.base))
        .http_only(true)
        .secure(state.web.secure_cookies)
        .same_site(SameSite::Lax)
        .max_age(actix_web::cookie::time::Duration::minutes(15))
        .finish();
    let _ = res.add_cookie(&cookie);
    res
}

fn failed(state: &AppState, message: &str) -> HttpResponse {
    Presenter::new(Format::Page, &state.web.base).problem(
        &Problem::new(StatusCode::BAD_REQUEST, "invalid_request", message).titled(
            "The demo login did not finish",
            "Start again from the start page.",
        ),
    )
}

/// Plays the portal's second move: check state, redeem the code with the verifier, verify the
/// ID token, read userinfo, show it all.
pub async fn callback(req: HttpRequest, state: State) -> HttpResponse {
    if !state.web.demo {
        return disabled(&state);
    }
    let redeemed = match answer(&req, &state) {
        Ok(Answer {
            code,
            verifier,
            nonce,
        }) => redeem(&state, &code, &verifier, &nonce).await,
        Err(message) => Err(message),
    };
    match redeemed {
        Ok((id_token, claims, userinfo)) => result(&state, &id_token, &claims, &userinfo),
        Err(message) => failed(&state, &message),
    }
}

/// What the portal keeps from wagate's answer, once it is known to be its own.
struct Answer {
    code: String,
    verifier: String,
    nonce: String,
}

/// The portal's checks of the answer: no error, its own cookie, its state and wagate's `iss`.
fn answer(req: &HttpRequest, state: &AppState) -> Result<Answer, String> {
    let q = super::body::query_params(req);
    let get = |k: &str| q.get(k).ok().flatten();
    if let Some(error) = get("error") {
        let description = get("error_description").unwrap_or("");
        return Err(format!("wagate answered {error}: {description}"));
    }
    let cookie = req
        .cookie(COOKIE)
        .ok_or("The demo's cookie is missing (expired, or another browser).")?;
    let parts: Vec<&str> = cookie.value().split('.').collect();
    let [st, nonce, verifier] = parts.as_slice() else {
        return Err("The demo's cookie is damaged.".into());
    };
    if get("state") != Some(*st) || get("iss") != Some(state.provider.issuer()) {
        return Err("The answer does not belong to this demo login (state or iss).".into());
    }
    let code = get("code").ok_or("The answer carries no code.")?;
    Ok(Answer {
        code: code.to_owned(),
        verifier: (*verifier).to_owned(),
        nonce: (*nonce).to_owned(),
    })
}

/// The portal's back channel: the code for tokens, the ID token verified, userinfo read.
async fn redeem(
    state: &AppState,
    code: &str,
    verifier: &str,
    nonce: &str,
) -> Result<(String, IdTokenClaims, Value), String> {
    let token_request = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("grant_type", "authorization_code")
        .append_pair("code", code)
        .append_pair("redirect_uri", &callback_uri(state))
        .append_pair("client_id", DEMO_CLIENT_ID)
        .append_pair("code_verifier", verifier)
        .finish();
    let tokens = state
        .provider
        .token(&Params::parse(token_request.as_bytes()), None)
        .await
        .map_err(|e| {
            format!(
                "The token endpoint answered {}: {}",
                e.code(),
                e.description()
            )
        })?;
    let id_token = tokens
        .id_token
        .ok_or("The token endpoint answered without an ID token")?;
    let claims = state
        .provider
        .verify_id_token(&id_token, DEMO_CLIENT_ID, Some(nonce))
        .map_err(|e| format!("The ID token did not verify: {e}"))?;
    let bearer = format!("Bearer {}", tokens.access_token);
    let userinfo = match state.provider.userinfo(Some(&bearer), None).await {
        Ok(u) => Value::Object(u),
        Err(e) => serde_json::json!({"error": e.to_string()}),
    };
    Ok((id_token, claims, userinfo))
}

/// What the portal learned, and a way to sign out again.
fn result(
    state: &AppState,
    id_token: &str,
    claims: &IdTokenClaims,
    userinfo: &Value,
) -> HttpResponse {
    let logout_query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("id_token_hint", id_token)
        .append_pair(
            "post_logout_redirect_uri",
            &format!("{}/", state.web.issuer),
        )
        .finish();
    let mut res = pages::render(
        StatusCode::OK,
        &pages::DemoResultPage {
            base: &state.web.base,
            // Not translated yet: English, and said so.
            t: wagate_core::i18n::english(),
            logout_url: format!("{}/logout?{logout_query}", state.web.base),
            id_claims: serde_json::to_string_pretty(claims).unwrap_or_default(),
            userinfo: serde_json::to_string_pretty(userinfo).unwrap_or_default(),
        },
    );
    let mut gone = Cookie::build(COOKIE, "")
        .path(format!("{}/demo", state.web.base))
        .finish();
    gone.make_removal();
    let _ = res.add_cookie(&gone);
    res
}
