//! The knobs of the login, already validated by whoever built them.

use std::time::Duration;

#[derive(Clone, Debug)]
pub struct LoginPolicy {
    /// How long a login flow (phone page to code) may take in all.
    pub flow_ttl: Duration,
    /// Wrong codes allowed per flow; the next one kills the flow.
    pub max_attempts: u32,
    /// Minimum wait between two sends in one flow.
    pub resend_cooldown: Duration,
    /// Codes sent at most per flow (first send and resends).
    pub max_sends_per_flow: u32,
    /// Codes sent at most per phone number per hour, across all flows and instances.
    pub sends_per_number_per_hour: u64,
    /// Codes sent at most per client IP per hour, across all flows and instances.
    pub sends_per_ip_per_hour: u64,
    /// Logins opened at most per client IP per minute: each holds storage until it expires.
    pub flows_per_ip_per_minute: u64,
    /// Wrong authenticator codes at most per phone number per hour, across all flows: the
    /// per-flow attempts alone would let many flows guess.
    pub totp_failures_per_number_per_hour: u64,
}

impl Default for LoginPolicy {
    fn default() -> Self {
        LoginPolicy {
            flow_ttl: Duration::from_secs(900),
            max_attempts: 5,
            resend_cooldown: Duration::from_secs(30),
            max_sends_per_flow: 5,
            sends_per_number_per_hour: 5,
            sends_per_ip_per_hour: 30,
            flows_per_ip_per_minute: 60,
            totp_failures_per_number_per_hour: 10,
        }
    }
}
