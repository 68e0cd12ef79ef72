//! The storage traits on Redis.

use super::scripts::{
    CAS_REVISION, HOLD, HSET_IF_EMPTY, INCREMENT, MARK, REDEEM_CODE, RELEASE, TALLY,
};
use super::{RedisStore, decode, encode, millis};
use crate::traits::{
    ChallengeStore, CodeStore, CounterStore, FlowStore, Health, KeyStore, MarkerStore,
    RefreshStore, SessionStore, UserStore,
};
use crate::{
    AuthorizationCode, Counter, FlowTrace, LoginFlow, Marker, OtpChallenge, Redemption,
    RefreshFamily, Session, StoreError, StoreResult, StoredKey, User,
};
use async_trait::async_trait;
use redis::AsyncCommands;
use redis::Value;
use std::time::Duration;

impl RedisStore {
    pub(super) async fn set_px(
        &self,
        key: String,
        value: String,
        ttl: Duration,
    ) -> StoreResult<()> {
        self.run(|mut c| async move {
            redis::cmd("SET")
                .arg(&key)
                .arg(value)
                .arg("PX")
                .arg(millis(ttl))
                .query_async::<()>(&mut c)
                .await
        })
        .await
    }

    pub(super) async fn get_raw(&self, key: String) -> StoreResult<Option<String>> {
        self.run(|mut c| async move { c.get::<_, Option<String>>(&key).await })
            .await
    }

    pub(super) async fn take_raw(&self, key: String) -> StoreResult<Option<String>> {
        self.run(|mut c| async move { c.get_del::<_, Option<String>>(&key).await })
            .await
    }

    pub(super) async fn cas(
        &self,
        key: String,
        json: String,
        revision: u64,
        ttl: Option<Duration>,
    ) -> StoreResult<bool> {
        self.cas_on(key, json, "revision", revision, ttl).await
    }

    /// Replaces the JSON at `key` if its `field` is `value - 1`.
    async fn cas_on(
        &self,
        key: String,
        json: String,
        field: &'static str,
        value: u64,
        ttl: Option<Duration>,
    ) -> StoreResult<bool> {
        let ttl = ttl.map_or_else(|| "keep".to_owned(), |t| millis(t).to_string());
        self.run(|mut c| async move {
            CAS_REVISION
                .key(&key)
                .arg(json)
                .arg(value)
                .arg(ttl)
                .arg(field)
                .invoke_async::<i64>(&mut c)
                .await
        })
        .await
        .map(|n| n == 1)
    }
}

/// Splits a script's `{tag, payload}` answer.
fn tagged(value: Value) -> StoreResult<(i64, Option<String>)> {
    let corrupt = || StoreError::Corrupt("unexpected script answer".into());
    let Value::Array(items) = value else {
        return Err(corrupt());
    };
    let mut items = items.into_iter();
    let tag = match items.next() {
        Some(Value::Int(n)) => n,
        _ => return Err(corrupt()),
    };
    let payload = match items.next() {
        None | Some(Value::Nil) => None,
        Some(Value::BulkString(bytes)) => Some(String::from_utf8(bytes).map_err(|_| corrupt())?),
        Some(Value::SimpleString(s)) => Some(s),
        Some(_) => return Err(corrupt()),
    };
    Ok((tag, payload))
}

fn required<T>(value: Option<T>) -> StoreResult<T> {
    value.ok_or_else(|| StoreError::Corrupt("script answer without its record".into()))
}

#[async_trait]
impl FlowStore for RedisStore {
    async fn insert_flow(&self, flow: &LoginFlow, ttl: Duration) -> StoreResult<()> {
        self.set_px(self.key("flow", &flow.id), encode(flow)?, ttl)
            .await
    }

    async fn get_flow(&self, id: &str) -> StoreResult<Option<LoginFlow>> {
        decode(self.get_raw(self.key("flow", id)).await?)
    }

    async fn update_flow(&self, flow: &LoginFlow) -> StoreResult<bool> {
        self.cas(
            self.key("flow", &flow.id),
            encode(flow)?,
            flow.revision,
            None,
        )
        .await
    }

