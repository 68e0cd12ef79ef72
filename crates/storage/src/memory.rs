//! The in-memory backend: one process, nothing persisted. Used for embedded defaults and tests.

use crate::traits::{
    ChallengeStore, CodeStore, CounterStore, FlowStore, Health, KeyStore, MarkerStore,
    MessageStore, RefreshStore, SessionStore, UserStore,
};
use crate::{
    AuthorizationCode, Clock, Counter, FlowTrace, LoginFlow, Marker, MessageState, MessageStatus,
    OtpChallenge, Redemption, RefreshFamily, SentMessage, Session, StatusRecorded, StoreResult,
    StoredKey, UnixTime, User,
};
mod events;
mod people;

use async_trait::async_trait;
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// Expired entries are dropped lazily on read and swept every this many writes, so memory
/// stays bounded by what is alive.
const SWEEP_EVERY: u64 = 1024;

#[derive(Debug)]
struct Expiring<T> {
    value: T,
    expires_at: UnixTime,
}

#[derive(Debug, Default)]
struct Inner {
    flows: HashMap<String, Expiring<LoginFlow>>,
    traces: HashMap<String, Expiring<FlowTrace>>,
    challenges: HashMap<String, Expiring<OtpChallenge>>,
    messages: HashMap<String, Expiring<MessageState>>,
    /// A code and, once redeemed, the grant that redeemed it.
    codes: HashMap<String, Expiring<(AuthorizationCode, Option<String>)>>,
    sessions: HashMap<String, Expiring<Session>>,
    refresh: HashMap<String, Expiring<RefreshFamily>>,
    markers: HashMap<String, Expiring<()>>,
    keys: HashMap<String, StoredKey>,
    counters: HashMap<String, Expiring<u64>>,
    users: HashMap<String, User>,
    subs_by_phone: HashMap<String, String>,
    /// People newest first (`people::index_entry`), iterated backwards.
    user_index: BTreeSet<String>,
    last_logins: HashMap<String, UnixTime>,
    events: events::Queues,
    writes: u64,
}

impl Inner {
    fn sweep_if_due(&mut self, now: UnixTime) {
        self.writes += 1;
        if !self.writes.is_multiple_of(SWEEP_EVERY) {
            return;
        }
        self.flows.retain(|_, e| e.expires_at > now);
        self.traces.retain(|_, e| e.expires_at > now);
        self.challenges.retain(|_, e| e.expires_at > now);
        self.messages.retain(|_, e| e.expires_at > now);
        self.codes.retain(|_, e| e.expires_at > now);
        self.sessions.retain(|_, e| e.expires_at > now);
        self.refresh.retain(|_, e| e.expires_at > now);
        self.markers.retain(|_, e| e.expires_at > now);
        self.counters.retain(|_, e| e.expires_at > now);
    }
}

/// Returns the live value under `key`, dropping it if it has expired.
fn live<'a, T>(
    map: &'a mut HashMap<String, Expiring<T>>,
    key: &str,
    now: UnixTime,
) -> Option<&'a mut Expiring<T>> {
    if map.get(key).is_some_and(|e| e.expires_at <= now) {
        map.remove(key);
    }
    map.get_mut(key)
}

fn take_live<T>(map: &mut HashMap<String, Expiring<T>>, key: &str, now: UnixTime) -> Option<T> {
    map.remove(key)
        .filter(|e| e.expires_at > now)
        .map(|e| e.value)
}

#[derive(Debug, Clone)]
pub struct MemoryStore {
    inner: Arc<Mutex<Inner>>,
    clock: Arc<dyn Clock>,
}

impl MemoryStore {
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        MemoryStore {
            inner: Arc::new(Mutex::new(Inner::default())),
            clock,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock cannot leave a map half-written (every update is a
        // single insert or remove), so a poisoned lock is still safe to use.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn now(&self) -> UnixTime {
        self.clock.now()
    }
}

#[async_trait]
impl FlowStore for MemoryStore {
    async fn insert_flow(&self, flow: &LoginFlow, ttl: Duration) -> StoreResult<()> {
        let now = self.now();
        let mut g = self.lock();
        g.sweep_if_due(now);
        g.flows.insert(
            flow.id.clone(),
            Expiring {
                value: flow.clone(),
                expires_at: now.plus(ttl),
            },
        );
        Ok(())
    }

