//! The cases themselves. Each takes a fresh harness and panics on a broken promise.

use super::{Harness, unique};
use crate::{
    AuthorizationCode, Counter, FlowStage, LoginFlow, Marker, OtpChallenge, PendingAuthorization,
    Proof, Redemption, RefreshFamily, Secret, Session, StoredKey, TotpEnrollment, UnixTime, User,
};
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

const LONG: Duration = Duration::from_secs(600);
const PARALLEL: usize = 24;

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
        created_at: UnixTime(1_700_000_000),
        expires_at: UnixTime(1_700_000_300),
    }
}

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
        .insert_session(&s, Duration::from_secs(2))
        .await
        .unwrap();
    h.time.advance(Duration::from_secs(1)).await;
    let mut next = s.clone();
    next.revision = 1;
    assert!(
        h.store
            .update_session(&next, Duration::from_secs(4))
            .await
            .unwrap()
    );
    h.time.advance(Duration::from_secs(2)).await;
    assert!(
        h.store.get_session(&sid).await.unwrap().is_some(),
        "renewed"
    );
    h.time.advance(Duration::from_secs(3)).await;
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
        .insert_family(&family(&grant, 0), Duration::from_secs(2))
        .await
        .unwrap();
    h.time.advance(Duration::from_secs(1)).await;
    assert!(
        h.store
            .advance_family(&family(&grant, 1), Duration::from_secs(4))
            .await
            .unwrap()
    );
    h.time.advance(Duration::from_secs(2)).await;
    assert!(
        h.store.get_family(&grant).await.unwrap().is_some(),
        "renewed"
    );
    h.time.advance(Duration::from_secs(3)).await;
    assert_eq!(h.store.get_family(&grant).await.unwrap(), None);
}

