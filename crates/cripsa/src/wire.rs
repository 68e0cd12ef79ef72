//! The JSON bodies of Cognito's `InitiateAuth` and `RespondToAuthChallenge`
//! (`Content-Type: application/x-amz-json-1.1`, `X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>`).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    InitiateAuth,
    RespondToAuthChallenge,
    SignUp,
}

impl Operation {
    /// The `X-Amz-Target` header value.
    pub fn target(self) -> &'static str {
        match self {
            Operation::InitiateAuth => "AWSCognitoIdentityProviderService.InitiateAuth",
            Operation::RespondToAuthChallenge => {
                "AWSCognitoIdentityProviderService.RespondToAuthChallenge"
            }
            Operation::SignUp => "AWSCognitoIdentityProviderService.SignUp",
        }
    }
}

#[derive(Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase")]
pub struct InitiateAuth {
    pub auth_flow: String,
    pub client_id: String,
    /// `USERNAME`, `SECRET_HASH`.
    pub auth_parameters: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub client_metadata: BTreeMap<String, String>,
}

#[derive(Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase")]
pub struct RespondToAuthChallenge {
    pub client_id: String,
    pub challenge_name: String,
    pub session: String,
    /// `USERNAME`, `ANSWER`, `SECRET_HASH`.
    pub challenge_responses: BTreeMap<String, String>,
}

/// Registers a number the pool does not know (only with `sign_up_unknown_numbers`).
#[derive(Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase")]
pub struct SignUp {
    pub client_id: String,
    pub username: String,
    pub password: String,
    pub secret_hash: String,
    pub user_attributes: Vec<Attribute>,
}

#[derive(Serialize, Deserialize, PartialEq, Eq, Debug)]
#[serde(rename_all = "PascalCase")]
pub struct Attribute {
    pub name: String,
    pub value: String,
}

#[derive(Deserialize, Serialize, Default, Debug)]
#[serde(rename_all = "PascalCase")]
pub struct SignUpReply {
    #[serde(default)]
    pub user_confirmed: bool,
    #[serde(default)]
    pub user_sub: Option<String>,
}

/// The answer to either call: a (new) challenge with a session, or tokens.
#[derive(Deserialize, Serialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct ChallengeReply {
    #[serde(default)]
    pub challenge_name: Option<String>,
    #[serde(default)]
    pub session: Option<String>,
    #[serde(default)]
    pub challenge_parameters: BTreeMap<String, String>,
    #[serde(default)]
    pub authentication_result: Option<AuthenticationResult>,
}

#[derive(Deserialize, Serialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct AuthenticationResult {
    #[serde(default)]
    pub id_token: Option<String>,
    #[serde(default)]
    pub access_token: Option<String>,
    #[serde(default)]
    pub refresh_token: Option<String>,
    #[serde(default)]
    pub expires_in: Option<u64>,
    #[serde(default)]
    pub token_type: Option<String>,
}

/// What the reply means for the login.
pub enum ChallengeAnswer<'a> {
    /// A challenge to answer with the session (first call, or a retry after a wrong code).
    Challenge {
        session: &'a str,
        username: Option<&'a str>,
    },
    /// Authenticated: the ID token still has to be verified.
    Authenticated { id_token: &'a str },
    /// Neither shape: the upstream speaks something else.
    Unexpected,
}

impl ChallengeReply {
    pub fn interpret(&self) -> ChallengeAnswer<'_> {
        if let Some(id_token) = self
            .authentication_result
            .as_ref()
            .and_then(|r| r.id_token.as_deref())
        {
            return ChallengeAnswer::Authenticated { id_token };
        }
        match (self.challenge_name.as_deref(), self.session.as_deref()) {
            (Some("CUSTOM_CHALLENGE"), Some(session)) if !session.is_empty() => {
                ChallengeAnswer::Challenge {
                    session,
                    username: self
                        .challenge_parameters
                        .get("USERNAME")
                        .map(String::as_str),
                }
            }
            _ => ChallengeAnswer::Unexpected,
        }
    }
}

/// An error type without any namespace prefix (`com.amazon...#NotAuthorizedException`).
pub fn short_kind(kind: &str) -> &str {
    kind.rsplit('#').next().unwrap_or(kind)
}

