use clap::Parser;
use std::process::ExitCode;
use wagate_server::cli::{Cli, run};

#[tokio::main]
async fn main() -> ExitCode {
    run(Cli::parse()).await
}
