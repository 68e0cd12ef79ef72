//! Request bodies: read with a cap in size and in time, and told apart by media type.

use crate::state::Web;
use actix_web::error::PayloadError;
use actix_web::http::{ConnectionType, StatusCode, header};
use actix_web::web::{Bytes, BytesMut};
use actix_web::{HttpRequest, HttpResponse};
use futures_util::{Stream, StreamExt};
use wagate_oidc::Params;

#[derive(Debug, PartialEq, Eq)]
pub enum BodyError {
    TooLarge,
    Unreadable,
    /// The whole body did not arrive within `http.body_timeout_secs`.
    TimedOut,
}

impl BodyError {
    pub fn status(&self) -> StatusCode {
        match self {
            BodyError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            BodyError::Unreadable => StatusCode::BAD_REQUEST,
            BodyError::TimedOut => StatusCode::REQUEST_TIMEOUT,
        }
    }

    /// The sentence for people (a message id).
    pub fn message_key(&self) -> &'static str {
        match self {
            BodyError::TooLarge => "body-too-large",
            BodyError::Unreadable => "body-unreadable",
            BodyError::TimedOut => "body-too-slow",
        }
    }

    /// For an app (`error_description`).
    pub fn description(&self) -> &'static str {
        match self {
            BodyError::TooLarge => "the request body is too large",
            BodyError::Unreadable => "the request body could not be read",
            BodyError::TimedOut => "the request body did not arrive in time",
        }
    }

    /// The rest of a body that did not arrive is not waited for: the connection ends.
    pub fn finish(&self, mut res: HttpResponse) -> HttpResponse {
        if *self == BodyError::TimedOut {
            res.head_mut().set_connection_type(ConnectionType::Close);
        }
        res
    }
}

/// Reads the whole body, refusing more than `max_body_bytes` (before reading, when the length
/// is announced) and a body that takes longer than `body_timeout` to arrive.
pub async fn read<S>(req: &HttpRequest, mut payload: S, web: &Web) -> Result<Bytes, BodyError>
where
    S: Stream<Item = Result<Bytes, PayloadError>> + Unpin,
{
    let limit = web.max_body_bytes;
    let announced = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if announced.is_some_and(|n| n > limit) {
        return Err(BodyError::TooLarge);
    }
    let reading = async {
        let mut body = BytesMut::new();
        while let Some(chunk) = payload.next().await {
            let chunk = chunk.map_err(|_| BodyError::Unreadable)?;
            if body.len() + chunk.len() > limit {
                return Err(BodyError::TooLarge);
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body.freeze())
    };
    actix_web::rt::time::timeout(web.body_timeout, reading)
        .await
        .unwrap_or(Err(BodyError::TimedOut))
}

/// A body that could not be read, answered as JSON (`invalid_request`).
pub fn json_refusal(e: &BodyError) -> HttpResponse {
    e.finish(json_error(
        e.status(),
        "invalid_request",
        e.description(),
        &[],
    ))
}

/// The media type of the request, lowercased, without parameters.
pub fn media_type(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::CONTENT_TYPE)?.to_str().ok()?;
    let essence = value.split(';').next()?.trim().to_ascii_lowercase();
    (!essence.is_empty()).then_some(essence)
}

pub fn is_form(req: &HttpRequest) -> bool {
    media_type(req).as_deref() == Some("application/x-www-form-urlencoded")
}

pub fn is_json(req: &HttpRequest) -> bool {
    media_type(req).is_some_and(|m| m == "application/json" || m.ends_with("+json"))
}

/// True when the client asked for JSON (the login API) rather than pages.
pub fn wants_json(req: &HttpRequest) -> bool {
    is_json(req)
        || req
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("application/json") && !v.contains("text/html"))
}

/// Parameters of a GET query or a form POST.
pub fn query_params(req: &HttpRequest) -> Params {
    Params::parse(req.query_string().as_bytes())
}

/// A JSON answer that no cache may keep.
pub fn json(status: actix_web::http::StatusCode, value: &serde_json::Value) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::PRAGMA, "no-cache"))
        .json(value)
}

/// `{"error": code, "error_description": description}` plus `extra` fields.
pub fn json_error(
    status: actix_web::http::StatusCode,
    code: &str,
    description: &str,
    extra: &[(&str, serde_json::Value)],
) -> HttpResponse {
    let mut body = serde_json::Map::new();
    body.insert("error".into(), code.into());
    body.insert("error_description".into(), description.into());
    for (k, v) in extra {
        body.insert((*k).into(), v.clone());
    }
    json(status, &serde_json::Value::Object(body))
}
