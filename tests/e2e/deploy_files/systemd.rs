//! `deploy/systemd`: `systemd-analyze verify` and `security`, and the sandboxing it promises.

use super::{output_text, repo_path, scratch, tool};
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::process::Command;

const SYSTEMD: &str = "Debian's package `systemd` has it: apt-get install systemd";

#[test]
fn the_systemd_unit_verifies_and_is_sandboxed() {
    let unit = fs::read_to_string(repo_path("deploy/systemd/wagate.service")).unwrap();
    let entries = unit_entries(&unit);
    let has = |key: &str, value: &str| {
        entries
            .iter()
            .any(|(section, k, v)| section == "Service" && k == key && v == value)
    };
    for (key, value) in [
        ("Type", "simple"),
        (
            "ExecStart",
            "/usr/local/bin/wagate serve --config /etc/wagate/wagate.toml",
        ),
        // wagate re-reads its configuration on SIGHUP.
        ("ExecReload", "/bin/kill -HUP $MAINPID"),
        ("EnvironmentFile", "-/etc/wagate/env"),
        ("Restart", "on-failure"),
        ("UMask", "0077"),
        ("NoNewPrivileges", "yes"),
        ("CapabilityBoundingSet", ""),
        ("ProtectSystem", "strict"),
        ("ProtectHome", "yes"),
        ("PrivateTmp", "yes"),
        ("PrivateDevices", "yes"),
        ("ProtectKernelTunables", "yes"),
        ("ProtectKernelModules", "yes"),
        ("ProtectKernelLogs", "yes"),
        ("ProtectControlGroups", "yes"),
        ("ProtectClock", "yes"),
        ("ProtectHostname", "yes"),
        ("RestrictAddressFamilies", "AF_INET AF_INET6 AF_UNIX"),
        ("RestrictNamespaces", "yes"),
        ("RestrictRealtime", "yes"),
        ("RestrictSUIDSGID", "yes"),
        ("LockPersonality", "yes"),
        ("MemoryDenyWriteExecute", "yes"),
        ("SystemCallFilter", "@system-service"),
        ("SystemCallArchitectures", "native"),
    ] {
        assert!(has(key, value), "[Service] {key}={value} missing");
    }
    assert!(
        entries.iter().any(|(_, k, _)| k == "LimitNOFILE"),
        "LimitNOFILE"
    );
    assert!(
        entries
            .iter()
            .any(|(_, k, v)| k == "User" || (k == "DynamicUser" && v == "yes")),
        "an unprivileged user"
    );

    // systemd-analyze checks the unit as systemd would load it; it also wants the program to
    // exist, so a copy names a stand-in.
    let dir = scratch("systemd");
    let stand_in = dir.join("wagate");
    fs::write(&stand_in, "#!/bin/sh\nexit 0\n").unwrap();
    fs::set_permissions(&stand_in, fs::Permissions::from_mode(0o755)).unwrap();
    let copy = dir.join("wagate.service");
    fs::write(
        &copy,
        unit.replace(
            "/usr/local/bin/wagate ",
            &format!("{} ", stand_in.display()),
        ),
    )
    .unwrap();
    let verified = tool(
        Command::new("systemd-analyze").arg("verify").arg(&copy),
        SYSTEMD,
    );
    let text = output_text(&verified);
    // Unknown keys and bad values are only warnings to it, which name the file.
    assert!(
        verified.status.success() && !text.contains("wagate.service"),
        "systemd-analyze verify:\n{text}"
    );
    // Its exposure score, 0 to 100 (shown as 0.0 to 10.0): at most 2.0.
    let security = tool(
        Command::new("systemd-analyze")
            .args(["security", "--offline=true", "--threshold=20"])
            .arg(copy),
        SYSTEMD,
    );
    assert!(
        security.status.success(),
        "systemd-analyze security: exposure above 2.0:\n{}",
        output_text(&security)
    );
    let _ = fs::remove_dir_all(dir);
}

/// (section, key, value) of every assignment of a unit file.
fn unit_entries(unit: &str) -> Vec<(String, String, String)> {
    let mut section = String::new();
    let mut entries = Vec::new();
    for line in unit.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name.to_owned();
        } else if let Some((key, value)) = line.split_once('=') {
            entries.push((
                section.clone(),
                key.trim().to_owned(),
                value.trim().to_owned(),
            ));
        }
    }
    entries
}
