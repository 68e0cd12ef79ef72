//! Sent messages on Redis: a hash per message, `m` holding the record and `s:<status>` the
//! time of each status's first report, so recording a report is one `HSETNX`.

use super::scripts::RECORD_STATUS;
use super::{RedisStore, encode, millis};
use crate::traits::MessageStore;
use crate::{
    MessageState, MessageStatus, SentMessage, StatusRecorded, StoreError, StoreResult, UnixTime,
};
use async_trait::async_trait;
use redis::Value;
use std::time::Duration;

const RECORD: &str = "m";

fn status_field(status: MessageStatus) -> String {
    format!("s:{}", status.as_str())
}

fn corrupt(why: &str) -> StoreError {
    StoreError::Corrupt(format!("sent message: {why}"))
}

/// A message's hash, as `HGETALL` gives it; `None` when the hash is gone.
fn state_of(fields: Vec<(String, String)>) -> StoreResult<Option<MessageState>> {
    let mut message = None;
    let mut statuses = Vec::new();
    for (field, value) in fields {
        if field == RECORD {
            message = Some(
                serde_json::from_str::<SentMessage>(&value).map_err(|e| corrupt(&e.to_string()))?,
            );
        } else if let Some(status) = field.strip_prefix("s:").and_then(MessageStatus::parse) {
            let at = value.parse::<i64>().map_err(|_| corrupt("status time"))?;
            statuses.push((status, UnixTime(at)));
        }
    }
    statuses.sort();
    Ok(message.map(|message| MessageState { message, statuses }))
}

/// A flat `[field, value, ...]` array, as scripts return `HGETALL`.
fn pairs(items: Vec<Value>) -> StoreResult<Vec<(String, String)>> {
    let text = |v: Value| match v {
        Value::BulkString(b) => String::from_utf8(b).map_err(|_| corrupt("not text")),
        Value::SimpleString(s) => Ok(s),
        _ => Err(corrupt("unexpected value")),
    };
    let mut out = Vec::with_capacity(items.len() / 2);
    let mut items = items.into_iter();
    while let (Some(k), Some(v)) = (items.next(), items.next()) {
        out.push((text(k)?, text(v)?));
    }
    Ok(out)
}

#[async_trait]
impl MessageStore for RedisStore {
    async fn put_message(&self, id: &str, message: &SentMessage, ttl: Duration) -> StoreResult<()> {
        let key = self.key("msg", id);
        let json = encode(message)?;
        self.run(|mut c| async move {
            redis::pipe()
                .atomic()
                .del(&key)
                .hset(&key, RECORD, json)
                .pexpire(&key, i64::try_from(millis(ttl)).unwrap_or(i64::MAX))
                .query_async::<()>(&mut c)
                .await
        })
        .await
    }

    async fn message_state(&self, id: &str) -> StoreResult<Option<MessageState>> {
        let key = self.key("msg", id);
        let fields = self
            .run(|mut c| async move {
                redis::cmd("HGETALL")
                    .arg(&key)
                    .query_async::<Vec<(String, String)>>(&mut c)
                    .await
            })
            .await?;
        state_of(fields)
    }

    async fn record_status(
        &self,
        id: &str,
        status: MessageStatus,
        at: UnixTime,
    ) -> StoreResult<StatusRecorded> {
        let key = self.key("msg", id);
        let field = status_field(status);
        let answer = self
            .run(|mut c| async move {
                RECORD_STATUS
                    .key(&key)
                    .arg(field)
                    .arg(at.secs())
                    .invoke_async::<Value>(&mut c)
                    .await
            })
            .await?;
        let Value::Array(items) = answer else {
            return Ok(StatusRecorded::Unknown);
        };
        let mut items = items.into_iter();
        let first = matches!(items.next(), Some(Value::Int(1)));
        let fields = match items.next() {
            Some(Value::Array(fields)) => pairs(fields)?,
            _ => return Err(corrupt("unexpected script answer")),
        };
        Ok(match state_of(fields)? {
            None => StatusRecorded::Unknown,
            Some(state) if first => StatusRecorded::First(state),
            Some(state) => StatusRecorded::Repeated(state),
        })
    }
}