    async fn take_flow(&self, id: &str) -> StoreResult<Option<LoginFlow>> {
        decode(self.take_raw(self.key("flow", id)).await?)
    }

    async fn put_flow_trace(&self, id: &str, trace: &FlowTrace, ttl: Duration) -> StoreResult<()> {
        self.set_px(self.key("trace", id), encode(trace)?, ttl)
            .await
    }

    async fn get_flow_trace(&self, id: &str) -> StoreResult<Option<FlowTrace>> {
        decode(self.get_raw(self.key("trace", id)).await?)
    }
}

#[async_trait]
impl ChallengeStore for RedisStore {
    async fn put_challenge(
        &self,
        flow_id: &str,
        challenge: &OtpChallenge,
        ttl: Duration,
    ) -> StoreResult<()> {
        self.set_px(self.key("ch", flow_id), encode(challenge)?, ttl)
            .await
    }

    async fn get_challenge(&self, flow_id: &str) -> StoreResult<Option<OtpChallenge>> {
        decode(self.get_raw(self.key("ch", flow_id)).await?)
    }

    async fn take_challenge(&self, flow_id: &str) -> StoreResult<Option<OtpChallenge>> {
        decode(self.take_raw(self.key("ch", flow_id)).await?)
    }
}

#[async_trait]
impl CodeStore for RedisStore {
    async fn insert_code(
        &self,
        code_hash: &str,
        code: &AuthorizationCode,
        ttl: Duration,
    ) -> StoreResult<()> {
        self.set_px(self.key("code", code_hash), encode(code)?, ttl)
            .await
    }

    async fn get_code(&self, code_hash: &str) -> StoreResult<Option<AuthorizationCode>> {
        decode(self.get_raw(self.key("code", code_hash)).await?)
    }

    async fn redeem_code(&self, code_hash: &str, grant_id: &str) -> StoreResult<Redemption> {
        let code_key = self.key("code", code_hash);
        // Same hash tag as the code: one cluster slot for the script.
        let marker = format!("{code_key}:r");
        let grant = grant_id.to_owned();
        let answer = self
            .run(|mut c| async move {
                REDEEM_CODE
                    .key(&code_key)
                    .key(&marker)
                    .arg(grant)
                    .invoke_async::<Value>(&mut c)
                    .await
            })
            .await?;
        match tagged(answer)? {
            (0, _) => Ok(Redemption::Unknown),
            (1, code) => Ok(Redemption::First(Box::new(required(decode(code)?)?))),
            (_, grant) => Ok(Redemption::Replayed {
                grant_id: required(grant)?,
            }),
        }
    }
}

#[async_trait]
impl UserStore for RedisStore {
    async fn get_user(&self, sub: &str) -> StoreResult<Option<User>> {
        decode(self.get_raw(self.key("user", sub)).await?)
    }

    async fn find_user_by_phone(&self, phone: &str) -> StoreResult<Option<User>> {
        match self.get_raw(self.key("phone", phone)).await? {
            Some(sub) => self.get_user(&sub).await,
            None => Ok(None),
        }
    }

