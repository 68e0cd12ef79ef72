//! What an instance runs beside its requests: the event deliverer and the reloads of shared
//! signing keys. Both belong to one state; a configuration reload starts them for the new one.

use crate::state::AppState;
use std::sync::{Arc, Mutex, PoisonError};
use tokio::task::JoinHandle;

#[derive(Default)]
pub(crate) struct Background {
    deliverer: Mutex<Option<JoinHandle<()>>>,
}

impl Background {
    /// Starts `state`'s tasks, stopping those of the state before it. The key reloads end by
    /// themselves when their state is gone.
    pub(crate) fn start(&self, state: &Arc<AppState>) {
        if state.shared_keys.is_some() {
            crate::signing::spawn_reloads(state);
        }
        let deliverer = state
            .deliverer
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        let task = deliverer.map(|d| tokio::spawn(d.run()));
        let before = std::mem::replace(
            &mut *self
                .deliverer
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
            task,
        );
        // What it was delivering stays queued, leased a few seconds, and is delivered again.
        if let Some(before) = before {
            before.abort();
        }
    }

    pub(crate) fn stop(&self) {
        if let Some(task) = self
            .deliverer
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
        {
            task.abort();
        }
    }
}
