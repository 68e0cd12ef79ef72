//! What the benchmark reads beside the answers: the private Redis's own counters (commands by
//! name from `INFO commandstats`, read events from `INFO stats`) and wagate's memory from
//! `/proc`.

use redis::aio::MultiplexedConnection;
use std::collections::BTreeMap;

/// Redis's counters at one moment.
#[derive(Clone, Default)]
pub struct RedisCounters {
    /// Calls by command name (`get`, `evalsha`, ...), without the benchmark's own `info`.
    pub calls: BTreeMap<String, u64>,
    /// Read events on client connections: one per request or pipeline that arrived on its
    /// own, so at one login at a time, the round trips.
    pub reads: u64,
}

impl RedisCounters {
    /// What happened between `earlier` and `self`; `info_calls` of ours in between are taken
    /// off the reads.
    pub fn since(&self, earlier: &RedisCounters, info_calls: u64) -> RedisCounters {
        let calls = self
            .calls
            .iter()
            .map(|(name, n)| {
                (
                    name.clone(),
                    n - earlier.calls.get(name).copied().unwrap_or(0),
                )
            })
            .filter(|(_, n)| *n > 0)
            .collect();
        RedisCounters {
            calls,
            reads: self.reads.saturating_sub(earlier.reads + info_calls),
        }
    }

    pub fn commands(&self) -> u64 {
        self.calls.values().sum()
    }
}

pub struct RedisProbe {
    conn: MultiplexedConnection,
}

impl RedisProbe {
    pub async fn connect(url: &str) -> Result<Self, String> {
        let client = redis::Client::open(url).map_err(|e| format!("redis: {e}"))?;
        let conn = client
            .get_multiplexed_async_connection()
            .await
            .map_err(|e| format!("redis: {e}"))?;
        Ok(RedisProbe { conn })
    }

    /// One `INFO` call (one read event on Redis's side).
    pub async fn counters(&mut self) -> Result<RedisCounters, String> {
        let text: String = redis::cmd("INFO")
            .arg("all")
            .query_async(&mut self.conn)
            .await
            .map_err(|e| format!("redis INFO: {e}"))?;
        let mut counters = RedisCounters::default();
        for line in text.lines() {
            if let Some(rest) = line.strip_prefix("cmdstat_") {
                // cmdstat_get:calls=12,usec=..,...
                let Some((name, stats)) = rest.split_once(':') else {
                    continue;
                };
                let calls = stats
                    .split(',')
                    .find_map(|kv| kv.strip_prefix("calls="))
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(0);
                if name != "info" {
                    counters.calls.insert(name.replace('|', " "), calls);
                }
            } else if let Some(n) = line.strip_prefix("total_reads_processed:") {
                counters.reads = n.trim().parse().unwrap_or(0);
            }
        }
        Ok(counters)
    }
}

/// wagate's resident memory, current and peak, in MiB (`VmRSS`, `VmHWM`).
pub fn rss_mib(pid: u32) -> Option<(f64, f64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kib = |key: &str| -> Option<f64> {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|n| n.parse::<f64>().ok())
    };
    Some((kib("VmRSS:")? / 1024.0, kib("VmHWM:")? / 1024.0))
}

/// The CPU time wagate has used so far, user and system, in µs. `/proc` counts it in ticks of
/// USER_HZ, which is 100 per second on Linux.
pub fn cpu_us(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command's name (field 2) may hold spaces: count the fields after its `)`, from
    // field 3, so utime and stime (fields 14 and 15) are the 12th and 13th.
    let rest = stat.get(stat.rfind(')')? + 1..)?;
    let mut fields = rest.split_whitespace();
    let utime: u64 = fields.nth(11)?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some((utime + stime) * 10_000)
}

/// Counters read between the steps of logins done one at a time: per step, what Redis did.
pub struct Marks {
    probe: RedisProbe,
    snapshots: Vec<RedisCounters>,
}

impl Marks {
    pub fn new(probe: RedisProbe) -> Self {
        Marks {
            probe,
            snapshots: Vec::new(),
        }
    }

    pub async fn mark(&mut self) -> Result<(), String> {
        let now = self.probe.counters().await?;
        self.snapshots.push(now);
        Ok(())
    }

    /// Per step (the gaps between marks of each login, `steps` marks after the first), the
    /// sum over the logins; each gap holds one `INFO` of ours.
    pub fn per_step(&self, steps: usize) -> Vec<RedisCounters> {
        let mut sums: Vec<RedisCounters> = (0..steps).map(|_| RedisCounters::default()).collect();
        for login in self.snapshots.chunks(steps + 1) {
            for (i, pair) in login.windows(2).enumerate() {
                let gap = pair[1].since(&pair[0], 1);
                let sum = &mut sums[i];
                sum.reads += gap.reads;
                for (name, n) in gap.calls {
                    *sum.calls.entry(name).or_default() += n;
                }
            }
        }
        sums
    }
}
