//! The Redis backend behind Redis Sentinel: a master, a replica and a sentinel started by the
//! test; the conformance suite, then a fail-over that wagate follows by itself.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test harness code

mod common;

use async_trait::async_trait;
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};
use wagate_storage::conformance::{Harness, TimeTravel, unique};
use wagate_storage::{RedisConfig, RedisStore, RedisTopology};

struct Servers {
    children: Vec<(u16, Child)>,
    dir: std::path::PathBuf,
}

impl Servers {
    fn kill(&mut self, port: u16) {
        for (p, child) in &mut self.children {
            if *p == port {
                let _ = child.kill();
                let _ = child.wait();
            }
        }
    }
}

impl Drop for Servers {
    fn drop(&mut self) {
        for (_, child) in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn cli(port: u16, args: &[&str]) -> String {
    let out = Command::new("redis-cli")
        .args(["-h", "127.0.0.1", "-p", &port.to_string()])
        .args(args)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn wait_until(what: &str, ready: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !ready() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn spawn(args: &[String]) -> Child {
    Command::new("redis-server")
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("redis-server is installed")
}

fn master_of(sentinel: u16) -> String {
    cli(sentinel, &["sentinel", "get-master-addr-by-name", "wagate"])
}

fn start() -> (Servers, u16, u16, u16) {
    let dir = std::env::temp_dir().join(unique("wagate-sentinel"));
    std::fs::create_dir_all(&dir).unwrap();
    let (master, replica, sentinel) = (free_port(), free_port(), free_port());
    let common = |port: u16| {
        vec![
            "--port".to_owned(),
            port.to_string(),
            "--bind".to_owned(),
            "127.0.0.1".to_owned(),
            "--save".to_owned(),
            String::new(),
            "--appendonly".to_owned(),
            "no".to_owned(),
            "--dir".to_owned(),
            dir.display().to_string(),
        ]
    };
    let mut servers = Servers {
        children: vec![(master, spawn(&common(master)))],
        dir: dir.clone(),
    };
    let mut replica_args = common(replica);
    replica_args.extend([
        "--replicaof".to_owned(),
        "127.0.0.1".to_owned(),
        master.to_string(),
    ]);
    servers.children.push((replica, spawn(&replica_args)));
    wait_until("replication", || {
        cli(replica, &["info", "replication"]).contains("master_link_status:up")
    });
    let conf = dir.join("sentinel.conf");
    std::fs::write(
        &conf,
        format!(
            "port {sentinel}\nbind 127.0.0.1\ndir {}\nsentinel monitor wagate 127.0.0.1 {master} 1\nsentinel down-after-milliseconds wagate 1000\nsentinel failover-timeout wagate 5000\n",
            dir.display()
        ),
    )
    .unwrap();
    let child = Command::new("redis-server")
        .args([conf.to_str().unwrap(), "--sentinel"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    servers.children.push((sentinel, child));
    wait_until("the sentinel", || {
        master_of(sentinel).contains(&master.to_string())
    });
    (servers, master, replica, sentinel)
}

struct ShortenTtls {
    prefix: String,
    port: u16,
}

#[async_trait]
impl TimeTravel for ShortenTtls {
    async fn advance(&self, by: Duration) {
        let client = redis::Client::open(format!("redis://127.0.0.1:{}", self.port)).unwrap();
        let mut c = client.get_multiplexed_async_connection().await.unwrap();
        common::shorten_ttls(&mut c, &self.prefix, by).await;
    }
}

fn store(sentinel: u16, prefix: &str) -> RedisStore {
    RedisStore::new(RedisConfig {
        topology: RedisTopology::Sentinel {
            nodes: vec![format!("redis://127.0.0.1:{sentinel}")],
            master: "wagate".into(),
        },
        key_prefix: prefix.to_owned(),
        timeout: Duration::from_secs(2),
        tls_ca_pem: None,
    })
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conformance_and_failover_behind_sentinel() {
    let (mut servers, master, replica, sentinel) = start();
    let harness = || async move {
        let prefix = format!("wagate-test:{}:", unique("sentinel"));
        Harness {
            store: Arc::new(store(sentinel, &prefix)),
            time: Arc::new(ShortenTtls {
                prefix,
                port: master,
            }),
        }
    };
    wagate_storage::conformance_run_all!(harness).await;

    // A flow written before the master dies is there after the fail-over.
    let h = harness().await;
    let flow_id = unique("flow");
    let mut flow: wagate_storage::LoginFlow = serde_json::from_value(serde_json::json!({
        "id": flow_id, "binding_hash": "b", "csrf_token": "c",
        "authorization": {"client_id": "c", "redirect_uri": "https://rp/cb", "scopes": ["openid"],
            "state": null, "nonce": null, "code_challenge": null, "prompt": [], "max_age": null,
            "login_hint": null, "acr_values": [], "requested_at": 0},
        "stage": {"stage": "phone"}, "created_at": 0, "expires_at": 900, "revision": 0
    }))
    .unwrap();
    h.store
        .insert_flow(&flow, Duration::from_secs(600))
        .await
        .unwrap();
    cli(master, &["wait", "1", "2000"]);
    servers.kill(master);
    wait_until("the fail-over", || {
        master_of(sentinel).contains(&replica.to_string())
    });
    // The first call after the fail-over may still reach the dead master; wagate then asks the
    // sentinel again by itself.
    let deadline = Instant::now() + Duration::from_secs(15);
    let found = loop {
        match h.store.get_flow(&flow_id).await {
            Ok(found) => break found,
            Err(_) if Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(100)).await
            }
            Err(e) => panic!("no service after the fail-over: {e}"),
        }
    };
    assert_eq!(found, Some(flow.clone()));
    flow.revision = 1;
    assert!(
        h.store.update_flow(&flow).await.unwrap(),
        "writes go to the new master"
    );
}
