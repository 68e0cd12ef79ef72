//! Narrow store traits. Every operation that must be atomic across instances is one call here,
//! so a backend can implement it with one atomic primitive (GETDEL, SET NX, a script).

use crate::{
    AuthorizationCode, Counter, FlowTrace, LoginFlow, Marker, MessageState, MessageStatus,
    OtpChallenge, Redemption, RefreshFamily, SentMessage, Session, StatusRecorded, StoreResult,
    StoredKey, UnixTime, User,
};
use crate::{EventQueue, PeopleStore};
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
    /// Keeps what flow `id` was for, for `ttl` (longer than the flow lives).
    async fn put_flow_trace(&self, id: &str, trace: &FlowTrace, ttl: Duration) -> StoreResult<()>;
    async fn get_flow_trace(&self, id: &str) -> StoreResult<Option<FlowTrace>>;
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

/// Sent messages awaiting delivery reports, found by their channel's message id from any
/// instance.
#[async_trait]
pub trait MessageStore: Send + Sync {
    async fn put_message(&self, id: &str, message: &SentMessage, ttl: Duration) -> StoreResult<()>;
    async fn message_state(&self, id: &str) -> StoreResult<Option<MessageState>>;
    /// Records that `status` was reported for message `id` at `at`. Only the first report of
    /// each status is kept, so duplicates and any order of arrival are harmless; of
    /// concurrent first reports exactly one gets `First`.
    async fn record_status(
        &self,
        id: &str,
        status: MessageStatus,
        at: UnixTime,
    ) -> StoreResult<StatusRecorded>;
}

#[async_trait]
pub trait CodeStore: Send + Sync {
    async fn insert_code(
        &self,
        code_hash: &str,
        code: &AuthorizationCode,
        ttl: Duration,
    ) -> StoreResult<()>;
    /// The code, redeemed or not (its checks come before redemption, so that a party that
    /// fails them cannot burn it).
    async fn get_code(&self, code_hash: &str) -> StoreResult<Option<AuthorizationCode>>;
    /// Redeems the code for `grant_id`. Of concurrent callers exactly one gets `First`; the
    /// others, and every later caller until the code would have expired, get `Replayed` with
    /// the first caller's grant, so that what it issued can be revoked.
    async fn redeem_code(&self, code_hash: &str, grant_id: &str) -> StoreResult<Redemption>;
}

#[async_trait]
pub trait SessionStore: Send + Sync {
    /// Stores a new session; `ttl` is its idle lifetime (never past its absolute end).
    async fn insert_session(&self, session: &Session, ttl: Duration) -> StoreResult<()>;
    async fn get_session(&self, sid: &str) -> StoreResult<Option<Session>>;
    /// Replaces the session only if its stored revision is `session.revision - 1`, and gives
    /// it `ttl` to live from now. False when another update won or the session is gone.
    async fn update_session(&self, session: &Session, ttl: Duration) -> StoreResult<bool>;
    /// Removes and returns the session; of concurrent callers exactly one gets it.
    async fn take_session(&self, sid: &str) -> StoreResult<Option<Session>>;
}

#[async_trait]
pub trait RefreshStore: Send + Sync {
    async fn insert_family(&self, family: &RefreshFamily, ttl: Duration) -> StoreResult<()>;
    async fn get_family(&self, grant_id: &str) -> StoreResult<Option<RefreshFamily>>;
    /// Replaces the family with `next` only if its stored generation is
    /// `next.generation - 1`, and gives it `ttl` from now. Of concurrent advances from one
    /// generation exactly one wins.
    async fn advance_family(&self, next: &RefreshFamily, ttl: Duration) -> StoreResult<bool>;
}

/// Markers: keys that exist for a while (revoked grants, revoked access-token ids).
#[async_trait]
pub trait MarkerStore: Send + Sync {
    async fn set_marker(&self, marker: &Marker, ttl: Duration) -> StoreResult<()>;
    async fn has_marker(&self, marker: &Marker) -> StoreResult<bool>;
}

