//! Markers and counters: every concurrent increment counted, windows that restart.

use super::super::{Harness, unique};
use super::{LONG, PARALLEL, race};
use crate::{Counter, Marker};
use std::collections::HashSet;
use std::time::Duration;

pub async fn marker_set_and_expire(h: Harness) {
    let key = Marker::RevokedGrant(unique("marker"));
    assert!(!h.store.has_marker(&key).await.unwrap());
    h.store
        .set_marker(&key, Duration::from_secs(10))
        .await
        .unwrap();
    // Setting it again for longer keeps the longer life; for shorter does not shorten it.
    h.store
        .set_marker(&key, Duration::from_secs(30))
        .await
        .unwrap();
    h.store
        .set_marker(&key, Duration::from_secs(10))
        .await
        .unwrap();
    assert!(h.store.has_marker(&key).await.unwrap());
    h.time.advance(Duration::from_secs(20)).await;
    assert!(h.store.has_marker(&key).await.unwrap());
    h.time.advance(Duration::from_secs(20)).await;
    assert!(!h.store.has_marker(&key).await.unwrap());
}

pub async fn counter_counts_every_concurrent_increment(h: Harness) {
    let key = Counter::SendsToNumber(unique("counter"));
    let store = h.store.clone();
    let results = race(|| {
        let store = store.clone();
        let key = key.clone();
        async move { store.increment(&key, LONG).await.unwrap() }
    })
    .await;
    let seen: HashSet<u64> = results.into_iter().collect();
    let expected: HashSet<u64> = (1..=PARALLEL as u64).collect();
    assert_eq!(seen, expected, "every increment must see a distinct value");
}

pub async fn counter_window_restarts(h: Harness) {
    let key = Counter::SendsToNumber(unique("counter"));
    let window = Duration::from_secs(10);
    assert_eq!(h.store.increment(&key, window).await.unwrap(), 1);
    assert_eq!(h.store.increment(&key, window).await.unwrap(), 2);
    h.time.advance(Duration::from_secs(20)).await;
    assert_eq!(h.store.increment(&key, window).await.unwrap(), 1);
}

pub async fn counter_release_takes_back_one(h: Harness) {
    let key = Counter::SendsToNumber(unique("counter"));
    // Releasing a counter that does not exist creates nothing.
    h.store.release(&key).await.unwrap();
    assert_eq!(h.store.increment(&key, LONG).await.unwrap(), 1);
    assert_eq!(h.store.increment(&key, LONG).await.unwrap(), 2);
    h.store.release(&key).await.unwrap();
    assert_eq!(h.store.increment(&key, LONG).await.unwrap(), 2);
    for _ in 0..5 {
        h.store.release(&key).await.unwrap();
    }
    assert_eq!(
        h.store.increment(&key, LONG).await.unwrap(),
        1,
        "never below zero"
    );
}

pub async fn counter_peek_reads_without_counting(h: Harness) {
    let key = Counter::SendsToPrefix(unique("prefix"));
    assert_eq!(h.store.peek(&key).await.unwrap(), 0, "absent reads as zero");
    h.store
        .increment(&key, Duration::from_secs(10))
        .await
        .unwrap();
    h.store
        .increment(&key, Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!(h.store.peek(&key).await.unwrap(), 2);
    assert_eq!(
        h.store.peek(&key).await.unwrap(),
        2,
        "peeking counts nothing"
    );
    h.time.advance(Duration::from_secs(20)).await;
    assert_eq!(
        h.store.peek(&key).await.unwrap(),
        0,
        "expired with its window"
    );
}

/// Many counters in one call count and read as one call each would.
pub async fn counters_in_bulk(h: Harness) {
    let a = Counter::SendsToCountry(unique("bulk"));
    let b = Counter::SendsToPrefix(unique("bulk"));
    let absent = Counter::SendsToCountry(unique("bulk"));
    let window = Duration::from_secs(10);
    let counted = [
        (a.clone(), window),
        (b.clone(), window),
        (a.clone(), window),
    ];
    let (counts, values) = h
        .store
        .tally(&counted, &[a.clone(), absent.clone(), b.clone()])
        .await
        .unwrap();
    assert_eq!(counts, [1, 1, 2], "in order, each seeing the ones before");
    assert_eq!(values, [2, 0, 1], "read after the counting");
    assert_eq!(h.store.tally(&[], &[]).await.unwrap(), (vec![], vec![]));
    h.time.advance(Duration::from_secs(20)).await;
    let (_, values) = h.store.tally(&[], &[a, b]).await.unwrap();
    assert_eq!(values, [0, 0], "each with its window");
}

/// Of racing holders exactly one wins; the others learn how long it lasts; it ends on its own.
pub async fn hold_is_won_once_and_ends(h: Harness) {
    let key = Counter::SendGap(unique("gap"));
    let store = h.store.clone();
    let results = race(|| {
        let store = store.clone();
        let key = key.clone();
        async move { store.hold(&key, Duration::from_secs(100)).await.unwrap() }
    })
    .await;
    assert_eq!(
        results.iter().filter(|r| r.is_none()).count(),
        1,
        "{results:?}"
    );
    for left in results.iter().flatten() {
        assert!(
            *left > Duration::from_secs(80) && *left <= Duration::from_secs(100),
            "{left:?}"
        );
    }
    h.time.advance(Duration::from_secs(40)).await;
    let left = h.store.hold(&key, Duration::from_secs(100)).await.unwrap();
    assert!(
        left.is_some_and(|l| l <= Duration::from_secs(60)),
        "a later try does not extend it: {left:?}"
    );
    h.time.advance(Duration::from_secs(70)).await;
    assert_eq!(
        h.store.hold(&key, Duration::from_secs(10)).await.unwrap(),
        None
    );
}

/// DESIGN §5: N parallel wrong guesses never yield more than the allowed attempts. The login
/// reserves an attempt with `increment` before checking a code; only reservations within the
/// limit may be checked.
pub async fn attempts_never_exceed_the_limit(h: Harness) {
    const MAX_ATTEMPTS: u64 = 5;
    let key = Counter::FlowAttempts(unique("attempts"));
    let store = h.store.clone();
    let results = race(|| {
        let store = store.clone();
        let key = key.clone();
        async move { store.increment(&key, LONG).await.unwrap() <= MAX_ATTEMPTS }
    })
    .await;
    assert_eq!(
        results.into_iter().filter(|allowed| *allowed).count() as u64,
        MAX_ATTEMPTS
    );
}
