//! Vendor export shapes added for issue #16, each detected by content and read with zero
//! malformed records (fixtures in `fixtures/logs/`, described in its README).

use assert_cmd::Command;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/logs")
        .join(rel)
}

fn report(rel: &str) -> Value {
    let out = Command::cargo_bin("sso-doctor")
        .unwrap()
        .args(["logs", "--format", "json", "--fail-on", "never"])
        .arg(fixture(rel))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{rel}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// (events, failures, interrupted, skipped) and zero malformed records.
fn assert_counts(r: &Value, rel: &str, format: &str, want: [u64; 4]) {
    assert_eq!(r["files"][0]["format"], format, "{rel}");
    let got = [
        r["events_total"].as_u64().unwrap(),
        r["failures_total"].as_u64().unwrap(),
        r["interrupted_total"].as_u64().unwrap(),
        r["skipped_total"].as_u64().unwrap(),
    ];
    assert_eq!(got, want, "{rel}");
    assert_eq!(r["malformed"]["count"], 0, "{rel}");
}

#[test]
fn entra_azure_monitor_records_count_categories_apart() {
    let graph = report("entra/graph-beta.ndjson");
    for rel in [
        "entra/azure-monitor-records.json",
        "entra/eventhub-records.ndjson",
    ] {
        let r = report(rel);
        assert_counts(&r, rel, "entra-json", [10, 7, 1, 0]);
        assert_eq!(r["by_error_code"], graph["by_error_code"], "{rel}");
        assert_eq!(
            r["by_category"],
            json!({
                "interactive_user": {"events": 6, "failures": 4, "interrupted": 1},
                "non_interactive_user": {"events": 2, "failures": 1, "interrupted": 0},
                "service_principal": {"events": 1, "failures": 1, "interrupted": 0},
                "managed_identity": {"events": 1, "failures": 1, "interrupted": 0},
            }),
            "{rel}"
        );
        // Machine sign-ins carry no user: they never join the user counts.
        assert_eq!(r["distinct_users"], 5, "{rel}");
    }
    let text = Command::cargo_bin("sso-doctor")
        .unwrap()
        .args(["logs", "--fail-on", "never"])
        .arg(fixture("entra/azure-monitor-records.json"))
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("Sign-in categories") && text.contains("service_principal: 1 events"),
        "{text}"
    );
}

#[test]
fn entra_powershell_convertto_json_reads_like_graph() {
    let graph = report("entra/graph-beta.ndjson");
    let r = report("entra/powershell-signins.json");
    assert_counts(&r, "powershell", "entra-json", [10, 7, 1, 0]);
    for key in [
        "by_error_code",
        "by_cause",
        "first_seen",
        "last_seen",
        "by_app",
    ] {
        assert_eq!(r[key], graph[key], "{key}");
    }
    assert_eq!(r["top_users"], graph["top_users"]);
}

#[test]
fn google_login_application_codes_and_odd_field_types() {
    let r = report("google/login-activities.json");
    // 6 activities: success, 3 failures, a challenge (interrupt), a logout (skipped).
    assert_counts(&r, "google login", "google-json", [5, 3, 1, 1]);
    assert_eq!(
        r["by_error_code"],
        json!({
            "login_failure_account_disabled": 1,
            "login_failure_invalid_password": 1,
            "login_failure_invalid_second_factor": 1,
        })
    );
    assert_eq!(r["by_cause"]["bad_credentials"], 1);
    assert_eq!(r["by_cause"]["account_state"], 1);
    assert_eq!(r["by_cause"]["mfa_or_conditional_access"], 1);
    assert!(r["by_cause"].get("unknown").is_none());
}

#[test]
fn okta_event_hook_deliveries_and_skipped_counts_per_type() {
    let r = report("okta/event-hook-deliveries.ndjson");
    // 6 LogEvents in 2 deliveries: 3 sign-ins behind other IdPs, 3 skipped.
    assert_counts(&r, "okta hook", "okta-ndjson", [3, 1, 0, 3]);
    assert_eq!(r["by_error_code"], json!({"INVALID_CREDENTIALS": 1}));
    assert_eq!(
        r["skipped_by_type"],
        json!({"okta:group.user_membership.add": 1, "okta:user.session.end": 2})
    );
    let plain = report("okta/system-log.ndjson");
    assert_eq!(
        plain["skipped_by_type"],
        json!({"okta:user.session.end": 1})
    );
}

#[test]
fn adfs_forwarded_as_json_reads_like_the_csv_export() {
    let csv = report("adfs/get-winevent.csv");
    for (rel, skipped) in [("adfs/winlogbeat.ndjson", 2), ("adfs/nxlog.ndjson", 1)] {
        let r = report(rel);
        // Winlogbeat's stream also carries a Security logon event: skipped, not AD FS.
        assert_counts(&r, rel, "adfs-ndjson", [6, 5, 0, skipped]);
        for key in [
            "by_error_code",
            "by_cause",
            "top_users",
            "first_seen",
            "last_seen",
        ] {
            assert_eq!(r[key], csv[key], "{rel} {key}");
        }
    }
}

#[test]
fn kinde_webhook_jwts_are_decoded_and_said_to_be_unverified() {
    let run = |rel: &str| {
        let out = Command::cargo_bin("sso-doctor")
            .unwrap()
            .args(["logs", "--format", "json", "--fail-on", "never"])
            .arg(fixture(rel))
            .arg(fixture("kinde/users-export.ndjson"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{rel}");
        serde_json::from_slice::<Value>(&out.stdout).unwrap()
    };
    let jwt = run("kinde/webhook-jwts.txt");
    let json = run("kinde/webhooks.json");
    let formats: Vec<&str> = jwt["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["format"].as_str().unwrap())
        .collect();
    assert_eq!(formats, ["kinde-users-ndjson", "kinde-jwt-ndjson"]);
    assert_eq!(jwt["malformed"]["count"], 0);
    for key in [
        "events_total",
        "failures_total",
        "skipped_total",
        "by_error_code",
        "top_users",
    ] {
        assert_eq!(jwt[key], json[key], "{key}");
    }
    let notes = jwt["notes"].to_string();
    assert!(notes.contains("unverified"), "{notes}");
    assert!(!json["notes"].to_string().contains("unverified"));
}

#[test]
fn log_analytics_query_api_rows_read_like_the_json_export() {
    let export = report("entra/la-signinlogs.json");
    let r = report("entra/la-query-api.json");
    assert_counts(&r, "la query", "entra-tables-json", [10, 7, 1, 0]);
    for key in [
        "by_error_code",
        "by_cause",
        "top_users",
        "first_seen",
        "by_category",
    ] {
        assert_eq!(r[key], export[key], "{key}");
    }
}
