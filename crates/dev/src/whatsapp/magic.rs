//! The fake's magic numbers: the last four digits of the recipient choose one of Meta's
//! answers, so each of wagate's ways of handling them can be tried without a Meta account and
//! without finding a real number that fails that way. Every other number is "delivered".

use super::error::MetaError;
use std::time::Duration;

/// Refused with 131026: the number is not on WhatsApp (or has an old app, or has not accepted
/// the terms); wagate should fall back and not retry.
pub const NOT_ON_WHATSAPP: &str = "9901";
/// Refused with 130497: the business may not message that country.
pub const COUNTRY_RESTRICTED: &str = "9902";
/// Refused with 130429: the number's throughput (80 messages/s) is used up; back off.
pub const THROUGHPUT_LIMIT: &str = "9903";
/// Refused with 131056: this business messaged this person too often (about one per 6 s).
pub const PAIR_RATE_LIMIT: &str = "9904";
/// Refused with 131048: the quality rating limits how many messages the business may send.
pub const SPAM_RATE_LIMIT: &str = "9905";
/// Refused with 190, subcode 463, HTTP 401: the system-user token has expired; wagate's
/// configuration is wrong and no retry helps.
pub const TOKEN_EXPIRED: &str = "9906";
/// Refused with 132001: the template (or its translation) does not exist.
pub const TEMPLATE_MISSING: &str = "9907";
/// Refused with 131031: the business account is locked.
pub const ACCOUNT_LOCKED: &str = "9908";
/// Refused with HTTP 500, 131000: Meta failed; the message may or may not have gone out.
pub const SERVER_ERROR: &str = "9909";
/// Accepted; `sent` at once, `delivered` only after the late delay (a phone that was off).
pub const DELIVERED_LATE: &str = "9910";
/// Accepted; `sent` and never anything else.
pub const NEVER_DELIVERED: &str = "9911";
/// Accepted; `sent`, then `failed` with 131026 (the refusal arrives by webhook, as it can).
pub const FAILED_AFTER_SENDING: &str = "9912";
/// Accepted; `read` straight away, without `delivered` (Meta may skip it).
pub const READ_AT_ONCE: &str = "9913";

/// What a magic number makes the fake do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Magic {
    NotOnWhatsApp,
    CountryRestricted,
    ThroughputLimit,
    PairRateLimit,
    SpamRateLimit,
    TokenExpired,
    TemplateMissing,
    AccountLocked,
    ServerError,
    DeliveredLate,
    NeverDelivered,
    FailedAfterSending,
    ReadAtOnce,
}

/// The magic number a recipient (digits, as sent) ends in, if any.
pub fn magic(to_digits: &str) -> Option<Magic> {
    let suffix = to_digits.get(to_digits.len().checked_sub(4)?..)?;
    Magic::ALL.into_iter().find(|m| m.suffix() == suffix)
}

/// A status the fake posts about an accepted message, `after` the message was accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub after: Duration,
    pub status: &'static str,
    /// The error a `failed` status carries.
    pub error_code: Option<i64>,
}

const fn step(after: Duration, status: &'static str) -> Step {
    Step {
        after,
        status,
        error_code: None,
    }
}

impl Magic {
    pub const ALL: [Magic; 13] = [
        Magic::NotOnWhatsApp,
        Magic::CountryRestricted,
        Magic::ThroughputLimit,
        Magic::PairRateLimit,
        Magic::SpamRateLimit,
        Magic::TokenExpired,
        Magic::TemplateMissing,
        Magic::AccountLocked,
        Magic::ServerError,
        Magic::DeliveredLate,
        Magic::NeverDelivered,
        Magic::FailedAfterSending,
        Magic::ReadAtOnce,
    ];