#[async_trait]
pub trait UserStore: Send + Sync {
    async fn get_user(&self, sub: &str) -> StoreResult<Option<User>>;
    async fn find_user_by_phone(&self, phone: &str) -> StoreResult<Option<User>>;
    /// Creates `user` unless its phone number already belongs to someone; returns whoever
    /// owns the number afterwards. Concurrent first logins of one number yield one user.
    async fn create_user(&self, user: &User) -> StoreResult<User>;
    /// Replaces the person only if their stored revision is `user.revision - 1` (the phone
    /// number never changes here). False when another update won or the person is unknown.
    async fn update_user(&self, user: &User) -> StoreResult<bool>;
}

#[async_trait]
pub trait CounterStore: Send + Sync {
    /// Adds one to the counter `key` and returns the new value. A new counter expires after
    /// `window`; later increments do not extend it (fixed windows).
    async fn increment(&self, counter: &Counter, window: Duration) -> StoreResult<u64>;
    /// Takes back one increment that was not used (a send that failed). Never below zero; a
    /// counter that does not exist (expired) stays absent. Keeps the window.
    async fn release(&self, counter: &Counter) -> StoreResult<()>;
    /// The counter's value now, without counting (0 when it does not exist).
    async fn peek(&self, counter: &Counter) -> StoreResult<u64>;
    /// `increment` of each of `counted` (with its window), then `peek` of each of `read`, in
    /// order; one round trip where the backend allows. Each increment is atomic on its own,
    /// not the set.
    async fn tally(
        &self,
        counted: &[(Counter, Duration)],
        read: &[Counter],
    ) -> StoreResult<(Vec<u64>, Vec<u64>)> {
        tally_each(self, counted, read).await
    }
    /// Holds `counter` for `ttl` unless it is held already. `None`: it was free and is held now
    /// (the caller may go on); `Some(left)`: held by someone before, for `left` more. One of
    /// any number of racing callers gets `None`.
    async fn hold(&self, counter: &Counter, ttl: Duration) -> StoreResult<Option<Duration>>;
}

/// `CounterStore::tally` one counter at a time: for backends without a cheaper way.
pub async fn tally_each<S: CounterStore + ?Sized>(
    store: &S,
    counted: &[(Counter, Duration)],
    read: &[Counter],
) -> StoreResult<(Vec<u64>, Vec<u64>)> {
    let mut counts = Vec::with_capacity(counted.len());
    for (counter, window) in counted {
        counts.push(store.increment(counter, *window).await?);
    }
    let mut values = Vec::with_capacity(read.len());
    for counter in read {
        values.push(store.peek(counter).await?);
    }
    Ok((counts, values))
}

/// Signing keys shared by every instance (no expiry: they leave when retired).
#[async_trait]
pub trait KeyStore: Send + Sync {
    async fn list_keys(&self) -> StoreResult<Vec<StoredKey>>;
    /// Stores a key under its `kid`, replacing one with the same `kid`.
    async fn put_key(&self, key: &StoredKey) -> StoreResult<()>;
    async fn delete_key(&self, kid: &str) -> StoreResult<()>;
    /// Stores `keys` only if there are none yet: of instances bootstrapping at once, exactly
    /// one sets the keys. False when keys were already there.
    async fn put_keys_if_none(&self, keys: &[StoredKey]) -> StoreResult<bool>;
}

#[async_trait]
pub trait Health: Send + Sync {
    /// Answers Ok when the backend can serve requests.
    async fn ping(&self) -> StoreResult<()>;
}

/// Everything a wagate instance needs from shared state.
pub trait Store:
    FlowStore
    + ChallengeStore
    + MessageStore
    + CodeStore
    + UserStore
    + CounterStore
    + SessionStore
    + RefreshStore
    + MarkerStore
    + KeyStore
    + PeopleStore
    + EventQueue
    + Health
{
}

impl<T> Store for T where
    T: FlowStore
        + ChallengeStore
        + MessageStore
        + CodeStore
        + UserStore
        + CounterStore
        + SessionStore
        + RefreshStore
        + MarkerStore
        + KeyStore
        + PeopleStore
        + EventQueue
        + Health
{
}
