//! The event queue on Redis. Every key shares the `{queue}` tag (one slot), so each step is
//! one script on a cluster too: `events:{queue}:due` (a sorted set of streams by the time
//! their head may next be tried), `events:{queue}:tries` (failed attempts of each head) and
//! `events:{queue}:q:<stream>` (a list, oldest first, that lives `QUEUE_TTL` after its last
//! event).

use super::scripts::{EVENT_DONE, EVENT_LEASE, EVENT_PUSH};
use super::{RedisStore, decode, encode, millis};
use crate::events::{EventQueue, LeasedEvent, QUEUE_TTL, QueuedEvent};
use crate::{StoreError, StoreResult, UnixTime};
use async_trait::async_trait;
use redis::Value;

/// Leases lost to other instances before giving up for this round.
const LEASE_RACES: usize = 8;

impl RedisStore {
    fn due_key(&self) -> String {
        format!("{}events:{{queue}}:due", self.prefix)
    }

    fn tries_key(&self) -> String {
        format!("{}events:{{queue}}:tries", self.prefix)
    }

    fn queue_key(&self, stream: &str) -> String {
        format!("{}events:{{queue}}:q:{stream}", self.prefix)
    }

    async fn finish_event(
        &self,
        stream: &str,
        id: &str,
        how: &'static str,
        at: UnixTime,
    ) -> StoreResult<()> {
        let keys = (self.due_key(), self.queue_key(stream), self.tries_key());
        let args = (stream.to_owned(), id.to_owned(), at.secs());
        self.run(|mut c| async move {
            EVENT_DONE
                .key(keys.0)
                .key(keys.1)
                .key(keys.2)
                .arg(args.0)
                .arg(args.1)
                .arg(how)
                .arg(args.2)
                .invoke_async::<i64>(&mut c)
                .await
        })
        .await
        .map(drop)
    }
}

fn corrupt(why: &str) -> StoreError {
    StoreError::Corrupt(format!("event queue: {why}"))
}

#[async_trait]
impl EventQueue for RedisStore {
    async fn push_event(
        &self,
        stream: &str,
        event: &QueuedEvent,
        now: UnixTime,
    ) -> StoreResult<()> {
        let keys = (self.due_key(), self.queue_key(stream));
        let args = (
            encode(event)?,
            now.secs(),
            millis(QUEUE_TTL),
            stream.to_owned(),
        );
        self.run(|mut c| async move {
            EVENT_PUSH
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

    async fn lease_event(
        &self,
        now: UnixTime,
        until: UnixTime,
    ) -> StoreResult<Option<LeasedEvent>> {
        for _ in 0..LEASE_RACES {
            let due = self.due_key();
            let first: Vec<(String, f64)> = self
                .run(|mut c| async move {
                    redis::cmd("ZRANGEBYSCORE")
                        .arg(&due)
                        .arg("-inf")
                        .arg(now.secs())
                        .arg("WITHSCORES")
                        .arg("LIMIT")
                        .arg(0)
                        .arg(1)
                        .query_async(&mut c)
                        .await
                })
                .await?;
            let Some((stream, score)) = first.into_iter().next() else {
                return Ok(None);
            };
            let keys = (self.due_key(), self.queue_key(&stream), self.tries_key());
            let name = stream.clone();
            let answer: Value = self
                .run(|mut c| async move {
                    EVENT_LEASE
                        .key(keys.0)
                        .key(keys.1)
                        .key(keys.2)
                        .arg(name)
                        .arg(score)
                        .arg(until.secs())
                        .invoke_async(&mut c)
                        .await
                })
                .await?;
            let Value::Array(parts) = answer else {
                return Err(corrupt("unexpected lease answer"));
            };
            match parts.as_slice() {
                [Value::Int(2), head, Value::Int(attempts)] => {
                    let raw: String = redis::from_redis_value(head.clone())
                        .map_err(|_| corrupt("event is not text"))?;
                    let event: QueuedEvent =
                        decode(Some(raw))?.ok_or_else(|| corrupt("empty event"))?;
                    return Ok(Some(LeasedEvent {
                        stream,
                        event,
                        attempts: u32::try_from(*attempts).unwrap_or(u32::MAX),
                    }));
                }
                // Lost to another instance, or an expired queue was forgotten: look again.
                [Value::Int(0 | 1)] => continue,
                _ => return Err(corrupt("unexpected lease answer")),
            }
        }
        Ok(None)
    }

    async fn ack_event(&self, stream: &str, id: &str, now: UnixTime) -> StoreResult<()> {
        self.finish_event(stream, id, "ack", now).await
    }

    async fn retry_event(&self, stream: &str, id: &str, at: UnixTime) -> StoreResult<()> {
        self.finish_event(stream, id, "retry", at).await
    }
}
