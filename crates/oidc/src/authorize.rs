//! Authorization request validation (OIDC Core §3.1.2.1–§3.1.2.2, RFC 6749 §4.1.1, RFC 7636).

use crate::claims::{SCOPE_OPENID, SUPPORTED_SCOPES};
use crate::error::{AuthorizeErrorCode as Code, AuthorizePageError, AuthorizeRedirectError};
use crate::params::Params;
use crate::{Client, ClientRegistry, pkce};
use wagate_storage::{PendingAuthorization, UnixTime};

/// Why an authorization request cannot proceed to the login.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthorizeOutcome {
    /// Show the person an error page; never redirect.
    Page(AuthorizePageError),
    /// Tell the client at its verified redirect URI.
    Redirect(AuthorizeRedirectError),
}

const PROMPTS: [&str; 4] = ["none", "login", "consent", "select_account"];

/// An error to send back to the client: its code and a fixed description (never request input).
type Refusal = (Code, &'static str);

pub fn validate(
    params: &Params,
    clients: &ClientRegistry,
    now: UnixTime,
) -> Result<PendingAuthorization, AuthorizeOutcome> {
    // Identity of the client and where to send answers come first: until both are verified,
    // nothing may be redirected anywhere.
    let (client, redirect_uri) = identify(params, clients).map_err(AuthorizeOutcome::Page)?;

    // From here on errors go back to the client. `state` is echoed only if it is usable.
    let state = params.get("state").ok().flatten().map(str::to_owned);
    let fail = |(code, description): Refusal| {
        AuthorizeOutcome::Redirect(AuthorizeRedirectError {
            redirect_uri: redirect_uri.to_owned(),
            state: state.clone(),
            code,
            description,
        })
    };
    let get = |name: &str| params.get(name).ok().flatten();

    supported_shape(params).map_err(fail)?;
    let scopes = granted_scopes(get("scope"), client).map_err(fail)?;
    let code_challenge =
        code_challenge(get("code_challenge"), get("code_challenge_method"), client)
            .map_err(fail)?;
    let prompt = prompts(get("prompt")).map_err(fail)?;
    let max_age = match get("max_age") {
        None => None,
        Some(v) => Some(v.parse::<u64>().map_err(|_| {
            fail((
                Code::InvalidRequest,
                "max_age must be a non-negative integer",
            ))
        })?),
    };
    let claimed = match get("claims") {
        None => AcrClaim::default(),
        Some(raw) => acr_claim(raw).map_err(|why| fail((Code::InvalidRequest, why)))?,
    };
    let mut acr_values = words(get("acr_values"));
    if acr_values.is_empty() {
        acr_values = claimed.voluntary;
    }

    Ok(PendingAuthorization {
        client_id: client.id.clone(),
        redirect_uri: redirect_uri.to_owned(),
        scopes,
        state,
        nonce: get("nonce").map(str::to_owned),
        code_challenge,
        prompt,
        max_age,
        login_hint: get("login_hint").map(str::to_owned),
        acr_values,
        acr_essential: claimed.essential,
        requested_at: now,
        ui_locales: language_tags(get("ui_locales")),
    })
}

/// The client and its verified redirect URI, or the page to show instead.
fn identify<'a>(
    params: &'a Params,
    clients: &'a ClientRegistry,
) -> Result<(&'a Client, &'a str), AuthorizePageError> {
    let client_id = params
        .get("client_id")
        .map_err(|_| AuthorizePageError::RepeatedIdentity("client_id"))?
        .ok_or(AuthorizePageError::MissingClient)?;
    let client = clients
        .get(client_id)
        .ok_or(AuthorizePageError::UnknownClient)?;
    let redirect_uri = params
        .get("redirect_uri")
        .map_err(|_| AuthorizePageError::RepeatedIdentity("redirect_uri"))?
        .ok_or(AuthorizePageError::MissingRedirectUri)?;
    if !client.has_redirect_uri(redirect_uri) {
        return Err(AuthorizePageError::UnregisteredRedirectUri);
    }
    Ok((client, redirect_uri))
}

