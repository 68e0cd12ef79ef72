//! The load driver of `scripts/bench`: people logging in against a running wagate (codes come
//! back through the webhook channel to a gateway served here), then portals refreshing,
//! calling `/userinfo` and `/introspect`. Prints one JSON line per scenario; see
//! `docs/performance.md`.

mod hook;
mod person;
mod probe;
mod scenarios;
mod signing;
mod tally;

use clap::Parser;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Parser, Debug)]
#[command(name = "wagate-bench", about = "Load driver for a running wagate")]
pub struct Args {
    /// wagate's issuer URL.
    #[arg(long, default_value = "http://127.0.0.1:18080")]
    issuer: String,
    /// The portal registered for the benchmark.
    #[arg(long, default_value = "bench")]
    client_id: String,
    #[arg(long, env = "WAGATE_BENCH_CLIENT_SECRET")]
    client_secret: String,
    #[arg(long, default_value = "http://127.0.0.1:3000/callback")]
    redirect_uri: String,
    /// Where the gateway listens (wagate's `[delivery] webhook_url` points here).
    #[arg(long, default_value = "127.0.0.1:18181")]
    hook_listen: String,
    /// wagate's private Redis, for its counters.
    #[arg(long, default_value = "redis://127.0.0.1:16379")]
    redis: String,
    /// wagate's process id, for its memory.
    #[arg(long)]
    pid: u32,
    /// People (or portals) at once.
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
    /// Seconds each timed scenario runs.
    #[arg(long, default_value_t = 15)]
    seconds: u64,
    /// Logins done one at a time to count Redis's work per step.
    #[arg(long, default_value_t = 50)]
    serial_logins: usize,
    /// Scenarios, in order: signing, login-redis, login, refresh, userinfo, introspect, soak.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "signing,login-redis,login,refresh,userinfo,introspect"
    )]
    scenarios: Vec<String>,
    /// Seconds of the soak scenario (logins at full load, memory sampled throughout).
    #[arg(long, default_value_t = 300)]
    soak_seconds: u64,
}

impl Args {
    fn run(&self) -> Duration {
        Duration::from_secs(self.seconds)
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    match scenarios::run_all(&args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("wagate-bench: {e}");
            ExitCode::FAILURE
        }
    }
}
