//! A fake of Meta's WhatsApp Business Cloud API, for tests and for trying
//! `delivery.channel = "whatsapp"` without a Meta account. It checks a send request as strictly
//! as the research notes describe Meta (the business's token and phone number id, the exact
//! authentication-template shape), answers in Meta's shapes, records what it "sent", and
//! builds the signed status webhooks Meta would post back. The last four digits of the
//! recipient choose Meta's failures (see [`magic`]). It is transport-free:
//! `wagate dev fake-whatsapp` and the tests put HTTP around it (`whatsapp_serve`).

mod error;
mod magic;
mod request;
#[cfg(test)]
pub(crate) mod tests;
mod webhook;

pub use error::MetaError;
pub use magic::{
    ACCOUNT_LOCKED, COUNTRY_RESTRICTED, DELIVERED_LATE, FAILED_AFTER_SENDING, Magic,
    NEVER_DELIVERED, NOT_ON_WHATSAPP, PAIR_RATE_LIMIT, READ_AT_ONCE, SERVER_ERROR, SPAM_RATE_LIMIT,
    Step, TEMPLATE_MISSING, THROUGHPUT_LIMIT, TOKEN_EXPIRED, magic,
};
pub use webhook::{DISPLAY_PHONE_NUMBER, WABA_ID, hub_signature};

use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;
use tokio::sync::Notify;
use wagate_storage::{Clock, OsRandom, Secret, SystemClock, random_token};

/// The business the fake stands for, and when it reports on the messages it accepts.
pub struct FakeWhatsAppSettings {
    pub phone_number_id: String,
    pub access_token: Secret,
    pub app_secret: Secret,
    /// wagate's status webhook, e.g. http://127.0.0.1:8080/hooks/whatsapp; None: statuses are
    /// not posted automatically.
    pub callback_url: Option<String>,
    /// After accepting a message: post `sent` at once, then `delivered` after this delay;
    /// None = no automatic statuses (tests post them by hand with `post_status`).
    pub status_delay: Option<Duration>,
    /// For the "delivered late" magic number.
    pub late_delay: Duration,
}

/// A message the fake accepted.
#[derive(Debug, Clone)]
pub struct SentMessage {
    /// The wamid.
    pub id: String,
    /// Digits as received, no '+'.
    pub to: String,
    pub template: String,
    pub language: String,
    pub code: String,
}

/// What the fake answers: an HTTP status and a JSON body.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
}

/// The answer to one send request, and the statuses to post about it afterwards (none when
/// the send was refused or automatic statuses are off).
#[derive(Debug, Clone)]
pub struct Answer {
    pub reply: Reply,
    pub message_id: Option<String>,
    pub steps: Vec<Step>,
}

/// Called with each message accepted ("sent").
pub type OnMessage = Box<dyn Fn(&SentMessage) + Send + Sync>;
/// Called with each automatic status posted: message id, status, and wagate's HTTP status or
/// why the post failed.
pub type OnStatus = Box<dyn Fn(&str, &str, &Result<u16, String>) + Send + Sync>;

#[derive(Default)]
struct State {
    callback_url: Option<String>,
    messages: Vec<SentMessage>,
    requests: usize,
    posted: HashMap<(String, String), Result<u16, String>>,
}

/// The fake Cloud API: one business phone number, its messages, and the statuses it posted.
pub struct FakeWhatsApp {
    settings: FakeWhatsAppSettings,
    on_message: Option<OnMessage>,
    on_status: Option<OnStatus>,
    posted: Notify,
    state: Mutex<State>,
}

impl std::fmt::Debug for FakeWhatsApp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeWhatsApp")
            .field("phone_number_id", &self.settings.phone_number_id)
            .finish_non_exhaustive()
    }
}

impl FakeWhatsApp {
    pub fn new(mut settings: FakeWhatsAppSettings) -> Self {
        let state = State {
            callback_url: settings.callback_url.take(),
            ..State::default()
        };
        FakeWhatsApp {
            settings,
            on_message: None,
            on_status: None,
            posted: Notify::new(),
            state: Mutex::new(state),
        }
    }

    /// "Delivers" each accepted message (to a log line, a test's list).
    pub fn with_on_message(mut self, hook: OnMessage) -> Self {
        self.on_message = Some(hook);
        self
    }

    /// Reports each automatic status posted.
    pub fn with_on_status(mut self, hook: OnStatus) -> Self {
        self.on_status = Some(hook);
        self
    }

    /// Changes where statuses are posted (tests learn wagate's URL after starting the fake).
    pub fn set_callback_url(&self, url: Option<String>) {
        self.lock().callback_url = url;
    }

    /// Where statuses are posted now.
    pub fn callback_url(&self) -> Option<String> {
        self.lock().callback_url.clone()
    }

    pub fn phone_number_id(&self) -> &str {
        &self.settings.phone_number_id
    }

    pub(crate) fn app_secret(&self) -> &Secret {
        &self.settings.app_secret
    }

