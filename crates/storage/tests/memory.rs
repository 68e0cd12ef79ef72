//! The memory backend against the conformance suite.

use async_trait::async_trait;
use std::sync::Arc;
use std::time::Duration;
use wagate_storage::conformance::{Harness, TimeTravel};
use wagate_storage::{ManualClock, MemoryStore, UnixTime};

struct Manual(Arc<ManualClock>);

#[async_trait]
impl TimeTravel for Manual {
    async fn advance(&self, by: Duration) {
        self.0.advance(by);
    }
}

async fn harness() -> Harness {
    let clock = Arc::new(ManualClock::new(UnixTime(1_700_000_000)));
    Harness {
        store: Arc::new(MemoryStore::new(clock.clone())),
        time: Arc::new(Manual(clock)),
    }
}

wagate_storage::conformance_suite!(harness);
