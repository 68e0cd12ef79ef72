//! OpenID provider endpoints: discovery, JWKS, authorize, token, userinfo.

use super::body;
use super::language::Preferences;
use super::present::{Presenter, Problem, see_other};
use super::request::{self, Format};
use super::{cookies, cors};
use crate::live::State;
use crate::metrics::GrantLabel;
use crate::state::AppState;
use actix_web::http::{StatusCode, header};
use actix_web::web::{Bytes, Payload};
use actix_web::{HttpRequest, HttpResponse};
use std::convert::Infallible;
use wagate_oidc::{
    AuthorizeOutcome, AuthorizeStep, BearerError, ClientCredentials, GrantType, Params, TokenError,
};

/// Discovery and keys are public and read by browsers' OIDC libraries too.
fn public_json(value: &impl serde::Serialize, cache: &'static str) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, cache))
        .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
        .json(value)
}

pub async fn discovery(state: State) -> HttpResponse {
    public_json(&state.provider.metadata(), "public, max-age=300")
}

/// Cached no longer than a rotated key waits before it signs (two reloads, 10 s), so a portal
/// that does not fetch again on an unknown `kid` still has the new key in time.
pub async fn jwks(state: State) -> HttpResponse {
    public_json(&state.provider.jwks(), "public, max-age=10")
}

pub async fn authorize_get(req: HttpRequest, state: State) -> HttpResponse {
    let params = body::query_params(&req);
    authorize(&req, &state, &params).await
}

pub async fn authorize_post(req: HttpRequest, payload: Payload, state: State) -> HttpResponse {
    match request::form(&req, payload, &state.web).await {
        Ok(params) => authorize(&req, &state, &params).await,
        Err(e) => {
            let lang = Preferences::of(&req).lang(&state.texts, &[]);
            Presenter::new(Format::Page, &state.web.base)
                .speaking(&lang)
                .unreadable(&e, ("authorize-invalid", "authorize-advice"))
        }
    }
}

async fn authorize(req: &HttpRequest, state: &AppState, params: &Params) -> HttpResponse {
    let session = cookies::read_session(req, state.web.secure_cookies);
    let needed = match state.provider.authorize(params, session.as_deref()).await {
        Ok(AuthorizeStep::Login(needed)) => *needed,
        // Single sign-on: a live session answered at once.
        Ok(AuthorizeStep::Issued(redirect)) => return see_other(&redirect),
        Err(AuthorizeOutcome::Page(e)) => {
            tracing::info!(error = %e, "authorization request refused without redirect");
            // What is wrong with the link is the portal's to fix: said in its words, in English.
            let message = format!("{}.", capitalise(&e.to_string()));
            let lang = Preferences::of(req).lang(&state.texts, &[]);
            let (title, advice) = (
                lang.get("authorize-invalid-link"),
                lang.get("authorize-advice-report"),
            );
            return Presenter::new(Format::Page, &state.web.base)
                .speaking(&lang)
                .problem(
                    &Problem::new(StatusCode::BAD_REQUEST, "invalid_request", &message)
                        .titled(&title, &advice),
                );
        }
        Err(AuthorizeOutcome::Redirect(e)) => {
            tracing::info!(code = e.code.as_str(), description = %e.description, "authorization request refused");
            return see_other(&state.provider.error_redirect(&e));
        }
    };
    // The funnel's first step: a login screen, before anyone typed a number.
    state.metrics.logins_opened.inc();
    let ip = super::login::address(req, state);
    let opened = super::login::opened(req, state, async |binding| {
        let journey = &state.journey;
        Ok::<_, Infallible>(journey.start(needed, binding, ip, session.as_deref()).await)
    })
    .await;
    let Ok(res) = opened;
    res
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn token_error(e: &TokenError) -> HttpResponse {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST);
    let mut res = body::json_error(status, e.code(), e.description(), &[]);
    if matches!(e, TokenError::InvalidClient(_)) {
        res.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            header::HeaderValue::from_static("Basic realm=\"wagate\""),
        );
    }
    res
}

pub async fn token(req: HttpRequest, payload: Payload, state: State) -> HttpResponse {
    let count = |grant: &'static str, outcome: &'static str| {
        state
            .metrics
            .token_requests
            .get_or_create(&GrantLabel { grant, outcome })
            .inc();
    };
    let mut client = None;
    let res = match body::read(&req, payload, &state.web).await {
        Err(e) => {
            count("other", "invalid_request");
            body::json_refusal(&e)
        }
        Ok(bytes) => {
            client = requesting_client(&req, &bytes);
            let (grant, result) = token_response(&req, &bytes, &state).await;
            count(
                grant,
                match &result {
                    Ok(_) => "issued",
                    Err(e) => e.code(),
                },
            );
            match result {
                Ok(tokens) => body::json(
                    StatusCode::OK,
                    &serde_json::to_value(tokens).unwrap_or_default(),
                ),
                Err(e) => token_error(&e),
            }
        }
    };
    cors::expose(&req, &state, client.as_deref(), res)
}

/// The grant label for metrics: known grant types by name, anything else as "other".
fn grant_label(params: &Params) -> &'static str {
    match params.get("grant_type") {
        Ok(Some(name)) => name.parse::<GrantType>().map_or("other", GrantType::as_str),
        _ => "other",
    }
}