    async fn create_user(&self, user: &User) -> StoreResult<User> {
        // Claim the number first (an index entry that expires unless confirmed), then write the
        // person, then confirm: a crash or timeout in between never leaves a number pointing at
        // nobody for longer than the claim, and never leaves a person without expiry behind.
        let (user_key, phone_key) = (self.key("user", &user.sub), self.key("phone", &user.phone));
        let json = encode(user)?;
        let sub = user.sub.clone();
        let (index, entry) = (self.users_index(), crate::people::index_entry(user));
        let won = self
            .run(|mut c| async move {
                let claimed: Option<String> = redis::cmd("SET")
                    .arg(&phone_key)
                    .arg(&sub)
                    .arg("NX")
                    .arg("PX")
                    .arg(CLAIM_MS)
                    .query_async(&mut c)
                    .await?;
                if claimed.is_none() {
                    return Ok(false);
                }
                // Listed beside being written (one round trip): a listing skips an entry
                // without a person. Confirmed only once both are in.
                let mut lister = c.clone();
                let listed = lister.zadd::<_, _, _, i64>(&index, entry, 0);
                let written = c.set::<_, _, ()>(&user_key, json);
                futures_util::future::try_join(listed, written).await?;
                let _: bool = c.persist(&phone_key).await?;
                Ok(true)
            })
            .await?;
        if won {
            return Ok(user.clone());
        }
        // Someone else's first login of this number: theirs, once it is complete (it is
        // between two commands, so this takes milliseconds; bounded all the same).
        for _ in 0..50 {
            if let Some(owner) = self.find_user_by_phone(&user.phone).await? {
                return Ok(owner);
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        Err(StoreError::Unavailable(
            "another first login of this number is in progress".into(),
        ))
    }

    async fn update_user(&self, user: &User) -> StoreResult<bool> {
        self.cas(
            self.key("user", &user.sub),
            encode(user)?,
            user.revision,
            None,
        )
        .await
    }
}

/// How long a claim on a phone number may stay unconfirmed.
const CLAIM_MS: u64 = 60_000;

#[async_trait]
impl CounterStore for RedisStore {
    async fn increment(&self, counter: &Counter, window: Duration) -> StoreResult<u64> {
        let key = self.key("ctr", &counter.name());
        self.run(|mut c| async move {
            INCREMENT
                .key(&key)
                .arg(millis(window))
                .invoke_async::<u64>(&mut c)
                .await
        })
        .await
    }

    async fn release(&self, counter: &Counter) -> StoreResult<()> {
        let key = self.key("ctr", &counter.name());
        self.run(|mut c| async move { RELEASE.key(&key).invoke_async::<i64>(&mut c).await })
            .await
            .map(|_| ())
    }

    async fn peek(&self, counter: &Counter) -> StoreResult<u64> {
        let key = self.key("ctr", &counter.name());
        let value = self
            .run(|mut c| async move { c.get::<_, Option<u64>>(&key).await })
            .await?;
        Ok(value.unwrap_or(0))
    }

    async fn tally(
        &self,
        counted: &[(Counter, Duration)],
        read: &[Counter],
    ) -> StoreResult<(Vec<u64>, Vec<u64>)> {
        // A cluster takes a pipeline only within one slot; these counters lie in many.
        if self.conn.is_cluster() || counted.len() + read.len() == 0 {
            return crate::traits::tally_each(self, counted, read).await;
        }
        // One script over keys of many records: standalone Redis only (a cluster would
        // refuse keys of several slots), hence the branch above.
        let mut script = TALLY.prepare_invoke();
        for (counter, _) in counted {
            script.key(self.key("ctr", &counter.name()));
        }
        for counter in read {
            script.key(self.key("ctr", &counter.name()));
        }
        script.arg(counted.len());
        for (_, window) in counted {
            script.arg(millis(*window));
        }
        let mut answers = self
            .run(|mut c| async move { script.invoke_async::<Vec<u64>>(&mut c).await })
            .await?;
        let values = answers.split_off(counted.len().min(answers.len()));
        Ok((answers, values))
    }

    async fn hold(&self, counter: &Counter, ttl: Duration) -> StoreResult<Option<Duration>> {
        let key = self.key("ctr", &counter.name());
        let left = self
            .run(|mut c| async move {
                HOLD.key(&key)
                    .arg(millis(ttl))
                    .invoke_async::<i64>(&mut c)
                    .await
            })
            .await?;
        // -1: held now. Otherwise the milliseconds left of the hold in force.
        Ok((left >= 0).then(|| Duration::from_millis(left.unsigned_abs())))
    }
}

#[async_trait]
impl SessionStore for RedisStore {
    async fn insert_session(&self, session: &Session, ttl: Duration) -> StoreResult<()> {
        let record = self.set_px(self.key("sess", &session.sid), encode(session)?, ttl);
        // Two slots on a cluster; both go out at once on the shared connection.
        futures_util::future::try_join(record, self.index_session(session))
            .await
            .map(drop)
    }

    async fn get_session(&self, sid: &str) -> StoreResult<Option<Session>> {
        decode(self.get_raw(self.key("sess", sid)).await?)
    }

    async fn update_session(&self, session: &Session, ttl: Duration) -> StoreResult<bool> {
        self.cas(
            self.key("sess", &session.sid),
            encode(session)?,
            session.revision,
            Some(ttl),
        )
        .await
    }

    async fn take_session(&self, sid: &str) -> StoreResult<Option<Session>> {
        let taken: Option<Session> = decode(self.take_raw(self.key("sess", sid)).await?)?;
        if let Some(session) = &taken {
            self.unindex_session(session).await?;
        }
        Ok(taken)
    }
}

#[async_trait]
impl RefreshStore for RedisStore {
    async fn insert_family(&self, family: &RefreshFamily, ttl: Duration) -> StoreResult<()> {
        let record = self.set_px(self.key("rt", &family.grant_id), encode(family)?, ttl);
        let index = self.index_grant(
            &family.subject,
            &family.grant_id,
            family.grant_expires_at,
            family.issued_at,
        );
        futures_util::future::try_join(record, index)
            .await
            .map(drop)
    }

    async fn get_family(&self, grant_id: &str) -> StoreResult<Option<RefreshFamily>> {
        decode(self.get_raw(self.key("rt", grant_id)).await?)
    }

    async fn advance_family(&self, next: &RefreshFamily, ttl: Duration) -> StoreResult<bool> {
        self.cas_on(
            self.key("rt", &next.grant_id),
            encode(next)?,
            "generation",
            next.generation,
            Some(ttl),
        )
        .await
    }
}

#[async_trait]
impl MarkerStore for RedisStore {
    async fn set_marker(&self, marker: &Marker, ttl: Duration) -> StoreResult<()> {
        let key = self.key("mark", &marker.name());
        self.run(|mut c| async move {
            MARK.key(&key)
                .arg(millis(ttl))
                .invoke_async::<i64>(&mut c)
                .await
        })
        .await
        .map(|_| ())
    }

    async fn has_marker(&self, marker: &Marker) -> StoreResult<bool> {
        let key = self.key("mark", &marker.name());
        self.run(|mut c| async move { c.exists::<_, bool>(&key).await })
            .await
    }
}

#[async_trait]
impl Health for RedisStore {
    async fn ping(&self) -> StoreResult<()> {
        self.run(|mut c| async move { redis::cmd("PING").query_async::<String>(&mut c).await })
            .await
            .map(|_| ())
    }
}

#[async_trait]
impl KeyStore for RedisStore {
    async fn list_keys(&self) -> StoreResult<Vec<StoredKey>> {
        let key = self.key("keys", "signing");
        let all: Vec<String> = self.run(|mut c| async move { c.hvals(&key).await }).await?;
        all.into_iter()
            .map(|json| serde_json::from_str(&json).map_err(|e| StoreError::Corrupt(e.to_string())))
            .collect()
    }

    async fn put_key(&self, stored: &StoredKey) -> StoreResult<()> {
        let (key, kid, json) = (
            self.key("keys", "signing"),
            stored.kid.clone(),
            encode(stored)?,
        );
        self.run(|mut c| async move { c.hset::<_, _, _, ()>(&key, kid, json).await })
            .await
    }

    async fn delete_key(&self, kid: &str) -> StoreResult<()> {
        let (key, kid) = (self.key("keys", "signing"), kid.to_owned());
        self.run(|mut c| async move { c.hdel::<_, _, ()>(&key, kid).await })
            .await
    }
    async fn put_keys_if_none(&self, keys: &[StoredKey]) -> StoreResult<bool> {
        let key = self.key("keys", "signing");
        let mut pairs = Vec::new();
        for k in keys {
            pairs.push(k.kid.clone());
            pairs.push(encode(k)?);
        }
        self.run(|mut c| async move {
            let mut script = HSET_IF_EMPTY.key(&key);
            for p in &pairs {
                script.arg(p);
            }
            script.invoke_async::<i64>(&mut c).await
        })
        .await
        .map(|n| n == 1)
    }
}
