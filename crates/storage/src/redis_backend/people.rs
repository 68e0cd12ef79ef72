//! People on Redis. Per person, beside `user:{sub}` and in its slot: `usess:{sub}` (their
//! sessions, scored by absolute end), `ugrant:{sub}` (their refresh families, likewise) and
//! `ulast:{sub}` (their last login). Across people: `users:{index}`, every person as
//! `<created, 20 digits>:<sub>` at score 0, read backwards by `ZREVRANGEBYLEX`.

use super::scripts::{CAS_REVISION, DEL_IF_EQ, INDEX_ADD};
use super::{RedisStore, encode};
use crate::people::{MAX_PAGE, PeopleStore, PhoneChange, UserPage, entry_sub};
use crate::traits::{SessionStore, UserStore};
use crate::{Session, StoreResult, UnixTime, User};
use async_trait::async_trait;
use redis::AsyncCommands;

/// How long a claim on a new number may stay unconfirmed.
const CLAIM_MS: u64 = 60_000;

impl RedisStore {
    pub(super) fn users_index(&self) -> String {
        self.key("users", "index")
    }

    /// Indexes a new session under its person, and their last login.
    pub(super) async fn index_session(&self, session: &Session) -> StoreResult<()> {
        let keys = (
            self.key("usess", &session.subject),
            self.key("ulast", &session.subject),
        );
        let args = (
            session.sid.clone(),
            session.expires_at.secs(),
            session.created_at.secs(),
            session.auth_time.secs(),
        );
        self.run(|mut c| async move {
            INDEX_ADD
                .key(keys.0)
                .key(keys.1)
                .arg(args.0)
                .arg(args.1)
                .arg(args.2)
                .arg(args.3)
                .invoke_async::<i64>(&mut c)
                .await
        })
        .await
        .map(drop)
    }

    pub(super) async fn unindex_session(&self, session: &Session) -> StoreResult<()> {
        let key = self.key("usess", &session.subject);
        let sid = session.sid.clone();
        self.run(|mut c| async move { c.zrem::<_, _, i64>(key, sid).await })
            .await
            .map(drop)
    }

    /// Indexes a refresh family under its person.
    pub(super) async fn index_grant(
        &self,
        subject: &str,
        grant_id: &str,
        ends: UnixTime,
        now: UnixTime,
    ) -> StoreResult<()> {
        let key = self.key("ugrant", subject);
        let args = (grant_id.to_owned(), ends.secs(), now.secs());
        self.run(|mut c| async move {
            INDEX_ADD
                .key(key)
                .arg(args.0)
                .arg(args.1)
                .arg(args.2)
                .invoke_async::<i64>(&mut c)
                .await
        })
        .await
        .map(drop)
    }

    async fn del_if_eq(&self, key: String, value: String) -> StoreResult<()> {
        self.run(|mut c| async move {
            DEL_IF_EQ
                .key(key)
                .arg(value)
                .invoke_async::<i64>(&mut c)
                .await
        })
        .await
        .map(drop)
    }
}

#[async_trait]
impl PeopleStore for RedisStore {
    async fn list_users(&self, cursor: Option<&str>, limit: usize) -> StoreResult<UserPage> {
        let limit = limit.clamp(1, MAX_PAGE);
        let key = self.users_index();
        // Lexicographic bounds: "+" is past every entry, "(x" is just below x.
        let upper = cursor.map_or_else(|| "+".to_owned(), |c| format!("({c}"));
        let entries: Vec<String> = self
            .run(|mut c| async move {
                redis::cmd("ZREVRANGEBYLEX")
                    .arg(&key)
                    .arg(upper)
                    .arg("-")
                    .arg("LIMIT")
                    .arg(0)
                    .arg(limit)
                    .query_async(&mut c)
                    .await
            })
            .await?;
        let next = (entries.len() == limit)
            .then(|| entries.last().cloned())
            .flatten();
        let lookups = entries
            .iter()
            .filter_map(|e| entry_sub(e))
            .map(|sub| self.get_user(sub));
        let users = futures_util::future::try_join_all(lookups)
            .await?
            .into_iter()
            .flatten()
            .collect();
        Ok(UserPage { users, next })
    }

