//! Calls that leave wagate (code webhooks, WhatsApp, Cripsa, back-channel logout, the event
//! webhook, captcha checks) and calls to storage, as spans. Each outbound call carries the W3C
//! trace context of its span, so a collector links the receiver's work to the login that caused
//! it. Without a tracer installed the propagator is a no-op and nothing is added.
//!
//! The spans' names and fields are a contract: the server times them for its metrics
//! (`outbound` by `upstream` and `outcome`, `storage` by `command` and `outcome`). They are at
//! debug level, so that log lines at the usual levels do not pay for formatting them; the
//! timings and the traces take them whatever the log level.

use opentelemetry::propagation::Injector;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use tracing::Instrument;
use tracing::field::Empty;
use tracing_opentelemetry::OpenTelemetrySpanExt;

/// Name of the span around each call to another service.
pub const OUTBOUND_SPAN: &str = "outbound";
/// Name of the span around each storage command.
pub const STORAGE_SPAN: &str = "storage";

/// Sends `request` inside an `outbound` span for `upstream` (a fixed name such as "webhook"),
/// with the span's trace context in its headers.
pub async fn send(
    upstream: &'static str,
    request: reqwest::RequestBuilder,
) -> reqwest::Result<reqwest::Response> {
    let (client, request) = request.build_split();
    let mut request = request?;
    let span = outbound_span(upstream, request.method().as_str(), request.url());
    inject(&span, request.headers_mut());
    let result = client.execute(request).instrument(span.clone()).await;
    match &result {
        Ok(res) => {
            let status = res.status();
            span.record("http.response.status_code", status.as_u16());
            outcome(&span, status.is_success());
        }
        Err(_) => outcome(&span, false),
    }
    result
}

/// The span of one outbound call. Only the host is recorded: paths and queries can hold
/// tokens or numbers.
pub fn outbound_span(upstream: &'static str, method: &str, url: &reqwest::Url) -> tracing::Span {
    tracing::debug_span!(
        OUTBOUND_SPAN,
        otel.name = format!("{method} {upstream}"),
        otel.kind = "client",
        otel.status_code = Empty,
        upstream,
        http.request.method = method,
        server.address = url.host_str().unwrap_or_default(),
        http.response.status_code = Empty,
        outcome = Empty,
    )
}

/// A span for work a request starts and does not wait for (a back-channel logout notice): in
/// the request's trace, as its child, without keeping the request's own span open until the
/// work ends.
pub fn background(name: &'static str) -> tracing::Span {
    let span = tracing::info_span!(parent: None, "background", otel.name = name);
    // Without a tracer there is no trace to join.
    let _ = span.set_parent(tracing::Span::current().context());
    span
}

/// The span of one storage command (`GET`, `EVALSHA`, a pipeline, ...).
pub fn storage_span(command: &'static str) -> tracing::Span {
    tracing::debug_span!(
        STORAGE_SPAN,
        otel.name = command,
        otel.kind = "client",
        otel.status_code = Empty,
        db.system.name = "redis",
        command,
        outcome = Empty,
    )
}

/// Records how a call ended: "ok" or "error" (the metrics' label) and the span's status.
pub fn outcome(span: &tracing::Span, ok: bool) {
    span.record("outcome", if ok { "ok" } else { "error" });
    if !ok {
        span.record("otel.status_code", "ERROR");
    }
}

/// Writes the trace context of `span` (`traceparent`, `tracestate`) into `headers`.
pub fn inject(span: &tracing::Span, headers: &mut HeaderMap) {
    let context = span.context();
    opentelemetry::global::get_text_map_propagator(|propagator| {
        propagator.inject_context(&context, &mut HeaderInjector(headers));
    });
}

struct HeaderInjector<'a>(&'a mut HeaderMap);

impl Injector for HeaderInjector<'_> {
    fn set(&mut self, key: &str, value: String) {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(key.as_bytes()),
            HeaderValue::from_str(&value),
        ) {
            self.0.insert(name, value);
        }
    }
}
