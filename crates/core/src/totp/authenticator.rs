//! One authenticator: its secret, the codes it shows, and the `otpauth://` URI and QR code that
//! put it into an app. The parameters are the ones every app accepts: SHA-1, 6 digits, 30 s.

use base64::Engine;
use std::fmt;
use subtle::ConstantTimeEq;
use thiserror::Error;
use totp_rs::{Algorithm, Builder, Totp};

/// 160 bits, the length RFC 4226 §4 recommends for HMAC-SHA-1.
pub const SECRET_BYTES: usize = 20;
pub(super) const DIGITS: u8 = 6;
const STEP_SECS: u64 = 30;
/// One step either side of now: clocks drift and people type slowly (RFC 6238 §5.2).
const SKEW_STEPS: u16 = 1;

#[derive(Debug, Error)]
pub enum TotpError {
    #[error("authenticator secret rejected: {0}")]
    Secret(String),
    #[error("authenticator URI or QR code could not be made: {0}")]
    Export(String),
}

/// The shared secret of an authenticator. Never logged.
#[derive(Clone, PartialEq, Eq)]
pub struct TotpSecret(Vec<u8>);

impl TotpSecret {
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        TotpSecret(bytes)
    }

    pub fn expose(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TotpSecret([redacted])")
    }
}

/// An authenticator for one person, labelled `issuer:account` in their app.
pub struct Authenticator(Totp);

impl fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Authenticator([redacted])")
    }
}

impl Authenticator {
    pub fn new(secret: &TotpSecret, issuer: &str, account: &str) -> Result<Self, TotpError> {
        // A colon separates issuer and account in the label; neither may hold one.
        let clean = |s: &str| s.replace(':', " ");
        Builder::new()
            .with_algorithm(Algorithm::SHA1)
            .with_digits(DIGITS)
            .with_skew(SKEW_STEPS)
            .with_step_duration(STEP_SECS)
            .with_secret(secret.expose().to_vec())
            .with_issuer(Some(clean(issuer)))
            .with_account_name(clean(account))
            .build()
            .map(Authenticator)
            .map_err(|e| TotpError::Secret(e.to_string()))
    }

    /// The time step a code belongs to, if it is right at `unix_secs` or one step either side.
    pub fn check(&self, code: &str, unix_secs: u64) -> Option<u64> {
        self.check_after(code, unix_secs, None)
    }

    /// As [`check`](Self::check), counting only steps later than `after`. Every step of the
    /// window is tried: one code can stand for two steps (one in a million), and the used step
    /// must not hide the fresh one.
    pub fn check_after(&self, code: &str, unix_secs: u64, after: Option<u64>) -> Option<u64> {
        if !super::is_app_code(code) {
            return None;
        }
        let now = unix_secs / STEP_SECS;
        let window = now.saturating_sub(u64::from(SKEW_STEPS))..=now + u64::from(SKEW_STEPS);
        window
            .filter(|step| after.is_none_or(|a| *step > a))
            .find(|step| {
                let expected = self.0.generate(step * STEP_SECS).to_string();
                bool::from(expected.as_bytes().ct_eq(code.as_bytes()))
            })
    }

    /// The code the app shows at `unix_secs`.
    pub fn code_at(&self, unix_secs: u64) -> String {
        self.0.generate(unix_secs).to_string()
    }

    /// The secret in base32, for people who type it into their app.
    pub fn secret_base32(&self) -> String {
        self.0.secret().to_base32()
    }

    /// `otpauth://totp/...` with every parameter spelled out: some apps ignore the defaults.
    pub fn otpauth_uri(&self) -> Result<String, TotpError> {
        let uri = self
            .0
            .to_url()
            .map_err(|e| TotpError::Export(e.to_string()))?;
        Ok(format!(
            "{uri}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECS}"
        ))
    }

    /// The URI as a QR code, a `data:` URI of a PNG image.
    pub fn qr_data_uri(&self) -> Result<String, TotpError> {
        let png = qrcodegen_png(&self.otpauth_uri()?)?;
        Ok(format!(
            "data:image/png;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(png)
        ))
    }
}

