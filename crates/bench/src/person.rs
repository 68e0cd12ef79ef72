//! One person at a browser, as wagate sees them: the portal's `/authorize`, the number and the
//! code through the login's JSON API (with the browser's cookies), then the portal's side:
//! `/token` and `/userinfo`. Also the portal's later calls: refresh and introspection.

use crate::hook::Codes;
use crate::probe::Marks;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use reqwest::header::{ACCEPT, COOKIE, LOCATION, SET_COOKIE};
use reqwest::{Client, RequestBuilder, Response, StatusCode};
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The steps of a login, in order; their names are the keys of the report.
pub const STEPS: [&str; 5] = ["authorize", "phone", "code", "token", "userinfo"];

/// The portal wagate is configured with (see `scripts/bench`).
#[derive(Clone)]
pub struct Portal {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    pub redirect_uri: String,
}

#[derive(Deserialize)]
pub struct Tokens {
    pub access_token: String,
    pub refresh_token: Option<String>,
    pub id_token: Option<String>,
}

/// What one login left the portal with, and how long each step took.
pub struct Login {
    pub tokens: Tokens,
    pub steps: [Duration; 5],
}

/// Fresh numbers: each login signs a new person up (the heavier path), so no per-number
/// budget or back-off is ever met.
pub fn fresh_phone() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!("+447400{:06}", n % 1_000_000)
}

/// 32 random bytes, base64url: 43 characters (a PKCE verifier needs 43 to 128).
fn random() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// `name=value` of every cookie an answer set, to send back.
fn remember(jar: &mut Vec<String>, res: &Response) {
    for set in res.headers().get_all(SET_COOKIE) {
        if let Some(pair) = set.to_str().ok().and_then(|s| s.split(';').next()) {
            let name = pair.split('=').next().unwrap_or_default();
            jar.retain(|kept| kept.split('=').next() != Some(name));
            jar.push(pair.to_owned());
        }
    }
}

fn with_cookies(req: RequestBuilder, jar: &[String]) -> RequestBuilder {
    if jar.is_empty() {
        req
    } else {
        req.header(COOKIE, jar.join("; "))
    }
}

async fn expect(
    res: Result<Response, reqwest::Error>,
    want: StatusCode,
    step: &str,
) -> Result<Response, String> {
    let res = res.map_err(|e| format!("{step}: {e}"))?;
    if res.status() == want {
        Ok(res)
    } else {
        let status = res.status();
        let body = res.text().await.unwrap_or_default();
        Err(format!(
            "{step}: {status} {}",
            body.chars().take(200).collect::<String>()
        ))
    }
}

async fn json_of(res: Response, step: &str) -> Result<Value, String> {
    res.json().await.map_err(|e| format!("{step}: {e}"))
}

/// Reads Redis's counters when the login is being counted step by step.
async fn mark(marks: &mut Option<&mut Marks>) -> Result<(), String> {
    match marks {
        Some(m) => m.mark().await,
        None => Ok(()),
    }
}

