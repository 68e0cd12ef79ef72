//! The scenarios and their JSON lines.

use crate::Args;
use crate::hook::{self, Codes};
use crate::person::{Login, Portal, STEPS};
use crate::probe::{Marks, RedisCounters, RedisProbe, cpu_us, rss_mib};
use crate::tally::{Tally, workers};
use serde_json::{Map, Value, json};
use std::net::TcpListener;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// A typical portal's login; refresh scenarios also ask for `offline_access`.
const SCOPE: &str = "openid phone";
const SCOPE_OFFLINE: &str = "openid phone offline_access";

struct Bench {
    portal: Portal,
    http: reqwest::Client,
    codes: Codes,
    redis: String,
    pid: u32,
}

type Shared = Arc<Bench>;

pub async fn run_all(args: &Args) -> Result<(), String> {
    let listener = TcpListener::bind(&args.hook_listen)
        .map_err(|e| format!("gateway {}: {e}", args.hook_listen))?;
    let codes = Codes::default();
    hook::serve(listener, codes.clone()).map_err(|e| format!("gateway: {e}"))?;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(args.concurrency * 2)
        .tcp_nodelay(true)
        .build()
        .map_err(|e| format!("http client: {e}"))?;
    let bench = Arc::new(Bench {
        portal: Portal {
            issuer: args.issuer.trim_end_matches('/').to_owned(),
            client_id: args.client_id.clone(),
            client_secret: args.client_secret.clone(),
            redirect_uri: args.redirect_uri.clone(),
        },
        http,
        codes,
        redis: args.redis.clone(),
        pid: args.pid,
    });
    for scenario in &args.scenarios {
        let mut line = Map::new();
        line.insert("scenario".into(), json!(scenario));
        let details = match scenario.as_str() {
            "signing" => crate::signing::run()?,
            "login-redis" => login_redis(&bench, args.serial_logins).await?,
            "login" => login(&bench, args.concurrency, args.run()).await?,
            "soak" => {
                soak(
                    &bench,
                    args.concurrency,
                    Duration::from_secs(args.soak_seconds),
                )
                .await?
            }
            "refresh" => refresh(&bench, args.concurrency, args.run()).await?,
            "userinfo" => bearer(&bench, args.concurrency, args.run(), false).await?,
            "introspect" => bearer(&bench, args.concurrency, args.run(), true).await?,
            other => return Err(format!("no scenario {other:?}")),
        };
        line.extend(details);
        println!("{}", Value::Object(line));
    }
    Ok(())
}

fn per(counters: &RedisCounters, n: u64) -> Value {
    let n = n.max(1) as f64;
    let round = |x: f64| (x * 100.0).round() / 100.0;
    let by: Map<String, Value> = counters
        .calls
        .iter()
        .map(|(name, c)| (name.clone(), json!(round(*c as f64 / n))))
        .collect();
    json!({ "commands": round(counters.commands() as f64 / n), "by_command": by })
}

/// Logins one at a time, Redis's counters read between steps: commands and round trips per
/// login and per step.
async fn login_redis(bench: &Shared, logins: usize) -> Result<Map<String, Value>, String> {
    let mut marks = Marks::new(RedisProbe::connect(&bench.redis).await?);
    for _ in 0..logins {
        bench
            .portal
            .login(&bench.http, &bench.codes, SCOPE, Some(&mut marks))
            .await?;
    }
    let per_step = marks.per_step(STEPS.len());
    let n = logins as u64;
    let mut steps = Map::new();
    let mut total = RedisCounters::default();
    for (name, c) in STEPS.iter().zip(&per_step) {
        let mut v = per(c, n);
        v["round_trips"] = json!((c.reads as f64 / n as f64 * 100.0).round() / 100.0);
        steps.insert((*name).into(), v);
        total.reads += c.reads;
        for (k, x) in &c.calls {
            *total.calls.entry(k.clone()).or_default() += x;
        }
    }
    let mut out = Map::new();
    out.insert("logins".into(), json!(logins));
    let mut whole = per(&total, n);
    whole["round_trips"] = json!((total.reads as f64 / n as f64 * 100.0).round() / 100.0);
    out.insert("per_login".into(), whole);
    out.insert("steps".into(), Value::Object(steps));
    Ok(out)
}

