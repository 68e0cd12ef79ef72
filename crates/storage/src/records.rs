//! Plain records kept in shared state. Behaviour lives in the crates that own the decisions.

use crate::{Block, Secret, UnixTime};
use serde::{Deserialize, Serialize};

/// A validated authorization request waiting for the person to log in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PendingAuthorization {
    pub client_id: String,
    pub redirect_uri: String,
    pub scopes: Vec<String>,
    pub state: Option<String>,
    pub nonce: Option<String>,
    /// The S256 PKCE challenge, when the client sent one.
    pub code_challenge: Option<String>,
    pub prompt: Vec<String>,
    pub max_age: Option<u64>,
    pub login_hint: Option<String>,
    /// Voluntary classes in order of preference (`acr_values`, or the `claims` parameter's
    /// non-essential `acr`).
    pub acr_values: Vec<String>,
    /// Classes the `claims` parameter marks essential: one of them must be met.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub acr_essential: Vec<String>,
    pub requested_at: UnixTime,
    /// `ui_locales` (OIDC Core §3.1.2.1): the languages the portal asks for, most wanted
    /// first.
    #[serde(default)]
    pub ui_locales: Vec<String>,
}

/// Where a login flow stands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "stage", rename_all = "snake_case")]
pub enum FlowStage {
    /// Waiting for a phone number.
    Phone,
    /// A code was sent to `phone` (E.164).
    Code {
        phone: String,
        resend_after: UnixTime,
        code_expires_at: UnixTime,
        code_length: u8,
        sends: u32,
        /// How the current code went out; absent in flows stored before it was recorded.
        #[serde(default)]
        via: Option<SentVia>,
    },
    /// Waiting for the authenticator code of the person already proven (`LoginFlow::proven`).
    Totp,
    /// `prompt=select_account`: continue as the session's person (`LoginFlow::proven`), or
    /// sign in with another number.
    ChooseAccount,
    /// `prompt=consent`: the person (`LoginFlow::proven`, every factor done) is asked before
    /// the portal gets a code.
    Consent,
}

/// What a login flow was for, kept a while beyond the flow: when the flow has ended (the last
/// wrong code, its time ran out), the person can still start the same request again or go
/// back to the portal, from the browser that started it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FlowTrace {
    pub authorization: PendingAuthorization,
    /// The digest of the browser binding of the flow: only that browser gets the way out.
    pub binding_hash: String,
    pub purpose: FlowPurpose,
}

/// How a code went out: which channel, and the message that carried it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentVia {
    /// The channel's name (`whatsapp`, `webhook`, `log`).
    pub channel: String,
    /// What the person looks at (`whatsapp`, `sms`).
    pub medium: String,
    /// The channel's id of the message (a WhatsApp `wamid`, or wagate's own id).
    pub message_id: String,
    pub sent_at: UnixTime,
    /// The channel reports delivery (status webhooks) for this message.
    pub receipts: bool,
    /// This send was already the fallback: there is no other way left.
    pub fallback: bool,
}

/// A message whose delivery reports are awaited, under its channel's message id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentMessage {
    pub flow_id: String,
    pub channel: String,
    pub sent_at: UnixTime,
}

/// What a channel reported about a message. Later states are "further" (`Sent` <
/// `Delivered` < `Read`); `Failed` stands apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageStatus {
    Sent,
    Delivered,
    Read,
    Failed,
}