pub async fn marker_set_and_expire(h: Harness) {
    let key = Marker::RevokedGrant(unique("marker"));
    assert!(!h.store.has_marker(&key).await.unwrap());
    h.store
        .set_marker(&key, Duration::from_secs(1))
        .await
        .unwrap();
    // Setting it again for longer keeps the longer life; for shorter does not shorten it.
    h.store
        .set_marker(&key, Duration::from_secs(3))
        .await
        .unwrap();
    h.store
        .set_marker(&key, Duration::from_secs(1))
        .await
        .unwrap();
    assert!(h.store.has_marker(&key).await.unwrap());
    h.time.advance(Duration::from_secs(2)).await;
    assert!(h.store.has_marker(&key).await.unwrap());
    h.time.advance(Duration::from_secs(2)).await;
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
    let window = Duration::from_secs(1);
    assert_eq!(h.store.increment(&key, window).await.unwrap(), 1);
    assert_eq!(h.store.increment(&key, window).await.unwrap(), 2);
    h.time.advance(Duration::from_secs(2)).await;
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

pub async fn user_create_and_find(h: Harness) {
    let phone = format!("+1415{}", &unique("")[1..8]);
    let user = User::new(unique("sub"), phone.clone(), UnixTime(1_700_000_000));
    assert_eq!(h.store.find_user_by_phone(&phone).await.unwrap(), None);
    assert_eq!(h.store.create_user(&user).await.unwrap(), user);
    assert_eq!(
        h.store.find_user_by_phone(&phone).await.unwrap(),
        Some(user.clone())
    );
    assert_eq!(
        h.store.get_user(&user.sub).await.unwrap(),
        Some(user.clone())
    );

    // A second creation for the same number returns the owner, not a new person.
    let other = User {
        sub: unique("sub"),
        ..user.clone()
    };
    assert_eq!(h.store.create_user(&other).await.unwrap(), user);
    assert_eq!(h.store.get_user(&other.sub).await.unwrap(), None);
}

pub async fn user_concurrent_first_logins_make_one_user(h: Harness) {
    let phone = format!("+4420{}", &unique("")[1..9]);
    let store = h.store.clone();
    let results = race(|| {
        let store = store.clone();
        let phone = phone.clone();
        async move {
            let user = User::new(unique("sub"), phone, UnixTime(1_700_000_000));
            store.create_user(&user).await.unwrap().sub
        }
    })
    .await;
    let subs: HashSet<String> = results.into_iter().collect();
    assert_eq!(subs.len(), 1, "one number, one person: {subs:?}");
    let owner = h.store.find_user_by_phone(&phone).await.unwrap().unwrap();
    assert!(subs.contains(&owner.sub));
}

pub async fn user_updates_are_compare_and_swap(h: Harness) {
    let phone = format!("+3361{}", &unique("")[1..9]);
    let user = User::new(unique("sub"), phone.clone(), UnixTime(1_700_000_000));
    h.store.create_user(&user).await.unwrap();
    let enrolled = User {
        totp: Some(TotpEnrollment {
            sealed_secret: Secret::new("sealed"),
            confirmed_at: UnixTime(1_700_000_100),
            last_step: 7,
            recovery_codes: vec!["a".into(), "b".into()],
        }),
        revision: 1,
        ..user.clone()
    };
    assert!(h.store.update_user(&enrolled).await.unwrap());
    assert_eq!(
        h.store.get_user(&user.sub).await.unwrap(),
        Some(enrolled.clone())
    );
    assert_eq!(
        h.store.find_user_by_phone(&phone).await.unwrap(),
        Some(enrolled.clone()),
        "the phone index still finds the updated person"
    );
    // A writer that read revision 0 lost.
    assert!(!h.store.update_user(&enrolled).await.unwrap());
    let unknown = User::new(unique("sub"), phone, UnixTime(1_700_000_000));
    assert!(
        !h.store
            .update_user(&User {
                revision: 1,
                ..unknown
            })
            .await
            .unwrap()
    );

    // Of concurrent updates from one revision exactly one wins (one accepted code per step).
    let store = h.store.clone();
    let results = race(|| {
        let store = store.clone();
        let next = User {
            revision: 2,
            ..enrolled.clone()
        };
        async move { store.update_user(&next).await.unwrap() }
    })
    .await;
    assert_eq!(results.into_iter().filter(|won| *won).count(), 1);
}

pub async fn ping_answers(h: Harness) {
    h.store.ping().await.unwrap();
}

/// Keys live in one shared set per prefix, so this case only looks at its own kids.
pub async fn keys_put_list_and_delete(h: Harness) {
    let key = StoredKey {
        kid: unique("kid"),
        alg: "RS256".into(),
        sealed_pem: "sealed".into(),
        created_at: UnixTime(1_700_000_000),
        activate_at: None,
        retire_at: None,
    };
    // The harness's set starts empty: the first bootstrap sets it, the next does not.
    assert!(
        h.store
            .put_keys_if_none(std::slice::from_ref(&key))
            .await
            .unwrap()
    );
    let other = StoredKey {
        kid: unique("kid"),
        ..key.clone()
    };
    assert!(
        !h.store
            .put_keys_if_none(std::slice::from_ref(&other))
            .await
            .unwrap()
    );
    h.store.put_key(&key).await.unwrap();
    let mine = |all: Vec<StoredKey>| {
        all.into_iter()
            .filter(|k| k.kid == key.kid)
            .collect::<Vec<_>>()
    };
    assert_eq!(mine(h.store.list_keys().await.unwrap()), vec![key.clone()]);
    let retired = StoredKey {
        retire_at: Some(UnixTime(1_700_086_400)),
        ..key.clone()
    };
    h.store.put_key(&retired).await.unwrap();
    assert_eq!(mine(h.store.list_keys().await.unwrap()), vec![retired]);
    h.store.delete_key(&key.kid).await.unwrap();
    assert!(mine(h.store.list_keys().await.unwrap()).is_empty());
}