/// wagate's memory while a scenario runs: sampled every `every`.
struct Memory {
    samples: Arc<Mutex<Vec<f64>>>,
    task: tokio::task::JoinHandle<()>,
    pid: u32,
}

/// wagate's CPU time over a scenario, per unit done: what a unit costs its core, whatever the
/// rate (a slower moment of a shared machine lowers the rate more than this).
struct Cpu {
    pid: u32,
    start: Option<u64>,
}

impl Cpu {
    fn start(pid: u32) -> Cpu {
        Cpu {
            pid,
            start: cpu_us(pid),
        }
    }

    /// `cpu_us_per_unit`: µs of wagate's CPU time per unit done (0 when none was).
    fn per(&self, done: u64) -> Value {
        match (self.start, cpu_us(self.pid)) {
            (Some(start), Some(end)) if done > 0 => {
                json!((end.saturating_sub(start) as f64 / done as f64 * 10.0).round() / 10.0)
            }
            _ => json!(0),
        }
    }
}

impl Memory {
    fn watch(pid: u32, every: Duration) -> Memory {
        let samples = Arc::new(Mutex::new(Vec::new()));
        let kept = samples.clone();
        let task = tokio::spawn(async move {
            loop {
                if let Some((rss, _)) = rss_mib(pid) {
                    kept.lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .push(rss);
                }
                tokio::time::sleep(every).await;
            }
        });
        Memory { samples, task, pid }
    }

    /// `rss_mib`: at the start, at the end, the highest sample and the process's peak.
    fn finish(self) -> (Value, Vec<f64>) {
        self.task.abort();
        let samples = self
            .samples
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        let peak = rss_mib(self.pid).map(|(_, hwm)| hwm).unwrap_or(0.0);
        let r = |x: f64| (x * 10.0).round() / 10.0;
        let max = samples.iter().copied().fold(0.0, f64::max);
        let v = json!({
            "start": r(samples.first().copied().unwrap_or(0.0)),
            "end": r(samples.last().copied().unwrap_or(0.0)),
            "max": r(max),
            "peak": r(peak),
        });
        (v, samples)
    }
}

async fn login_load(bench: &Shared, concurrency: usize, run: Duration) -> (Tally, Duration) {
    workers(concurrency, &STEPS, run, |_, deadline, mut tally| {
        let bench = bench.clone();
        async move {
            while Instant::now() < deadline {
                match bench
                    .portal
                    .login(&bench.http, &bench.codes, SCOPE, None)
                    .await
                {
                    Ok(Login { steps, .. }) => tally.ok(&steps),
                    Err(e) => tally.failed(e),
                }
            }
            tally
        }
    })
    .await
}

/// Full logins by `concurrency` people at once, after a short warm-up.
async fn login(
    bench: &Shared,
    concurrency: usize,
    run: Duration,
) -> Result<Map<String, Value>, String> {
    login_load(bench, concurrency, Duration::from_secs(2)).await;
    let mut probe = RedisProbe::connect(&bench.redis).await?;
    let before = probe.counters().await?;
    let memory = Memory::watch(bench.pid, Duration::from_millis(250));
    let cpu = Cpu::start(bench.pid);
    let (tally, elapsed) = login_load(bench, concurrency, run).await;
    let (rss, _) = memory.finish();
    let redis = probe.counters().await?.since(&before, 1);
    let mut out = Map::new();
    out.insert("concurrency".into(), json!(concurrency));
    out.extend(tally.report("login", elapsed));
    out.insert("cpu_us_per_unit".into(), cpu.per(tally.done));
    out.insert("redis_per_login".into(), per(&redis, tally.done));
    out.insert("rss_mib".into(), rss);
    Ok(out)
}

/// Logins at full load for a long time: is memory flat? Samples every 10 s.
async fn soak(
    bench: &Shared,
    concurrency: usize,
    run: Duration,
) -> Result<Map<String, Value>, String> {
    let memory = Memory::watch(bench.pid, Duration::from_secs(10));
    let (tally, elapsed) = login_load(bench, concurrency, run).await;
    let (rss, samples) = memory.finish();
    let third = (samples.len() / 3).max(1);
    let max_of = |s: &[f64]| (s.iter().copied().fold(0.0, f64::max) * 10.0).round() / 10.0;
    let mut out = Map::new();
    out.insert("concurrency".into(), json!(concurrency));
    out.extend(tally.report("login", elapsed));
    out.insert("rss_mib".into(), rss);
    out.insert(
        "rss_max_mib_first_and_last_third".into(),
        json!([
            max_of(&samples[..third.min(samples.len())]),
            max_of(&samples[samples.len().saturating_sub(third)..])
        ]),
    );
    Ok(out)
}