impl MessageStatus {
    pub const ALL: [MessageStatus; 4] = [
        MessageStatus::Sent,
        MessageStatus::Delivered,
        MessageStatus::Read,
        MessageStatus::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MessageStatus::Sent => "sent",
            MessageStatus::Delivered => "delivered",
            MessageStatus::Read => "read",
            MessageStatus::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<MessageStatus> {
        MessageStatus::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

/// A message and the first report of each status it got.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageState {
    pub message: SentMessage,
    /// In the order of [`MessageStatus`]; each status once, at its first report's time.
    pub statuses: Vec<(MessageStatus, UnixTime)>,
}

impl MessageState {
    pub fn has(&self, status: MessageStatus) -> bool {
        self.statuses.iter().any(|(s, _)| *s == status)
    }

    /// What the person is told: the furthest state reached; a failure only if the message
    /// was never seen on the phone (reports come in any order).
    pub fn current(&self) -> MessageStatus {
        let seen = [MessageStatus::Read, MessageStatus::Delivered]
            .into_iter()
            .find(|s| self.has(*s));
        match seen {
            Some(s) => s,
            None if self.has(MessageStatus::Failed) => MessageStatus::Failed,
            None => MessageStatus::Sent,
        }
    }

    /// When the phone first had it (delivered, or read without a delivered report).
    pub fn arrived_at(&self) -> Option<UnixTime> {
        self.statuses
            .iter()
            .filter(|(s, _)| matches!(s, MessageStatus::Delivered | MessageStatus::Read))
            .map(|(_, at)| *at)
            .min()
    }
}

/// The result of recording a status report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StatusRecorded {
    /// No such message (never sent here, or its login is over).
    Unknown,
    /// This status was reported before (duplicates are normal).
    Repeated(MessageState),
    /// The first report of this status.
    First(MessageState),
}

/// Who a flow has already proven, and how: after a first factor when a second is needed, or
/// carried in from the browser's session when a portal asks for more than it holds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Proof {
    pub sub: String,
    /// E.164; the flow's remaining factors must be for this number.
    pub phone: String,
    /// RFC 8176 method references proven so far.
    pub amr: Vec<String>,
    /// When the first of them was proven: the login's `auth_time` is never later than this,
    /// so a session's old factor does not pass for a fresh one.
    #[serde(default)]
    pub since: Option<UnixTime>,
    /// The session these factors came from (a step-up): it must still be live at the end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
}

/// What a login flow signs the person in to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlowPurpose {
    /// A portal's authorization request: it ends with a code at the portal's redirect URI.
    #[default]
    Portal,
    /// wagate's own account page: it ends with a session and the account page, no code.
    Account,
}

/// One login attempt by one browser for one authorization request.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LoginFlow {
    pub id: String,
    /// SHA-256 (hex) of the browser-binding cookie that started the flow.
    pub binding_hash: String,
    /// Echoed by the hosted forms.
    pub csrf_token: Secret,
    pub authorization: PendingAuthorization,
    #[serde(default)]
    pub purpose: FlowPurpose,
    pub stage: FlowStage,
    /// Both the WhatsApp code and the authenticator are needed (the portal demands MFA).
    #[serde(default)]
    pub require_mfa: bool,
    /// The portal prefers MFA (`acr_values`): asked for when the person has an
    /// authenticator, else one factor will do.
    #[serde(default)]
    pub prefer_mfa: bool,
    /// Ask the person before the portal gets a code (`prompt=consent`).
    #[serde(default)]
    pub consent: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proven: Option<Proof>,
    pub created_at: UnixTime,
    pub expires_at: UnixTime,
    /// Bumped on every update; updates are compare-and-swap on it.
    pub revision: u64,
}

/// A one-time-code challenge in progress for a flow.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OtpChallenge {
    /// Opaque to storage: the local backend keeps a salted code hash here, a remote upstream
    /// its session. It never leaves the server.
    pub backend_state: Secret,
    pub phone: String,
    /// The number's country (ISO 3166-1), as the phone step read it; absent in challenges
    /// stored before it was kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The channel that carried the code (`whatsapp`, `webhook`, `log`); absent when the
    /// backend sends its own messages (Cripsa), for test numbers, and in challenges stored
    /// before it was kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    pub created_at: UnixTime,
    pub expires_at: UnixTime,
}

/// A single-use authorization code, stored under the SHA-256 of the code.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuthorizationCode {
    /// The SSO session the login belongs to (the `sid` of the ID token).
    pub sid: Option<String>,
    pub client_id: String,
    pub redirect_uri: String,
    pub scopes: Vec<String>,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
    pub subject: String,
    pub auth_time: UnixTime,
    pub amr: Vec<String>,
    pub acr: Option<String>,
    pub issued_at: UnixTime,
    pub expires_at: UnixTime,
}

/// A person, found by their E.164 number, known to portals by the opaque `sub`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub sub: String,
    pub phone: String,
    pub phone_verified: bool,
    pub created_at: UnixTime,
    /// The confirmed authenticator app, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub totp: Option<TotpEnrollment>,
    /// An enrollment started but not yet confirmed with a code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub totp_pending: Option<PendingTotp>,
    /// Set while an operator blocks the person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked: Option<Block>,
    /// Tokens and grants from logins at or before this time are void (set by a block, and
    /// kept after it is lifted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tokens_revoked_at: Option<UnixTime>,
    /// Bumped on every update; updates are compare-and-swap on it. Absent in records written
    /// before users could change (read as 0).
    #[serde(default)]
    pub revision: u64,
}

