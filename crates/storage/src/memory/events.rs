//! The event queue in memory: one process, so a queue is a `VecDeque` and a lease a time.

use super::MemoryStore;
use crate::events::{EventQueue, LeasedEvent, QueuedEvent};
use crate::{StoreResult, UnixTime};
use async_trait::async_trait;
use std::collections::{HashMap, VecDeque};

#[derive(Debug, Default)]
struct Queue {
    events: VecDeque<QueuedEvent>,
    /// When the head may next be delivered (past a lease or a retry's wait).
    due: UnixTime,
    attempts: u32,
}

#[derive(Debug, Default)]
pub(super) struct Queues(HashMap<String, Queue>);

#[async_trait]
impl EventQueue for MemoryStore {
    async fn push_event(
        &self,
        stream: &str,
        event: &QueuedEvent,
        now: UnixTime,
    ) -> StoreResult<()> {
        let mut g = self.lock();
        let queue = g
            .events
            .0
            .entry(stream.to_owned())
            .or_insert_with(|| Queue {
                due: now,
                ..Queue::default()
            });
        queue.events.push_back(event.clone());
        Ok(())
    }

    async fn lease_event(
        &self,
        now: UnixTime,
        until: UnixTime,
    ) -> StoreResult<Option<LeasedEvent>> {
        let mut g = self.lock();
        let due = g
            .events
            .0
            .iter()
            .filter(|(_, q)| q.due <= now)
            .min_by_key(|(stream, q)| (q.due, (*stream).clone()))
            .map(|(stream, _)| stream.clone());
        let Some(stream) = due else {
            return Ok(None);
        };
        let Some(queue) = g.events.0.get_mut(&stream) else {
            return Ok(None);
        };
        let Some(event) = queue.events.front().cloned() else {
            g.events.0.remove(&stream);
            return Ok(None);
        };
        queue.due = until;
        Ok(Some(LeasedEvent {
            stream,
            event,
            attempts: queue.attempts,
        }))
    }

    async fn ack_event(&self, stream: &str, id: &str, now: UnixTime) -> StoreResult<()> {
        let mut g = self.lock();
        let Some(queue) = g.events.0.get_mut(stream) else {
            return Ok(());
        };
        // A stale answer (another deliverer's, after a lease ran out) changes nothing.
        if queue.events.front().is_none_or(|e| e.id != id) {
            return Ok(());
        }
        queue.events.pop_front();
        queue.attempts = 0;
        if queue.events.is_empty() {
            g.events.0.remove(stream);
        } else {
            queue.due = now;
        }
        Ok(())
    }

    async fn retry_event(&self, stream: &str, id: &str, at: UnixTime) -> StoreResult<()> {
        let mut g = self.lock();
        if let Some(queue) = g.events.0.get_mut(stream)
            && queue.events.front().is_some_and(|e| e.id == id)
        {
            queue.attempts += 1;
            queue.due = at;
        }
        Ok(())
    }
}
