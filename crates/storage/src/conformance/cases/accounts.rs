//! Users, signing keys and the storage's own health.

use super::super::{Harness, unique};
use super::race;
use crate::{Secret, StoredKey, TotpEnrollment, UnixTime, User};
use std::collections::HashSet;

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
