//! What an operator or the person themselves does to an account: list people, see their
//! sessions and grants, change their number, erase them. The indexes behind these are kept by
//! the stores that write the records (a new person, session or refresh family indexes
//! itself), so nothing here scans keys.

use crate::{Session, StoreResult, UnixTime, User};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};

/// An operator's block on a person: no login, no token, until lifted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Block {
    pub at: UnixTime,
    /// The operator's words, for other operators (never shown to the person).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// One page of people, newest first.
#[derive(Clone, Debug, PartialEq)]
pub struct UserPage {
    pub users: Vec<User>,
    /// Where the next page starts; `None` on the last page. Opaque to callers.
    pub next: Option<String>,
}

/// What became of a change of number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PhoneChange {
    Changed,
    /// The new number belongs to someone else.
    Taken,
    /// The person changed meanwhile (or is gone): read them again.
    Conflict,
}

/// Most people a page holds.
pub const MAX_PAGE: usize = 200;

/// The cursor of a person in the newest-first index: creation time first, then `sub`, so the
/// order is total and a cursor stays valid while people come and go.
pub(crate) fn index_entry(user: &User) -> String {
    format!("{:020}:{}", user.created_at.secs().max(0), user.sub)
}

/// The `sub` of an index entry.
pub(crate) fn entry_sub(entry: &str) -> Option<&str> {
    entry.split_once(':').map(|(_, sub)| sub)
}

#[async_trait]
pub trait PeopleStore: Send + Sync {
    /// People newest first, starting after `cursor` (a `UserPage::next`), at most `limit`
    /// (capped at [`MAX_PAGE`]).
    async fn list_users(&self, cursor: Option<&str>, limit: usize) -> StoreResult<UserPage>;
    /// The live sessions of `sub`, newest first.
    async fn sessions_of(&self, sub: &str) -> StoreResult<Vec<Session>>;
    /// When `sub` last logged in (the start of their newest session), if ever recorded.
    async fn last_login(&self, sub: &str) -> StoreResult<Option<UnixTime>>;
    /// The grants of `sub` that have refresh families, which may still be live.
    async fn grants_of(&self, sub: &str) -> StoreResult<Vec<String>>;
    /// Removes a refresh family (its tokens then refresh nothing).
    async fn delete_family(&self, grant_id: &str) -> StoreResult<()>;
    /// Removes the person, the index entry of their number (if it still names them) and
    /// every index about them. Sessions and families are the caller's to end first. True
    /// when the person existed.
    async fn delete_user(&self, sub: &str) -> StoreResult<bool>;
    /// Writes `user` (the next revision, with its new number) and moves the number's index
    /// from `old_phone`, unless the new number belongs to someone else. Of concurrent
    /// changes to one number, one wins.
    async fn change_phone(&self, user: &User, old_phone: &str) -> StoreResult<PhoneChange>;
}
