//! Token-path benchmark: prints signatures per second for each algorithm, and full
//! authorization-code redemptions per second (client authentication, atomic code take, user
//! read, access token and ID token signing) on the memory backend.
//!
//! Run: cargo bench -p wagate-oidc

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};
use wagate_oidc::{
    AuthenticatedSubject, Client, ClientRegistry, KeySet, Lifetimes, Params, Provider, SigningAlg,
    SigningKey,
};
use wagate_storage::{MemoryStore, OsRandom, PendingAuthorization, Store, SystemClock, User};

const RUN: Duration = Duration::from_secs(2);

fn rate(count: u64, elapsed: Duration) -> f64 {
    count as f64 / elapsed.as_secs_f64()
}

fn sign_rate(alg: SigningAlg) -> f64 {
    let key = SigningKey::generate(alg).unwrap();
    let claims = serde_json::json!({"iss": "https://login.example.com", "sub": "abc", "aud": "portal", "exp": 2_000_000_000, "iat": 1_700_000_000});
    let start = Instant::now();
    let mut n = 0;
    while start.elapsed() < RUN {
        std::hint::black_box(key.sign("JWT", &claims).unwrap());
        n += 1;
    }
    rate(n, start.elapsed())
}

async fn redemption_rate(alg: SigningAlg) -> f64 {
    let clock = Arc::new(SystemClock);
    let store: Arc<dyn Store> = Arc::new(MemoryStore::new(clock.clone()));
    let secret = "s".repeat(40);
    let mut client = Client::new(
        "portal",
        "Portal",
        Some(&secret),
        vec!["https://rp.example/cb".into()],
    )
    .unwrap();
    client.id_token_alg = alg;
    let provider = Provider::new(
        "https://login.example.com",
        ClientRegistry::new(vec![client]),
        KeySet::generate().unwrap(),
        store.clone(),
        clock,
        Arc::new(OsRandom),
        Lifetimes::default(),
    );
    store
        .create_user(&User::new(
            "sub-1".into(),
            "+14155550100".into(),
            wagate_storage::UnixTime(0),
        ))
        .await
        .unwrap();
    let pending = PendingAuthorization {
        client_id: "portal".into(),
        redirect_uri: "https://rp.example/cb".into(),
        scopes: vec!["openid".into(), "phone".into()],
        state: None,
        nonce: Some("n".into()),
        code_challenge: None,
        prompt: vec![],
        max_age: None,
        login_hint: None,
        acr_values: vec![],
        acr_essential: vec![],
        requested_at: wagate_storage::UnixTime(0),
        ui_locales: Vec::new(),
    };
    let subject = AuthenticatedSubject {
        sub: "sub-1".into(),
        auth_time: wagate_storage::UnixTime(1_700_000_000),
        amr: vec!["whatsapp".into()],
        acr: None,
    };
    let start = Instant::now();
    let mut n = 0;
    while start.elapsed() < RUN {
        let redirect = provider.issue_code(&pending, &subject, None).await.unwrap();
        let code = url::Url::parse(&redirect)
            .unwrap()
            .query_pairs()
            .find(|(k, _)| k == "code")
            .unwrap()
            .1
            .into_owned();
        let body = format!(
            "grant_type=authorization_code&code={code}&redirect_uri=https%3A%2F%2Frp.example%2Fcb&client_id=portal&client_secret={secret}"
        );
        std::hint::black_box(
            provider
                .token(&Params::parse(body.as_bytes()), None)
                .await
                .unwrap(),
        );
        n += 1;
    }
    rate(n, start.elapsed())
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    println!("one core, {} s per figure", RUN.as_secs());
    for alg in SigningAlg::ALL {
        println!("sign {:<6} {:>9.0} tokens/s", alg.as_str(), sign_rate(alg));
    }
    for alg in SigningAlg::ALL {
        println!(
            "redeem code, ID token {:<6} {:>9.0} redemptions/s (each signs an RS256 access token too)",
            alg.as_str(),
            redemption_rate(alg).await
        );
    }
}
