//! Authentication context classes (OIDC Core §2 `acr`): what a portal may ask for, how hard it
//! asks, and the level a login reached, derived from its RFC 8176 methods.
//!
//! `acr_values` is a voluntary list in order of preference (OIDC Core §3.1.2.1, §15.1): the
//! first value that can be met is met, and it never causes an error. A demand comes from the
//! `claims` parameter with `"acr": {"essential": true, "values": [...]}` (§5.5.1.1), or from a
//! client registered with `require_mfa`; when it cannot be met the portal gets
//! `unmet_authentication_requirements`.

/// One factor: the WhatsApp code, or the authenticator app.
pub const ACR_ONE_FACTOR: &str = "urn:wagate:acr:1fa";
/// Both: the WhatsApp code and the authenticator app (or one of its recovery codes).
pub const ACR_MFA: &str = "urn:wagate:acr:mfa";

/// Listed in discovery, weakest first.
pub const ACR_VALUES_SUPPORTED: [&str; 2] = [ACR_ONE_FACTOR, ACR_MFA];

/// The `amr` value the login reports for two kinds of factor (RFC 8176 `mfa`).
const AMR_MFA: &str = "mfa";

/// How much a request wants the second factor.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum MfaDemand {
    /// One factor is what was asked for (or nothing was).
    #[default]
    NotAsked,
    /// Asked for first in `acr_values`: met when the person has an authenticator, else one
    /// factor is fine.
    Preferred,
    /// Essential (the `claims` parameter, or the client's `require_mfa`): no code without it.
    Required,
}

/// The essential `acr` values name no class we offer: nothing could meet them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unmet;

fn known(values: &[String]) -> impl Iterator<Item = &str> {
    values
        .iter()
        .map(String::as_str)
        .filter(|v| ACR_VALUES_SUPPORTED.contains(v))
}

/// What a request asks of the login: `essential` from the `claims` parameter, the client's
/// own rule, and `acr_values` in order of preference.
pub fn demand(
    client_requires: bool,
    acr_values: &[String],
    essential: &[String],
) -> Result<MfaDemand, Unmet> {
    if !essential.is_empty() {
        let mut essential = known(essential).peekable();
        essential.peek().ok_or(Unmet)?;
        if !essential.any(|v| v == ACR_ONE_FACTOR) {
            return Ok(MfaDemand::Required);
        }
    }
    if client_requires {
        return Ok(MfaDemand::Required);
    }
    Ok(match known(acr_values).next() {
        Some(ACR_MFA) => MfaDemand::Preferred,
        _ => MfaDemand::NotAsked,
    })
}

/// The class a login with these methods reached.
pub fn reached(amr: &[String]) -> &'static str {
    if amr.iter().any(|m| m == AMR_MFA) {
        ACR_MFA
    } else {
        ACR_ONE_FACTOR
    }
}

/// The `acr` to report for a login that reached `level`: that level, unless the request named
/// only weaker classes, then the one it named (a two-factor login satisfies a one-factor
/// request, and OIDC Core §5.5.1.1 wants one of the requested values).
pub fn reported(level: &str, acr_values: &[String], essential: &[String]) -> String {
    let requested: Vec<&str> = if essential.is_empty() {
        known(acr_values).collect()
    } else {
        known(essential).collect()
    };
    if level == ACR_MFA && !requested.is_empty() && !requested.contains(&ACR_MFA) {
        return ACR_ONE_FACTOR.to_owned();
    }
    level.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(values: &[&str]) -> Vec<String> {
        values.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn the_level_follows_the_methods() {
        assert_eq!(reached(&v(&["whatsapp"])), ACR_ONE_FACTOR);
        assert_eq!(reached(&v(&["otp"])), ACR_ONE_FACTOR);
        assert_eq!(reached(&v(&["whatsapp", "otp", "mfa"])), ACR_MFA);
    }

    #[test]
    fn acr_values_are_a_preference_and_essential_claims_a_demand() {
        use MfaDemand::*;
        assert_eq!(demand(false, &[], &[]), Ok(NotAsked));
        // Every supported value, as the conformance suite sends them: the first is met.
        assert_eq!(
            demand(false, &v(&[ACR_ONE_FACTOR, ACR_MFA]), &[]),
            Ok(NotAsked)
        );
        assert_eq!(
            demand(false, &v(&[ACR_MFA, ACR_ONE_FACTOR]), &[]),
            Ok(Preferred)
        );
        assert_eq!(demand(false, &v(&["other", ACR_MFA]), &[]), Ok(Preferred));
        assert_eq!(demand(false, &v(&["other"]), &[]), Ok(NotAsked));
        assert_eq!(demand(true, &v(&[ACR_ONE_FACTOR]), &[]), Ok(Required));
        assert_eq!(demand(false, &[], &v(&[ACR_MFA])), Ok(Required));
        assert_eq!(demand(false, &[], &v(&["other", ACR_MFA])), Ok(Required));
        // An essential list that one factor meets demands nothing more.
        assert_eq!(
            demand(false, &v(&[ACR_MFA]), &v(&[ACR_ONE_FACTOR, ACR_MFA])),
            Ok(Preferred)
        );
        assert_eq!(demand(false, &[], &v(&["urn:other"])), Err(Unmet));
    }

    #[test]
    fn the_reported_class_is_one_the_request_named() {
        let (one, two) = (ACR_ONE_FACTOR, ACR_MFA);
        assert_eq!(reported(one, &[], &[]), one);
        assert_eq!(reported(two, &[], &[]), two);
        assert_eq!(reported(two, &v(&[one]), &[]), one);
        assert_eq!(reported(two, &v(&[one, two]), &[]), two);
        assert_eq!(reported(one, &v(&[two]), &[]), one, "what was reached");
        assert_eq!(reported(two, &v(&[two]), &v(&[one])), one);
        assert_eq!(reported(two, &v(&["other"]), &[]), two);
    }
}
