//! Authentication context classes (OIDC Core §2 `acr`): what a portal may ask for with
//! `acr_values`, and the level a login reached, derived from its RFC 8176 methods.

/// One factor: the WhatsApp code, or the authenticator app.
pub const ACR_ONE_FACTOR: &str = "urn:wagate:acr:1fa";
/// Both: the WhatsApp code and the authenticator app (or one of its recovery codes).
pub const ACR_MFA: &str = "urn:wagate:acr:mfa";

/// Listed in discovery, weakest first.
pub const ACR_VALUES_SUPPORTED: [&str; 2] = [ACR_ONE_FACTOR, ACR_MFA];

/// The `amr` value the login reports for two kinds of factor (RFC 8176 `mfa`).
const AMR_MFA: &str = "mfa";

/// The class a login with these methods reached.
pub fn reached(amr: &[String]) -> &'static str {
    if amr.iter().any(|m| m == AMR_MFA) {
        ACR_MFA
    } else {
        ACR_ONE_FACTOR
    }
}

/// Whether a request needs both factors: the client always does, or the request names the
/// MFA class among its `acr_values`. Unknown values are ignored (OIDC Core §3.1.2.1: a
/// voluntary request).
pub fn requires_mfa(client_requires: bool, acr_values: &[String]) -> bool {
    client_requires || acr_values.iter().any(|v| v == ACR_MFA)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_level_follows_the_methods() {
        assert_eq!(reached(&["whatsapp".into()]), ACR_ONE_FACTOR);
        assert_eq!(reached(&["otp".into()]), ACR_ONE_FACTOR);
        assert_eq!(
            reached(&["whatsapp".into(), "otp".into(), "mfa".into()]),
            ACR_MFA
        );
    }

    #[test]
    fn mfa_is_required_by_the_client_or_by_the_request() {
        assert!(!requires_mfa(false, &[]));
        assert!(!requires_mfa(
            false,
            &[ACR_ONE_FACTOR.into(), "other".into()]
        ));
        assert!(requires_mfa(false, &["other".into(), ACR_MFA.into()]));
        assert!(requires_mfa(true, &[ACR_ONE_FACTOR.into()]));
    }
}
