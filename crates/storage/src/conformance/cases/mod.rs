//! The cases themselves, by the records they are about. Each takes a fresh harness and panics
//! on a broken promise.

mod accounts;
mod events;
mod grants;
mod limits;
mod login;
mod messages;
mod people;

pub use accounts::*;
pub use events::*;
pub use grants::*;
pub use limits::*;
pub use login::*;
pub use messages::*;
pub use people::*;

use std::sync::Arc;
use std::time::Duration;

const LONG: Duration = Duration::from_secs(600);
const PARALLEL: usize = 24;

/// Runs `PARALLEL` copies of `op` at once and returns their results.
async fn race<T, F, Fut>(op: F) -> Vec<T>
where
    T: Send + 'static,
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = T> + Send + 'static,
{
    let barrier = Arc::new(tokio::sync::Barrier::new(PARALLEL));
    let mut handles = Vec::new();
    for _ in 0..PARALLEL {
        let fut = op();
        let barrier = barrier.clone();
        handles.push(tokio::spawn(async move {
            barrier.wait().await;
            fut.await
        }));
    }
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.expect("task"));
    }
    out
}
