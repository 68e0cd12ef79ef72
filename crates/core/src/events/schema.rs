//! The security events: one CloudEvents 1.0 (JSON) shape, documented in docs/events.md. The
//! types and their `data` fields are a contract: add, never rename.

use serde_json::{Map, Value, json};
use wagate_storage::UnixTime;

/// Every kind of security event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventType {
    UserCreated,
    UserBlocked,
    UserUnblocked,
    UserDeleted,
    UserPhoneChanged,
    LoginSucceeded,
    LoginFailed,
    CodeSent,
    AuthenticatorAdded,
    AuthenticatorRemoved,
    RefreshReuseDetected,
    SessionEnded,
    AdminAction,
}

impl EventType {
    pub const ALL: [EventType; 13] = [
        EventType::UserCreated,
        EventType::UserBlocked,
        EventType::UserUnblocked,
        EventType::UserDeleted,
        EventType::UserPhoneChanged,
        EventType::LoginSucceeded,
        EventType::LoginFailed,
        EventType::CodeSent,
        EventType::AuthenticatorAdded,
        EventType::AuthenticatorRemoved,
        EventType::RefreshReuseDetected,
        EventType::SessionEnded,
        EventType::AdminAction,
    ];

    /// The CloudEvents `type`.
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::UserCreated => "user.created",
            EventType::UserBlocked => "user.blocked",
            EventType::UserUnblocked => "user.unblocked",
            EventType::UserDeleted => "user.deleted",
            EventType::UserPhoneChanged => "user.phone_changed",
            EventType::LoginSucceeded => "login.succeeded",
            EventType::LoginFailed => "login.failed",
            EventType::CodeSent => "code.sent",
            EventType::AuthenticatorAdded => "authenticator.added",
            EventType::AuthenticatorRemoved => "authenticator.removed",
            EventType::RefreshReuseDetected => "refresh.reuse_detected",
            EventType::SessionEnded => "session.ended",
            EventType::AdminAction => "admin.action",
        }
    }
}

/// Who did it, when it was not the person logging in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// A machine client of the admin API, with the id of the token it used.
    Client { client_id: String, token_id: String },
    /// An operator at the command line (`wagate users ...`).
    Cli,
    /// The person, on their account page.
    Person,
}

impl Actor {
    pub fn to_json(&self) -> Value {
        match self {
            Actor::Client {
                client_id,
                token_id,
            } => json!({"type": "client", "client_id": client_id, "token_id": token_id}),
            Actor::Cli => json!({"type": "cli"}),
            Actor::Person => json!({"type": "person"}),
        }
    }
}

/// A security event before it is written down.
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityEvent {
    pub kind: EventType,
    /// The person (`sub`), when known.
    pub subject: Option<String>,
    /// The person's number (E.164), when the event is about one. It reaches the event webhook
    /// only when configured to, and the log only masked.
    pub phone: Option<String>,
    /// The number before a change (`user.phone_changed`), under the same rules.
    pub previous_phone: Option<String>,
    /// The other `data` fields.
    pub data: Map<String, Value>,
}

impl SecurityEvent {
    pub fn new(kind: EventType) -> Self {
        SecurityEvent {
            kind,
            subject: None,
            phone: None,
            previous_phone: None,
            data: Map::new(),
        }
    }

    pub fn subject(mut self, sub: impl Into<String>) -> Self {
        self.subject = Some(sub.into());
        self
    }

    pub fn phone(mut self, e164: impl Into<String>) -> Self {
        self.phone = Some(e164.into());
        self
    }

    pub fn previous_phone(mut self, e164: impl Into<String>) -> Self {
        self.previous_phone = Some(e164.into());
        self
    }

    pub fn with(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.data.insert(key.to_owned(), value.into());
        self
    }

    pub fn actor(self, actor: &Actor) -> Self {
        self.with("actor", actor.to_json())
    }

    /// The CloudEvents 1.0 JSON envelope; numbers only when `with_phone`.
    pub fn envelope(&self, id: &str, source: &str, at: UnixTime, with_phone: bool) -> Value {
        let mut data = self.data.clone();
        if let Some(sub) = &self.subject {
            data.insert("sub".into(), json!(sub));
        }
        if with_phone {
            if let Some(phone) = &self.phone {
                data.insert("phone_number".into(), json!(phone));
            }
            if let Some(phone) = &self.previous_phone {
                data.insert("previous_phone_number".into(), json!(phone));
            }
        }
        let mut event = json!({
            "specversion": "1.0",
            "id": id,
            "source": source,
            "type": self.kind.as_str(),
            "time": rfc3339(at),
            "datacontenttype": "application/json",
            "data": data,
        });
        if let (Some(sub), Some(map)) = (&self.subject, event.as_object_mut()) {
            map.insert("subject".into(), json!(sub));
        }
        event
    }
}

fn rfc3339(at: UnixTime) -> String {
    chrono::DateTime::from_timestamp(at.secs(), 0)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_envelope_is_cloudevents_and_numbers_leave_only_when_asked() {
        let event = SecurityEvent::new(EventType::UserPhoneChanged)
            .subject("s1")
            .phone("+447400123456")
            .previous_phone("+447400000000")
            .actor(&Actor::Cli);
        let with = event.envelope("e1", "https://id.example", UnixTime(1_800_000_000), true);
        assert_eq!(with["specversion"], "1.0");
        assert_eq!(with["type"], "user.phone_changed");
        assert_eq!(with["subject"], "s1");
        assert_eq!(with["time"], "2027-01-15T08:00:00Z");
        assert_eq!(with["data"]["phone_number"], "+447400123456");
        assert_eq!(with["data"]["previous_phone_number"], "+447400000000");
        assert_eq!(with["data"]["actor"]["type"], "cli");
        let without = event.envelope("e1", "https://id.example", UnixTime(0), false);
        assert!(!without.to_string().contains("+44"));
        assert_eq!(without["data"]["sub"], "s1");
    }

    #[test]
    fn event_types_are_distinct() {
        let names: std::collections::HashSet<_> =
            EventType::ALL.iter().map(|t| t.as_str()).collect();
        assert_eq!(names.len(), EventType::ALL.len());
    }
}
