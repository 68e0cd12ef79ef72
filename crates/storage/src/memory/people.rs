//! Listing people and what hangs off them, in memory. One process holds few enough sessions
//! and families that they are found by a pass over the map; people have an ordered index.

use super::MemoryStore;
use crate::people::{MAX_PAGE, PeopleStore, PhoneChange, UserPage, entry_sub, index_entry};
use crate::{Session, StoreResult, UnixTime, User};
use async_trait::async_trait;
use std::ops::Bound;

#[async_trait]
impl PeopleStore for MemoryStore {
    async fn list_users(&self, cursor: Option<&str>, limit: usize) -> StoreResult<UserPage> {
        let limit = limit.clamp(1, MAX_PAGE);
        let g = self.lock();
        let upper = cursor.map_or(Bound::Unbounded, |c| Bound::Excluded(c.to_owned()));
        let entries: Vec<&String> = g
            .user_index
            .range((Bound::Unbounded, upper))
            .rev()
            .take(limit)
            .collect();
        let next = (entries.len() == limit)
            .then(|| entries.last().map(|e| (*e).clone()))
            .flatten();
        let users = entries
            .iter()
            .filter_map(|e| entry_sub(e).and_then(|sub| g.users.get(sub)).cloned())
            .collect();
        Ok(UserPage { users, next })
    }

    async fn sessions_of(&self, sub: &str) -> StoreResult<Vec<Session>> {
        let now = self.now();
        let g = self.lock();
        let mut found: Vec<Session> = g
            .sessions
            .values()
            .filter(|e| e.expires_at > now && e.value.subject == sub)
            .map(|e| e.value.clone())
            .collect();
        found.sort_by(|a, b| b.auth_time.cmp(&a.auth_time).then(a.sid.cmp(&b.sid)));
        Ok(found)
    }

    async fn last_login(&self, sub: &str) -> StoreResult<Option<UnixTime>> {
        Ok(self.lock().last_logins.get(sub).copied())
    }

    async fn grants_of(&self, sub: &str) -> StoreResult<Vec<String>> {
        let now = self.now();
        let g = self.lock();
        let mut found: Vec<String> = g
            .refresh
            .iter()
            .filter(|(_, e)| e.expires_at > now && e.value.subject == sub)
            .map(|(id, _)| id.clone())
            .collect();
        found.sort();
        Ok(found)
    }

    async fn delete_family(&self, grant_id: &str) -> StoreResult<()> {
        self.lock().refresh.remove(grant_id);
        Ok(())
    }

    async fn delete_user(&self, sub: &str) -> StoreResult<bool> {
        let mut g = self.lock();
        let Some(user) = g.users.remove(sub) else {
            return Ok(false);
        };
        if g.subs_by_phone.get(&user.phone).is_some_and(|s| s == sub) {
            g.subs_by_phone.remove(&user.phone);
        }
        g.user_index.remove(&index_entry(&user));
        g.last_logins.remove(sub);
        Ok(true)
    }

    async fn change_phone(&self, user: &User, old_phone: &str) -> StoreResult<PhoneChange> {
        let mut g = self.lock();
        if g.subs_by_phone
            .get(&user.phone)
            .is_some_and(|owner| *owner != user.sub)
        {
            return Ok(PhoneChange::Taken);
        }
        match g.users.get_mut(&user.sub) {
            Some(stored) if stored.revision.wrapping_add(1) == user.revision => {
                *stored = user.clone();
            }
            _ => return Ok(PhoneChange::Conflict),
        }
        if g.subs_by_phone
            .get(old_phone)
            .is_some_and(|s| *s == user.sub)
        {
            g.subs_by_phone.remove(old_phone);
        }
        g.subs_by_phone.insert(user.phone.clone(), user.sub.clone());
        Ok(PhoneChange::Changed)
    }
}
