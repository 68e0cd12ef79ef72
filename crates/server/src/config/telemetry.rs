//! `[telemetry]`: where traces go, if anywhere.

use super::Config;
use super::problems::Problems;

/// Traces, as resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Telemetry {
    pub enabled: bool,
    /// OTLP/HTTP base URL; `None` leaves it to `OTEL_EXPORTER_OTLP_*` (or the standard default,
    /// `http://localhost:4318`).
    pub endpoint: Option<String>,
    pub service_name: String,
}

pub(super) fn resolve(config: &Config, p: &mut Problems) -> Telemetry {
    let t = &config.telemetry;
    if let Some(endpoint) = &t.endpoint {
        let ok = url::Url::parse(endpoint)
            .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
        p.check(
            ok,
            format!("telemetry.endpoint: {endpoint:?} is not an http(s) URL"),
        );
    }
    p.check(
        !t.service_name.trim().is_empty(),
        "telemetry.service_name: must not be empty",
    );
    Telemetry {
        enabled: t.enabled,
        endpoint: t.endpoint.clone(),
        service_name: t.service_name.clone(),
    }
}
