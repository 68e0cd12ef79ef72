//! Reading a request once, the same way for every handler that takes a body: the answer's
//! format (JSON or a page), the media type checked before anything is read, the body bounded
//! in size and time, JSON or a form, and the form's CSRF token.

use super::body::{self, BodyError};
use crate::state::Web;
use actix_web::HttpRequest;
use actix_web::error::PayloadError;
use actix_web::http::StatusCode;
use actix_web::web::Bytes;
use futures_util::Stream;
use serde_json::{Map, Value};
use wagate_core::Csrf;
use wagate_oidc::Params;

/// How the answer is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// For apps: `Content-Type` or `Accept` say JSON.
    Json,
    /// For people: pages, and 303 after a form post.
    Page,
}

impl Format {
    pub fn of(req: &HttpRequest) -> Format {
        if body::wants_json(req) {
            Format::Json
        } else {
            Format::Page
        }
    }
}

/// A body that could not be taken.
#[derive(Debug, PartialEq, Eq)]
pub enum Unreadable {
    /// Neither JSON nor a form.
    MediaType,
    Body(BodyError),
    /// JSON, but not an object.
    NotAnObject,
    /// Not a form where only a form is taken (a browser's post to `/authorize`, `/logout`).
    NotAForm,
}

impl Unreadable {
    pub fn status(&self) -> StatusCode {
        match self {
            Unreadable::MediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Unreadable::Body(e) => e.status(),
            Unreadable::NotAnObject | Unreadable::NotAForm => StatusCode::BAD_REQUEST,
        }
    }

    /// The sentence for people (a message id).
    pub fn message_key(&self) -> &'static str {
        match self {
            Unreadable::MediaType => "body-media-type",
            Unreadable::Body(e) => e.message_key(),
            Unreadable::NotAnObject => "body-not-object",
            Unreadable::NotAForm => "body-not-form",
        }
    }

    /// The connection ends after a body that did not arrive.
    pub fn timed_out(&self) -> bool {
        *self == Unreadable::Body(BodyError::TimedOut)
    }
}

/// A posted body: a JSON object or a form.
#[derive(Debug)]
pub enum Posted {
    Json(Map<String, Value>),
    Form(Params),
}

impl Posted {
    /// Reads the body of `req`. An empty JSON body is an empty object.
    pub async fn read<S>(req: &HttpRequest, payload: S, web: &Web) -> Result<Posted, Unreadable>
    where
        S: Stream<Item = Result<Bytes, PayloadError>> + Unpin,
    {
        let json = body::is_json(req);
        if !json && !body::is_form(req) {
            return Err(Unreadable::MediaType);
        }
        let bytes = body::read(req, payload, web)
            .await
            .map_err(Unreadable::Body)?;
        if !json {
            return Ok(Posted::Form(Params::parse(&bytes)));
        }
        if bytes.is_empty() {
            return Ok(Posted::Json(Map::new()));
        }
        match serde_json::from_slice::<Value>(&bytes) {
            Ok(Value::Object(map)) => Ok(Posted::Json(map)),
            _ => Err(Unreadable::NotAnObject),
        }
    }

    /// A text field (a JSON string, or a form value).
    pub fn field(&self, name: &str) -> Option<&str> {
        match self {
            Posted::Json(v) => v.get(name).and_then(Value::as_str),
            Posted::Form(p) => p.get(name).ok().flatten(),
        }
    }

    /// Whether `name` was posted at all (of any type, or more than once).
    pub fn has(&self, name: &str) -> bool {
        match self {
            Posted::Json(v) => v.contains_key(name),
            Posted::Form(p) => !matches!(p.get(name), Ok(None)),
        }
    }

    /// What the request proves of its origin: a form carries our page's token; JSON cannot
    /// be sent across sites without a preflight wagate never grants.
    pub fn csrf(&self) -> Csrf<'_> {
        match self {
            Posted::Json(_) => Csrf::NotNeeded,
            Posted::Form(p) => Csrf::Form(p.get("csrf").ok().flatten()),
        }
    }
}

/// The parameters of a form post; anything else is refused before the body is read.
pub async fn form<S>(req: &HttpRequest, payload: S, web: &Web) -> Result<Params, Unreadable>
where
    S: Stream<Item = Result<Bytes, PayloadError>> + Unpin,
{
    if !body::is_form(req) {
        return Err(Unreadable::NotAForm);
    }
    let bytes = body::read(req, payload, web)
        .await
        .map_err(Unreadable::Body)?;
    Ok(Params::parse(&bytes))
}
