//! `[login]`: who sends and checks the codes, and the rules of a login.

use super::file::LoginBackend;
use super::problems::{Problems, secs};
use super::{Config, OtpBackendKind};
use std::time::Duration;
use wagate_core::{LoginPolicy, PhonePolicy};

/// The login's part of the settings.
pub(super) struct Login {
    pub backend: OtpBackendKind,
    pub policy: LoginPolicy,
    pub phones: PhonePolicy,
    pub code_length: u8,
    pub code_ttl: Duration,
}

pub(super) fn resolve(config: &Config, p: &mut Problems) -> Option<Login> {
    let l = &config.login;
    let backend = match l.backend.resolve("login.backend", "local, cripsa", p) {
        Some(LoginBackend::Local) => Some(OtpBackendKind::Local),
        Some(LoginBackend::Cripsa) => {
            super::cripsa::resolve(p, &config.cripsa).map(|c| OtpBackendKind::Cripsa(Box::new(c)))
        }
        None => None,
    };
    p.check(
        wagate_core::CODE_LENGTHS.contains(&l.code_length),
        format!(
            "login.code_length: must be between {} and {}",
            wagate_core::CODE_LENGTHS.start(),
            wagate_core::CODE_LENGTHS.end()
        ),
    );
    p.check(
        (30..=600).contains(&l.code_ttl_secs),
        "login.code_ttl_secs: must be between 30 and 600 (codes live at most 10 minutes)",
    );
    p.check(
        (1..=20).contains(&l.max_attempts),
        "login.max_attempts: must be between 1 and 20",
    );
    p.check(
        l.resend_cooldown_secs >= 6,
        "login.resend_cooldown_secs: must be at least 6 (WhatsApp's per-recipient pacing)",
    );
    p.check(
        l.flow_ttl_secs >= l.code_ttl_secs && l.flow_ttl_secs <= 3600,
        "login.flow_ttl_secs: must be at least code_ttl_secs and at most 3600",
    );
    p.check(
        l.max_sends_per_flow >= 1,
        "login.max_sends_per_flow: must be at least 1",
    );
    p.check(
        l.sends_per_number_per_hour >= 1
            && l.sends_per_ip_per_hour >= 1
            && l.flows_per_ip_per_minute >= 1,
        "login.sends_per_number_per_hour, sends_per_ip_per_hour and flows_per_ip_per_minute: must be at least 1",
    );
    let phones = PhonePolicy::new(l.default_region.as_deref(), &l.allowed_countries)
        .map_err(|e| p.add(format!("login: {e}")))
        .ok();
    Some(Login {
        backend: backend?,
        policy: LoginPolicy {
            flow_ttl: secs(l.flow_ttl_secs),
            max_attempts: l.max_attempts,
            resend_cooldown: secs(l.resend_cooldown_secs),
            max_sends_per_flow: l.max_sends_per_flow,
            sends_per_number_per_hour: l.sends_per_number_per_hour,
            sends_per_ip_per_hour: l.sends_per_ip_per_hour,
            flows_per_ip_per_minute: l.flows_per_ip_per_minute,
            totp_failures_per_number_per_hour: config.totp.failures_per_number_per_hour,
        },
        phones: phones?,
        code_length: l.code_length,
        code_ttl: secs(l.code_ttl_secs),
    })
}