/// Cognito's error body: HTTP 4xx/5xx with `{"__type": "...", "message": "..."}`.
#[derive(Deserialize, Serialize, Default, Debug)]
pub struct CognitoErrorBody {
    #[serde(rename = "__type", default)]
    pub kind: String,
    #[serde(alias = "Message", default)]
    pub message: String,
}

impl CognitoErrorBody {
    /// The type without any namespace prefix (`com.amazon...#NotAuthorizedException`).
    pub fn short_kind(&self) -> &str {
        short_kind(&self.kind)
    }
}

// Sessions, secret hashes, codes and tokens travel in these bodies: keep them out of logs.
macro_rules! redacted_debug {
    ($($t:ty),*) => {$(
        impl fmt::Debug for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($t), "([redacted])"))
            }
        }
    )*};
}
redacted_debug!(
    InitiateAuth,
    RespondToAuthChallenge,
    SignUp,
    ChallengeReply,
    AuthenticationResult
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_serialise_with_cognito_names() {
        let body = RespondToAuthChallenge {
            client_id: "cid".into(),
            challenge_name: "CUSTOM_CHALLENGE".into(),
            session: "sess".into(),
            challenge_responses: BTreeMap::from([
                ("USERNAME".into(), "internal".into()),
                ("ANSWER".into(), "123456".into()),
            ]),
        };
        let json = serde_json::to_value(&body).unwrap();
        assert_eq!(json["ClientId"], "cid");
        assert_eq!(json["ChallengeName"], "CUSTOM_CHALLENGE");
        assert_eq!(json["Session"], "sess");
        assert_eq!(json["ChallengeResponses"]["ANSWER"], "123456");
        assert!(!format!("{body:?}").contains("123456"));

        let start = InitiateAuth {
            auth_flow: "CUSTOM_AUTH".into(),
            client_id: "cid".into(),
            auth_parameters: BTreeMap::from([("USERNAME".into(), "+4915112345678".into())]),
            client_metadata: BTreeMap::new(),
        };
        let json = serde_json::to_value(&start).unwrap();
        assert_eq!(json["AuthFlow"], "CUSTOM_AUTH");
        assert!(json.get("ClientMetadata").is_none());
    }

    #[test]
    fn replies_are_interpreted() {
        let challenge: ChallengeReply = serde_json::from_str(
            r#"{"ChallengeName":"CUSTOM_CHALLENGE","Session":"s1","ChallengeParameters":{"USERNAME":"u-1"}}"#,
        )
        .unwrap();
        assert!(matches!(
            challenge.interpret(),
            ChallengeAnswer::Challenge {
                session: "s1",
                username: Some("u-1")
            }
        ));
        let done: ChallengeReply = serde_json::from_str(
            r#"{"AuthenticationResult":{"IdToken":"a.b.c","AccessToken":"x","ExpiresIn":3600,"TokenType":"Bearer"},"ChallengeParameters":{}}"#,
        )
        .unwrap();
        assert!(matches!(
            done.interpret(),
            ChallengeAnswer::Authenticated { id_token: "a.b.c" }
        ));
        for odd in [
            r#"{}"#,
            r#"{"ChallengeName":"SMS_MFA","Session":"s"}"#,
            r#"{"ChallengeName":"CUSTOM_CHALLENGE","Session":""}"#,
        ] {
            let reply: ChallengeReply = serde_json::from_str(odd).unwrap();
            assert!(
                matches!(reply.interpret(), ChallengeAnswer::Unexpected),
                "{odd}"
            );
        }
    }

    #[test]
    fn error_types_lose_their_namespace() {
        let body: CognitoErrorBody = serde_json::from_str(
            r#"{"__type":"com.amazonaws.cognito#NotAuthorizedException","message":"Invalid session for the user."}"#,
        )
        .unwrap();
        assert_eq!(body.short_kind(), "NotAuthorizedException");
        let body: CognitoErrorBody =
            serde_json::from_str(r#"{"__type":"TooManyRequestsException","Message":"slow"}"#)
                .unwrap();
        assert_eq!(body.short_kind(), "TooManyRequestsException");
        assert_eq!(body.message, "slow");
    }
}