fn query(url: &url::Url, name: &str) -> Option<String> {
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

impl Portal {
    /// A whole login with a fresh number, as a portal asking for `scope` sees it.
    ///
    /// With `marks`, Redis's counters are read before the first step and after each one.
    pub async fn login(
        &self,
        http: &Client,
        codes: &Codes,
        scope: &str,
        mut marks: Option<&mut Marks>,
    ) -> Result<Login, String> {
        let mut steps = [Duration::ZERO; 5];
        let mut jar = Vec::new();
        let (state, nonce, verifier) = (random(), random(), random());
        let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
        let mut authorize = url::Url::parse(&format!("{}/authorize", self.issuer))
            .map_err(|e| format!("issuer: {e}"))?;
        authorize
            .query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", &self.client_id)
            .append_pair("redirect_uri", &self.redirect_uri)
            .append_pair("scope", scope)
            .append_pair("state", &state)
            .append_pair("nonce", &nonce)
            .append_pair("code_challenge", &challenge)
            .append_pair("code_challenge_method", "S256");

        mark(&mut marks).await?;
        let t = Instant::now();
        let res = expect(
            http.get(authorize.as_str()).send().await,
            StatusCode::SEE_OTHER,
            "authorize",
        )
        .await?;
        remember(&mut jar, &res);
        let flow = res
            .headers()
            .get(LOCATION)
            .and_then(|l| l.to_str().ok())
            .and_then(|l| authorize.join(l).ok())
            .ok_or("authorize: no Location")?;
        steps[0] = t.elapsed();
        mark(&mut marks).await?;

        let phone = fresh_phone();
        let t = Instant::now();
        let req = http
            .post(format!("{flow}/phone"))
            .header(ACCEPT, "application/json")
            .json(&json!({ "phone": phone }));
        let res = expect(
            with_cookies(req, &jar).send().await,
            StatusCode::OK,
            "phone",
        )
        .await?;
        remember(&mut jar, &res);
        let _ = res.bytes().await;
        let code = codes
            .take(&phone)
            .ok_or("phone: no code reached the gateway")?;
        steps[1] = t.elapsed();
        mark(&mut marks).await?;

        let t = Instant::now();
        let req = http
            .post(format!("{flow}/code"))
            .header(ACCEPT, "application/json")
            .json(&json!({ "code": code }));
        let res = expect(with_cookies(req, &jar).send().await, StatusCode::OK, "code").await?;
        let body = json_of(res, "code").await?;
        let back = body["redirect_to"]
            .as_str()
            .and_then(|u| url::Url::parse(u).ok())
            .ok_or_else(|| format!("code: no redirect_to in {body}"))?;
        if query(&back, "state").as_deref() != Some(state.as_str()) {
            return Err(format!("code: the state came back wrong: {back}"));
        }
        let code = query(&back, "code").ok_or_else(|| format!("code: no code in {back}"))?;
        steps[2] = t.elapsed();
        mark(&mut marks).await?;

        let t = Instant::now();
        let res = http
            .post(format!("{}/token", self.issuer))
            .basic_auth(&self.client_id, Some(&self.client_secret))
            .form(&[
                ("grant_type", "authorization_code"),
                ("code", code.as_str()),
                ("redirect_uri", self.redirect_uri.as_str()),
                ("code_verifier", verifier.as_str()),
            ])
            .send()
            .await;
        let tokens: Tokens = expect(res, StatusCode::OK, "token")
            .await?
            .json()
            .await
            .map_err(|e| format!("token: {e}"))?;
        if tokens.id_token.is_none() {
            return Err("token: no ID token".into());
        }
        steps[3] = t.elapsed();
        mark(&mut marks).await?;

        let t = Instant::now();
        self.userinfo(http, &tokens.access_token).await?;
        steps[4] = t.elapsed();
        mark(&mut marks).await?;
        Ok(Login { tokens, steps })
    }

    /// `/userinfo`, checking the answer names a person.
    pub async fn userinfo(&self, http: &Client, access_token: &str) -> Result<(), String> {
        let res = http
            .get(format!("{}/userinfo", self.issuer))
            .bearer_auth(access_token)
            .send()
            .await;
        let body = json_of(expect(res, StatusCode::OK, "userinfo").await?, "userinfo").await?;
        if body["sub"].is_string() {
            Ok(())
        } else {
            Err(format!("userinfo: no sub in {body}"))
        }
    }

    /// `/introspect` of an access token that must be active.
    pub async fn introspect(&self, http: &Client, access_token: &str) -> Result<(), String> {
        let res = http
            .post(format!("{}/introspect", self.issuer))
            .basic_auth(&self.client_id, Some(&self.client_secret))
            .form(&[("token", access_token)])
            .send()
            .await;
        let body = json_of(
            expect(res, StatusCode::OK, "introspect").await?,
            "introspect",
        )
        .await?;
        if body["active"] == json!(true) {
            Ok(())
        } else {
            Err(format!("introspect: not active: {body}"))
        }
    }

    /// One rotation: the new refresh token, after checking an ID token came with it.
    pub async fn refresh(&self, http: &Client, refresh_token: &str) -> Result<String, String> {
        let res = http
            .post(format!("{}/token", self.issuer))
            .basic_auth(&self.client_id, Some(&self.client_secret))
            .form(&[
                ("grant_type", "refresh_token"),
                ("refresh_token", refresh_token),
            ])
            .send()
            .await;
        let tokens: Tokens = expect(res, StatusCode::OK, "refresh")
            .await?
            .json()
            .await
            .map_err(|e| format!("refresh: {e}"))?;
        if tokens.id_token.is_none() {
            return Err("refresh: no ID token in the answer".into());
        }
        tokens
            .refresh_token
            .ok_or_else(|| "refresh: no new refresh token".into())
    }
}
