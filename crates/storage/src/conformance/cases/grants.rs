//! Authorization codes, sessions and refresh-token families: one redemption, one advance.

use super::super::{Harness, unique};
use super::{LONG, race};
use crate::{AuthorizationCode, Redemption, RefreshFamily, Secret, Session, UnixTime};
use std::time::Duration;

fn code() -> AuthorizationCode {
    AuthorizationCode {
        sid: None,
        client_id: "client".into(),
        redirect_uri: "https://rp.example/cb".into(),
        scopes: vec!["openid".into()],
        nonce: None,
        code_challenge: None,
        subject: "sub".into(),
        auth_time: UnixTime(1_700_000_000),
        amr: vec!["whatsapp".into()],
        acr: None,
        issued_at: UnixTime(1_700_000_000),
        expires_at: UnixTime(1_700_000_060),
    }
}

pub async fn code_redeem_has_one_winner(h: Harness) {
    let hash = unique("code");
    h.store.insert_code(&hash, &code(), LONG).await.unwrap();
    let store = h.store.clone();
    let results = race(|| {
        let store = store.clone();
        let hash = hash.clone();
        async move {
            let grant = unique("grant");
            (
                grant.clone(),
                store.redeem_code(&hash, &grant).await.unwrap(),
            )
        }
    })
    .await;
    let winners: Vec<&String> = results
        .iter()
        .filter(|(_, r)| matches!(r, Redemption::First(c) if **c == code()))
        .map(|(g, _)| g)
        .collect();
    assert_eq!(winners.len(), 1);
    for (_, r) in &results {
        if let Redemption::Replayed { grant_id } = r {
            assert_eq!(grant_id, winners[0], "replays name the winning grant");
        }
    }
}

pub async fn code_replay_names_the_first_grant(h: Harness) {
    let hash = unique("code");
    assert_eq!(
        h.store.redeem_code(&hash, "g0").await.unwrap(),
        Redemption::Unknown
    );
    assert_eq!(h.store.get_code(&hash).await.unwrap(), None);
    h.store.insert_code(&hash, &code(), LONG).await.unwrap();
    assert_eq!(h.store.get_code(&hash).await.unwrap(), Some(code()));
    assert_eq!(
        h.store.redeem_code(&hash, "g1").await.unwrap(),
        Redemption::First(Box::new(code()))
    );
    assert_eq!(
        h.store.redeem_code(&hash, "g2").await.unwrap(),
        Redemption::Replayed {
            grant_id: "g1".into()
        }
    );
    assert_eq!(
        h.store.get_code(&hash).await.unwrap(),
        Some(code()),
        "a redeemed code can still be read (to check who replays it)"
    );
}

pub async fn code_expires(h: Harness) {
    let hash = unique("code");
    h.store
        .insert_code(&hash, &code(), Duration::from_secs(1))
        .await
        .unwrap();
    h.time.advance(Duration::from_secs(2)).await;
    assert_eq!(
        h.store.redeem_code(&hash, "g").await.unwrap(),
        Redemption::Unknown
    );
}

fn session(sid: &str) -> Session {
    Session {
        sid: sid.to_owned(),
        secret_hash: "h".repeat(64),
        subject: "sub".into(),
        auth_time: UnixTime(1_700_000_000),
        amr: vec!["whatsapp".into()],
        acr: None,
        clients: vec!["portal".into()],
        csrf_token: Secret::new("csrf"),
        created_at: UnixTime(1_700_000_000),
        expires_at: UnixTime(1_700_086_400),
        revision: 0,
    }
}

pub async fn session_roundtrip_update_and_take(h: Harness) {
    let sid = unique("sid");
    let s = session(&sid);
    h.store.insert_session(&s, LONG).await.unwrap();
    assert_eq!(h.store.get_session(&sid).await.unwrap(), Some(s.clone()));
    let mut next = s.clone();
    next.revision = 1;
    next.clients.push("other".into());
    assert!(h.store.update_session(&next, LONG).await.unwrap());
    assert!(
        !h.store.update_session(&next, LONG).await.unwrap(),
        "stale revision"
    );
    assert_eq!(h.store.take_session(&sid).await.unwrap(), Some(next));
    assert_eq!(h.store.get_session(&sid).await.unwrap(), None);
    let mut ghost = session(&unique("sid"));
    ghost.revision = 1;
    assert!(!h.store.update_session(&ghost, LONG).await.unwrap());
    assert_eq!(h.store.get_session(&ghost.sid).await.unwrap(), None);
}

