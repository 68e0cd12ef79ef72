//! Counting what the workers did: latency histograms per step (microseconds), completions,
//! errors with a few examples, and the rate over the run.

use hdrhistogram::Histogram;
use serde_json::{Map, Value, json};
use std::future::Future;
use std::time::{Duration, Instant};

/// Errors kept word for word per scenario; the rest are only counted.
const SAMPLES: usize = 5;

pub struct Tally {
    names: &'static [&'static str],
    steps: Vec<Histogram<u64>>,
    whole: Histogram<u64>,
    pub done: u64,
    pub errors: u64,
    samples: Vec<String>,
}

// Constant bounds that are valid: 1 µs to 60 s at three significant figures.
#[allow(clippy::expect_used)]
fn histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 60_000_000, 3).expect("valid histogram bounds")
}

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX).max(1)
}

fn percentiles(h: &Histogram<u64>) -> Value {
    let ms = |q: f64| (h.value_at_quantile(q) as f64 / 1000.0 * 100.0).round() / 100.0;
    json!({ "p50": ms(0.5), "p99": ms(0.99) })
}

impl Tally {
    pub fn new(names: &'static [&'static str]) -> Self {
        Tally {
            names,
            steps: names.iter().map(|_| histogram()).collect(),
            whole: histogram(),
            done: 0,
            errors: 0,
            samples: Vec::new(),
        }
    }

    /// One completed unit of work and its steps' durations (in `names` order).
    pub fn ok(&mut self, steps: &[Duration]) {
        let mut total = Duration::ZERO;
        for (h, d) in self.steps.iter_mut().zip(steps) {
            let _ = h.record(micros(*d));
            total += *d;
        }
        let _ = self.whole.record(micros(total));
        self.done += 1;
    }

    pub fn failed(&mut self, why: String) {
        self.errors += 1;
        if self.samples.len() < SAMPLES {
            self.samples.push(why);
        }
    }

    fn merge(&mut self, other: Tally) {
        for (h, o) in self.steps.iter_mut().zip(&other.steps) {
            let _ = h.add(o);
        }
        let _ = self.whole.add(&other.whole);
        self.done += other.done;
        self.errors += other.errors;
        for s in other.samples {
            if self.samples.len() < SAMPLES {
                self.samples.push(s);
            }
        }
    }

    /// `rate_per_s`, `errors`, `error_samples` and `latency_ms` (`whole` and each step when
    /// there is more than one).
    pub fn report(&self, whole: &str, elapsed: Duration) -> Map<String, Value> {
        let mut latency = Map::new();
        latency.insert(whole.into(), percentiles(&self.whole));
        if self.names.len() > 1 {
            for (name, h) in self.names.iter().zip(&self.steps) {
                latency.insert((*name).into(), percentiles(h));
            }
        }
        let rate = self.done as f64 / elapsed.as_secs_f64();
        let mut out = Map::new();
        out.insert("done".into(), json!(self.done));
        out.insert(
            "seconds".into(),
            json!((elapsed.as_secs_f64() * 10.0).round() / 10.0),
        );
        out.insert("rate_per_s".into(), json!(rate.round()));
        out.insert("errors".into(), json!(self.errors));
        if !self.samples.is_empty() {
            out.insert("error_samples".into(), json!(self.samples));
        }
        out.insert("latency_ms".into(), Value::Object(latency));
        out
    }
}

/// Runs `concurrency` workers until `run` has passed; each gets its index and the deadline
/// and returns its own tally. The tallies are merged, with the time the slowest took.
pub async fn workers<F, Fut>(
    concurrency: usize,
    names: &'static [&'static str],
    run: Duration,
    worker: F,
) -> (Tally, Duration)
where
    F: Fn(usize, Instant, Tally) -> Fut,
    Fut: Future<Output = Tally> + Send + 'static,
{
    let started = Instant::now();
    let deadline = started + run;
    let handles: Vec<_> = (0..concurrency)
        .map(|i| tokio::spawn(worker(i, deadline, Tally::new(names))))
        .collect();
    let mut all = Tally::new(names);
    for h in handles {
        match h.await {
            Ok(t) => all.merge(t),
            Err(e) => all.failed(format!("a worker stopped: {e}")),
        }
    }
    (all, started.elapsed())
}
