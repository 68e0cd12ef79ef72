//! Around every request, on both listeners: the request's span (the parent of everything it
//! causes, storage and outbound calls included), its request id, and the trace it continues.
//!
//! A request id and a W3C `traceparent` are taken from the request only when a trusted proxy
//! sent it; anyone else could use them to write into other people's traces or logs.

use super::client_ip;
use crate::live::State;
use actix_web::Error;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use opentelemetry::propagation::Extractor;
use opentelemetry::trace::TraceContextExt;
use tracing::Instrument;
use tracing::field::Empty;
use tracing_opentelemetry::OpenTelemetrySpanExt;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The name of every request's span (log lines find their request id in it).
pub const REQUEST_SPAN: &str = "request";

pub async fn traced(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let Some(state) = State::of(req.request()) else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    };
    // Scrapes and probes, every few seconds from every monitor: neither traced nor numbered.
    if matches!(req.path(), "/metrics" | "/healthz/live" | "/healthz/ready") {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    }
    let trusted = client_ip::from_trusted_proxy(req.request(), &state.web);
    let id = trusted
        .then(|| given_id(req.headers()))
        .flatten()
        .unwrap_or_else(|| new_id(state.random.as_ref()));
    // Methods outside the standard set are one name, as span names must be few.
    let method = super::edge::method_label(req.method());
    // The route is known from the resource map before routing; the span is named for it now,
    // since an exported span's name cannot change once its trace id is read below.
    let route = req.match_pattern();
    let name = match &route {
        Some(route) => format!("{method} {route}"),
        None => method.clone(),
    };
    let span = tracing::info_span!(
        REQUEST_SPAN,
        otel.name = name,
        otel.kind = "server",
        otel.status_code = Empty,
        http.request.method = method.as_str(),
        http.route = route.as_deref(),
        http.response.status_code = Empty,
        request_id = id.as_str(),
        trace_id = Empty,
    );
    if trusted {
        let parent = opentelemetry::global::get_text_map_propagator(|propagator| {
            propagator.extract(&HeaderExtractor(req.headers()))
        });
        // Without a tracer there is nothing to attach to; the request is its own root then.
        let _ = span.set_parent(parent);
    }
    let trace = span.context().span().span_context().clone();
    if trace.is_valid() {
        span.record("trace_id", trace.trace_id().to_string());
    }
    // Handlers and the edge answer with responses, errors included, so every answer passes
    // here (what actix itself refuses before routing never reaches this).
    let mut res = next
        .call(req)
        .instrument(span.clone())
        .await?
        .map_into_boxed_body();
    let status = res.status();
    span.record("http.response.status_code", status.as_u16());
    if status.is_server_error() {
        span.record("otel.status_code", "ERROR");
    }
    if let Ok(value) = HeaderValue::from_str(&id) {
        res.headers_mut().insert(REQUEST_ID, value);
    }
    Ok(res)
}

/// A proxy's request id, if it is one we can log as it is: short, and only characters that
/// cannot break a log line.
fn given_id(headers: &HeaderMap) -> Option<String> {
    let id = headers.get(&REQUEST_ID)?.to_str().ok()?;
    let fine = (1..=128).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'));
    fine.then(|| id.to_owned())
}

/// 16 random hex digits: unique enough to find one request among a day's.
fn new_id(random: &dyn wagate_storage::SecretSource) -> String {
    let mut bytes = [0u8; 8];
    random.fill(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

struct HeaderExtractor<'a>(&'a HeaderMap);

impl Extractor for HeaderExtractor<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(|v| v.to_str().ok())
    }

    fn keys(&self) -> Vec<&str> {
        self.0.keys().map(HeaderName::as_str).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_short_request_ids_are_taken() {
        let with = |v: &str| {
            let mut h = HeaderMap::new();
            h.insert(
                REQUEST_ID,
                HeaderValue::from_str(v).unwrap_or(HeaderValue::from_static("")),
            );
            given_id(&h)
        };
        assert_eq!(with("abc-123_x.y:z").as_deref(), Some("abc-123_x.y:z"));
        assert_eq!(with("has space"), None);
        assert_eq!(with("quote\"d"), None);
        assert_eq!(with(""), None);
        assert_eq!(with(&"a".repeat(129)), None);
    }
}