/// One login per worker, for the tokens the portal scenarios use. One at a time: 64 codes sent
/// at once with none typed back yet would fall under `[fraud]`'s conversion floor.
async fn tokens(
    bench: &Shared,
    concurrency: usize,
    scope: &'static str,
) -> Result<Vec<Login>, String> {
    let mut logins = Vec::new();
    for _ in 0..concurrency {
        logins.push(
            bench
                .portal
                .login(&bench.http, &bench.codes, scope, None)
                .await?,
        );
    }
    Ok(logins)
}

/// Runs `one` per worker until the deadline, with Redis counted and memory watched.
async fn timed<S, F, Fut>(
    bench: &Shared,
    name: &'static [&'static str; 1],
    states: Vec<S>,
    run: Duration,
    one: F,
) -> Result<Map<String, Value>, String>
where
    S: Send + 'static,
    F: Fn(Shared, S) -> Fut + Clone + Send + Sync + 'static,
    Fut: std::future::Future<Output = (S, Result<(), String>)> + Send,
{
    let concurrency = states.len();
    let states: Vec<_> = states.into_iter().map(|s| Mutex::new(Some(s))).collect();
    let states = Arc::new(states);
    let mut probe = RedisProbe::connect(&bench.redis).await?;
    let before = probe.counters().await?;
    let memory = Memory::watch(bench.pid, Duration::from_millis(250));
    let cpu = Cpu::start(bench.pid);
    let (tally, elapsed) = workers(concurrency, name, run, |i, deadline, mut tally| {
        let (bench, states, one) = (bench.clone(), states.clone(), one.clone());
        async move {
            let taken = states[i]
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take();
            let Some(mut state) = taken else {
                return tally;
            };
            while Instant::now() < deadline {
                let t = Instant::now();
                let (next, result) = one(bench.clone(), state).await;
                state = next;
                match result {
                    Ok(()) => tally.ok(&[t.elapsed()]),
                    Err(e) => {
                        tally.failed(e);
                        break;
                    }
                }
            }
            tally
        }
    })
    .await;
    let (rss, _) = memory.finish();
    let redis = probe.counters().await?.since(&before, 1);
    let mut out = Map::new();
    out.insert("concurrency".into(), json!(concurrency));
    out.extend(tally.report(name[0], elapsed));
    out.insert("cpu_us_per_unit".into(), cpu.per(tally.done));
    out.insert("redis_per_call".into(), per(&redis, tally.done));
    out.insert("rss_mib".into(), rss);
    Ok(out)
}

/// Each portal rotates its own refresh token; every answer carries an ID token.
async fn refresh(
    bench: &Shared,
    concurrency: usize,
    run: Duration,
) -> Result<Map<String, Value>, String> {
    let mut states = Vec::new();
    for login in tokens(bench, concurrency, SCOPE_OFFLINE).await? {
        states.push(
            login
                .tokens
                .refresh_token
                .ok_or("no refresh token was issued")?,
        );
    }
    timed(
        bench,
        &["refresh"],
        states,
        run,
        |bench, token: String| async move {
            match bench.portal.refresh(&bench.http, &token).await {
                Ok(next) => (next, Ok(())),
                Err(e) => (token, Err(e)),
            }
        },
    )
    .await
}

/// `/userinfo` or `/introspect` with one access token per worker.
async fn bearer(
    bench: &Shared,
    concurrency: usize,
    run: Duration,
    introspect: bool,
) -> Result<Map<String, Value>, String> {
    let states: Vec<String> = tokens(bench, concurrency, SCOPE)
        .await?
        .into_iter()
        .map(|l| l.tokens.access_token)
        .collect();
    let name: &'static [&'static str; 1] = if introspect {
        &["introspect"]
    } else {
        &["userinfo"]
    };
    timed(
        bench,
        name,
        states,
        run,
        move |bench, token: String| async move {
            let result = if introspect {
                bench.portal.introspect(&bench.http, &token).await
            } else {
                bench.portal.userinfo(&bench.http, &token).await
            };
            (token, result)
        },
    )
    .await
}
