//! Logs, traces and call timings, from one tracing subscriber with a filter per output:
//! - log lines (text or JSON) as `log.level` or `RUST_LOG` says, each carrying the spans it
//!   happened in, so a line about a request carries its `request_id` (and `trace_id`);
//! - traces to an OpenTelemetry collector, when `[telemetry]` turns them on;
//! - the durations of storage and outbound calls, for the metrics.

mod otlp;
mod scrub;
mod timings;

pub use timings::timings;

use crate::config::Telemetry;
use opentelemetry::trace::TracerProvider;
use opentelemetry_sdk::trace::SdkTracerProvider;
use std::io::IsTerminal;
use tracing_subscriber::filter::FilterExt;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer, filter};

/// Flushes the traces still buffered when the process ends.
#[derive(Default)]
pub struct Guard {
    provider: Option<SdkTracerProvider>,
}

impl Guard {
    pub fn shutdown(self) {
        if let Some(provider) = self.provider
            && let Err(e) = provider.shutdown()
        {
            tracing::warn!(error = %e, "traces still buffered could not be sent");
        }
    }
}

/// Installs the global subscriber; `RUST_LOG` overrides the configured level. Traces go out
/// only when `traces` says so (and `OTEL_SDK_DISABLED` does not say otherwise).
pub fn init(level: &str, json: bool, traces: Option<&Telemetry>) -> Guard {
    let filter = EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(level))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let ansi = std::io::stdout().is_terminal();
    let logs = if json {
        tracing_subscriber::fmt::layer()
            .json()
            .with_writer(scrub::Scrubbed(std::io::stdout))
            .with_target(false)
            .with_span_list(true)
            .with_current_span(false)
            .boxed()
    } else {
        tracing_subscriber::fmt::layer()
            .with_writer(scrub::Scrubbed(std::io::stdout))
            .with_target(false)
            .with_ansi(ansi)
            .boxed()
    };
    let (provider, problem) = match traces.filter(|t| t.enabled && !sdk_disabled()) {
        Some(t) => {
            // The exporter's blocking HTTP client has a runtime of its own, which must be made
            // (and, on failure, dropped) outside the async runtime this is called from.
            let t = t.clone();
            match std::thread::spawn(move || otlp::provider(&t)).join() {
                Ok(Ok(p)) => (Some(p), None),
                Ok(Err(e)) => (None, Some(e)),
                Err(_) => (None, Some("the exporter could not be made".to_owned())),
            }
        }
        None => (None, None),
    };
    let otel = provider.as_ref().map(|p| {
        opentelemetry::global::set_text_map_propagator(
            opentelemetry_sdk::propagation::TraceContextPropagator::new(),
        );
        // Spans only: log lines stay in the log (where numbers are masked on the way out) and
        // find their trace by its id; spans are made by wagate with fields that hold no
        // personal data.
        tracing_opentelemetry::layer()
            .with_tracer(p.tracer("wagate"))
            .with_filter(filter::filter_fn(|m| {
                m.is_span() && (*m.level() <= tracing::Level::INFO || timings::is_timed(m))
            }))
    });
    let timed = timings::Layer.with_filter(filter::filter_fn(timings::is_timed));
    // A second init (tests starting several servers) is harmless, hence the ignored result.
    // The request's span is kept whatever the level, so that a warning still names its request.
    let logs_filter = filter.or(filter::filter_fn(|m| {
        m.is_span() && m.name() == crate::http::trace::REQUEST_SPAN
    }));
    let _ = tracing_subscriber::registry()
        .with(logs.with_filter(logs_filter))
        .with(otel)
        .with(timed)
        .try_init();
    if let Some(e) = problem {
        tracing::error!(error = %e, "traces cannot be exported; running without them");
    } else if provider.is_some() {
        tracing::info!("traces are exported over OTLP/HTTP");
    }
    Guard { provider }
}

fn sdk_disabled() -> bool {
    std::env::var("OTEL_SDK_DISABLED").is_ok_and(|v| v.trim().eq_ignore_ascii_case("true"))
}
