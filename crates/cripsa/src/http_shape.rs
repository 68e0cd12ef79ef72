//! `mode = "http"`'s wire format as configuration: Cripsa has not published how its
//! `whatsapp-signin` and `whatsapp-responseToauth` operations look, so where each value goes in
//! a request and is found in an answer is a JSON pointer (RFC 6901). The defaults mirror
//! Cognito's own bodies, which a thin wrapper around Cognito would most likely pass through.

use jsonptr::PointerBuf;
use std::fmt;

/// A JSON pointer to a field (never the whole document).
#[derive(Clone, PartialEq, Eq)]
pub struct Field(PointerBuf);

impl Field {
    pub fn parse(raw: &str) -> Result<Field, String> {
        if raw.is_empty() {
            return Err("a JSON pointer such as \"/Session\" is required".into());
        }
        PointerBuf::parse(raw.to_owned())
            .map(Field)
            .map_err(|e| format!("{raw:?} is not a JSON pointer: {e}"))
    }

    /// Empty means "not sent" / "not read".
    pub fn optional(raw: &str) -> Result<Option<Field>, String> {
        if raw.is_empty() {
            Ok(None)
        } else {
            Field::parse(raw).map(Some)
        }
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    pub(crate) fn pointer(&self) -> &jsonptr::Pointer {
        &self.0
    }

    /// True if a value written at `other` would land inside this field, or the reverse.
    fn overlaps(&self, other: &Field) -> bool {
        let (a, b) = (self.as_str(), other.as_str());
        a == b || a.starts_with(&format!("{b}/")) || b.starts_with(&format!("{a}/"))
    }
}

impl fmt::Debug for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How the number is written in the sign-in request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneFormat {
    /// `+4915112345678`
    E164,
    /// `4915112345678`
    Digits,
}

impl PhoneFormat {
    pub fn parse(raw: &str) -> Result<PhoneFormat, String> {
        match raw {
            "e164" => Ok(PhoneFormat::E164),
            "digits" => Ok(PhoneFormat::Digits),
            other => Err(format!("unknown phone format {other:?} (e164, digits)")),
        }
    }

