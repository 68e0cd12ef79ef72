//! Refresh tokens as `grant.generation.mac`: the MAC (HMAC-SHA256 under a server key that is
//! never in storage, over grant, family salt and generation) lets us recognise every token a
//! family ever had without storing them, and a copy of storage cannot make tokens. The current
//! generation refreshes; an older one is a reuse; a bad MAC is a forgery (which must not be
//! able to revoke anyone's grant).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;
use wagate_storage::{RefreshFamily, Secret};

/// A presented refresh token, split (not yet verified).
pub(crate) struct Presented<'a> {
    pub grant_id: &'a str,
    pub generation: u64,
    mac: &'a str,
}

pub(crate) fn parse(token: &str) -> Option<Presented<'_>> {
    let mut parts = token.split('.');
    let (Some(grant_id), Some(generation), Some(mac), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let plausible = (8..=64).contains(&grant_id.len())
        && grant_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    plausible.then_some(())?;
    Some(Presented {
        grant_id,
        generation: canonical_number(generation)?,
        mac,
    })
}

/// A generation as we write it: plain digits without leading zeros (one token, one spelling:
/// `g.01.mac` is not `g.1.mac`).
fn canonical_number(digits: &str) -> Option<u64> {
    let n: u64 = digits
        .bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| digits.parse().ok())
        .flatten()?;
    (n.to_string() == digits).then_some(n)
}

fn mac(key: &Secret, family: &RefreshFamily, generation: u64) -> String {
    let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(key.expose().as_bytes()) else {
        // HMAC takes keys of any length: unreachable, but never a panic path.
        return String::new();
    };
    mac.update(format!("{}.{}.{generation}", family.grant_id, family.salt).as_bytes());
    URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

/// The token of the family's current generation.
pub(crate) fn token(key: &Secret, family: &RefreshFamily) -> String {
    format!(
        "{}.{}.{}",
        family.grant_id,
        family.generation,
        mac(key, family, family.generation)
    )
}

/// Whether `presented` was issued for `family` (at any generation up to the current one).
pub(crate) fn issued_by(key: &Secret, family: &RefreshFamily, presented: &Presented<'_>) -> bool {
    if presented.grant_id != family.grant_id || presented.generation > family.generation {
        return false;
    }
    let expected = mac(key, family, presented.generation);
    !expected.is_empty() && bool::from(expected.as_bytes().ct_eq(presented.mac.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use wagate_storage::{Secret, UnixTime};

    fn family(generation: u64) -> RefreshFamily {
        RefreshFamily {
            grant_id: "grant-0123456789".into(),
            salt: "salt".into(),
            generation,
            client_id: "c".into(),
            subject: "s".into(),
            scopes: vec![],
            sid: None,
            auth_time: UnixTime(0),
            amr: vec![],
            acr: None,
            issued_at: UnixTime(0),
            expires_at: UnixTime(1),
            grant_expires_at: UnixTime(2),
        }
    }

    #[test]
    fn every_issued_generation_is_recognised_and_forgeries_are_not() {
        let key = Secret::new("server key");
        let old = token(&key, &family(0));
        let current = token(&key, &family(3));
        let f = family(3);
        assert!(issued_by(&key, &f, &parse(&old).unwrap()));
        assert!(issued_by(&key, &f, &parse(&current).unwrap()));
        assert_eq!(parse(&current).unwrap().generation, 3);
        let forged = current.replace(".3.", ".2.");
        assert!(
            !issued_by(&key, &f, &parse(&forged).unwrap()),
            "the MAC covers the generation"
        );
        let future = token(&key, &family(4));
        assert!(!issued_by(&key, &f, &parse(&future).unwrap()));
        let other_key = Secret::new("another server");
        assert!(
            !issued_by(&other_key, &f, &parse(&current).unwrap()),
            "storage alone cannot make tokens"
        );
        let resalted = RefreshFamily {
            salt: "other".into(),
            ..family(3)
        };
        assert!(!issued_by(&key, &resalted, &parse(&current).unwrap()));
        for junk in [
            "",
            "a.b",
            "a.1.x.y",
            "short.1.x",
            "grant-0123456789.x.y",
            "gr@nt-012345678.1.m",
            "grant-0123456789.+3.m",
            "grant-0123456789.03x.m",
            "grant-0123456789.01.m",
            "grant-0123456789.00.m",
            "grant-0123456789..m",
        ] {
            assert!(parse(junk).is_none(), "{junk}");
        }
    }
}
