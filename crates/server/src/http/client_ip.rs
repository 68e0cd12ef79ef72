//! The client's address: the peer's, unless the peer is a trusted proxy, in which case the
//! nearest untrusted hop of `Forwarded` (RFC 7239) or, without it, `X-Forwarded-For`
//! (RFC 9700 §4.13: only the proxy's word counts).

use actix_web::HttpRequest;
use actix_web::http::header::HeaderName;
use ipnet::IpNet;
use std::net::IpAddr;

use crate::state::{ProxyHeaders, Web};

const X_FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");
const X_FORWARDED_PROTO: HeaderName = HeaderName::from_static("x-forwarded-proto");

fn trusted(ip: IpAddr, proxies: &[IpNet]) -> bool {
    proxies.iter().any(|net| net.contains(&ip))
}

/// Whether the peer is one of the trusted proxies, whose headers are believed.
pub fn from_trusted_proxy(req: &HttpRequest, web: &Web) -> bool {
    req.peer_addr()
        .is_some_and(|peer| trusted(peer.ip(), &web.trusted_proxies))
}

pub fn of(req: &HttpRequest, web: &Web) -> Option<IpAddr> {
    let peer = req.peer_addr()?.ip();
    Some(from_chain(
        peer,
        forwarded_chain(req, web.proxy_headers),
        &web.trusted_proxies,
    ))
}

/// Every hop, first (client side) to last (nearest proxy), from the configured header.
fn forwarded_chain(req: &HttpRequest, headers: ProxyHeaders) -> Vec<String> {
    let name = match headers {
        ProxyHeaders::XForwarded => &X_FORWARDED_FOR,
        ProxyHeaders::Forwarded => &actix_web::http::header::FORWARDED,
    };
    let values: Vec<String> = req
        .headers()
        .get_all(name)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|s| s.trim().to_owned())
        .collect();
    match headers {
        ProxyHeaders::XForwarded => values,
        ProxyHeaders::Forwarded => values.iter().map(|e| forwarded_for(e)).collect(),
    }
}

/// The `for=` of one RFC 7239 element (`for=192.0.2.60;proto=https`, `for="[2001:db8::1]:4711"`),
/// as a bare address; anything else (obfuscated names, `unknown`) comes back unparsable.
fn forwarded_for(element: &str) -> String {
    element
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("for"))
        .map(|(_, v)| {
            let v = v.trim().trim_matches('"');
            match v.strip_prefix('[') {
                // [v6]:port or [v6]
                Some(rest) => rest.split(']').next().unwrap_or_default().to_owned(),
                // v4:port or v4
                None => v.split(':').next().unwrap_or_default().to_owned(),
            }
        })
        .unwrap_or_default()
}

fn from_chain(peer: IpAddr, chain: Vec<String>, proxies: &[IpNet]) -> IpAddr {
    if !trusted(peer, proxies) {
        return peer;
    }
    let mut client = peer;
    // Walk from the nearest hop outwards; stop at the first address no trusted proxy vouches for.
    for hop in chain.iter().rev() {
        match hop.parse::<IpAddr>() {
            Ok(ip) => {
                client = ip;
                if !trusted(ip, proxies) {
                    break;
                }
            }
            // Garbage written by someone: believe only what came before it.
            Err(_) => break,
        }
    }
    client
}

/// The scheme a trusted proxy says the client used (from the configured header); `None` when
/// the peer is not trusted or says nothing.
pub fn forwarded_proto(req: &HttpRequest, web: &Web) -> Option<String> {
    let peer = req.peer_addr()?.ip();
    if !trusted(peer, &web.trusted_proxies) {
        return None;
    }
    let last = |name: &HeaderName| {
        req.headers()
            .get_all(name)
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .last()
            .map(|s| s.trim().to_owned())
    };
    match web.proxy_headers {
        ProxyHeaders::XForwarded => last(&X_FORWARDED_PROTO).map(|v| v.to_ascii_lowercase()),
        ProxyHeaders::Forwarded => last(&actix_web::http::header::FORWARDED).and_then(|element| {
            element
                .split(';')
                .filter_map(|pair| pair.trim().split_once('='))
                .find(|(k, _)| k.trim().eq_ignore_ascii_case("proto"))
                .map(|(_, v)| v.trim().trim_matches('"').to_ascii_lowercase())
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn chain(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| (*x).to_owned()).collect()
    }

    #[test]
    fn untrusted_peers_are_taken_at_their_word_only() {
        let proxies = vec!["10.0.0.0/8".parse().unwrap()];
        assert_eq!(
            from_chain(ip("203.0.113.9"), chain(&["1.2.3.4"]), &proxies),
            ip("203.0.113.9")
        );
        assert_eq!(
            from_chain(ip("203.0.113.9"), chain(&[]), &[]),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn forwarded_elements_are_read() {
        assert_eq!(
            forwarded_for("for=192.0.2.60;proto=http;by=203.0.113.43"),
            "192.0.2.60"
        );
        assert_eq!(
            forwarded_for("For=\"[2001:db8:cafe::17]:4711\""),
            "2001:db8:cafe::17"
        );
        assert_eq!(
            forwarded_for("proto=https; for=198.51.100.17:8080"),
            "198.51.100.17"
        );
        assert_eq!(forwarded_for("for=unknown"), "unknown");
        assert_eq!(forwarded_for("by=1.2.3.4"), "");
    }

    #[test]
    fn trusted_proxies_name_the_nearest_untrusted_hop() {
        let proxies = vec![
            "10.0.0.0/8".parse().unwrap(),
            "192.168.1.1/32".parse().unwrap(),
        ];
        // A client forging an entry cannot hide behind it: the proxy appended the real one.
        let c = chain(&["6.6.6.6", "198.51.100.7", "192.168.1.1"]);
        assert_eq!(from_chain(ip("10.1.2.3"), c, &proxies), ip("198.51.100.7"));
        assert_eq!(
            from_chain(
                ip("10.1.2.3"),
                chain(&["garbage", "198.51.100.7"]),
                &proxies
            ),
            ip("198.51.100.7")
        );
        assert_eq!(
            from_chain(
                ip("10.1.2.3"),
                chain(&["198.51.100.7", "garbage"]),
                &proxies
            ),
            ip("10.1.2.3")
        );
        assert_eq!(
            from_chain(ip("10.1.2.3"), chain(&[]), &proxies),
            ip("10.1.2.3")
        );
    }
}
