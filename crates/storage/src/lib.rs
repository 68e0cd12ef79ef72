//! wagate-storage: the bottom of the crate graph.
//!
//! It owns the plain record types that live in shared state, the narrow async traits every
//! backend implements, the in-memory backend, and the conformance suite that defines what a
//! backend is. It also holds the few primitives records need everywhere: time ([`Clock`]),
//! randomness ([`SecretSource`]) and redacting secret strings ([`Secret`]).

mod clock;
mod error;
mod events;
mod memory;
mod names;
mod people;
mod random;
mod records;
mod redis_backend;
mod secret;
mod traits;

#[cfg(feature = "conformance")]
pub mod conformance;

pub use clock::{Clock, ManualClock, SystemClock, UnixTime};
pub use error::StoreError;
pub use events::{EventQueue, LeasedEvent, QUEUE_TTL, QueuedEvent};
pub use memory::MemoryStore;
pub use names::{Counter, Marker};
pub use people::{Block, MAX_PAGE, PeopleStore, PhoneChange, UserPage};
pub use random::{OsRandom, SecretSource, random_token};
pub use records::{
    AuthorizationCode, FlowPurpose, FlowStage, FlowTrace, LoginFlow, MessageState, MessageStatus,
    OtpChallenge, PendingAuthorization, PendingTotp, Proof, Redemption, RefreshFamily, SentMessage,
    SentVia, Session, StatusRecorded, StoredKey, TotpEnrollment, User,
};
pub use redis_backend::{RedisConfig, RedisStore, RedisTopology};
pub use secret::Secret;
pub use traits::{
    ChallengeStore, CodeStore, CounterStore, FlowStore, Health, KeyStore, MarkerStore,
    MessageStore, RefreshStore, SessionStore, Store, UserStore,
};

/// Result of storage operations.
pub type StoreResult<T> = Result<T, StoreError>;
