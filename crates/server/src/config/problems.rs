//! Collecting what is wrong with a configuration (all of it, then stop), and reading the
//! secret files it names.

use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;
use wagate_storage::Secret;

/// Collects problems (and warnings) while reading a configuration.
#[derive(Default)]
pub(super) struct Problems {
    errors: Vec<String>,
    warnings: Vec<String>,
}

impl Problems {
    pub(super) fn add(&mut self, p: impl Into<String>) {
        self.errors.push(p.into());
    }

    /// Something that works but should not be left so.
    pub(super) fn warn(&mut self, w: impl Into<String>) {
        self.warnings.push(w.into());
    }

    pub(super) fn check(&mut self, ok: bool, p: impl Into<String>) {
        if !ok {
            self.add(p);
        }
    }

    /// The problems, or (when there are none) the warnings.
    pub(super) fn finish(self) -> Result<Vec<String>, Vec<String>> {
        if self.errors.is_empty() {
            Ok(self.warnings)
        } else {
            Err(self.errors)
        }
    }
}

/// A secret or key file that other users of the host can read.
pub(super) fn warn_if_shared(problems: &mut Problems, what: &str, path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = std::fs::metadata(path) {
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            problems.warn(format!(
                "{what}: {} can be read by other users (mode {mode:04o}); make it readable by wagate's user alone (chmod 600)",
                path.display()
            ));
        }
    }
}

pub(super) fn read_secret(
    problems: &mut Problems,
    what: &str,
    inline: &Option<Secret>,
    file: &Option<std::path::PathBuf>,
) -> Option<Secret> {
    match (inline, file) {
        (Some(_), Some(_)) => {
            problems.add(format!("{what}: set the secret or its _file, not both"));
            None
        }
        (Some(s), None) => Some(s.clone()),
        (None, Some(path)) => match std::fs::read_to_string(path) {
            // Files written by editors and secret managers often end in a newline.
            Ok(s) => {
                warn_if_shared(problems, what, path);
                Some(Secret::new(s.trim_end_matches(['\r', '\n'])))
            }
            Err(e) => {
                problems.add(format!("{what}: cannot read {}: {e}", path.display()));
                None
            }
        },
        (None, None) => None,
    }
}

pub(super) fn addr(problems: &mut Problems, key: &str, value: &str) -> Option<SocketAddr> {
    match value.parse::<SocketAddr>() {
        Ok(a) => Some(a),
        Err(_) => {
            problems.add(format!(
                "{key}: {value:?} is not an address like 127.0.0.1:8080"
            ));
            None
        }
    }
}

pub(super) fn secs(v: u64) -> Duration {
    Duration::from_secs(v)
}
