//! The HTTP plumbing both modes share: one client with timeouts and no redirects, and
//! transport failures sorted by whether the upstream can have seen the request.

use crate::errors::UpstreamError;
use reqwest::StatusCode;
use std::time::Duration;

pub(crate) fn client(timeout: Duration) -> Result<reqwest::Client, UpstreamError> {
    wagate_core::outbound_client(timeout)
        .map_err(|e| UpstreamError::Misconfigured(format!("http client: {e}")))
}

/// A status and the body as text, whatever the status.
pub(crate) struct Answer {
    pub status: StatusCode,
    pub text: String,
}

/// Sends `request`; `what` names the call in log details.
pub(crate) async fn send(
    request: reqwest::RequestBuilder,
    what: &str,
) -> Result<Answer, UpstreamError> {
    let response = wagate_telemetry::send("cripsa", request)
        .await
        .map_err(|e| UpstreamError::Unavailable {
            detail: format!("{what}: {}", detail(&e)),
            // Only a refused connection is known not to have reached the upstream; a timeout at
            // the phone step may still have sent the message.
            unseen: e.is_connect(),
        })?;
    let status = response.status();
    let text = response
        .text()
        .await
        .map_err(|e| UpstreamError::Unavailable {
            detail: format!("{what}: reading the answer: {}", detail(&e)),
            unseen: false,
        })?;
    Ok(Answer { status, text })
}

/// Runs `call` again once if the upstream never saw the first try (code step only).
pub(crate) async fn once_more_if_unseen<T, F, Fut>(call: F) -> Result<T, UpstreamError>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<T, UpstreamError>>,
{
    match call().await {
        Err(UpstreamError::Unavailable { unseen: true, .. }) => call().await,
        other => other,
    }
}

/// The cause, kept: a peer that cannot be reached is not a slow one.
fn detail(e: &reqwest::Error) -> &'static str {
    if e.is_connect() {
        "could not connect"
    } else if e.is_timeout() {
        "no answer in time"
    } else {
        "transport error"
    }
}