    /// Every message accepted so far, oldest first.
    pub fn messages(&self) -> Vec<SentMessage> {
        self.lock().messages.clone()
    }

    /// The last message accepted for `phone` (E.164 with '+', or digits).
    pub fn last_message(&self, phone: &str) -> Option<SentMessage> {
        let digits = phone.trim_start_matches('+');
        let state = self.lock();
        state
            .messages
            .iter()
            .rev()
            .find(|m| m.to == digits)
            .cloned()
    }

    /// Send requests received (accepted or refused), for assertions like "nothing was sent".
    pub fn requests(&self) -> usize {
        self.lock().requests
    }

    /// One `POST /{version}/{phone_number_id}/messages` with its `Authorization` and
    /// `Content-Type` headers.
    pub fn handle(
        &self,
        phone_number_id: &str,
        authorization: Option<&str>,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Answer {
        self.lock().requests += 1;
        match self.accept(phone_number_id, authorization, content_type, body) {
            Ok((message, magic)) => self.record(message, magic),
            Err(refusal) => Answer {
                reply: Reply {
                    status: refusal.http,
                    body: refusal.body(&random_token(&OsRandom, 12)),
                },
                message_id: None,
                steps: Vec::new(),
            },
        }
    }

    fn accept(
        &self,
        phone_number_id: &str,
        authorization: Option<&str>,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Result<(SentMessage, Option<Magic>), MetaError> {
        let token = authorization.and_then(|a| a.strip_prefix("Bearer "));
        if !token.is_some_and(|t| self.settings.access_token.ct_eq(t)) {
            return Err(MetaError::invalid_token());
        }
        if phone_number_id != self.settings.phone_number_id {
            return Err(MetaError::unsupported_post(phone_number_id));
        }
        if !content_type.is_some_and(|c| c.starts_with("application/json")) {
            return Err(MetaError::invalid_parameter(
                "the Content-Type must be application/json".to_owned(),
            ));
        }
        let request = request::parse(body).map_err(MetaError::invalid_parameter)?;
        let magic = magic(&request.to);
        if let Some(refusal) = magic.and_then(Magic::refusal) {
            return Err(refusal);
        }
        let message = SentMessage {
            id: format!("wamid.{}", random_token(&OsRandom, 30)),
            to: request.to,
            template: request.template,
            language: request.language,
            code: request.code,
        };
        Ok((message, magic))
    }

    fn record(&self, message: SentMessage, magic: Option<Magic>) -> Answer {
        if let Some(hook) = &self.on_message {
            hook(&message);
        }
        let reply = Reply {
            status: 200,
            body: json!({
                "messaging_product": "whatsapp",
                "contacts": [{"input": message.to, "wa_id": message.to}],
                "messages": [{"id": message.id}],
            }),
        };
        let mut state = self.lock();
        let steps = match (&state.callback_url, self.settings.status_delay) {
            (Some(_), Some(delay)) => Magic::steps(magic, delay, self.settings.late_delay),
            _ => Vec::new(),
        };
        let message_id = Some(message.id.clone());
        state.messages.push(message);
        Answer {
            reply,
            message_id,
            steps,
        }
    }

    /// The body of a status webhook (so tests can sign it wrongly themselves). The recipient
    /// is the message's, or empty for an id the fake never gave out.
    pub fn status_body(&self, id: &str, status: &str, error_code: Option<i64>) -> Vec<u8> {
        let recipient = self
            .lock()
            .messages
            .iter()
            .find(|m| m.id == id)
            .map(|m| m.to.clone())
            .unwrap_or_default();
        let body = webhook::status_body(webhook::Status {
            phone_number_id: &self.settings.phone_number_id,
            message_id: id,
            recipient: &recipient,
            status,
            error_code,
            timestamp: SystemClock.now().secs(),
        });
        body.to_string().into_bytes()
    }

    /// Notes that an automatic status was posted, and wakes whoever waits for it.
    pub(crate) fn record_posted(&self, id: &str, status: &str, result: Result<u16, String>) {
        if let Some(hook) = &self.on_status {
            hook(id, status, &result);
        }
        let key = (id.to_owned(), status.to_owned());
        self.lock().posted.insert(key, result);
        self.posted.notify_waiters();
    }

    /// Waits (up to `timeout`) until an automatic status `status` for message `id` has been
    /// posted and answered, returning wagate's HTTP status; None on timeout or when the post
    /// itself failed (nothing listening, no answer within 5 s).
    pub async fn wait_posted(&self, id: &str, status: &str, timeout: Duration) -> Option<u16> {
        let deadline = tokio::time::Instant::now() + timeout;
        let key = (id.to_owned(), status.to_owned());
        loop {
            let notified = self.posted.notified();
            let mut notified = std::pin::pin!(notified);
            // Registered before looking, so a post between the look and the wait is not missed.
            notified.as_mut().enable();
            let found = self.lock().posted.get(&key).cloned();
            if let Some(result) = found {
                return result.ok();
            }
            tokio::time::timeout_at(deadline, notified).await.ok()?;
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}
