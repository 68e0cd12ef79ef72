//! Login flows and one-time-code challenges: compare-and-swap, one winner, expiry.

use super::super::{Harness, unique};
use super::{LONG, race};
use crate::{
    FlowStage, FlowTrace, LoginFlow, OtpChallenge, PendingAuthorization, Proof, Secret, UnixTime,
};
use std::time::Duration;

fn flow(id: &str) -> LoginFlow {
    LoginFlow {
        id: id.to_owned(),
        binding_hash: "b".repeat(64),
        csrf_token: Secret::new("csrf"),
        authorization: PendingAuthorization {
            client_id: "client".into(),
            redirect_uri: "https://rp.example/cb".into(),
            scopes: vec!["openid".into(), "phone".into()],
            state: Some("st".into()),
            nonce: Some("n".into()),
            code_challenge: None,
            prompt: vec![],
            max_age: None,
            login_hint: None,
            acr_values: vec![],
            acr_essential: vec![],
            requested_at: UnixTime(1_700_000_000),
            ui_locales: Vec::new(),
        },
        purpose: Default::default(),
        stage: FlowStage::Phone,
        require_mfa: true,
        prefer_mfa: false,
        consent: false,
        proven: Some(Proof {
            sub: "sub".into(),
            phone: "+14155550100".into(),
            amr: vec!["whatsapp".into()],
            since: Some(UnixTime(1_699_999_000)),
            session: Some("sid".into()),
        }),
        created_at: UnixTime(1_700_000_000),
        expires_at: UnixTime(1_700_000_900),
        revision: 0,
    }
}

fn challenge(state: &str) -> OtpChallenge {
    OtpChallenge {
        backend_state: Secret::new(state),
        phone: "+14155550100".into(),
        region: Some("US".into()),
        channel: Some("whatsapp".into()),
        created_at: UnixTime(1_700_000_000),
        expires_at: UnixTime(1_700_000_300),
    }
}

pub async fn flow_roundtrip(h: Harness) {
    let id = unique("flow");
    let f = flow(&id);
    h.store.insert_flow(&f, LONG).await.unwrap();
    assert_eq!(h.store.get_flow(&id).await.unwrap(), Some(f));
    assert_eq!(h.store.get_flow(&unique("flow")).await.unwrap(), None);
}

pub async fn flow_update_is_compare_and_swap(h: Harness) {
    let id = unique("flow");
    let f = flow(&id);
    h.store.insert_flow(&f, LONG).await.unwrap();

    let mut next = f.clone();
    next.revision = 1;
    next.stage = FlowStage::Code {
        phone: "+14155550100".into(),
        resend_after: UnixTime(1_700_000_030),
        code_expires_at: UnixTime(1_700_000_300),
        code_length: 6,
        sends: 1,
        via: None,
    };
    assert!(h.store.update_flow(&next).await.unwrap());

    // A writer that read revision 0 lost the race: its update must not land.
    let mut stale = f.clone();
    stale.revision = 1;
    assert!(!h.store.update_flow(&stale).await.unwrap());
    assert_eq!(h.store.get_flow(&id).await.unwrap(), Some(next));

    // Updating a flow that does not exist creates nothing.
    let mut ghost = flow(&unique("flow"));
    ghost.revision = 1;
    assert!(!h.store.update_flow(&ghost).await.unwrap());
    assert_eq!(h.store.get_flow(&ghost.id).await.unwrap(), None);
}

pub async fn flow_take_has_one_winner(h: Harness) {
    let id = unique("flow");
    h.store.insert_flow(&flow(&id), LONG).await.unwrap();
    let store = h.store.clone();
    let results = race(|| {
        let store = store.clone();
        let id = id.clone();
        async move { store.take_flow(&id).await.unwrap() }
    })
    .await;
    assert_eq!(results.iter().filter(|r| r.is_some()).count(), 1);
    assert_eq!(h.store.get_flow(&id).await.unwrap(), None);
}

pub async fn flow_expires(h: Harness) {
    let id = unique("flow");
    h.store
        .insert_flow(&flow(&id), Duration::from_secs(1))
        .await
        .unwrap();
    assert!(h.store.get_flow(&id).await.unwrap().is_some());
    h.time.advance(Duration::from_secs(2)).await;
    assert_eq!(h.store.get_flow(&id).await.unwrap(), None);
    let mut next = flow(&id);
    next.revision = 1;
    assert!(!h.store.update_flow(&next).await.unwrap());
}

pub async fn flow_trace_outlives_its_flow_then_expires(h: Harness) {
    let id = unique("flow");
    let f = flow(&id);
    let trace = FlowTrace {
        authorization: f.authorization.clone(),
        binding_hash: f.binding_hash.clone(),
        purpose: f.purpose,
    };
    h.store
        .insert_flow(&f, Duration::from_secs(10))
        .await
        .unwrap();
    h.store
        .put_flow_trace(&id, &trace, Duration::from_secs(30))
        .await
        .unwrap();
    assert!(h.store.take_flow(&id).await.unwrap().is_some());
    assert_eq!(h.store.get_flow_trace(&id).await.unwrap(), Some(trace));
    h.time.advance(Duration::from_secs(40)).await;
    assert_eq!(h.store.get_flow_trace(&id).await.unwrap(), None);
    assert_eq!(h.store.get_flow_trace(&unique("flow")).await.unwrap(), None);
}

pub async fn flow_update_keeps_the_remaining_lifetime(h: Harness) {
    let id = unique("flow");
    let f = flow(&id);
    h.store
        .insert_flow(&f, Duration::from_secs(2))
        .await
        .unwrap();
    let mut next = f.clone();
    next.revision = 1;
    assert!(h.store.update_flow(&next).await.unwrap());
    h.time.advance(Duration::from_secs(3)).await;
    assert_eq!(
        h.store.get_flow(&id).await.unwrap(),
        None,
        "an update must not extend the flow's life"
    );
}

pub async fn challenge_roundtrip_and_replace(h: Harness) {
    let id = unique("flow");
    assert_eq!(h.store.get_challenge(&id).await.unwrap(), None);
    h.store
        .put_challenge(&id, &challenge("one"), LONG)
        .await
        .unwrap();
    h.store
        .put_challenge(&id, &challenge("two"), LONG)
        .await
        .unwrap();
    assert_eq!(
        h.store.get_challenge(&id).await.unwrap(),
        Some(challenge("two"))
    );
}

pub async fn challenge_take_has_one_winner(h: Harness) {
    let id = unique("flow");
    h.store
        .put_challenge(&id, &challenge("s"), LONG)
        .await
        .unwrap();
    let store = h.store.clone();
    let results = race(|| {
        let store = store.clone();
        let id = id.clone();
        async move { store.take_challenge(&id).await.unwrap() }
    })
    .await;
    assert_eq!(results.iter().filter(|r| r.is_some()).count(), 1);
    assert_eq!(h.store.get_challenge(&id).await.unwrap(), None);
}

pub async fn challenge_expires(h: Harness) {
    let id = unique("flow");
    h.store
        .put_challenge(&id, &challenge("s"), Duration::from_secs(1))
        .await
        .unwrap();
    h.time.advance(Duration::from_secs(2)).await;
    assert_eq!(h.store.get_challenge(&id).await.unwrap(), None);
    assert_eq!(h.store.take_challenge(&id).await.unwrap(), None);
}
