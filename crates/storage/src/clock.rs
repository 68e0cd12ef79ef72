//! Time as an injected dependency, so expiry can be tested without waiting.

use serde::{Deserialize, Serialize};
use std::fmt::Debug;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Seconds since the Unix epoch: the resolution of every expiry and JWT claim we handle.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct UnixTime(pub i64);

impl UnixTime {
    pub fn plus(self, d: Duration) -> UnixTime {
        UnixTime(
            self.0
                .saturating_add(i64::try_from(d.as_secs()).unwrap_or(i64::MAX)),
        )
    }

    /// Whole seconds from `self` until `later`, zero when `later` is not after `self`.
    pub fn until(self, later: UnixTime) -> Duration {
        Duration::from_secs(u64::try_from(later.0.saturating_sub(self.0)).unwrap_or(0))
    }

    pub fn secs(self) -> i64 {
        self.0
    }
}

/// A source of the current time.
pub trait Clock: Send + Sync + Debug {
    fn now(&self) -> UnixTime;
}

/// The real wall clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> UnixTime {
        let secs = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        UnixTime(i64::try_from(secs).unwrap_or(i64::MAX))
    }
}

/// A clock that only moves when told to; for tests.
#[derive(Debug)]
pub struct ManualClock(AtomicI64);

impl ManualClock {
    pub fn new(start: UnixTime) -> Self {
        ManualClock(AtomicI64::new(start.0))
    }

    pub fn advance(&self, d: Duration) {
        let secs = i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
        self.0.fetch_add(secs, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> UnixTime {
        UnixTime(self.0.load(Ordering::SeqCst))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn until_is_never_negative() {
        assert_eq!(UnixTime(10).until(UnixTime(5)), Duration::ZERO);
        assert_eq!(UnixTime(5).until(UnixTime(10)), Duration::from_secs(5));
    }

    #[test]
    fn manual_clock_moves_only_when_told() {
        let c = ManualClock::new(UnixTime(100));
        assert_eq!(c.now(), UnixTime(100));
        c.advance(Duration::from_secs(30));
        assert_eq!(c.now(), UnixTime(130));
    }
}
