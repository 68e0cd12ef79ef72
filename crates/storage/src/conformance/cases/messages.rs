//! Sent messages and their delivery reports: each status once, any order, one first report
//! among racers, expiry.

use super::super::{Harness, unique};
use super::{LONG, race};
use crate::{MessageStatus, SentMessage, StatusRecorded, UnixTime};
use std::time::Duration;

fn message() -> SentMessage {
    SentMessage {
        flow_id: "flow-1".into(),
        channel: "whatsapp".into(),
        sent_at: UnixTime(1_700_000_000),
    }
}

pub async fn message_reports_are_kept_once_in_any_order(h: Harness) {
    let id = unique("wamid");
    let s = &h.store;
    assert_eq!(
        s.record_status(&id, MessageStatus::Delivered, UnixTime(5))
            .await
            .unwrap(),
        StatusRecorded::Unknown
    );
    s.put_message(&id, &message(), LONG).await.unwrap();
    let fresh = s.message_state(&id).await.unwrap().unwrap();
    assert_eq!(fresh.message, message());
    assert!(fresh.statuses.is_empty());
    assert_eq!(fresh.current(), MessageStatus::Sent);

    // Read before delivered, then a duplicate read with another time, then delivered.
    let read = s
        .record_status(&id, MessageStatus::Read, UnixTime(30))
        .await
        .unwrap();
    let StatusRecorded::First(state) = read else {
        panic!("first read: {read:?}");
    };
    assert_eq!(state.current(), MessageStatus::Read);
    let again = s
        .record_status(&id, MessageStatus::Read, UnixTime(99))
        .await
        .unwrap();
    let StatusRecorded::Repeated(state) = again else {
        panic!("repeated read: {again:?}");
    };
    assert_eq!(state.statuses, vec![(MessageStatus::Read, UnixTime(30))]);
    s.record_status(&id, MessageStatus::Delivered, UnixTime(20))
        .await
        .unwrap();
    s.record_status(&id, MessageStatus::Failed, UnixTime(40))
        .await
        .unwrap();
    let state = s.message_state(&id).await.unwrap().unwrap();
    assert_eq!(
        state.statuses,
        vec![
            (MessageStatus::Delivered, UnixTime(20)),
            (MessageStatus::Read, UnixTime(30)),
            (MessageStatus::Failed, UnixTime(40)),
        ]
    );
    // Seen on the phone: a late failure report does not undo that.
    assert_eq!(state.current(), MessageStatus::Read);
    assert_eq!(state.arrived_at(), Some(UnixTime(20)));
}

pub async fn message_concurrent_reports_have_one_first(h: Harness) {
    let id = unique("wamid");
    h.store.put_message(&id, &message(), LONG).await.unwrap();
    let store = h.store.clone();
    let results = race(|| {
        let store = store.clone();
        let id = id.clone();
        async move {
            store
                .record_status(&id, MessageStatus::Failed, UnixTime(7))
                .await
                .unwrap()
        }
    })
    .await;
    let firsts = results
        .iter()
        .filter(|r| matches!(r, StatusRecorded::First(_)))
        .count();
    assert_eq!(firsts, 1, "{results:?}");
}

pub async fn message_expires(h: Harness) {
    let id = unique("wamid");
    h.store
        .put_message(&id, &message(), Duration::from_secs(1))
        .await
        .unwrap();
    h.time.advance(Duration::from_secs(2)).await;
    assert_eq!(h.store.message_state(&id).await.unwrap(), None);
    assert_eq!(
        h.store
            .record_status(&id, MessageStatus::Sent, UnixTime(1))
            .await
            .unwrap(),
        StatusRecorded::Unknown
    );
}
