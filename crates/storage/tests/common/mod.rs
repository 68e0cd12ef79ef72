//! Shared by the Redis test files (each is its own crate, so this is included per file).

use redis::AsyncCommands;
use redis::aio::MultiplexedConnection;
use std::time::Duration;

/// "Time travel" for a real Redis: every key under `prefix` loses `by` from its TTL, and keys
/// whose TTL runs out are deleted, as Redis would have expired them. Keys without a TTL stay.
pub async fn shorten_ttls(c: &mut MultiplexedConnection, prefix: &str, by: Duration) {
    let by = i64::try_from(by.as_millis()).unwrap();
    let keys: Vec<String> = c.keys(format!("{prefix}*")).await.unwrap();
    for key in keys {
        let ttl: i64 = c.pttl(&key).await.unwrap();
        if ttl < 0 {
            continue;
        }
        if ttl <= by {
            let () = c.del(&key).await.unwrap();
        } else {
            let _: bool = c.pexpire(&key, ttl - by).await.unwrap();
        }
    }
}