/// Parameters once each and of bounded size; only the features and the response wagate offers.
fn supported_shape(params: &Params) -> Result<(), Refusal> {
    // Never name the parameter: its name is request input too.
    if !params.repeated().is_empty() {
        return Err((
            Code::InvalidRequest,
            "a parameter is repeated; each may appear once",
        ));
    }
    if params.oversized().is_some() {
        return Err((Code::InvalidRequest, "a parameter value is too long"));
    }
    if params.contains("request") {
        return Err((
            Code::RequestNotSupported,
            "request objects are not supported",
        ));
    }
    if params.contains("request_uri") {
        return Err((Code::RequestUriNotSupported, "request_uri is not supported"));
    }
    if params.contains("registration") {
        return Err((
            Code::RegistrationNotSupported,
            "registration is not supported",
        ));
    }
    let get = |name: &str| params.get(name).ok().flatten();
    match get("response_type") {
        None => return Err((Code::InvalidRequest, "response_type is required")),
        Some("code") => {}
        Some(_) => {
            return Err((
                Code::UnsupportedResponseType,
                "only response_type=code is supported",
            ));
        }
    }
    match get("response_mode") {
        None | Some("query") => Ok(()),
        Some(_) => Err((
            Code::InvalidRequest,
            "only response_mode=query is supported",
        )),
    }
}

