//! `mode = "http"`: Cripsa's own `whatsapp-signin` / `whatsapp-responseToauth` operations,
//! shaped by [`HttpShape`]. Same session rules as Cognito mode: the session is opaque, replaced
//! by every new challenge, and never leaves the server.

use crate::errors::{Step, UpstreamError, classify};
use crate::http_shape::{Field, HttpShape};
use crate::secret_hash::secret_hash;
use crate::transport::{self, Answer, once_more_if_unseen};
use crate::upstream::{AnswerOutcome, SignedUp, Upstream, UpstreamChallenge};
use crate::wire::short_kind;
use async_trait::async_trait;
use reqwest::StatusCode;
use reqwest::header::{HeaderName, HeaderValue};
use serde_json::{Value, json};
use std::fmt;
use std::time::Duration;
use url::Url;
use wagate_storage::Secret;

/// A header that authenticates wagate to Cripsa (e.g. `x-api-key`, or `Authorization` with
/// `Bearer <developer token>`). Built once; the value is marked sensitive, so `Debug` and
/// HTTP/2 header compression leave it out.
#[derive(Debug)]
pub struct AuthHeader {
    pub name: HeaderName,
    value: HeaderValue,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AuthHeaderError {
    #[error("not a valid HTTP header name")]
    Name,
    #[error("must be non-empty printable ASCII")]
    Value,
}

impl AuthHeader {
    pub fn new(name: &str, value: &Secret) -> Result<AuthHeader, AuthHeaderError> {
        let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| AuthHeaderError::Name)?;
        let mut value = HeaderValue::from_str(value.expose())
            .ok()
            .filter(|v| !v.is_empty())
            .ok_or(AuthHeaderError::Value)?;
        value.set_sensitive(true);
        Ok(AuthHeader { name, value })
    }
}

pub struct CripsaHttpClient {
    http: reqwest::Client,
    signin_url: Url,
    respond_url: Url,
    auth: Option<AuthHeader>,
    client_id: String,
    /// Present when the requests carry a SECRET_HASH.
    client_secret: Option<Secret>,
    shape: HttpShape,
}

impl fmt::Debug for CripsaHttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CripsaHttpClient")
            .field("signin_url", &self.signin_url.as_str())
            .field("respond_url", &self.respond_url.as_str())
            .field("auth_header", &self.auth.as_ref().map(|a| a.name.as_str()))
            .field("client_id", &self.client_id)
            .field("shape", &self.shape)
            .finish_non_exhaustive()
    }
}

/// What a 2xx answer means.
enum Reading {
    Challenge {
        session: String,
        username: Option<String>,
    },
    Authenticated {
        id_token: String,
    },
}

impl CripsaHttpClient {
    /// `base_url` must end with `/` for the paths to land under it.
    pub fn new(
        base_url: &Url,
        shape: HttpShape,
        auth: Option<AuthHeader>,
        client_id: impl Into<String>,
        client_secret: Option<Secret>,
        timeout: Duration,
    ) -> Result<CripsaHttpClient, UpstreamError> {
        let join = |path: &str| {
            base_url
                .join(path)
                .map_err(|e| UpstreamError::Misconfigured(format!("path {path:?}: {e}")))
        };
        Ok(CripsaHttpClient {
            http: transport::client(timeout)?,
            signin_url: join(&shape.signin_path)?,
            respond_url: join(&shape.respond_path)?,
            auth,
            client_id: client_id.into(),
            client_secret,
            shape,
        })
    }

    fn body(&self) -> Value {
        let mut body = json!({});
        if let Some(field) = &self.shape.request.client_id {
            put(&mut body, field, self.client_id.clone());
        }
        body
    }

    fn put_hash(&self, body: &mut Value, field: Option<&Field>, username: &str) {
        if let (Some(field), Some(secret)) = (field, &self.client_secret) {
            put(body, field, secret_hash(secret, username, &self.client_id));
        }
    }

    async fn post(&self, url: &Url, step: Step, body: &Value) -> Result<Reading, UpstreamError> {
        let mut request = self.http.post(url.clone()).json(body);
        if let Some(auth) = &self.auth {
            request = request.header(auth.name.clone(), auth.value.clone());
        }
        let what = url.path();
        let answer = transport::send(request, what).await?;
        self.read(what, step, &answer)
    }