    pub fn suffix(self) -> &'static str {
        match self {
            Magic::NotOnWhatsApp => NOT_ON_WHATSAPP,
            Magic::CountryRestricted => COUNTRY_RESTRICTED,
            Magic::ThroughputLimit => THROUGHPUT_LIMIT,
            Magic::PairRateLimit => PAIR_RATE_LIMIT,
            Magic::SpamRateLimit => SPAM_RATE_LIMIT,
            Magic::TokenExpired => TOKEN_EXPIRED,
            Magic::TemplateMissing => TEMPLATE_MISSING,
            Magic::AccountLocked => ACCOUNT_LOCKED,
            Magic::ServerError => SERVER_ERROR,
            Magic::DeliveredLate => DELIVERED_LATE,
            Magic::NeverDelivered => NEVER_DELIVERED,
            Magic::FailedAfterSending => FAILED_AFTER_SENDING,
            Magic::ReadAtOnce => READ_AT_ONCE,
        }
    }

    /// One line for people trying the fake.
    pub fn describe(self) -> String {
        if let Some(refusal) = self.refusal() {
            return format!(
                "refused, HTTP {} code {}: {}",
                refusal.http, refusal.code, refusal.title
            );
        }
        match self {
            Magic::DeliveredLate => "accepted; delivered only after the late delay",
            Magic::NeverDelivered => "accepted; sent, never delivered",
            Magic::FailedAfterSending => "accepted; sent, then failed with 131026",
            _ => "accepted; read at once, without delivered",
        }
        .to_owned()
    }

    /// Meta's refusal of the send, for the numbers that are refused at once.
    pub fn refusal(self) -> Option<MetaError> {
        let (http, code, title) = match self {
            Magic::NotOnWhatsApp => (400, 131026, "Message undeliverable"),
            Magic::CountryRestricted => (
                400,
                130497,
                "Business account is restricted from messaging users in this country",
            ),
            // Meta answers its throughput limit with 400, not 429: wagate must read the code.
            Magic::ThroughputLimit => (400, 130429, "Rate limit hit"),
            Magic::PairRateLimit => (
                400,
                131056,
                "(Business Account, Consumer Account) pair rate limit hit",
            ),
            Magic::SpamRateLimit => (400, 131048, "Spam rate limit hit"),
            Magic::TokenExpired => return Some(MetaError::token_expired()),
            Magic::TemplateMissing => (
                400,
                132001,
                "Template name does not exist in the translation",
            ),
            Magic::AccountLocked => (400, 131031, "Business Account locked"),
            Magic::ServerError => (500, 131000, "Something went wrong"),
            _ => return None,
        };
        Some(MetaError::refused(http, code, title))
    }

    /// The statuses an accepted message gets: `sent` at once and `delivered` after
    /// `status_delay`, unless the number says otherwise.
    pub fn steps(magic: Option<Magic>, status_delay: Duration, late_delay: Duration) -> Vec<Step> {
        let now = Duration::ZERO;
        match magic {
            Some(Magic::DeliveredLate) => vec![step(now, "sent"), step(late_delay, "delivered")],
            Some(Magic::NeverDelivered) => vec![step(now, "sent")],
            Some(Magic::FailedAfterSending) => vec![
                step(now, "sent"),
                Step {
                    error_code: Some(131026),
                    ..step(status_delay, "failed")
                },
            ],
            Some(Magic::ReadAtOnce) => vec![step(status_delay, "read")],
            _ => vec![step(now, "sent"), step(status_delay, "delivered")],
        }
    }
}

/// The title Meta gives an error code, for the `errors` of a `failed` status.
pub fn title_of(code: i64) -> &'static str {
    Magic::ALL
        .into_iter()
        .filter_map(Magic::refusal)
        .find(|r| r.code == code)
        .map_or("Failed", |r| r.title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_reads_the_last_four_digits_only() {
        assert_eq!(magic("447911109901"), Some(Magic::NotOnWhatsApp));
        assert_eq!(magic("9913"), Some(Magic::ReadAtOnce));
        assert_eq!(magic("447911199014"), None);
        assert_eq!(magic("901"), None);
        assert_eq!(magic(""), None);
        for m in Magic::ALL {
            assert_eq!(magic(&format!("4479110{}", m.suffix())), Some(m));
            assert!(!m.describe().is_empty());
        }
    }
}
