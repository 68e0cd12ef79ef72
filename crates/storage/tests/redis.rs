#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test harness code
//! The Redis backend against the conformance suite, on the machine's Redis (127.0.0.1:6379).
//! Each harness uses its own key prefix; nothing is flushed. Time travel shortens the TTLs of
//! the harness's keys instead of waiting.

mod common;

use async_trait::async_trait;
use std::sync::Arc;
use std::time::Duration;
use wagate_storage::conformance::{Harness, TimeTravel, unique};
use wagate_storage::{RedisConfig, RedisStore, RedisTopology};

const URL: &str = "redis://127.0.0.1:6379";

struct ShortenTtls {
    prefix: String,
}

#[async_trait]
impl TimeTravel for ShortenTtls {
    async fn advance(&self, by: Duration) {
        let client = redis::Client::open(URL).unwrap();
        let mut c = client.get_multiplexed_async_connection().await.unwrap();
        common::shorten_ttls(&mut c, &self.prefix, by).await;
    }
}

async fn harness() -> Harness {
    let prefix = format!("wagate-test:{}:", unique("conf"));
    let store = RedisStore::new(RedisConfig {
        topology: RedisTopology::Standalone(URL.into()),
        key_prefix: prefix.clone(),
        timeout: Duration::from_secs(5),
        tls_ca_pem: None,
    })
    .unwrap();
    Harness {
        store: Arc::new(store),
        time: Arc::new(ShortenTtls { prefix }),
    }
}

wagate_storage::conformance_suite!(harness);
