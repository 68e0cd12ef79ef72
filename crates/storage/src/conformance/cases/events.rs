//! The event queue: in order per stream, one deliverer per stream at a time, nothing lost
//! when a deliverer goes away.

use super::super::{Harness, unique};
use super::race;
use crate::{QueuedEvent, UnixTime};
use std::collections::HashSet;

fn event(id: &str) -> QueuedEvent {
    QueuedEvent {
        id: id.to_owned(),
        body: format!("{{\"id\":\"{id}\"}}"),
        queued_at: UnixTime(100),
    }
}

pub async fn events_go_in_order_one_deliverer_per_stream(h: Harness) {
    let (s1, s2) = (unique("s1"), unique("s2"));
    let q = &h.store;
    q.push_event(&s1, &event("e1"), UnixTime(100))
        .await
        .unwrap();
    q.push_event(&s1, &event("e2"), UnixTime(100))
        .await
        .unwrap();
    q.push_event(&s2, &event("f1"), UnixTime(100))
        .await
        .unwrap();

    let a = q
        .lease_event(UnixTime(100), UnixTime(130))
        .await
        .unwrap()
        .unwrap();
    let b = q
        .lease_event(UnixTime(100), UnixTime(130))
        .await
        .unwrap()
        .unwrap();
    let heads: HashSet<_> = [a.event.id.as_str(), b.event.id.as_str()].into();
    assert_eq!(
        heads,
        HashSet::from(["e1", "f1"]),
        "each stream's head, once"
    );
    assert_eq!(
        q.lease_event(UnixTime(100), UnixTime(130)).await.unwrap(),
        None
    );

    q.ack_event(&s2, "f1", UnixTime(101)).await.unwrap();
    q.retry_event(&s1, "e1", UnixTime(200)).await.unwrap();
    assert_eq!(
        q.lease_event(UnixTime(150), UnixTime(180)).await.unwrap(),
        None
    );
    let again = q
        .lease_event(UnixTime(200), UnixTime(230))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((again.event, again.attempts), (event("e1"), 1));

    q.ack_event(&s1, "e1", UnixTime(200)).await.unwrap();
    let next = q
        .lease_event(UnixTime(200), UnixTime(230))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (next.stream.as_str(), next.event.id.as_str(), next.attempts),
        (s1.as_str(), "e2", 0)
    );
    // A late answer about an event already gone changes nothing: e2 stays leased.
    q.ack_event(&s1, "e1", UnixTime(201)).await.unwrap();
    assert_eq!(
        q.lease_event(UnixTime(201), UnixTime(230)).await.unwrap(),
        None
    );
    // Its deliverer vanished: once the lease runs out another takes it.
    let taken = q
        .lease_event(UnixTime(230), UnixTime(260))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(taken.event.id, "e2");
    q.ack_event(&s1, "e2", UnixTime(231)).await.unwrap();
    assert_eq!(
        q.lease_event(UnixTime(10_000), UnixTime(10_030))
            .await
            .unwrap(),
        None
    );
}

pub async fn racing_deliverers_lease_a_stream_once(h: Harness) {
    let stream = unique("s");
    h.store
        .push_event(&stream, &event("only"), UnixTime(100))
        .await
        .unwrap();
    let store = h.store.clone();
    let leases = race(|| {
        let store = store.clone();
        async move {
            store
                .lease_event(UnixTime(100), UnixTime(160))
                .await
                .unwrap()
        }
    })
    .await;
    assert_eq!(leases.iter().flatten().count(), 1, "{leases:?}");
}
