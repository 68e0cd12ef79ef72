//! The same authorization request, once more: the address that starts a login anew with what
//! the portal asked for (its `state`, `nonce` and PKCE challenge included), for a person whose
//! login ended before it finished. The portal sees an ordinary authorization response.

use crate::Provider;
use serde_json::json;
use url::form_urlencoded::Serializer;
use wagate_storage::PendingAuthorization;

impl Provider {
    /// `/authorize` with the parameters of `pending`.
    pub fn authorize_again(&self, pending: &PendingAuthorization) -> String {
        format!("{}?{}", self.endpoint("/authorize"), query_of(pending))
    }
}

/// The query of the authorization request `pending` came from.
pub(crate) fn query_of(pending: &PendingAuthorization) -> String {
    {
        let mut q = Serializer::new(String::new());
        q.append_pair("response_type", "code")
            .append_pair("client_id", &pending.client_id)
            .append_pair("redirect_uri", &pending.redirect_uri)
            .append_pair("scope", &pending.scopes.join(" "));
        let optional = [
            ("state", pending.state.clone()),
            ("nonce", pending.nonce.clone()),
            ("login_hint", pending.login_hint.clone()),
            ("max_age", pending.max_age.map(|a| a.to_string())),
            ("prompt", words(&pending.prompt)),
            ("acr_values", words(&pending.acr_values)),
            ("ui_locales", words(&pending.ui_locales)),
        ];
        for (name, value) in optional {
            if let Some(v) = value {
                q.append_pair(name, &v);
            }
        }
        if let Some(challenge) = &pending.code_challenge {
            q.append_pair("code_challenge", challenge)
                .append_pair("code_challenge_method", "S256");
        }
        if !pending.acr_essential.is_empty() {
            let claims =
                json!({"id_token": {"acr": {"essential": true, "values": pending.acr_essential}}});
            q.append_pair("claims", &claims.to_string());
        }
        q.finish()
    }
}

fn words(list: &[String]) -> Option<String> {
    (!list.is_empty()).then(|| list.join(" "))
}