    async fn get_flow(&self, id: &str) -> StoreResult<Option<LoginFlow>> {
        let now = self.now();
        let mut g = self.lock();
        Ok(live(&mut g.flows, id, now).map(|e| e.value.clone()))
    }

    async fn update_flow(&self, flow: &LoginFlow) -> StoreResult<bool> {
        let now = self.now();
        let mut g = self.lock();
        match live(&mut g.flows, &flow.id, now) {
            Some(e) if e.value.revision.wrapping_add(1) == flow.revision => {
                e.value = flow.clone();
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    async fn take_flow(&self, id: &str) -> StoreResult<Option<LoginFlow>> {
        let now = self.now();
        Ok(take_live(&mut self.lock().flows, id, now))
    }

    async fn put_flow_trace(&self, id: &str, trace: &FlowTrace, ttl: Duration) -> StoreResult<()> {
        let now = self.now();
        let mut g = self.lock();
        g.sweep_if_due(now);
        let entry = Expiring {
            value: trace.clone(),
            expires_at: now.plus(ttl),
        };
        g.traces.insert(id.to_owned(), entry);
        Ok(())
    }

    async fn get_flow_trace(&self, id: &str) -> StoreResult<Option<FlowTrace>> {
        let now = self.now();
        let mut g = self.lock();
        Ok(live(&mut g.traces, id, now).map(|e| e.value.clone()))
    }
}

#[async_trait]
impl MessageStore for MemoryStore {
    async fn put_message(&self, id: &str, message: &SentMessage, ttl: Duration) -> StoreResult<()> {
        let now = self.now();
        let mut g = self.lock();
        g.sweep_if_due(now);
        let state = MessageState {
            message: message.clone(),
            statuses: Vec::new(),
        };
        g.messages.insert(
            id.to_owned(),
            Expiring {
                value: state,
                expires_at: now.plus(ttl),
            },
        );
        Ok(())
    }

    async fn message_state(&self, id: &str) -> StoreResult<Option<MessageState>> {
        let now = self.now();
        let mut g = self.lock();
        Ok(live(&mut g.messages, id, now).map(|e| e.value.clone()))
    }

    async fn record_status(
        &self,
        id: &str,
        status: MessageStatus,
        at: UnixTime,
    ) -> StoreResult<StatusRecorded> {
        let now = self.now();
        let mut g = self.lock();
        let Some(entry) = live(&mut g.messages, id, now) else {
            return Ok(StatusRecorded::Unknown);
        };
        let state = &mut entry.value;
        if state.has(status) {
            return Ok(StatusRecorded::Repeated(state.clone()));
        }
        state.statuses.push((status, at));
        state.statuses.sort();
        Ok(StatusRecorded::First(state.clone()))
    }
}

#[async_trait]
impl ChallengeStore for MemoryStore {
    async fn put_challenge(
        &self,
        flow_id: &str,
        challenge: &OtpChallenge,
        ttl: Duration,
    ) -> StoreResult<()> {
        let now = self.now();
        let mut g = self.lock();
        g.sweep_if_due(now);
        g.challenges.insert(
            flow_id.to_owned(),
            Expiring {
                value: challenge.clone(),
                expires_at: now.plus(ttl),
            },
        );
        Ok(())
    }

    async fn get_challenge(&self, flow_id: &str) -> StoreResult<Option<OtpChallenge>> {
        let now = self.now();
        let mut g = self.lock();
        Ok(live(&mut g.challenges, flow_id, now).map(|e| e.value.clone()))
    }

    async fn take_challenge(&self, flow_id: &str) -> StoreResult<Option<OtpChallenge>> {
        let now = self.now();
        Ok(take_live(&mut self.lock().challenges, flow_id, now))
    }
}

#[async_trait]
impl CodeStore for MemoryStore {
    async fn insert_code(
        &self,
        code_hash: &str,
        code: &AuthorizationCode,
        ttl: Duration,
    ) -> StoreResult<()> {
        let now = self.now();
        let mut g = self.lock();
        g.sweep_if_due(now);
        g.codes.insert(
            code_hash.to_owned(),
            Expiring {
                value: (code.clone(), None),
                expires_at: now.plus(ttl),
            },
        );
        Ok(())
    }

    async fn get_code(&self, code_hash: &str) -> StoreResult<Option<AuthorizationCode>> {
        let now = self.now();
        let mut g = self.lock();
        Ok(live(&mut g.codes, code_hash, now).map(|e| e.value.0.clone()))
    }

    async fn redeem_code(&self, code_hash: &str, grant_id: &str) -> StoreResult<Redemption> {
        let now = self.now();
        let mut g = self.lock();
        Ok(match live(&mut g.codes, code_hash, now) {
            None => Redemption::Unknown,
            Some(e) => match &e.value.1 {
                Some(first) => Redemption::Replayed {
                    grant_id: first.clone(),
                },
                None => {
                    e.value.1 = Some(grant_id.to_owned());
                    Redemption::First(Box::new(e.value.0.clone()))
                }
            },
        })
    }
}

#[async_trait]
impl SessionStore for MemoryStore {
    async fn insert_session(&self, session: &Session, ttl: Duration) -> StoreResult<()> {
        let now = self.now();
        let mut g = self.lock();
        g.sweep_if_due(now);
        let last = g
            .last_logins
            .entry(session.subject.clone())
            .or_insert(session.auth_time);
        *last = (*last).max(session.auth_time);
        g.sessions.insert(
            session.sid.clone(),
            Expiring {
                value: session.clone(),
                expires_at: now.plus(ttl),
            },
        );
        Ok(())
    }

    async fn get_session(&self, sid: &str) -> StoreResult<Option<Session>> {
        let now = self.now();
        let mut g = self.lock();
        Ok(live(&mut g.sessions, sid, now).map(|e| e.value.clone()))
    }

    async fn update_session(&self, session: &Session, ttl: Duration) -> StoreResult<bool> {
        let now = self.now();
        let mut g = self.lock();
        match live(&mut g.sessions, &session.sid, now) {
            Some(e) if e.value.revision.wrapping_add(1) == session.revision => {
                e.value = session.clone();
                e.expires_at = now.plus(ttl);
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    async fn take_session(&self, sid: &str) -> StoreResult<Option<Session>> {
        let now = self.now();
        Ok(take_live(&mut self.lock().sessions, sid, now))
    }
}

#[async_trait]
impl RefreshStore for MemoryStore {
    async fn insert_family(&self, family: &RefreshFamily, ttl: Duration) -> StoreResult<()> {
        let now = self.now();
        let mut g = self.lock();
        g.sweep_if_due(now);
        g.refresh.insert(
            family.grant_id.clone(),
            Expiring {
                value: family.clone(),
                expires_at: now.plus(ttl),
            },
        );
        Ok(())
    }

    async fn get_family(&self, grant_id: &str) -> StoreResult<Option<RefreshFamily>> {
        let now = self.now();
        let mut g = self.lock();
        Ok(live(&mut g.refresh, grant_id, now).map(|e| e.value.clone()))
    }

    async fn advance_family(&self, next: &RefreshFamily, ttl: Duration) -> StoreResult<bool> {
        let now = self.now();
        let mut g = self.lock();
        match live(&mut g.refresh, &next.grant_id, now) {
            Some(e) if e.value.generation.wrapping_add(1) == next.generation => {
                e.value = next.clone();
                e.expires_at = now.plus(ttl);
                Ok(true)
            }
            _ => Ok(false),
        }
    }
}

#[async_trait]
impl MarkerStore for MemoryStore {
    async fn set_marker(&self, marker: &Marker, ttl: Duration) -> StoreResult<()> {
        let key = &marker.name();
        let now = self.now();
        let mut g = self.lock();
        g.sweep_if_due(now);
        let expires_at = now.plus(ttl);
        // A marker set twice lives as long as the longer of the two.
        let longest = g
            .markers
            .get(key)
            .map_or(expires_at, |e| e.expires_at.max(expires_at));
        g.markers.insert(
            key.to_owned(),
            Expiring {
                value: (),
                expires_at: longest,
            },
        );
        Ok(())
    }

    async fn has_marker(&self, marker: &Marker) -> StoreResult<bool> {
        let now = self.now();
        let mut g = self.lock();
        Ok(live(&mut g.markers, &marker.name(), now).is_some())
    }
}

#[async_trait]
impl UserStore for MemoryStore {
    async fn get_user(&self, sub: &str) -> StoreResult<Option<User>> {
        Ok(self.lock().users.get(sub).cloned())
    }

    async fn find_user_by_phone(&self, phone: &str) -> StoreResult<Option<User>> {
        let g = self.lock();
        Ok(g.subs_by_phone
            .get(phone)
            .and_then(|sub| g.users.get(sub))
            .cloned())
    }

    async fn create_user(&self, user: &User) -> StoreResult<User> {
        let mut g = self.lock();
        if let Some(existing) = g
            .subs_by_phone
            .get(&user.phone)
            .and_then(|sub| g.users.get(sub))
        {
            return Ok(existing.clone());
        }
        g.subs_by_phone.insert(user.phone.clone(), user.sub.clone());
        g.user_index.insert(crate::people::index_entry(user));
        g.users.insert(user.sub.clone(), user.clone());
        Ok(user.clone())
    }

    async fn update_user(&self, user: &User) -> StoreResult<bool> {
        let mut g = self.lock();
        match g.users.get_mut(&user.sub) {
            Some(stored) if stored.revision.wrapping_add(1) == user.revision => {
                *stored = user.clone();
                Ok(true)
            }
            _ => Ok(false),
        }
    }
}

#[async_trait]
impl CounterStore for MemoryStore {
    async fn increment(&self, counter: &Counter, window: Duration) -> StoreResult<u64> {
        let key = &counter.name();
        let now = self.now();
        let mut g = self.lock();
        g.sweep_if_due(now);
        if let Some(e) = live(&mut g.counters, key, now) {
            e.value = e.value.saturating_add(1);
            return Ok(e.value);
        }
        g.counters.insert(
            key.to_owned(),
            Expiring {
                value: 1,
                expires_at: now.plus(window),
            },
        );
        Ok(1)
    }

    async fn release(&self, counter: &Counter) -> StoreResult<()> {
        let now = self.now();
        let mut g = self.lock();
        if let Some(e) = live(&mut g.counters, &counter.name(), now) {
            e.value = e.value.saturating_sub(1);
        }
        Ok(())
    }

    async fn peek(&self, counter: &Counter) -> StoreResult<u64> {
        let now = self.now();
        let mut g = self.lock();
        Ok(live(&mut g.counters, &counter.name(), now).map_or(0, |e| e.value))
    }

    async fn hold(&self, counter: &Counter, ttl: Duration) -> StoreResult<Option<Duration>> {
        let key = counter.name();
        let now = self.now();
        let mut g = self.lock();
        g.sweep_if_due(now);
        if let Some(e) = live(&mut g.counters, &key, now) {
            return Ok(Some(now.until(e.expires_at)));
        }
        g.counters.insert(
            key,
            Expiring {
                value: 1,
                expires_at: now.plus(ttl),
            },
        );
        Ok(None)
    }
}

#[async_trait]
impl Health for MemoryStore {
    async fn ping(&self) -> StoreResult<()> {
        Ok(())
    }
}

#[async_trait]
impl KeyStore for MemoryStore {
    async fn list_keys(&self) -> StoreResult<Vec<StoredKey>> {
        Ok(self.lock().keys.values().cloned().collect())
    }

    async fn put_key(&self, key: &StoredKey) -> StoreResult<()> {
        self.lock().keys.insert(key.kid.clone(), key.clone());
        Ok(())
    }

    async fn delete_key(&self, kid: &str) -> StoreResult<()> {
        self.lock().keys.remove(kid);
        Ok(())
    }

    async fn put_keys_if_none(&self, keys: &[StoredKey]) -> StoreResult<bool> {
        let mut g = self.lock();
        if !g.keys.is_empty() {
            return Ok(false);
        }
        for key in keys {
            g.keys.insert(key.kid.clone(), key.clone());
        }
        Ok(true)
    }
}
