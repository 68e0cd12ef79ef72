//! The top level's `issuer`, `[http]` and `[ops]`: where wagate answers, and as whom.

use super::Config;
use super::file::ForwardedHeader;
use super::problems::{Problems, addr, secs};
use std::net::SocketAddr;
use std::time::Duration;
use url::Url;
use wagate_core::is_loopback;

/// The listeners and what the public one promises.
pub(super) struct Listeners {
    /// Without a trailing slash.
    pub issuer: String,
    pub base_path: String,
    pub secure_cookies: bool,
    pub listen: SocketAddr,
    pub ops_listen: SocketAddr,
    pub body_timeout: Duration,
    pub hsts_max_age: Option<Duration>,
    pub trusted_proxies: Vec<ipnet::IpNet>,
    pub rfc7239: bool,
}

pub(super) fn resolve(config: &Config, p: &mut Problems) -> Option<Listeners> {
    let issuer = config.issuer.trim_end_matches('/').to_owned();
    let issuer_url = match Url::parse(&issuer) {
        Ok(u) => {
            p.check(
                u.scheme() == "https" || (u.scheme() == "http" && is_loopback(&u)),
                "issuer: must use https (plain http only for loopback addresses)",
            );
            p.check(
                u.query().is_none() && u.fragment().is_none(),
                "issuer: must not have a query or fragment",
            );
            Some(u)
        }
        Err(_) => {
            p.add(format!(
                "issuer: {:?} is not an absolute URL",
                config.issuer
            ));
            None
        }
    };
    let base_path = issuer_url
        .as_ref()
        .map(|u| u.path().trim_end_matches('/').to_owned())
        .unwrap_or_default();
    let secure_cookies = issuer_url.as_ref().is_some_and(|u| u.scheme() == "https");

    let h = &config.http;
    let listen = addr(p, "http.listen", &h.listen);
    let ops_listen = addr(p, "ops.listen", &config.ops.listen);
    p.check(
        (1024..=1024 * 1024).contains(&h.max_body_bytes),
        "http.max_body_bytes: must be between 1024 and 1048576",
    );
    p.check(
        (1..=300).contains(&h.body_timeout_secs),
        "http.body_timeout_secs: must be between 1 and 300",
    );
    p.check(
        h.hsts_max_age_secs <= 2 * 31_536_000,
        "http.hsts_max_age_secs: must be at most 63072000 (two years); 0 sends no HSTS",
    );
    let hsts_max_age =
        (secure_cookies && h.hsts_max_age_secs > 0).then(|| secs(h.hsts_max_age_secs));
    let trusted_proxies = trusted_proxies(&h.trusted_proxies, p);
    let rfc7239 = h
        .forwarded_header
        .resolve("http.forwarded_header", "x-forwarded, forwarded", p)
        == Some(ForwardedHeader::Forwarded);
    Some(Listeners {
        issuer,
        base_path,
        secure_cookies,
        listen: listen?,
        ops_listen: ops_listen?,
        body_timeout: secs(h.body_timeout_secs),
        hsts_max_age,
        trusted_proxies,
        rfc7239,
    })
}

/// Addresses or CIDRs; a bare address means just that host.
fn trusted_proxies(listed: &[String], p: &mut Problems) -> Vec<ipnet::IpNet> {
    let mut nets = Vec::new();
    for cidr in listed {
        match cidr
            .parse::<ipnet::IpNet>()
            .or_else(|_| cidr.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        {
            Ok(net) => nets.push(net),
            Err(_) => p.add(format!(
                "http.trusted_proxies: {cidr:?} is not an address or CIDR like 10.0.0.0/8"
            )),
        }
    }
    nets
}
