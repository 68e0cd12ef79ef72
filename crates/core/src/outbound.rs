//! The addresses wagate itself calls: delivery gateways, upstreams, portals' back-channel
//! logout endpoints. Over plain http anyone on the path could read the codes and secrets sent
//! there or answer in the upstream's place, so only https is accepted, or http to this host.

use std::time::Duration;
use thiserror::Error;
use url::{Host, Url};

/// The HTTP client for calls wagate makes: the whole call bounded by `timeout`, redirects not
/// followed (they would carry codes and secrets wherever they point). Connecting gets half the
/// time, so that a peer that cannot be reached (its packets dropped) is a connect error,
/// apart from one that took the request and is slow to answer: only the first proves that
/// nothing was sent.
pub fn outbound_client(timeout: Duration) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .connect_timeout(timeout / 2)
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .build()
}

#[derive(Debug, Clone, Copy, Error, PartialEq, Eq)]
pub enum OutboundUrlError {
    #[error("is not an absolute URL")]
    NotAbsolute,
    #[error("must use https (plain http only to a loopback address)")]
    NotHttps,
    #[error("must not have a fragment (#...)")]
    Fragment,
    #[error("must not contain spaces or control characters")]
    Unprintable,
}

/// A loopback host: `localhost`, 127.0.0.0/8, `::1`.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(d)) => d == "localhost",
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// Parses an address wagate will call: absolute, with a host, https (or http to a loopback
/// host), without a fragment, written without spaces (the URL parser would drop them
/// silently).
pub fn outbound_url(raw: &str) -> Result<Url, OutboundUrlError> {
    if raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(OutboundUrlError::Unprintable);
    }
    let url = Url::parse(raw).map_err(|_| OutboundUrlError::NotAbsolute)?;
    match url.scheme() {
        "https" if url.host().is_some() => {}
        "http" if is_loopback(&url) => {}
        "https" | "http" => return Err(OutboundUrlError::NotHttps),
        _ => return Err(OutboundUrlError::NotHttps),
    }
    if url.fragment().is_some() {
        return Err(OutboundUrlError::Fragment);
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_or_loopback_http_without_fragments() {
        for ok in [
            "https://gateway.example/otp",
            "https://gateway.example:8443/otp?key=1",
            "http://127.0.0.1:7000/otp",
            "http://localhost/logout",
            "http://[::1]:9000/x",
        ] {
            assert!(outbound_url(ok).is_ok(), "{ok}");
        }
        for (bad, why) in [
            ("https.internal:/logout", OutboundUrlError::NotHttps),
            ("http://gateway.internal/otp", OutboundUrlError::NotHttps),
            ("ftp://127.0.0.1/x", OutboundUrlError::NotHttps),
            ("/relative", OutboundUrlError::NotAbsolute),
            ("https://gateway.example/otp#x", OutboundUrlError::Fragment),
            (
                "https://gateway.example/o tp",
                OutboundUrlError::Unprintable,
            ),
            ("httpx://127.0.0.1/", OutboundUrlError::NotHttps),
        ] {
            assert_eq!(outbound_url(bad).map(|_| ()), Err(why), "{bad}");
        }
    }
}