    async fn sessions_of(&self, sub: &str) -> StoreResult<Vec<Session>> {
        let key = self.key("usess", sub);
        let sids: Vec<String> = self
            .run(|mut c| async move { c.zrange(&key, 0, -1).await })
            .await?;
        let lookups = sids.iter().map(|sid| self.get_session(sid));
        let mut found: Vec<Session> = futures_util::future::try_join_all(lookups)
            .await?
            .into_iter()
            .flatten()
            .filter(|s| s.subject == sub)
            .collect();
        found.sort_by(|a, b| b.auth_time.cmp(&a.auth_time).then(a.sid.cmp(&b.sid)));
        Ok(found)
    }

    async fn last_login(&self, sub: &str) -> StoreResult<Option<UnixTime>> {
        let key = self.key("ulast", sub);
        let at: Option<i64> = self.run(|mut c| async move { c.get(&key).await }).await?;
        Ok(at.map(UnixTime))
    }

    async fn grants_of(&self, sub: &str) -> StoreResult<Vec<String>> {
        let key = self.key("ugrant", sub);
        self.run(|mut c| async move { c.zrange(&key, 0, -1).await })
            .await
    }

    async fn delete_family(&self, grant_id: &str) -> StoreResult<()> {
        let key = self.key("rt", grant_id);
        self.run(|mut c| async move { c.del::<_, i64>(&key).await })
            .await
            .map(drop)
    }

    async fn delete_user(&self, sub: &str) -> StoreResult<bool> {
        let Some(user) = self.get_user(sub).await? else {
            return Ok(false);
        };
        // The number first: a person left without it is still found (and erased again) by
        // `sub`, while a number pointing at nobody could never sign up again.
        self.del_if_eq(self.key("phone", &user.phone), sub.to_owned())
            .await?;
        let keys: Vec<String> = ["user", "usess", "ugrant", "ulast"]
            .iter()
            .map(|kind| self.key(kind, sub))
            .collect();
        let (index, entry) = (self.users_index(), crate::people::index_entry(&user));
        self.run(|mut c| async move {
            // One slot (the `{sub}` tag), so one command on a cluster too.
            c.del::<_, i64>(&keys).await?;
            c.zrem::<_, _, i64>(&index, entry).await
        })
        .await?;
        Ok(true)
    }

    async fn change_phone(&self, user: &User, old_phone: &str) -> StoreResult<PhoneChange> {
        let new_key = self.key("phone", &user.phone);
        let sub = user.sub.clone();
        // Claim the new number (expiring unless confirmed), then write the person, then
        // confirm and free the old number: a crash in between leaves at most a claim that
        // expires, never two people on one number.
        let claim = (new_key.clone(), sub.clone());
        let claimed: bool = self
            .run(|mut c| async move {
                let set: Option<String> = redis::cmd("SET")
                    .arg(&claim.0)
                    .arg(&claim.1)
                    .arg("NX")
                    .arg("PX")
                    .arg(CLAIM_MS)
                    .query_async(&mut c)
                    .await?;
                if set.is_some() {
                    return Ok(true);
                }
                let owner: Option<String> = c.get(&claim.0).await?;
                Ok(owner.as_deref() == Some(claim.1.as_str()))
            })
            .await?;
        if !claimed {
            return Ok(PhoneChange::Taken);
        }
        let user_key = self.key("user", &user.sub);
        let json = encode(user)?;
        let revision = user.revision;
        let written: i64 = self
            .run(|mut c| async move {
                CAS_REVISION
                    .key(&user_key)
                    .arg(json)
                    .arg(revision)
                    .arg("keep")
                    .arg("revision")
                    .invoke_async(&mut c)
                    .await
            })
            .await?;
        if written != 1 {
            self.del_if_eq(new_key, sub).await?;
            return Ok(PhoneChange::Conflict);
        }
        let confirm = new_key.clone();
        self.run(|mut c| async move { c.persist::<_, bool>(&confirm).await })
            .await?;
        if old_phone != user.phone {
            self.del_if_eq(self.key("phone", old_phone), sub).await?;
        }
        Ok(PhoneChange::Changed)
    }
}