    pub fn write(self, e164: &str) -> String {
        match self {
            PhoneFormat::E164 => e164.to_owned(),
            PhoneFormat::Digits => e164.trim_start_matches('+').to_owned(),
        }
    }
}

/// Where wagate writes each value in the two requests.
#[derive(Debug, Clone)]
pub struct RequestFields {
    pub client_id: Option<Field>,
    pub phone: Field,
    /// SECRET_HASH of the sign-in request, over the number as sent.
    pub signin_secret_hash: Option<Field>,
    pub session: Field,
    pub username: Option<Field>,
    pub code: Field,
    /// SECRET_HASH of the answer, over the username the upstream returned.
    pub respond_secret_hash: Option<Field>,
}

/// Where wagate reads each value in the answers.
#[derive(Debug, Clone)]
pub struct AnswerFields {
    pub session: Field,
    /// The internal username for the answer's SECRET_HASH (absent: the number as sent).
    pub username: Option<Field>,
    pub id_token: Field,
    /// An error's type, e.g. `NotAuthorizedException`; read on errors and on 2xx answers that
    /// carry neither a session nor a token.
    pub error_type: Field,
    pub error_message: Option<Field>,
}

#[derive(Debug, Clone)]
pub struct HttpShape {
    pub signin_path: String,
    pub respond_path: String,
    pub phone_format: PhoneFormat,
    pub request: RequestFields,
    pub answer: AnswerFields,
}

/// The documented defaults, as text (configuration shows and parses these).
pub mod defaults {
    pub const SIGNIN_PATH: &str = "whatsapp-signin";
    pub const RESPOND_PATH: &str = "whatsapp-responseToauth";
    pub const PHONE_FORMAT: &str = "e164";
    pub const REQUEST_CLIENT_ID: &str = "/ClientId";
    pub const REQUEST_PHONE: &str = "/AuthParameters/USERNAME";
    pub const REQUEST_SIGNIN_SECRET_HASH: &str = "/AuthParameters/SECRET_HASH";
    pub const REQUEST_SESSION: &str = "/Session";
    pub const REQUEST_USERNAME: &str = "/ChallengeResponses/USERNAME";
    pub const REQUEST_CODE: &str = "/ChallengeResponses/ANSWER";
    pub const REQUEST_RESPOND_SECRET_HASH: &str = "/ChallengeResponses/SECRET_HASH";
    pub const ANSWER_SESSION: &str = "/Session";
    pub const ANSWER_USERNAME: &str = "/ChallengeParameters/USERNAME";
    pub const ANSWER_ID_TOKEN: &str = "/AuthenticationResult/IdToken";
    pub const ANSWER_ERROR_TYPE: &str = "/__type";
    pub const ANSWER_ERROR_MESSAGE: &str = "/message";
}

impl HttpShape {
    /// Fields that would overwrite each other in one request body.
    pub fn clashes(&self) -> Vec<String> {
        let r = &self.request;
        let signin = [
            Some(&r.phone),
            r.client_id.as_ref(),
            r.signin_secret_hash.as_ref(),
        ];
        let respond = [
            Some(&r.session),
            Some(&r.code),
            r.client_id.as_ref(),
            r.username.as_ref(),
            r.respond_secret_hash.as_ref(),
        ];
        let mut out = Vec::new();
        for fields in [&signin[..], &respond[..]] {
            let fields: Vec<&Field> = fields.iter().flatten().copied().collect();
            for (i, a) in fields.iter().enumerate() {
                for b in &fields[i + 1..] {
                    if a.overlaps(b) {
                        out.push(format!("{a:?} and {b:?} overlap in one request"));
                    }
                }
            }
        }
        out
    }
}

impl Default for HttpShape {
    fn default() -> HttpShape {
        use defaults::*;
        let f = |raw: &str| Field::parse(raw).unwrap_or_else(|_| Field(PointerBuf::new()));
        HttpShape {
            signin_path: SIGNIN_PATH.into(),
            respond_path: RESPOND_PATH.into(),
            phone_format: PhoneFormat::E164,
            request: RequestFields {
                client_id: Some(f(REQUEST_CLIENT_ID)),
                phone: f(REQUEST_PHONE),
                signin_secret_hash: Some(f(REQUEST_SIGNIN_SECRET_HASH)),
                session: f(REQUEST_SESSION),
                username: Some(f(REQUEST_USERNAME)),
                code: f(REQUEST_CODE),
                respond_secret_hash: Some(f(REQUEST_RESPOND_SECRET_HASH)),
            },
            answer: AnswerFields {
                session: f(ANSWER_SESSION),
                username: Some(f(ANSWER_USERNAME)),
                id_token: f(ANSWER_ID_TOKEN),
                error_type: f(ANSWER_ERROR_TYPE),
                error_message: Some(f(ANSWER_ERROR_MESSAGE)),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_are_checked() {
        assert!(Field::parse("").is_err());
        assert!(Field::parse("Session").is_err());
        assert_eq!(Field::parse("/a~1b").unwrap().as_str(), "/a~1b");
        assert_eq!(Field::optional("").unwrap(), None);
    }

    #[test]
    fn the_defaults_are_cognito_shaped_and_do_not_clash() {
        let shape = HttpShape::default();
        assert_eq!(shape.request.code.as_str(), "/ChallengeResponses/ANSWER");
        assert_eq!(
            shape.answer.id_token.as_str(),
            "/AuthenticationResult/IdToken"
        );
        assert!(shape.clashes().is_empty());
        let mut bad = shape.clone();
        bad.request.code = Field::parse("/ChallengeResponses").unwrap();
        assert_eq!(bad.clashes().len(), 2, "{:?}", bad.clashes());
    }

    #[test]
    fn phone_formats() {
        assert_eq!(
            PhoneFormat::parse("digits")
                .unwrap()
                .write("+4915112345678"),
            "4915112345678"
        );
        assert_eq!(PhoneFormat::E164.write("+4915112345678"), "+4915112345678");
        assert!(PhoneFormat::parse("national").is_err());
    }
}
