//! People as operators see them: listing, what hangs off a person, erasure, new numbers.

use super::super::{Harness, unique};
use crate::{PhoneChange, RefreshFamily, Secret, Session, UnixTime, User};

fn phone() -> String {
    let digits: String = unique("")
        .bytes()
        .skip(1)
        .map(|b| char::from(b'0' + b % 10))
        .take(8)
        .collect();
    format!("+4420{digits}")
}

fn session(sub: &str, auth_time: i64) -> Session {
    Session {
        sid: unique("sid"),
        secret_hash: unique("h"),
        subject: sub.to_owned(),
        auth_time: UnixTime(auth_time),
        amr: vec!["whatsapp".into()],
        acr: None,
        clients: vec![],
        csrf_token: Secret::new("csrf"),
        created_at: UnixTime(auth_time),
        expires_at: UnixTime(auth_time + 86_400 * 30),
        revision: 0,
    }
}

fn family(sub: &str) -> RefreshFamily {
    RefreshFamily {
        grant_id: unique("g"),
        salt: "s".into(),
        generation: 0,
        client_id: "c".into(),
        subject: sub.to_owned(),
        scopes: vec![],
        sid: None,
        auth_time: UnixTime(1_700_000_000),
        amr: vec![],
        acr: None,
        issued_at: UnixTime(1_700_000_000),
        expires_at: UnixTime(1_700_000_000 + 86_400),
        grant_expires_at: UnixTime(1_700_000_000 + 86_400 * 60),
    }
}

pub async fn people_are_listed_newest_first_in_pages(h: Harness) {
    // Two share a second of creation: the order is still total.
    let times = [1_000, 1_001, 1_001, 1_002, 1_003];
    let mut made = Vec::new();
    for t in times {
        let user = User::new(unique("sub"), phone(), UnixTime(t));
        h.store.create_user(&user).await.unwrap();
        made.push(user);
    }
    let mut listed = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let page = h.store.list_users(cursor.as_deref(), 2).await.unwrap();
        assert!(page.users.len() <= 2);
        listed.extend(page.users);
        pages += 1;
        match page.next {
            Some(next) => cursor = Some(next),
            None => break,
        }
        assert!(pages < 10, "paging does not end");
    }
    assert_eq!(listed.len(), made.len(), "each person once: {listed:?}");
    let times: Vec<i64> = listed.iter().map(|u| u.created_at.secs()).collect();
    assert_eq!(times, [1_003, 1_002, 1_001, 1_001, 1_000]);
    for user in &made {
        assert!(listed.contains(user));
    }
}

pub async fn a_person_is_erased_with_what_hangs_off_them(h: Harness) {
    let number = phone();
    let user = User::new(unique("sub"), number.clone(), UnixTime(1_700_000_000));
    h.store.create_user(&user).await.unwrap();
    let (old, new) = (
        session(&user.sub, 1_700_000_100),
        session(&user.sub, 1_700_000_200),
    );
    let ttl = std::time::Duration::from_secs(600);
    h.store.insert_session(&old, ttl).await.unwrap();
    h.store.insert_session(&new, ttl).await.unwrap();
    let grant = family(&user.sub);
    h.store.insert_family(&grant, ttl).await.unwrap();

    let sessions = h.store.sessions_of(&user.sub).await.unwrap();
    assert_eq!(sessions, vec![new.clone(), old.clone()], "newest first");
    assert_eq!(
        h.store.last_login(&user.sub).await.unwrap(),
        Some(UnixTime(1_700_000_200))
    );
    assert_eq!(
        h.store.grants_of(&user.sub).await.unwrap(),
        vec![grant.grant_id.clone()]
    );
    // An ended session leaves the list.
    h.store.take_session(&old.sid).await.unwrap();
    assert_eq!(h.store.sessions_of(&user.sub).await.unwrap(), vec![new]);

    h.store.delete_family(&grant.grant_id).await.unwrap();
    assert_eq!(h.store.get_family(&grant.grant_id).await.unwrap(), None);
    assert!(h.store.delete_user(&user.sub).await.unwrap());
    assert_eq!(h.store.get_user(&user.sub).await.unwrap(), None);
    assert_eq!(h.store.find_user_by_phone(&number).await.unwrap(), None);
    assert_eq!(h.store.last_login(&user.sub).await.unwrap(), None);
    assert!(h.store.grants_of(&user.sub).await.unwrap().is_empty());
    let page = h.store.list_users(None, 50).await.unwrap();
    assert!(page.users.iter().all(|u| u.sub != user.sub));
    // Idempotent, and the number may sign up afresh as someone new.
    assert!(!h.store.delete_user(&user.sub).await.unwrap());
    let again = User::new(unique("sub"), number.clone(), UnixTime(1_700_000_300));
    assert_eq!(h.store.create_user(&again).await.unwrap(), again);
}

pub async fn a_new_number_is_unique_and_frees_the_old(h: Harness) {
    let (p1, p2, p3) = (phone(), phone(), phone());
    let a = User::new(unique("sub"), p1.clone(), UnixTime(1));
    let b = User::new(unique("sub"), p2.clone(), UnixTime(2));
    h.store.create_user(&a).await.unwrap();
    h.store.create_user(&b).await.unwrap();

    let to = |user: &User, number: &str| User {
        phone: number.to_owned(),
        ..user.revised()
    };
    assert_eq!(
        h.store.change_phone(&to(&a, &p2), &p1).await.unwrap(),
        PhoneChange::Taken
    );
    let moved = to(&a, &p3);
    assert_eq!(
        h.store.change_phone(&moved, &p1).await.unwrap(),
        PhoneChange::Changed
    );
    assert_eq!(
        h.store.find_user_by_phone(&p3).await.unwrap(),
        Some(moved.clone())
    );
    assert_eq!(h.store.find_user_by_phone(&p1).await.unwrap(), None);
    assert_eq!(h.store.get_user(&a.sub).await.unwrap(), Some(moved.clone()));
    // A stale revision changes nothing and keeps no claim on the number it named.
    let p4 = phone();
    assert_eq!(
        h.store.change_phone(&to(&a, &p4), &p3).await.unwrap(),
        PhoneChange::Conflict
    );
    let c = User::new(unique("sub"), p4.clone(), UnixTime(3));
    assert_eq!(h.store.create_user(&c).await.unwrap(), c);
    // The freed number signs up as someone new.
    let d = User::new(unique("sub"), p1.clone(), UnixTime(4));
    assert_eq!(h.store.create_user(&d).await.unwrap(), d);

    // Two people racing for one new number: one gets it.
    let p5 = phone();
    let (ma, mb) = (to(&moved, &p5), to(&b, &p5));
    let (ra, rb) = tokio::join!(
        h.store.change_phone(&ma, &p3),
        h.store.change_phone(&mb, &p2)
    );
    let results = [ra.unwrap(), rb.unwrap()];
    assert_eq!(
        results
            .iter()
            .filter(|r| **r == PhoneChange::Changed)
            .count(),
        1,
        "{results:?}"
    );
    let owner = h.store.find_user_by_phone(&p5).await.unwrap().unwrap();
    assert!(owner.sub == a.sub || owner.sub == b.sub);
}
