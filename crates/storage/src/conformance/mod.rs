#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test support code
//! The conformance suite: the definition of a storage backend.
//!
//! A backend's test file calls [`conformance_suite!`](crate::conformance_suite) with an async
//! factory returning a fresh [`Harness`]; the macro expands to one test per case, so a failure
//! names the case and the backend. Cases use random ids, so backends shared with other tests
//! (a shared Redis) need no flushing.

mod cases;

pub use cases::*;

use crate::{OsRandom, Store, random_token};
use async_trait::async_trait;
use std::sync::Arc;
use std::time::Duration;

/// Moves the backend's notion of time forward (a manual clock, or real waiting for a server
/// that expires keys itself).
#[async_trait]
pub trait TimeTravel: Send + Sync {
    async fn advance(&self, by: Duration);
}

pub struct Harness {
    pub store: Arc<dyn Store>,
    pub time: Arc<dyn TimeTravel>,
}

/// A fresh id so that cases never collide on a shared backend.
pub fn unique(prefix: &str) -> String {
    format!("{prefix}-{}", random_token(&OsRandom, 12))
}

/// Calls `$callback!` with the name of every conformance case: the one list of cases.
#[macro_export]
macro_rules! conformance_cases {
    ($callback:ident ( $($prefix:tt)* )) => {
        $crate::$callback! { $($prefix)*
            flow_roundtrip,
            flow_update_is_compare_and_swap,
            flow_take_has_one_winner,
            flow_expires,
            flow_update_keeps_the_remaining_lifetime,
            flow_trace_outlives_its_flow_then_expires,
            challenge_roundtrip_and_replace,
            challenge_take_has_one_winner,
            challenge_expires,
            message_reports_are_kept_once_in_any_order,
            message_concurrent_reports_have_one_first,
            message_expires,
            code_redeem_has_one_winner,
            code_replay_names_the_first_grant,
            code_expires,
            session_roundtrip_update_and_take,
            session_update_renews_the_idle_lifetime,
            session_take_has_one_winner,
            session_expires,
            refresh_family_roundtrip_and_advance,
            refresh_concurrent_advances_have_one_winner,
            refresh_family_expires_and_advance_renews_it,
            marker_set_and_expire,
            counter_counts_every_concurrent_increment,
            counter_window_restarts,
            counter_release_takes_back_one,
            counter_peek_reads_without_counting,
            hold_is_won_once_and_ends,
            counters_in_bulk,
            attempts_never_exceed_the_limit,
            user_create_and_find,
            user_concurrent_first_logins_make_one_user,
            user_updates_are_compare_and_swap,
            keys_put_list_and_delete,
            people_are_listed_newest_first_in_pages,
            a_person_is_erased_with_what_hangs_off_them,
            a_new_number_is_unique_and_frees_the_old,
            events_go_in_order_one_deliverer_per_stream,
            racing_deliverers_lease_a_stream_once,
            ping_answers
        }
    };
}

/// Expands to one `#[tokio::test]` per conformance case for the given harness factory.
#[macro_export]
macro_rules! conformance_suite {
    ($factory:path) => {
        $crate::conformance_cases!(conformance_suite(@cases $factory,));
    };
    (@cases $factory:path, $($case:ident),+) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                $crate::conformance::$case($factory().await).await;
            }
        )+
    };
}

/// Runs every case one after the other, each with a fresh harness: for backends that are
/// expensive to set up (a local Redis Cluster), inside one test.
#[macro_export]
macro_rules! conformance_run_all {
    ($factory:expr) => {
        $crate::conformance_cases!(conformance_run_all(@cases $factory,))
    };
    (@cases $factory:expr, $($case:ident),+) => {
        async {
            $(
                eprintln!("conformance case {}", stringify!($case));
                $crate::conformance::$case($factory().await).await;
            )+
        }
    };
}