/// `ui_locales` is a preference, never an error: what does not look like a BCP 47 tag is
/// left out, and a few tags are plenty.
fn language_tags(value: Option<&str>) -> Vec<String> {
    words(value)
        .into_iter()
        .filter(|t| t.len() <= 35 && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .take(8)
        .collect()
}

/// The space-separated words of a parameter, empty ones dropped.
fn words(value: Option<&str>) -> Vec<String> {
    value
        .unwrap_or_default()
        .split(' ')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

fn granted_scopes(scope: Option<&str>, client: &Client) -> Result<Vec<String>, Refusal> {
    let requested = words(scope);
    if !requested.iter().any(|s| s == SCOPE_OPENID) {
        return Err((Code::InvalidScope, "the openid scope is required"));
    }
    // Unknown scopes are dropped, as RFC 6749 §3.3 allows; the token response tells what was
    // granted. offline_access only for clients allowed the refresh_token grant.
    let mut scopes: Vec<String> = Vec::new();
    for s in requested {
        let allowed =
            s != crate::SCOPE_OFFLINE_ACCESS || client.allows(crate::GrantType::RefreshToken);
        if SUPPORTED_SCOPES.contains(&s.as_str()) && allowed && !scopes.contains(&s) {
            scopes.push(s);
        }
    }
    Ok(scopes)
}

fn code_challenge(
    challenge: Option<&str>,
    method: Option<&str>,
    client: &Client,
) -> Result<Option<String>, Refusal> {
    let challenge = match (challenge, method) {
        (None, None) => None,
        (None, Some(_)) => {
            return Err((
                Code::InvalidRequest,
                "code_challenge_method without code_challenge",
            ));
        }
        (Some(_), Some(m)) if m != "S256" => {
            return Err((
                Code::InvalidRequest,
                "only the S256 code_challenge_method is supported",
            ));
        }
        // RFC 7636 makes `plain` the default method, which we refuse.
        (Some(_), None) => {
            return Err((
                Code::InvalidRequest,
                "code_challenge_method=S256 is required",
            ));
        }
        (Some(c), Some(_)) => {
            if !pkce::is_valid_challenge(c) {
                return Err((Code::InvalidRequest, "code_challenge is malformed"));
            }
            Some(c.to_owned())
        }
    };
    if client.is_public() && challenge.is_none() {
        return Err((
            Code::InvalidRequest,
            "PKCE (S256) is required for this client",
        ));
    }
    Ok(challenge)
}

fn prompts(prompt: Option<&str>) -> Result<Vec<String>, Refusal> {
    let prompt = words(prompt);
    if prompt.iter().any(|p| !PROMPTS.contains(&p.as_str())) {
        return Err((
            Code::InvalidRequest,
            "prompt has a value other than none, login, consent and select_account",
        ));
    }
    if prompt.iter().any(|p| p == "none") && prompt.len() > 1 {
        return Err((Code::InvalidRequest, "prompt=none cannot be combined"));
    }
    Ok(prompt)
}

/// The `acr` member of a `claims` request (OIDC Core §5.5, §5.5.1.1), from `id_token` or
/// `userinfo`. Other claims may be named too; wagate releases claims by scope and ignores
/// them, as §5.5 allows.
#[derive(Debug, Default, PartialEq, Eq)]
struct AcrClaim {
    essential: Vec<String>,
    voluntary: Vec<String>,
}

fn acr_claim(raw: &str) -> Result<AcrClaim, &'static str> {
    const BAD: &str = "claims is not a JSON object of claims requests (OIDC Core 5.5)";
    let request: serde_json::Value = serde_json::from_str(raw).map_err(|_| BAD)?;
    let members = request.as_object().ok_or(BAD)?;
    let mut claim = AcrClaim::default();
    for target in ["id_token", "userinfo"] {
        let Some(wanted) = members.get(target) else {
            continue;
        };
        if wanted.is_null() {
            continue;
        }
        let wanted = wanted.as_object().ok_or(BAD)?;
        let acr = match wanted.get("acr") {
            None | Some(serde_json::Value::Null) => continue,
            Some(acr) => acr.as_object().ok_or(BAD)?,
        };
        let essential = match acr.get("essential") {
            None | Some(serde_json::Value::Null) => false,
            Some(e) => e.as_bool().ok_or(BAD)?,
        };
        let mut values = Vec::new();
        if let Some(one) = acr.get("value") {
            values.push(one.as_str().ok_or(BAD)?.to_owned());
        }
        if let Some(many) = acr.get("values") {
            for v in many.as_array().ok_or(BAD)? {
                values.push(v.as_str().ok_or(BAD)?.to_owned());
            }
        }
        let into = if essential {
            &mut claim.essential
        } else {
            &mut claim.voluntary
        };
        for v in values {
            if !into.contains(&v) {
                into.push(v);
            }
        }
    }
    Ok(claim)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Client;

    const CB: &str = "https://rp.example/cb";
    const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    fn registry() -> ClientRegistry {
        ClientRegistry::new(vec![
            Client::new(
                "conf",
                "Confidential",
                Some(&"s".repeat(32)),
                vec![CB.into()],
            )
            .unwrap(),
            Client::new("pub", "Public", None, vec![CB.into()]).unwrap(),
        ])
    }

    fn run(query: &str) -> Result<PendingAuthorization, AuthorizeOutcome> {
        validate(&Params::parse(query.as_bytes()), &registry(), UnixTime(0))
    }

    fn redirect_code(query: &str) -> Code {
        match run(query) {
            Err(AuthorizeOutcome::Redirect(e)) => {
                assert_eq!(e.redirect_uri, CB);
                e.code
            }
            other => panic!("expected a redirect error, got {other:?}"),
        }
    }

    const OK: &str = "client_id=conf&redirect_uri=https%3A%2F%2Frp.example%2Fcb&response_type=code&scope=openid%20phone%20foo%20offline_access&state=s1&nonce=n1";

    #[test]
    fn a_request_rebuilt_from_what_it_left_is_the_same_request() {
        let claims = "%7B%22id_token%22%3A%7B%22acr%22%3A%7B%22essential%22%3Atrue%2C%22values%22%3A%5B%22urn%3Awagate%3Aacr%3Amfa%22%5D%7D%7D%7D";
        let full = format!(
            "{OK}&code_challenge={CHALLENGE}&code_challenge_method=S256&prompt=login%20consent&max_age=60&login_hint=%2B14155550100&acr_values=a%20b&ui_locales=pt-BR%20en&claims={claims}"
        );
        let first = run(&full).unwrap();
        assert_eq!(first.acr_essential, vec!["urn:wagate:acr:mfa"]);
        let again = run(&crate::again::query_of(&first)).unwrap();
        assert_eq!(again, first);
    }

    #[test]
    fn a_good_request_is_accepted_with_unknown_scopes_dropped() {
        let p = run(OK).unwrap();
        assert_eq!(p.scopes, vec!["openid", "phone", "offline_access"]);
        assert_eq!(p.state.as_deref(), Some("s1"));
        assert_eq!(p.nonce.as_deref(), Some("n1"));
        assert_eq!(p.code_challenge, None);
    }

    #[test]
    fn client_and_redirect_problems_never_redirect() {
        let cases = [
            (
                "redirect_uri=https%3A%2F%2Frp.example%2Fcb&response_type=code&scope=openid",
                AuthorizePageError::MissingClient,
            ),
            (
                "client_id=nope&redirect_uri=https%3A%2F%2Frp.example%2Fcb",
                AuthorizePageError::UnknownClient,
            ),
            (
                "client_id=conf&response_type=code",
                AuthorizePageError::MissingRedirectUri,
            ),
            (
                "client_id=conf&redirect_uri=https%3A%2F%2Frp.example%2Fcb%2F",
                AuthorizePageError::UnregisteredRedirectUri,
            ),
            (
                "client_id=conf&redirect_uri=https%3A%2F%2Fevil.example%2Fcb",
                AuthorizePageError::UnregisteredRedirectUri,
            ),
            (
                "client_id=conf&client_id=pub&redirect_uri=https%3A%2F%2Frp.example%2Fcb",
                AuthorizePageError::RepeatedIdentity("client_id"),
            ),
            (
                "client_id=conf&redirect_uri=https%3A%2F%2Frp.example%2Fcb&redirect_uri=x",
                AuthorizePageError::RepeatedIdentity("redirect_uri"),
            ),
        ];
        for (q, expected) in cases {
            assert_eq!(run(q), Err(AuthorizeOutcome::Page(expected)), "{q}");
        }
    }

    #[test]
    fn other_errors_redirect_with_the_right_code() {
        assert_eq!(
            redirect_code(&OK.replace("response_type=code", "response_type=token")),
            Code::UnsupportedResponseType
        );
        assert_eq!(
            redirect_code(&OK.replace("&response_type=code", "")),
            Code::InvalidRequest
        );
        assert_eq!(
            redirect_code(&OK.replace("openid%20", "")),
            Code::InvalidScope
        );
        assert_eq!(
            redirect_code(&format!("{OK}&state=again")),
            Code::InvalidRequest
        );
        assert_eq!(
            redirect_code(&format!("{OK}&request=eyJ")),
            Code::RequestNotSupported
        );
        assert_eq!(
            redirect_code(&format!("{OK}&request_uri=urn:x")),
            Code::RequestUriNotSupported
        );
        assert_eq!(
            redirect_code(&format!("{OK}&response_mode=fragment")),
            Code::InvalidRequest
        );
        assert_eq!(
            redirect_code(&format!("{OK}&max_age=-1")),
            Code::InvalidRequest
        );
        assert_eq!(
            redirect_code(&format!("{OK}&prompt=none%20login")),
            Code::InvalidRequest
        );
        assert_eq!(
            redirect_code(&format!("{OK}&prompt=bogus")),
            Code::InvalidRequest
        );
    }

    #[test]
    fn request_input_never_reaches_the_error_description() {
        let attack = "%3Csvg%2Fonload%3Dalert(1)%3E%22%5C";
        for query in [
            format!("{OK}&prompt={attack}"),
            format!("{OK}&{attack}=1&{attack}=2"),
            format!("{OK}&{attack}={}", "a".repeat(3000)),
            format!("{OK}&max_age={attack}"),
            format!("{OK}&response_type={attack}"),
            format!("{OK}&code_challenge={attack}&code_challenge_method=S256"),
        ] {
            match run(&query) {
                Err(AuthorizeOutcome::Redirect(e)) => {
                    assert!(
                        crate::error::is_valid_description(e.description),
                        "{:?}",
                        e.description
                    );
                    assert!(!e.description.contains("svg"), "{:?}", e.description);
                }
                other => panic!("expected a redirect error, got {other:?}"),
            }
        }
        assert!(!crate::error::is_valid_description("say \"hi\""));
        assert!(!crate::error::is_valid_description("back\\slash"));
        assert!(!crate::error::is_valid_description("caf\u{e9}"));
    }

    #[test]
    fn the_claims_parameter_carries_acr_demands_and_preferences() {
        let with = |claims: &str| {
            let q = format!(
                "{OK}&claims={}",
                url::form_urlencoded::byte_serialize(claims.as_bytes()).collect::<String>()
            );
            run(&q)
        };
        let p = with(r#"{"id_token":{"acr":{"essential":true,"values":["urn:wagate:acr:mfa"]}}}"#)
            .unwrap();
        assert_eq!(p.acr_essential, vec!["urn:wagate:acr:mfa"]);
        assert!(p.acr_values.is_empty());
        let p = with(r#"{"userinfo":{"acr":{"value":"urn:wagate:acr:mfa"},"phone_number":null}}"#)
            .unwrap();
        assert_eq!(p.acr_values, vec!["urn:wagate:acr:mfa"]);
        assert!(p.acr_essential.is_empty());
        assert!(with(r#"{"id_token":{"name":{"essential":true}}}"#).is_ok());
        for bad in [
            "not json",
            "[]",
            r#"{"id_token":[]}"#,
            r#"{"id_token":{"acr":{"essential":"yes"}}}"#,
            r#"{"id_token":{"acr":{"values":"urn:wagate:acr:mfa"}}}"#,
        ] {
            assert!(
                matches!(with(bad), Err(AuthorizeOutcome::Redirect(ref e)) if e.code == Code::InvalidRequest),
                "{bad}"
            );
        }
    }

    #[test]
    fn pkce_rules() {
        // plain is refused, explicitly or by default.
        assert_eq!(
            redirect_code(&format!(
                "{OK}&code_challenge={CHALLENGE}&code_challenge_method=plain"
            )),
            Code::InvalidRequest
        );
        assert_eq!(
            redirect_code(&format!("{OK}&code_challenge={CHALLENGE}")),
            Code::InvalidRequest
        );
        assert_eq!(
            redirect_code(&format!(
                "{OK}&code_challenge=short&code_challenge_method=S256"
            )),
            Code::InvalidRequest
        );
        assert_eq!(
            redirect_code(&format!("{OK}&code_challenge_method=S256")),
            Code::InvalidRequest
        );
        // Confidential clients may use it.
        let p = run(&format!(
            "{OK}&code_challenge={CHALLENGE}&code_challenge_method=S256"
        ))
        .unwrap();
        assert_eq!(p.code_challenge.as_deref(), Some(CHALLENGE));
        // Public clients must.
        let public = OK.replace("client_id=conf", "client_id=pub");
        assert_eq!(redirect_code(&public), Code::InvalidRequest);
        assert!(
            run(&format!(
                "{public}&code_challenge={CHALLENGE}&code_challenge_method=S256"
            ))
            .is_ok()
        );
    }

    #[test]
    fn optional_parameters_are_carried() {
        let p = run(&format!("{OK}&max_age=60&login_hint=%2B14155550100&acr_values=a%20b&prompt=login&display=page&ui_locales=nl")).unwrap();
        assert_eq!(p.max_age, Some(60));
        assert_eq!(p.login_hint.as_deref(), Some("+14155550100"));
        assert_eq!(p.ui_locales, vec!["nl".to_owned()]);
        assert_eq!(p.acr_values, vec!["a", "b"]);
        assert_eq!(p.prompt, vec!["login"]);
    }
}
