//! Authenticator benchmark: prints checks per second of a right app code (the person read by
//! number, secret opened, the window computed, the use written by compare-and-swap) and of a
//! wrong one, on the memory backend.
//!
//! Run: cargo bench -p wagate-core

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};
use wagate_core::totp::{Authenticator, Authenticators, TotpKey, TotpSecret, TotpSettings};
use wagate_storage::{
    Clock, ManualClock, MemoryStore, OsRandom, Store, TotpEnrollment, UnixTime, User,
};

const RUN: Duration = Duration::from_secs(2);

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let clock = Arc::new(ManualClock::new(UnixTime(1_800_000_000)));
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new(clock.clone()));
    let key = TotpKey::from_secret(&"k".repeat(32)).unwrap();
    let secret = TotpSecret::from_bytes(vec![7; 20]);
    let sealed = key.seal("sub-1", &secret, &OsRandom).unwrap();
    let mut user = User::new("sub-1".into(), "+14155550100".into(), UnixTime(0));
    user.totp = Some(TotpEnrollment {
        sealed_secret: sealed,
        confirmed_at: UnixTime(0),
        last_step: 0,
        recovery_codes: vec![],
    });
    store.create_user(&user).await.unwrap();
    let reads = store.clone();
    let app = Authenticator::new(&secret, "wagate", "+14155550100").unwrap();
    let authenticators = Authenticators::new(
        store,
        key,
        TotpSettings::default(),
        clock.clone(),
        Arc::new(OsRandom),
    );

    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < RUN {
        // Each right code must belong to a later step than the last one used.
        clock.advance(Duration::from_secs(30));
        let code = app.code_at(u64::try_from(clock.now().secs()).unwrap());
        // As the login does it: find the person by number, then check and record.
        let person = reads
            .find_user_by_phone("+14155550100")
            .await
            .unwrap()
            .unwrap();
        let got = authenticators.verify(&person, &code).await;
        assert!(
            matches!(got, Ok(Some(_))),
            "{got:?} {code} {:?}",
            clock.now()
        );
        n += 1;
    }
    let right = n as f64 / start.elapsed().as_secs_f64();

    let wrong_code = {
        let now = u64::try_from(clock.now().secs()).unwrap();
        let used: Vec<String> = [now - 30, now, now + 30]
            .iter()
            .map(|t| app.code_at(*t))
            .collect();
        (0..1_000_000)
            .map(|i| format!("{i:06}"))
            .find(|c| !used.contains(c))
            .unwrap()
    };
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < RUN {
        assert!(
            authenticators
                .verify(
                    &reads
                        .find_user_by_phone("+14155550100")
                        .await
                        .unwrap()
                        .unwrap(),
                    &wrong_code,
                )
                .await
                .unwrap()
                .is_none()
        );
        n += 1;
    }
    let wrong = n as f64 / start.elapsed().as_secs_f64();
    println!(
        "authenticator check, right code (read by number, open secret, 3 steps, CAS write): {right:.0}/s"
    );
    println!(
        "authenticator check, wrong code (read by number, open secret, 3 steps): {wrong:.0}/s"
    );
}
