//! Durations of the `storage` and `outbound` spans (see `wagate_telemetry`), as histograms.
//! The spans are the one place calls are marked; this turns them into metrics whether or not
//! traces are exported.

use crate::metrics::{CallLabels, UpstreamLabels};
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use std::sync::LazyLock;
use std::time::Instant;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Metadata, Subscriber};
use tracing_subscriber::layer::Context;
use tracing_subscriber::registry::LookupSpan;
use wagate_telemetry::{OUTBOUND_SPAN, STORAGE_SPAN};

/// The process's call timings (one subscriber per process, so one set).
#[derive(Clone)]
pub struct Timings {
    storage: Family<CallLabels, Histogram>,
    upstream: Family<UpstreamLabels, Histogram>,
}

static TIMINGS: LazyLock<Timings> = LazyLock::new(|| Timings {
    storage: Family::new_with_constructor(storage_histogram as fn() -> Histogram),
    upstream: Family::new_with_constructor(upstream_histogram as fn() -> Histogram),
});

pub fn timings() -> &'static Timings {
    &TIMINGS
}

/// Storage commands take a fraction of a millisecond when all is well.
fn storage_histogram() -> Histogram {
    Histogram::new([
        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1.0,
    ])
}

fn upstream_histogram() -> Histogram {
    Histogram::new([0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0])
}

impl Timings {
    pub fn register(&self, registry: &mut Registry) {
        registry.register(
            "storage_command_duration_seconds",
            "Storage commands (and pipelines) by command and outcome (ok, error)",
            self.storage.clone(),
        );
        registry.register(
            "upstream_request_duration_seconds",
            "Calls to other services by upstream (webhook, whatsapp, cripsa, backchannel_logout, events, captcha) and outcome (ok, error)",
            self.upstream.clone(),
        );
    }
}

pub(super) fn is_timed(meta: &Metadata<'_>) -> bool {
    meta.is_span() && matches!(meta.name(), OUTBOUND_SPAN | STORAGE_SPAN)
}

/// What a timed span says about itself, kept in its extensions until it closes.
struct Timed {
    started: Instant,
    storage: bool,
    /// The command or the upstream.
    what: String,
    outcome: Option<String>,
}

#[derive(Default)]
struct Fields {
    what: Option<String>,
    outcome: Option<String>,
}

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        match field.name() {
            "command" | "upstream" => self.what = Some(value.to_owned()),
            "outcome" => self.outcome = Some(value.to_owned()),
            _ => {}
        }
    }

    fn record_debug(&mut self, _: &Field, _: &dyn std::fmt::Debug) {}
}

pub(super) struct Layer;

impl<S> tracing_subscriber::Layer<S> for Layer
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(id) else {
            return;
        };
        let mut fields = Fields::default();
        attrs.record(&mut fields);
        span.extensions_mut().insert(Timed {
            started: Instant::now(),
            storage: attrs.metadata().name() == STORAGE_SPAN,
            what: fields.what.unwrap_or_else(|| "other".into()),
            outcome: fields.outcome,
        });
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(id) else {
            return;
        };
        let mut fields = Fields::default();
        values.record(&mut fields);
        if let (Some(outcome), Some(timed)) =
            (fields.outcome, span.extensions_mut().get_mut::<Timed>())
        {
            timed.outcome = Some(outcome);
        }
    }

    fn on_close(&self, id: Id, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(&id) else {
            return;
        };
        let Some(timed) = span.extensions_mut().remove::<Timed>() else {
            return;
        };
        let seconds = timed.started.elapsed().as_secs_f64();
        // A call dropped before it ended (a timeout) did not succeed.
        let outcome = match timed.outcome.as_deref() {
            Some("ok") => "ok",
            _ => "error",
        };
        let t = timings();
        if timed.storage {
            t.storage
                .get_or_create(&CallLabels {
                    command: timed.what,
                    outcome,
                })
                .observe(seconds);
        } else {
            t.upstream
                .get_or_create(&UpstreamLabels {
                    upstream: timed.what,
                    outcome,
                })
                .observe(seconds);
        }
    }
}
