//! `[tokens]` and `[sessions]`: how long each thing lives.

use super::Config;
use super::problems::{Problems, secs};
use wagate_oidc::Lifetimes;

pub(super) fn resolve(config: &Config, p: &mut Problems) -> Lifetimes {
    let t = &config.tokens;
    p.check(
        (10..=600).contains(&t.authorization_code_ttl_secs),
        "tokens.authorization_code_ttl_secs: must be between 10 and 600",
    );
    p.check(
        (60..=86_400).contains(&t.access_token_ttl_secs),
        "tokens.access_token_ttl_secs: must be between 60 and 86400",
    );
    p.check(
        (60..=86_400).contains(&t.id_token_ttl_secs),
        "tokens.id_token_ttl_secs: must be between 60 and 86400",
    );
    p.check(
        t.refresh_token_idle_ttl_secs >= 60
            && t.refresh_token_idle_ttl_secs <= t.refresh_token_absolute_ttl_secs
            && t.refresh_token_absolute_ttl_secs <= 400 * 86_400,
        "tokens.refresh_token_idle_ttl_secs: must be at least 60 and at most refresh_token_absolute_ttl_secs (at most 400 days)",
    );
    let sess = &config.sessions;
    p.check(
        sess.idle_ttl_secs >= 60
            && sess.idle_ttl_secs <= sess.absolute_ttl_secs
            && sess.absolute_ttl_secs <= 400 * 86_400,
        "sessions.idle_ttl_secs: must be at least 60 and at most absolute_ttl_secs (at most 400 days)",
    );

    Lifetimes {
        authorization_code: secs(t.authorization_code_ttl_secs),
        access_token: secs(t.access_token_ttl_secs),
        id_token: secs(t.id_token_ttl_secs),
        refresh_token_idle: secs(t.refresh_token_idle_ttl_secs),
        refresh_token_absolute: secs(t.refresh_token_absolute_ttl_secs),
        session_idle: secs(sess.idle_ttl_secs),
        session_absolute: secs(sess.absolute_ttl_secs),
        service_token: secs(t.service_token_ttl_secs),
    }
}
