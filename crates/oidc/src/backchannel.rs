//! Delivering back-channel logout tokens (OpenID Connect Back-Channel Logout 1.0 §2.5): one POST
//! per client, in the background, never holding up the person's logout.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::Notify;
use tracing::Instrument;

/// How long a client may take to answer a logout notice.
const BACKCHANNEL_TIMEOUT: Duration = Duration::from_secs(5);

pub(crate) struct Backchannel {
    http: reqwest::Client,
    /// Notices on their way, so a short-lived process (an operator command) can wait for them.
    in_flight: Arc<(AtomicUsize, Notify)>,
}

impl Backchannel {
    pub(crate) fn new() -> Self {
        let http = reqwest::Client::builder()
            .timeout(BACKCHANNEL_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_default();
        Backchannel {
            http,
            in_flight: Arc::new((AtomicUsize::new(0), Notify::new())),
        }
    }

    /// Waits until every notice sent so far has been answered (or failed), at most `limit`.
    pub(crate) async fn settled(&self, limit: Duration) {
        let wait = async {
            loop {
                let notified = self.in_flight.1.notified();
                if self.in_flight.0.load(Ordering::SeqCst) == 0 {
                    return;
                }
                notified.await;
            }
        };
        let _ = tokio::time::timeout(limit, wait).await;
    }

    /// POSTs `logout_token` to the client's `uri` in the background; the outcome is logged.
    pub(crate) fn deliver(&self, client_id: String, uri: String, token: String) {
        let http = self.http.clone();
        let in_flight = self.in_flight.clone();
        in_flight.0.fetch_add(1, Ordering::SeqCst);
        tokio::spawn(
            async move {
                let request = http
                    .post(&uri)
                    .timeout(BACKCHANNEL_TIMEOUT)
                    .form(&[("logout_token", token)]);
                let sent = wagate_telemetry::send("backchannel_logout", request).await;
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
                in_flight.0.fetch_sub(1, Ordering::SeqCst);
                in_flight.1.notify_waiters();
            }
            // In the logout's trace, without holding the logout's span open.
            .instrument(wagate_telemetry::background("back-channel logout")),
        );
    }
}