pub async fn session_update_renews_the_idle_lifetime(h: Harness) {
    let sid = unique("sid");
    let s = session(&sid);
    h.store
        .insert_session(&s, Duration::from_secs(20))
        .await
        .unwrap();
    h.time.advance(Duration::from_secs(10)).await;
    let mut next = s.clone();
    next.revision = 1;
    assert!(
        h.store
            .update_session(&next, Duration::from_secs(40))
            .await
            .unwrap()
    );
    h.time.advance(Duration::from_secs(20)).await;
    assert!(
        h.store.get_session(&sid).await.unwrap().is_some(),
        "renewed"
    );
    h.time.advance(Duration::from_secs(30)).await;
    assert_eq!(h.store.get_session(&sid).await.unwrap(), None);
}

pub async fn session_take_has_one_winner(h: Harness) {
    let sid = unique("sid");
    h.store.insert_session(&session(&sid), LONG).await.unwrap();
    let store = h.store.clone();
    let results = race(|| {
        let store = store.clone();
        let sid = sid.clone();
        async move { store.take_session(&sid).await.unwrap() }
    })
    .await;
    assert_eq!(results.iter().filter(|r| r.is_some()).count(), 1);
}

pub async fn session_expires(h: Harness) {
    let sid = unique("sid");
    h.store
        .insert_session(&session(&sid), Duration::from_secs(1))
        .await
        .unwrap();
    h.time.advance(Duration::from_secs(2)).await;
    assert_eq!(h.store.get_session(&sid).await.unwrap(), None);
    assert_eq!(h.store.take_session(&sid).await.unwrap(), None);
}

fn family(grant: &str, generation: u64) -> RefreshFamily {
    RefreshFamily {
        grant_id: grant.to_owned(),
        salt: "family-salt".into(),
        generation,
        client_id: "portal".into(),
        subject: "sub".into(),
        scopes: vec!["openid".into(), "offline_access".into()],
        sid: Some("sid".into()),
        auth_time: UnixTime(1_700_000_000),
        amr: vec!["whatsapp".into()],
        acr: None,
        issued_at: UnixTime(1_700_000_000),
        expires_at: UnixTime(1_701_000_000),
        grant_expires_at: UnixTime(1_708_000_000),
    }
}

pub async fn refresh_family_roundtrip_and_advance(h: Harness) {
    let grant = unique("grant");
    assert_eq!(h.store.get_family(&grant).await.unwrap(), None);
    h.store
        .insert_family(&family(&grant, 0), LONG)
        .await
        .unwrap();
    assert_eq!(
        h.store.get_family(&grant).await.unwrap(),
        Some(family(&grant, 0))
    );
    assert!(
        h.store
            .advance_family(&family(&grant, 1), LONG)
            .await
            .unwrap()
    );
    assert!(
        !h.store
            .advance_family(&family(&grant, 1), LONG)
            .await
            .unwrap(),
        "generation 0 was already advanced"
    );
    assert!(
        !h.store
            .advance_family(&family(&grant, 5), LONG)
            .await
            .unwrap()
    );
    assert_eq!(
        h.store.get_family(&grant).await.unwrap(),
        Some(family(&grant, 1))
    );
    assert!(
        !h.store
            .advance_family(&family(&unique("grant"), 1), LONG)
            .await
            .unwrap(),
        "nothing is created by an advance"
    );
}

pub async fn refresh_concurrent_advances_have_one_winner(h: Harness) {
    let grant = unique("grant");
    h.store
        .insert_family(&family(&grant, 0), LONG)
        .await
        .unwrap();
    let store = h.store.clone();
    let results = race(|| {
        let (store, grant) = (store.clone(), grant.clone());
        async move {
            store
                .advance_family(&family(&grant, 1), LONG)
                .await
                .unwrap()
        }
    })
    .await;
    assert_eq!(
        results.iter().filter(|won| **won).count(),
        1,
        "exactly one refresh wins"
    );
}

pub async fn refresh_family_expires_and_advance_renews_it(h: Harness) {
    let grant = unique("grant");
    h.store
        .insert_family(&family(&grant, 0), Duration::from_secs(20))
        .await
        .unwrap();
    h.time.advance(Duration::from_secs(10)).await;
    assert!(
        h.store
            .advance_family(&family(&grant, 1), Duration::from_secs(40))
            .await
            .unwrap()
    );
    h.time.advance(Duration::from_secs(20)).await;
    assert!(
        h.store.get_family(&grant).await.unwrap().is_some(),
        "renewed"
    );
    h.time.advance(Duration::from_secs(30)).await;
    assert_eq!(h.store.get_family(&grant).await.unwrap(), None);
}
