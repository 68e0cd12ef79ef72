//! Opening a connection to one Redis server ourselves (TCP, or TLS with rustls), so that we run
//! the connection's reader and know the moment it ends: a server that restarted or failed over
//! closes its connections, and nothing is then sent on one of them.

use redis::aio::MultiplexedConnection;
use redis::{AsyncConnectionConfig, ConnectionAddr, ErrorKind, RedisError, RedisResult};
use rustls::pki_types::ServerName;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

/// An open connection and whether its server has gone away.
#[derive(Clone)]
pub(crate) struct Dialed {
    pub(crate) conn: MultiplexedConnection,
    /// Set when the connection's reader stops (end of stream, a broken socket, or the
    /// connection was dropped).
    pub(crate) dead: Arc<AtomicBool>,
}

type Driver = Pin<Box<dyn Future<Output = ()> + Send>>;

fn refused(why: &'static str) -> RedisError {
    RedisError::from((ErrorKind::InvalidClientConfig, why))
}

/// Trusts `ca_pem` when given, else the system's roots (as a `rediss://` URL expects); with
/// `tls` false (no `rediss://` server), nothing is read and nothing is trusted.
pub(crate) fn tls_config(
    tls: bool,
    ca_pem: Option<&[u8]>,
) -> RedisResult<Arc<rustls::ClientConfig>> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore::empty();
    match ca_pem {
        Some(pem) => {
            for cert in CertificateDer::pem_slice_iter(pem) {
                let cert = cert.map_err(|_| refused("the Redis CA file is not PEM"))?;
                roots
                    .add(cert)
                    .map_err(|_| refused("the Redis CA certificate is not usable"))?;
            }
        }
        None if !tls => {}
        None => {
            for cert in rustls_native_certs::load_native_certs().certs {
                // One unusable system certificate must not take the others down.
                let _ = roots.add(cert);
            }
        }
    }
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    Ok(Arc::new(
        rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|_| refused("no TLS protocol version available"))?
            .with_root_certificates(roots)
            .with_no_client_auth(),
    ))
}

/// Connects to the server `client` names, with `config`'s timeouts.
pub(crate) async fn dial(
    client: &redis::Client,
    tls: &Arc<rustls::ClientConfig>,
    config: AsyncConnectionConfig,
    connect_timeout: Duration,
) -> RedisResult<Dialed> {
    let info = client.get_connection_info();
    let (host, port, secure) = match info.addr() {
        ConnectionAddr::Tcp(host, port) => (host, *port, false),
        ConnectionAddr::TcpTls {
            host,
            port,
            insecure: false,
            ..
        } => (host, *port, true),
        ConnectionAddr::TcpTls { insecure: true, .. } => {
            return Err(refused("TLS without certificate checks is not supported"));
        }
        _ => return Err(refused("only TCP addresses are supported")),
    };
    let tcp = tokio::time::timeout(connect_timeout, TcpStream::connect((host.as_str(), port)))
        .await
        .map_err(|_| RedisError::from(std::io::Error::from(std::io::ErrorKind::TimedOut)))??;
    tcp.set_nodelay(true)?;
    let redis = info.redis_settings();
    let (conn, driver): (MultiplexedConnection, Driver) = if secure {
        let name = ServerName::try_from(host.clone())
            .map_err(|_| refused("the Redis host is not a valid TLS name"))?;
        let stream = TlsConnector::from(tls.clone()).connect(name, tcp).await?;
        let (conn, driver) = MultiplexedConnection::new_with_config(redis, stream, config).await?;
        (conn, Box::pin(driver))
    } else {
        let (conn, driver) = MultiplexedConnection::new_with_config(redis, tcp, config).await?;
        (conn, Box::pin(driver))
    };
    let dead = Arc::new(AtomicBool::new(false));
    let watch = Ended(dead.clone());
    tokio::spawn(async move {
        driver.await;
        drop(watch);
    });
    Ok(Dialed { conn, dead })
}

/// Marks the connection dead when its reader stops: at the end of the stream, or when the
/// runtime that drove it shuts down (the task is then dropped, not finished).
struct Ended(Arc<AtomicBool>);

impl Drop for Ended {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Release);
    }
}
