//! `wagate users ...` run beside an instance, with a configuration naming the same Redis: it
//! acts through the same people service as the admin API, so what it changes is what the
//! instance serves at once, back-channel logout included.

use crate::admin::{code_answer, person, userinfo_on};
use crate::support::*;
use serde_json::Value;
use wagate_server::config::{Config, Settings, Source, resolve};
use wagate_server::{Deps, UsersCommand};
use wagate_storage::Secret;

const SHARED_REDIS: &str = "redis://127.0.0.1:6379";

/// What an operator's `--config` would hold for the instance `server` on `prefix`.
fn operator_settings(server: &TestServer, prefix: &str) -> Settings {
    let mut config = Config {
        issuer: server.issuer.clone(),
        ..Config::default()
    };
    use_redis(&mut config, SHARED_REDIS, prefix);
    config.totp.encryption_key = Some(Secret::new(TOTP_KEY));
    let mut portal = client("portal", Some(PORTAL_SECRET), None);
    portal.backchannel_logout_uri = Some(server.hook.backchannel_url());
    config.clients = vec![portal];
    resolve(&config, &Source::File("operator.toml".into())).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_line_finds_blocks_renumbers_and_erases() {
    let prefix = redis_prefix();
    let server = start_with(Deps::default(), |c| use_redis(c, SHARED_REDIS, &prefix)).await;
    let deps = Deps::default();
    let run = |command: UsersCommand| {
        let settings = operator_settings(&server, &prefix);
        let deps = &deps;
        async move {
            wagate_server::users(settings, command, deps)
                .await
                .map(|out| serde_json::from_str::<Value>(&out).unwrap())
        }
    };
    let p = person(&server).await;

    // Found by the number as people type it.
    let typed = format!("{} {}", &p.phone[..3], &p.phone[3..]);
    let found = run(UsersCommand::Find {
        phone: Some(typed),
        sub: None,
    })
    .await
    .unwrap();
    assert_eq!(found["sub"], p.sub.as_str());
    assert_eq!(found["sessions"].as_array().unwrap().len(), 1);

    // Blocked: the instance refuses the tokens and the login, and the portal hears of the end
    // of the session.
    let blocked = run(UsersCommand::Block {
        sub: p.sub.clone(),
        reason: Some("fraud report".into()),
    })
    .await
    .unwrap();
    assert_eq!(
        (&blocked["blocked"], &blocked["block_reason"]),
        (&Value::Bool(true), &Value::from("fraud report"))
    );
    assert_eq!(
        claims_of(&server.hook.logout_token(1).await)["sub"],
        p.sub.as_str()
    );
    assert_eq!(userinfo_on(&server, &p.access).await, 401);
    let (status, body) = code_answer(&server, &p.phone, false).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (403, Some("account_blocked"))
    );
    let unblocked = run(UsersCommand::Unblock { sub: p.sub.clone() })
        .await
        .unwrap();
    assert_eq!(unblocked["blocked"], false);

    // A new number; the old one then belongs to nobody.
    let new_number = fresh_phone();
    let moved = run(UsersCommand::ChangePhone {
        sub: p.sub.clone(),
        phone: new_number.clone(),
    })
    .await
    .unwrap();
    assert_eq!(moved["phone_number"], new_number.as_str());
    let old = run(UsersCommand::Find {
        phone: Some(p.phone.clone()),
        sub: None,
    })
    .await;
    assert_eq!(old.unwrap_err(), "nobody has this number");

    // Erased, and erasing again is harmless; the person is gone.
    let erased = run(UsersCommand::Delete { sub: p.sub.clone() })
        .await
        .unwrap();
    assert_eq!(erased["deleted"], true);
    let again = run(UsersCommand::Delete { sub: p.sub.clone() })
        .await
        .unwrap();
    assert_eq!(again["deleted"], false);
    assert!(
        run(UsersCommand::Find {
            phone: None,
            sub: Some(p.sub.clone()),
        })
        .await
        .is_err()
    );
    // Nothing of it is left to read by the new number either.
    assert!(
        run(UsersCommand::Find {
            phone: Some(new_number),
            sub: None,
        })
        .await
        .is_err()
    );
}