impl User {
    /// A person who has just proved `phone` for the first time.
    pub fn new(sub: String, phone: String, created_at: UnixTime) -> Self {
        User {
            sub,
            phone,
            phone_verified: true,
            created_at,
            totp: None,
            totp_pending: None,
            blocked: None,
            tokens_revoked_at: None,
            revision: 0,
        }
    }

    /// Whether what a login at `auth_time` issued still counts: the person is not blocked
    /// and no revocation came after that login.
    pub fn honours(&self, auth_time: UnixTime) -> bool {
        self.blocked.is_none() && self.tokens_revoked_at.is_none_or(|at| auth_time > at)
    }

    /// A copy to change and write back with `update_user` (the next revision).
    pub fn revised(&self) -> User {
        User {
            revision: self.revision.wrapping_add(1),
            ..self.clone()
        }
    }
}

/// An active authenticator app (RFC 6238 TOTP, SHA-1, 6 digits, 30 s).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TotpEnrollment {
    /// The shared secret, sealed (AEAD) with the operator's TOTP key and bound to the `sub`.
    pub sealed_secret: Secret,
    pub confirmed_at: UnixTime,
    /// The last time step whose code was accepted: no code of it or of an earlier step is
    /// accepted again (RFC 6238 §5.2).
    pub last_step: u64,
    /// Digests of the unused recovery codes.
    pub recovery_codes: Vec<String>,
}

/// A secret shown to the person, waiting for a code from their app.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PendingTotp {
    pub sealed_secret: Secret,
    /// The session that started the enrollment: only it may confirm.
    pub sid: String,
    pub expires_at: UnixTime,
}

/// A single sign-on session: who logged in, when, how, and which clients took part.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Session {
    /// Public id (`sid` in ID and logout tokens).
    pub sid: String,
    /// SHA-256 (hex) of the secret half of the session cookie.
    pub secret_hash: String,
    pub subject: String,
    pub auth_time: UnixTime,
    pub amr: Vec<String>,
    pub acr: Option<String>,
    /// Clients that received a code in this session (for back-channel logout).
    pub clients: Vec<String>,
    /// Token for the logout confirmation form.
    pub csrf_token: Secret,
    pub created_at: UnixTime,
    /// The absolute end; the idle end is the record's TTL.
    pub expires_at: UnixTime,
    pub revision: u64,
}

/// A refresh-token family: one per grant that has offline access. Its tokens are
/// `grant.generation.mac`, where the MAC is keyed by a server key (never in storage) over the
/// grant, this family's salt and the generation, so every token ever issued for it can be
/// recognised without being stored, and a copy of storage does not let anyone make tokens: the current generation refreshes, an
/// older one is a reuse (RFC 9700 §4.14.2), anything else is a forgery. Storage is O(1) per
/// family however often it rotates.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RefreshFamily {
    /// The grant (one code redemption and its refreshes): what reuse revokes.
    pub grant_id: String,
    /// Random per family, part of what the MAC covers (not a secret by itself).
    pub salt: String,
    /// The generation of the only token that may refresh now.
    pub generation: u64,
    pub client_id: String,
    pub subject: String,
    pub scopes: Vec<String>,
    pub sid: Option<String>,
    pub auth_time: UnixTime,
    pub amr: Vec<String>,
    pub acr: Option<String>,
    /// When the current generation was issued.
    pub issued_at: UnixTime,
    /// Idle end of the current generation.
    pub expires_at: UnixTime,
    /// Absolute end of the grant.
    pub grant_expires_at: UnixTime,
}

/// What became of an authorization-code redemption.
#[derive(Clone, Debug, PartialEq)]
pub enum Redemption {
    First(Box<AuthorizationCode>),
    /// Redeemed before, by the grant named here.
    Replayed {
        grant_id: String,
    },
    Unknown,
}

/// A signing key kept in shared storage, so that every instance signs with the same keys. The
/// private key is sealed (AEAD) with the operator's key-encryption key; storage never sees it
/// in clear.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoredKey {
    pub kid: String,
    /// "RS256", "ES256" or "EdDSA".
    pub alg: String,
    pub sealed_pem: String,
    pub created_at: UnixTime,
    /// Published from the start, signing only from then: every instance has reloaded it (and
    /// portals can have fetched the JWKS) before any token carries its kid.
    #[serde(default)]
    pub activate_at: Option<UnixTime>,
    /// When the key leaves the JWKS (set when a newer key replaces it for signing).
    pub retire_at: Option<UnixTime>,
}
