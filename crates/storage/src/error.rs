use thiserror::Error;

/// What can go wrong talking to a backend. Callers map every variant; none is "bad input".
#[derive(Debug, Error)]
pub enum StoreError {
    /// The backend could not be reached or did not answer in time.
    #[error("storage unavailable: {0}")]
    Unavailable(String),
    /// A stored value could not be decoded (written by an incompatible version, or damaged).
    #[error("stored record is corrupt: {0}")]
    Corrupt(String),
}
