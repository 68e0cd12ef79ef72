//! Connections: a connection manager for standalone Redis (it reconnects by itself), the
//! cluster client's connection for Redis Cluster. Both are made on first use, so wagate starts
//! while Redis is down, and remade after a failure.

use crate::{StoreError, StoreResult};
use redis::AsyncConnectionConfig;
use redis::aio::{
    ConnectionLike, ConnectionManager, ConnectionManagerConfig, MultiplexedConnection,
};
use redis::cluster::ClusterClientBuilder;
use redis::cluster_async::ClusterConnection;
use redis::sentinel::{SentinelClient, SentinelServerType};
use redis::{Cmd, Pipeline, RedisFuture, Value};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::RwLock;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RedisTopology {
    /// `redis://host:port/db` or `rediss://...` (TLS).
    Standalone(String),
    /// Seed nodes of a Redis Cluster (`redis://` or `rediss://` URLs).
    Cluster(Vec<String>),
    /// Sentinels watching the master named `master`; wagate follows fail-overs.
    Sentinel { nodes: Vec<String>, master: String },
}

#[derive(Debug, Clone)]
pub struct RedisConfig {
    pub topology: RedisTopology,
    pub key_prefix: String,
    /// Bound on every call, connecting included.
    pub timeout: Duration,
    /// PEM of the CA that signed the Redis server's certificate (`rediss://` with a private
    /// CA); `None` trusts the system's roots.
    pub tls_ca_pem: Option<Vec<u8>>,
}

#[derive(Clone)]
pub(crate) enum Conn {
    Standalone(ConnectionManager),
    Cluster(ClusterConnection),
    /// To the master the sentinels named; dropped on error so the next call asks them again.
    Sentinel(MultiplexedConnection),
}

impl ConnectionLike for Conn {
    fn req_packed_command<'a>(&'a mut self, cmd: &'a Cmd) -> RedisFuture<'a, Value> {
        match self {
            Conn::Standalone(c) => c.req_packed_command(cmd),
            Conn::Cluster(c) => c.req_packed_command(cmd),
            Conn::Sentinel(c) => c.req_packed_command(cmd),
        }
    }

    fn req_packed_commands<'a>(
        &'a mut self,
        cmd: &'a Pipeline,
        offset: usize,
        count: usize,
    ) -> RedisFuture<'a, Vec<Value>> {
        match self {
            Conn::Standalone(c) => c.req_packed_commands(cmd, offset, count),
            Conn::Cluster(c) => c.req_packed_commands(cmd, offset, count),
            Conn::Sentinel(c) => c.req_packed_commands(cmd, offset, count),
        }
    }

    fn get_db(&self) -> i64 {
        match self {
            Conn::Standalone(c) => c.get_db(),
            Conn::Cluster(c) => c.get_db(),
            Conn::Sentinel(c) => c.get_db(),
        }
    }
}

#[derive(Clone)]
pub(crate) struct Connection {
    config: RedisConfig,
    live: Arc<RwLock<Option<Conn>>>,
}

impl Connection {
    pub(crate) fn new(config: RedisConfig) -> StoreResult<Self> {
        // Parse now, so a bad URL is a start-up error rather than a runtime one.
        match &config.topology {
            RedisTopology::Standalone(url) => {
                redis::Client::open(url.as_str())
                    .map_err(|e| StoreError::Unavailable(e.to_string()))?;
            }
            RedisTopology::Cluster(nodes) => {
                ClusterClientBuilder::new(nodes.clone())
                    .build()
                    .map_err(|e| StoreError::Unavailable(e.to_string()))?;
            }
            RedisTopology::Sentinel { nodes, master } => {
                SentinelClient::build(
                    nodes.clone(),
                    master.clone(),
                    None,
                    SentinelServerType::Master,
                )
                .map_err(|e| StoreError::Unavailable(e.to_string()))?;
            }
        }
        Ok(Connection {
            config,
            live: Arc::new(RwLock::new(None)),
        })
    }

    /// The live connection, made if there is none yet.
    pub(crate) async fn get(&self) -> StoreResult<Conn> {
        if let Some(conn) = self.live.read().await.as_ref() {
            return Ok(conn.clone());
        }
        let mut slot = self.live.write().await;
        if let Some(conn) = slot.as_ref() {
            return Ok(conn.clone());
        }
        let conn = self.connect().await?;
        *slot = Some(conn.clone());
        Ok(conn)
    }

    async fn connect(&self) -> StoreResult<Conn> {
        let fail = |e: redis::RedisError| StoreError::Unavailable(format!("redis: {e}"));
        let t = self.config.timeout;
        match &self.config.topology {
            RedisTopology::Standalone(url) => {
                let client = match &self.config.tls_ca_pem {
                    Some(ca) => redis::Client::build_with_tls(
                        url.as_str(),
                        redis::TlsCertificates {
                            client_tls: None,
                            root_cert: Some(ca.clone()),
                        },
                    ),
                    None => redis::Client::open(url.as_str()),
                }
                .map_err(fail)?;
                let config = ConnectionManagerConfig::new()
                    .set_connection_timeout(Some(t))
                    .set_response_timeout(Some(t))
                    .set_number_of_retries(1);
                Ok(Conn::Standalone(
                    ConnectionManager::new_with_config(client, config)
                        .await
                        .map_err(fail)?,
                ))
            }
            RedisTopology::Cluster(nodes) => {
                let client = ClusterClientBuilder::new(nodes.clone())
                    .connection_timeout(t)
                    .response_timeout(t)
                    .build()
                    .map_err(fail)?;
                Ok(Conn::Cluster(
                    client.get_async_connection().await.map_err(fail)?,
                ))
            }
            RedisTopology::Sentinel { nodes, master } => {
                let mut client = SentinelClient::build(
                    nodes.clone(),
                    master.clone(),
                    None,
                    SentinelServerType::Master,
                )
                .map_err(fail)?;
                let config = AsyncConnectionConfig::new()
                    .set_connection_timeout(Some(t))
                    .set_response_timeout(Some(t));
                Ok(Conn::Sentinel(
                    client
                        .get_async_connection_with_config(&config)
                        .await
                        .map_err(fail)?,
                ))
            }
        }
    }

    /// After a failed call on a sentinel-found master: forget it, so the next call asks the
    /// sentinels where the master is now (after a fail-over).
    pub(crate) async fn failed(&self) {
        if matches!(self.config.topology, RedisTopology::Sentinel { .. }) {
            *self.live.write().await = None;
        }
    }
}