/// The QR code of `uri` as PNG bytes.
fn qrcodegen_png(uri: &str) -> Result<Vec<u8>, TotpError> {
    qrcodegen_image::draw_png(uri)
        .map_err(|_| TotpError::Export("URI too long for a QR code".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 Appendix B, SHA-1 rows: the key is the ASCII "12345678901234567890" and the
    /// published codes have 8 digits; a 6-digit code is the same number modulo 10^6.
    const RFC_SHA1: [(u64, &str); 6] = [
        (59, "94287082"),
        (1_111_111_109, "07081804"),
        (1_111_111_111, "14050471"),
        (1_234_567_890, "89005924"),
        (2_000_000_000, "69279037"),
        (20_000_000_000, "65353130"),
    ];

    fn rfc() -> Authenticator {
        Authenticator::new(
            &TotpSecret::from_bytes(b"12345678901234567890".to_vec()),
            "wagate",
            "+14155550100",
        )
        .unwrap()
    }

    #[test]
    fn codes_match_the_rfc_6238_sha1_vectors() {
        let a = rfc();
        for (time, eight) in RFC_SHA1 {
            assert_eq!(a.code_at(time), eight[2..], "at {time}");
            assert_eq!(a.check(&eight[2..], time), Some(time / 30), "at {time}");
        }
    }

    /// The other rows of Appendix B, through the same library, to pin its HMAC and truncation.
    #[test]
    fn the_library_matches_the_sha256_and_sha512_vectors() {
        type Row<'a> = (Algorithm, &'a [u8], [(u64, &'a str); 3]);
        let rows: [Row; 2] = [
            (
                Algorithm::SHA256,
                b"12345678901234567890123456789012",
                [
                    (59, "46119246"),
                    (1_111_111_109, "68084774"),
                    (20_000_000_000, "77737706"),
                ],
            ),
            (
                Algorithm::SHA512,
                b"1234567890123456789012345678901234567890123456789012345678901234",
                [
                    (59, "90693936"),
                    (1_111_111_109, "25091201"),
                    (20_000_000_000, "47863826"),
                ],
            ),
        ];
        for (alg, key, vectors) in rows {
            let totp = Builder::new()
                .with_algorithm(alg)
                .with_digits(8)
                .with_secret(key.to_vec())
                .build()
                .unwrap();
            for (time, code) in vectors {
                assert_eq!(totp.generate(time).to_string(), code, "{alg:?} at {time}");
            }
        }
    }

    #[test]
    fn one_step_either_side_is_accepted_and_no_further() {
        let a = rfc();
        let now = 1_111_111_111;
        let step = now / 30;
        assert_eq!(a.check(&a.code_at(now - 30), now), Some(step - 1));
        assert_eq!(a.check(&a.code_at(now + 30), now), Some(step + 1));
        assert_eq!(a.check(&a.code_at(now - 60), now), None);
        assert_eq!(a.check(&a.code_at(now + 60), now), None);
    }

    #[test]
    fn a_used_step_does_not_hide_a_later_one() {
        let a = rfc();
        let now = 1_111_111_111;
        let step = now / 30;
        let code = a.code_at(now);
        assert_eq!(a.check_after(&code, now, Some(step - 1)), Some(step));
        assert_eq!(a.check_after(&code, now, Some(step)), None, "used");
        assert_eq!(
            a.check_after(&a.code_at(now - 30), now, Some(step - 1)),
            None
        );
    }

    #[test]
    fn malformed_codes_are_refused() {
        let a = rfc();
        let now = 59;
        for bad in ["", "28708", "2870820", "28708a", " 287082", "２８７０８２"] {
            assert_eq!(a.check(bad, now), None, "{bad:?}");
        }
    }

    #[test]
    fn the_uri_names_the_issuer_and_every_parameter() {
        let uri = rfc().otpauth_uri().unwrap();
        assert!(
            uri.starts_with("otpauth://totp/wagate:%2B14155550100?"),
            "{uri}"
        );
        for part in [
            "secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
            "issuer=wagate",
            "algorithm=SHA1",
            "digits=6",
            "period=30",
        ] {
            assert!(uri.contains(part), "{part} in {uri}");
        }
        let qr = rfc().qr_data_uri().unwrap();
        assert!(qr.starts_with("data:image/png;base64,iVBOR"), "a PNG");
    }

    #[test]
    fn colons_cannot_break_the_label() {
        let a = Authenticator::new(
            &TotpSecret::from_bytes(vec![7; SECRET_BYTES]),
            "Acme: Portal",
            "a:b",
        )
        .unwrap();
        assert!(a.otpauth_uri().unwrap().contains("Acme%20%20Portal:a%20b"));
        assert!(format!("{a:?}").contains("redacted"));
    }
}
