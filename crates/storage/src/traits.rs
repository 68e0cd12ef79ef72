//! Narrow store traits. Every operation that must be atomic across instances is one call here,
//! so a backend can implement it with one atomic primitive (GETDEL, SET NX, a script).

use crate::{AuthorizationCode, LoginFlow, OtpChallenge, StoreResult, User};
use async_trait::async_trait;
use std::time::Duration;

#[async_trait]
pub trait FlowStore: Send + Sync {
    /// Stores a new flow; it disappears after `ttl`.
    async fn insert_flow(&self, flow: &LoginFlow, ttl: Duration) -> StoreResult<()>;
    async fn get_flow(&self, id: &str) -> StoreResult<Option<LoginFlow>>;
    /// Replaces the flow only if its stored revision is still `flow.revision - 1`.
    /// Keeps the remaining lifetime. Returns false when another update won.
    async fn update_flow(&self, flow: &LoginFlow) -> StoreResult<bool>;
    /// Removes and returns the flow; of concurrent callers exactly one gets it.
    async fn take_flow(&self, id: &str) -> StoreResult<Option<LoginFlow>>;
}

#[async_trait]
pub trait ChallengeStore: Send + Sync {
    /// Stores (or replaces, on resend) the challenge of a flow.
    async fn put_challenge(
        &self,
        flow_id: &str,
        challenge: &OtpChallenge,
        ttl: Duration,
    ) -> StoreResult<()>;
    async fn get_challenge(&self, flow_id: &str) -> StoreResult<Option<OtpChallenge>>;
    /// Removes and returns the challenge; of concurrent callers exactly one gets it.
    async fn take_challenge(&self, flow_id: &str) -> StoreResult<Option<OtpChallenge>>;
}

#[async_trait]
pub trait CodeStore: Send + Sync {
    async fn insert_code(
        &self,
        code_hash: &str,
        code: &AuthorizationCode,
        ttl: Duration,
    ) -> StoreResult<()>;
    /// Removes and returns the code; of concurrent callers exactly one gets it.
    async fn take_code(&self, code_hash: &str) -> StoreResult<Option<AuthorizationCode>>;
}

#[async_trait]
pub trait UserStore: Send + Sync {
    async fn get_user(&self, sub: &str) -> StoreResult<Option<User>>;
    async fn find_user_by_phone(&self, phone: &str) -> StoreResult<Option<User>>;
    /// Creates `user` unless its phone number already belongs to someone; returns whoever
    /// owns the number afterwards. Concurrent first logins of one number yield one user.
    async fn create_user(&self, user: &User) -> StoreResult<User>;
}

#[async_trait]
pub trait CounterStore: Send + Sync {
    /// Adds one to the counter `key` and returns the new value. A new counter expires after
    /// `window`; later increments do not extend it (fixed windows).
    async fn increment(&self, key: &str, window: Duration) -> StoreResult<u64>;
    /// Takes back one increment that was not used (a send that failed). Never below zero; a
    /// counter that does not exist (expired) stays absent. Keeps the window.
    async fn release(&self, key: &str) -> StoreResult<()>;
}

#[async_trait]
pub trait Health: Send + Sync {
    /// Answers Ok when the backend can serve requests.
    async fn ping(&self) -> StoreResult<()>;
}

/// Everything a wagate instance needs from shared state.
pub trait Store:
    FlowStore + ChallengeStore + CodeStore + UserStore + CounterStore + Health
{
}

impl<T> Store for T where
    T: FlowStore + ChallengeStore + CodeStore + UserStore + CounterStore + Health
{
}
