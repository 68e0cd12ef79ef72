//! wagate-server: the `wagate` binary's library. Configuration, the CLI, actix-web wiring,
//! hosted pages, the JSON login API and the ops endpoints.

pub mod admin;
pub mod admin_api;
pub mod app;
mod background;
pub mod cli;
pub mod config;
pub mod factory;
mod http;
pub mod live;
pub mod metrics;
mod ops;
#[cfg(target_os = "linux")]
mod process;
pub mod reload;
pub mod signing;
pub mod state;
pub mod telemetry;

pub use admin::{UsersCommand, users};
pub use app::{Running, StartError, start, start_on};
pub use factory::Deps;
pub use signing::{KeyReloader, rotate_keys};
