//! Delivering back-channel logout tokens (OpenID Connect Back-Channel Logout 1.0 §2.5): one POST
//! per client, in the background, never holding up the person's logout.

use std::time::Duration;

/// How long a client may take to answer a logout notice.
const BACKCHANNEL_TIMEOUT: Duration = Duration::from_secs(5);

pub(crate) struct Backchannel {
    http: reqwest::Client,
}

impl Backchannel {
    pub(crate) fn new() -> Self {
        let http = reqwest::Client::builder()
            .timeout(BACKCHANNEL_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_default();
        Backchannel { http }
    }

    /// POSTs `logout_token` to the client's `uri` in the background; the outcome is logged.
    pub(crate) fn deliver(&self, client_id: String, uri: String, token: String) {
        let http = self.http.clone();
        tokio::spawn(async move {
            let sent = http
                .post(&uri)
                .timeout(BACKCHANNEL_TIMEOUT)
                .form(&[("logout_token", token)])
                .send()
                .await;
            match sent {
                Ok(r) if r.status().is_success() => {
                    tracing::info!(client = %client_id, "back-channel logout delivered");
                }
                Ok(r) => tracing::warn!(
                    client = %client_id,
                    status = r.status().as_u16(),
                    "back-channel logout refused by the client"
                ),
                Err(e) => tracing::warn!(
                    client = %client_id,
                    error = %e.without_url(),
                    "back-channel logout could not be delivered"
                ),
            }
        });
    }
}
