#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test harness code
//! End-to-end tests: the real server on free ports, driven over HTTP by the `openidconnect`
//! crate as the portal and by a cookie-keeping HTTP client as the browser. Codes arrive at a
//! webhook receiver, as an operator's gateway would receive them.
//!
//! One test binary (link time on two cores); one module per area.

mod chrome;
mod support;

mod account_self;
mod admin;
mod admin_cli;
mod authorize_errors;
mod bad_input;
mod branding;
mod browser;
mod code_flow;
mod cripsa;
mod deploy_files;
mod discovery;
mod events;
mod fraud;
mod guidance;
mod http_rules;
mod keys_and_issuer;
mod languages;
mod load_balancer;
mod login_policy;
mod logout;
mod numbers;
mod ops;
mod pages;
mod redis;
mod redis_faults;
#[path = "../../crates/storage/tests/common/mod.rs"]
mod redis_time;
mod refresh;
mod revocation;
mod sessions;
mod token_errors;
mod totp;
mod totp_bad_input;
mod totp_pages;
mod totp_step_up;
mod userinfo;
mod whatsapp;
