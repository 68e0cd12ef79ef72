//! `wagate users ...`: the admin API's operations at the command line, run beside the
//! instances with their configuration. The same people service does the work (and writes the
//! same security events, naming the command line as the actor); answers are the admin API's
//! JSON.

use crate::admin_api::dto::{PeopleList, Person, SessionList, SessionsEnded};
use crate::config::{Settings, StorageKind};
use crate::factory::Deps;
use std::time::Duration;
use wagate_core::events::Actor;
use wagate_core::people::PeopleError;

/// What an operator asked for.
#[derive(Debug, Clone)]
pub enum UsersCommand {
    Find {
        phone: Option<String>,
        sub: Option<String>,
    },
    List {
        cursor: Option<String>,
        limit: usize,
    },
    Block {
        sub: String,
        reason: Option<String>,
    },
    Unblock {
        sub: String,
    },
    Delete {
        sub: String,
    },
    ChangePhone {
        sub: String,
        phone: String,
    },
    RemoveAuthenticator {
        phone: Option<String>,
        sub: Option<String>,
    },
    Sessions {
        sub: String,
    },
    EndSessions {
        sub: String,
        session: Option<String>,
    },
}

/// How long the command waits for back-channel logout notices before it exits.
const NOTICES: Duration = Duration::from_secs(6);

fn pretty<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

fn error(e: PeopleError) -> String {
    e.to_string()
}

/// Runs `command`; the JSON to print, or what went wrong.
pub async fn users(
    settings: Settings,
    command: UsersCommand,
    deps: &Deps,
) -> Result<String, String> {
    if matches!(settings.storage, StorageKind::Memory) {
        return Err("wagate users needs shared storage ([storage] backend = \"redis\")".into());
    }
    let state = crate::app::build_state(settings, deps)
        .await
        .map_err(|e| e.to_string())?;
    let people = state.people.clone();
    let actor = Actor::Cli;
    let person = |p| pretty(&Person::from(p));
    let by_number = |phone: Option<String>, sub: Option<String>| async {
        match (phone, sub) {
            (Some(phone), None) => people
                .find_by_phone(&phone)
                .await
                .map_err(error)?
                .map(|p| p.sub)
                .ok_or_else(|| "nobody has this number".to_owned()),
            (None, Some(sub)) => Ok(sub),
            _ => Err("name the person by --phone or by --sub".to_owned()),
        }
    };
    let out = match command {
        UsersCommand::Find { phone, sub } => {
            let sub = by_number(phone, sub).await?;
            person(people.get(&sub).await.map_err(error)?)
        }
        UsersCommand::List { cursor, limit } => pretty(&PeopleList::from(
            people.list(cursor.as_deref(), limit).await.map_err(error)?,
        )),
        UsersCommand::Block { sub, reason } => {
            person(people.block(&actor, &sub, reason).await.map_err(error)?)
        }
        UsersCommand::Unblock { sub } => person(people.unblock(&actor, &sub).await.map_err(error)?),
        UsersCommand::Delete { sub } => {
            let deleted = people.delete(&actor, &sub).await.map_err(error)?;
            pretty(&serde_json::json!({ "sub": sub, "deleted": deleted }))
        }
        UsersCommand::ChangePhone { sub, phone } => person(
            people
                .change_phone(&actor, &sub, &phone)
                .await
                .map_err(error)?,
        ),
        UsersCommand::RemoveAuthenticator { phone, sub } => {
            let sub = by_number(phone, sub).await?;
            person(
                people
                    .remove_authenticator(&actor, &sub)
                    .await
                    .map_err(error)?,
            )
        }
        UsersCommand::Sessions { sub } => pretty(&SessionList {
            sessions: Person::from(people.get(&sub).await.map_err(error)?).sessions,
        }),
        UsersCommand::EndSessions { sub, session } => {
            let ended = match session {
                Some(sid) => {
                    people
                        .end_session(&actor, &sub, &sid)
                        .await
                        .map_err(error)?;
                    1
                }
                None => people
                    .end_sessions(&actor, &sub, None)
                    .await
                    .map_err(error)?,
            };
            pretty(&SessionsEnded { ended })
        }
    };
    state.provider.logout_notices_settled(NOTICES).await;
    Ok(out)
}