    fn read(&self, what: &str, step: Step, answer: &Answer) -> Result<Reading, UpstreamError> {
        let status = answer.status;
        let json: Option<Value> = serde_json::from_str(&answer.text).ok();
        let text_at = |field: &Field| {
            json.as_ref()
                .and_then(|v| v.pointer(field.as_str()))
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
        };
        let fields = &self.shape.answer;
        if status.is_success() {
            if let Some(id_token) = text_at(&fields.id_token) {
                return Ok(Reading::Authenticated {
                    id_token: id_token.to_owned(),
                });
            }
            if let Some(session) = text_at(&fields.session) {
                return Ok(Reading::Challenge {
                    session: session.to_owned(),
                    username: fields
                        .username
                        .as_ref()
                        .and_then(text_at)
                        .map(str::to_owned),
                });
            }
        }
        if let Some(kind) = text_at(&fields.error_type) {
            let message = fields
                .error_message
                .as_ref()
                .and_then(text_at)
                .unwrap_or("");
            return Err(classify(step, short_kind(kind), message));
        }
        Err(by_status(what, status, json.is_some(), fields))
    }
}

/// An answer without a readable error type: the status is all there is to go on.
fn by_status(
    what: &str,
    status: StatusCode,
    is_json: bool,
    fields: &crate::http_shape::AnswerFields,
) -> UpstreamError {
    let detail = format!("{what}: HTTP {status}");
    match status.as_u16() {
        200..=299 if is_json => UpstreamError::Misconfigured(format!(
            "{detail}: no value at {:?}, {:?} or {:?} (check [cripsa.http.answer])",
            fields.id_token, fields.session, fields.error_type
        )),
        429 => UpstreamError::RateLimited(detail),
        401 | 403 => UpstreamError::Misconfigured(format!(
            "{detail}: credentials refused (check auth_header and auth_value)"
        )),
        404 | 405 => UpstreamError::Misconfigured(format!(
            "{detail}: no such operation (check base_url and the paths)"
        )),
        _ => UpstreamError::Unavailable {
            detail: format!("{detail}, no error type in the answer"),
            unseen: false,
        },
    }
}

/// Writes `value` at `field`, creating the objects on its way.
fn put(body: &mut Value, field: &Field, value: impl Into<Value>) {
    // Fields were checked not to overlap, so assigning cannot fail on a scalar in the way.
    if let Err(e) = field.pointer().assign(body, value.into()) {
        tracing::warn!(backend = "cripsa", field = field.as_str(), error = %e, "could not place a request field");
    }
}

#[async_trait]
impl Upstream for CripsaHttpClient {
    async fn initiate(&self, phone: &str) -> Result<UpstreamChallenge, UpstreamError> {
        let sent = self.shape.phone_format.write(phone);
        let mut body = self.body();
        put(&mut body, &self.shape.request.phone, sent.clone());
        self.put_hash(
            &mut body,
            self.shape.request.signin_secret_hash.as_ref(),
            &sent,
        );
        match self.post(&self.signin_url, Step::Start, &body).await? {
            Reading::Challenge { session, username } => Ok(UpstreamChallenge {
                session: Secret::new(session),
                username: username.unwrap_or(sent),
            }),
            Reading::Authenticated { .. } => Err(UpstreamError::Misconfigured(format!(
                "{}: answered with tokens before any code was checked",
                self.signin_url.path()
            ))),
        }
    }

    async fn respond(
        &self,
        challenge: &UpstreamChallenge,
        code: &str,
    ) -> Result<AnswerOutcome, UpstreamError> {
        let fields = &self.shape.request;
        let mut body = self.body();
        put(&mut body, &fields.session, challenge.session.expose());
        put(&mut body, &fields.code, code);
        if let Some(field) = &fields.username {
            put(&mut body, field, challenge.username.clone());
        }
        self.put_hash(
            &mut body,
            fields.respond_secret_hash.as_ref(),
            &challenge.username,
        );
        let reading =
            once_more_if_unseen(|| self.post(&self.respond_url, Step::Answer, &body)).await?;
        Ok(match reading {
            Reading::Authenticated { id_token } => AnswerOutcome::Authenticated {
                id_token: Secret::new(id_token),
            },
            Reading::Challenge { session, username } => AnswerOutcome::Retry(UpstreamChallenge {
                session: Secret::new(session),
                username: username.unwrap_or_else(|| challenge.username.clone()),
            }),
        })
    }

    async fn sign_up(&self, _phone: &str, _password: &Secret) -> Result<SignedUp, UpstreamError> {
        // Configuration refuses sign_up_unknown_numbers in http mode; this is the backstop.
        Err(UpstreamError::Misconfigured(
            "Cripsa's HTTP operations include no sign-up".into(),
        ))
    }
}

#[cfg(test)]
#[path = "http_api_tests.rs"]
mod tests;