async fn token_response(
    req: &HttpRequest,
    bytes: &Bytes,
    state: &AppState,
) -> (&'static str, Result<wagate_oidc::TokenResponse, TokenError>) {
    let params = match form_params(req, bytes) {
        Ok(params) => params,
        Err(e) => return ("other", Err(e)),
    };
    let grant = grant_label(&params);
    let basic = match req.headers().get(header::AUTHORIZATION) {
        None => None,
        Some(v) => match v
            .to_str()
            .map_err(|_| TokenError::InvalidClient("malformed Authorization header"))
            .and_then(ClientCredentials::from_basic_header)
        {
            Ok(basic) => basic,
            Err(e) => return (grant, Err(e)),
        },
    };
    (grant, state.provider.token(&params, basic.as_ref()).await)
}

/// The parameters of a client's form post (token, revocation, introspection).
fn form_params(req: &HttpRequest, bytes: &Bytes) -> Result<Params, TokenError> {
    if !body::is_form(req) {
        return Err(TokenError::InvalidRequest(
            "send the request as application/x-www-form-urlencoded",
        ));
    }
    Ok(Params::parse(bytes))
}

pub(crate) fn bearer_error(e: &BearerError) -> HttpResponse {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::UNAUTHORIZED);
    let challenge = match e.code() {
        None => "Bearer realm=\"wagate\"".to_owned(),
        Some(code) => format!(
            "Bearer realm=\"wagate\", error=\"{code}\", error_description=\"{}\"",
            e.to_string().replace('"', "'")
        ),
    };
    let mut res = match e.code() {
        Some(code) => body::json_error(status, code, &e.to_string(), &[]),
        None => HttpResponse::build(status)
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .finish(),
    };
    if let Ok(v) = header::HeaderValue::from_str(&challenge) {
        res.headers_mut().insert(header::WWW_AUTHENTICATE, v);
    }
    res
}

pub async fn userinfo(req: HttpRequest, payload: Payload, state: State) -> HttpResponse {
    let res = userinfo_response(&req, payload, &state).await;
    cors::expose(&req, &state, None, res)
}

async fn userinfo_response(req: &HttpRequest, payload: Payload, state: &AppState) -> HttpResponse {
    let form = if req.method() == actix_web::http::Method::POST && body::is_form(req) {
        match body::read(req, payload, &state.web).await {
            Ok(bytes) => Some(Params::parse(&bytes)),
            Err(e) => return body::json_refusal(&e),
        }
    } else {
        None
    };
    let authorization = match req.headers().get(header::AUTHORIZATION).map(|v| v.to_str()) {
        None => None,
        Some(Ok(v)) => Some(v),
        Some(Err(_)) => {
            return bearer_error(&BearerError::InvalidRequest(
                "malformed Authorization header",
            ));
        }
    };
    match state.provider.userinfo(authorization, form.as_ref()).await {
        Ok(claims) => body::json(StatusCode::OK, &serde_json::Value::Object(claims)),
        Err(e) => bearer_error(&e),
    }
}

/// Client-authenticated form endpoints (revocation, introspection) share this reading.
fn client_request(
    req: &HttpRequest,
    bytes: &Bytes,
) -> Result<(Params, Option<ClientCredentials>), TokenError> {
    let params = form_params(req, bytes)?;
    let basic = match req.headers().get(header::AUTHORIZATION) {
        None => None,
        Some(v) => v
            .to_str()
            .map_err(|_| TokenError::InvalidClient("malformed Authorization header"))
            .and_then(ClientCredentials::from_basic_header)?,
    };
    Ok((params, basic))
}

/// RFC 7009: 200 with an empty body, whatever became of the token, unless the client erred.
pub async fn revoke(req: HttpRequest, payload: Payload, state: State) -> HttpResponse {
    let mut client = None;
    let res = match body::read(&req, payload, &state.web).await {
        Err(e) => body::json_refusal(&e),
        Ok(bytes) => {
            client = requesting_client(&req, &bytes);
            let result = match client_request(&req, &bytes) {
                Ok((params, basic)) => state.provider.revoke(&params, basic.as_ref()).await,
                Err(e) => Err(e),
            };
            match result {
                Ok(()) => HttpResponse::Ok()
                    .insert_header((header::CACHE_CONTROL, "no-store"))
                    .finish(),
                Err(e) => token_error(&e),
            }
        }
    };
    cors::expose(&req, &state, client.as_deref(), res)
}

/// The client a token or revocation request names (Basic credentials or `client_id`), for
/// CORS: only that client's origins may read the answer.
fn requesting_client(req: &HttpRequest, bytes: &Bytes) -> Option<String> {
    let basic = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| ClientCredentials::from_basic_header(v).ok().flatten());
    match basic {
        Some(credentials) => Some(credentials.client_id),
        None => Params::parse(bytes)
            .get("client_id")
            .ok()
            .flatten()
            .map(str::to_owned),
    }
}

/// RFC 7662. Resource servers call it from their back ends: no CORS.
pub async fn introspect(req: HttpRequest, payload: Payload, state: State) -> HttpResponse {
    let bytes = match body::read(&req, payload, &state.web).await {
        Ok(bytes) => bytes,
        Err(e) => return body::json_refusal(&e),
    };
    let result = match client_request(&req, &bytes) {
        Ok((params, basic)) => state.provider.introspect(&params, basic.as_ref()).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(answer) => body::json(StatusCode::OK, &answer),
        Err(e) => token_error(&e),
    }
}
