//! The Graph API's error answers, in the one shape Meta uses for all of them, so wagate's
//! parsing of a refusal is tried against that shape and not a simplified one.

use serde_json::{Value, json};

/// One refusal: the HTTP status, Meta's code (what wagate must branch on) and its texts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetaError {
    pub http: u16,
    pub code: i64,
    pub subcode: Option<i64>,
    pub message: String,
    /// The message without its `(#code)` prefix, as a `failed` status's `errors` carry it.
    pub title: &'static str,
    /// `error_data.details`; Meta leaves `error_data` out of token errors.
    pub details: Option<String>,
}

impl MetaError {
    /// A send refused for a reason of the recipient's or the business's.
    pub fn refused(http: u16, code: i64, title: &'static str) -> MetaError {
        MetaError {
            http,
            code,
            subcode: None,
            message: format!("(#{code}) {title}"),
            title,
            details: Some(title.to_owned()),
        }
    }

    /// The request does not have the shape of an authentication-template send.
    pub fn invalid_parameter(details: String) -> MetaError {
        MetaError {
            http: 400,
            code: 100,
            subcode: None,
            message: "(#100) Invalid parameter".to_owned(),
            title: "Invalid parameter",
            details: Some(details),
        }
    }

    /// A phone number id that is not the business's.
    pub fn unsupported_post(phone_number_id: &str) -> MetaError {
        MetaError {
            http: 400,
            code: 100,
            subcode: Some(33),
            message: format!(
                "Unsupported post request. Object with ID '{phone_number_id}' does not exist, \
                 cannot be loaded due to missing permissions, or does not support this operation"
            ),
            title: "Unsupported post request",
            details: Some(format!("unknown phone number id {phone_number_id}")),
        }
    }

    /// No bearer token, or not the business's.
    pub fn invalid_token() -> MetaError {
        MetaError {
            http: 401,
            code: 190,
            subcode: None,
            message: "Invalid OAuth access token - Cannot parse access token".to_owned(),
            title: "Invalid OAuth access token",
            details: None,
        }
    }

    /// The business's token is right but has expired.
    pub fn token_expired() -> MetaError {
        MetaError {
            http: 401,
            code: 190,
            subcode: Some(463),
            message: "Error validating access token: Session has expired".to_owned(),
            title: "Access token expired",
            details: None,
        }
    }

    /// The answer's JSON body.
    pub fn body(&self, fbtrace_id: &str) -> Value {
        let mut error = json!({
            "message": self.message,
            "type": "OAuthException",
            "code": self.code,
            "fbtrace_id": fbtrace_id,
        });
        if let Some(details) = &self.details {
            error["error_data"] = json!({"messaging_product": "whatsapp", "details": details});
        }
        if let Some(subcode) = self.subcode {
            error["error_subcode"] = json!(subcode);
        }
        json!({ "error": error })
    }
}
