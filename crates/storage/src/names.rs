//! The names of counters and markers: callers say what they count or mark, and only this file
//! spells it. The Redis backend puts a whole name in its key's hash tag (`ctr:{name}`, see
//! `redis_backend::RedisStore::key`); the braces inside some names are part of the name.

use std::net::IpAddr;

/// Something counted in fixed windows (`CounterStore`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Counter {
    /// Codes checked in one login flow (its attempts).
    FlowAttempts(String),
    /// Codes sent to a number (E.164).
    SendsToNumber(String),
    /// Codes sent for a client address.
    SendsFromAddress(IpAddr),
    /// Logins opened from a client address.
    FlowsFromAddress(IpAddr),
    /// Wrong authenticator codes for a number (E.164), as the first factor or the second.
    AuthenticatorFailures { number: String, second_factor: bool },
    /// Codes sent to numbers that share a prefix (E.164 without its last four digits).
    SendsToPrefix(String),
    /// Codes sent to numbers of a country (ISO 3166-1 alpha-2).
    SendsToCountry(String),
    /// Codes sent by every instance, in the window named (`hour`, `day`).
    SendsOverall(&'static str),
    /// Codes sent to a country in one bucket of the conversion window.
    CountrySent { country: String, bucket: u64 },
    /// Codes verified for a country in one bucket of the conversion window.
    CountryVerified { country: String, bucket: u64 },
    /// Codes sent to a number since it was last quiet (the back-off's streak).
    SendStreak(String),
    /// Held while a number must wait before its next code (the back-off's gap).
    SendGap(String),
    /// A solved sending challenge, held while it could be replayed.
    SpentChallenge(String),
}

impl Counter {
    /// The counter's name in storage. Stable: changing one resets the counters in use.
    pub fn name(&self) -> String {
        match self {
            // The inner braces are history, kept so that keys stay stable; the hash tag is then
            // `attempts:{id` (up to the first closing brace), which no script shares.
            Counter::FlowAttempts(flow) => format!("attempts:{{{flow}}}"),
            Counter::SendsToNumber(number) => format!("sends:phone:{number}"),
            Counter::SendsFromAddress(ip) => format!("sends:ip:{ip}"),
            Counter::FlowsFromAddress(ip) => format!("flows:ip:{ip}"),
            Counter::AuthenticatorFailures {
                number,
                second_factor: false,
            } => format!("totp:fail:{number}"),
            Counter::AuthenticatorFailures {
                number,
                second_factor: true,
            } => format!("totp:fail2:{number}"),
            Counter::SendsToPrefix(prefix) => format!("sends:prefix:{prefix}"),
            Counter::SendsToCountry(country) => format!("sends:country:{country}"),
            Counter::SendsOverall(window) => format!("sends:all:{window}"),
            Counter::CountrySent { country, bucket } => format!("conv:sent:{country}:{bucket}"),
            Counter::CountryVerified { country, bucket } => {
                format!("conv:ok:{country}:{bucket}")
            }
            Counter::SendStreak(number) => format!("sends:streak:{number}"),
            Counter::SendGap(number) => format!("sends:gap:{number}"),
            Counter::SpentChallenge(signature) => format!("challenge:spent:{signature}"),
        }
    }
}

/// Something remembered for a while (`MarkerStore`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Marker {
    /// A grant (a code redemption and everything descended from it) was revoked.
    RevokedGrant(String),
    /// One access token (by `jti`) was revoked.
    RevokedAccessToken(String),
}

impl Marker {
    /// The marker's name in storage. Stable: changing one forgets the revocations in force.
    pub fn name(&self) -> String {
        match self {
            Marker::RevokedGrant(grant) => format!("revoked:grant:{{{grant}}}"),
            Marker::RevokedAccessToken(jti) => format!("revoked:jti:{{{jti}}}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_the_ones_in_storage_today() {
        let ip: IpAddr = "192.0.2.7".parse().unwrap();
        assert_eq!(Counter::FlowAttempts("f1".into()).name(), "attempts:{f1}");
        assert_eq!(
            Counter::SendsToNumber("+447400000000".into()).name(),
            "sends:phone:+447400000000"
        );
        assert_eq!(Counter::SendsFromAddress(ip).name(), "sends:ip:192.0.2.7");
        assert_eq!(Counter::FlowsFromAddress(ip).name(), "flows:ip:192.0.2.7");
        let failures = |second_factor| Counter::AuthenticatorFailures {
            number: "+1".into(),
            second_factor,
        };
        assert_eq!(failures(false).name(), "totp:fail:+1");
        assert_eq!(failures(true).name(), "totp:fail2:+1");
        assert_eq!(Marker::RevokedGrant("g".into()).name(), "revoked:grant:{g}");
        assert_eq!(
            Marker::RevokedAccessToken("j".into()).name(),
            "revoked:jti:{j}"
        );
    }
}
