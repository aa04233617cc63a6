//! Generates a monitor benchmark tenant: `cargo run --release --example monitor_gen -- DIR [IDP_MB] [PEOPLE] [KINDE_EVENTS]`
//! (defaults 1024 MB of Entra Graph sign-in NDJSON, 100,000 people, 200,000 Kinde events).
//! Deterministic; every value synthetic on example.com.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::Path;

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let dir = Path::new(
        args.get(1)
            .map(String::as_str)
            .unwrap_or("target/monitor-bench"),
    );
    let idp_mb: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1024);
    let people: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let kinde_events: u64 = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(200_000);
    fs::create_dir_all(dir.join("logs"))?;
    fs::write(
        dir.join("conn.toml"),
        "[connection]\nid = \"conn_0123456789abcdef0123456789abcdef\"\nemail_attribute = \"email\"\ntrust_emails = true\njit_provisioning = true\n",
    )?;
    let mut users = BufWriter::new(File::create(dir.join("users-before.ndjson"))?);
    for i in 0..people {
        writeln!(
            users,
            r#"{{"id":"kp_{i:032x}","email":"person.{i}@example.com","created_on":"2025-06-10T09:15:22.104311+00:00","identities":[{{"type":"email","identity":"person.{i}@example.com","provider":null}}],"organizations":["org_0a1b2c3d4e5"]}}"#
        )?;
    }
    users.flush()?;
    let mut idp = BufWriter::new(File::create(dir.join("logs/entra-signins.ndjson"))?);
    let (mut written, mut n) = (0u64, 0u64);
    let base = 1_793_523_600u64; // 2026-11-02T09:00:00Z
    while written < idp_mb * 1024 * 1024 {
        let who = (n * 7919) % people;
        let t = base + n * 2;
        let (d, h, m, s) = (
            2 + t.saturating_sub(base) / 86_400 % 28,
            t / 3600 % 24,
            t / 60 % 60,
            t % 60,
        );
        let code = if n % 10 == 0 { 50105 } else { 0 };
        let line = format!(
            r#"{{"id":"{n:08x}-aaaa-4bbb-8ccc-000000000001","createdDateTime":"2026-11-{d:02}T{h:02}:{m:02}:{s:02}.0185198Z","userDisplayName":"Person {who}","userPrincipalName":"person.{who}@example.com","appId":"6d2f8e1a-0000-4000-8000-00000000a001","appDisplayName":"Kinde SSO (example)","ipAddress":"203.0.113.10","correlationId":"c0rre1a7-0000-4000-8000-{n:012}","authenticationProtocol":"saml20","status":{{"errorCode":{code},"failureReason":null,"additionalDetails":null}},"location":{{"city":"Example","countryOrRegion":"NZ"}},"appliedConditionalAccessPolicies":[]}}"#
        );
        writeln!(idp, "{line}")?;
        written += line.len() as u64 + 1;
        n += 1;
    }
    idp.flush()?;
    let mut kinde = BufWriter::new(File::create(dir.join("logs/kinde-events.ndjson"))?);
    for i in 0..kinde_events {
        let who = (i * 7919) % people;
        let t = base + i * 2 * (n / kinde_events.max(1)).max(1) + 20;
        let (d, h, m, s) = (
            2 + t.saturating_sub(base) / 86_400 % 28,
            t / 3600 % 24,
            t / 60 % 60,
            t % 60,
        );
        writeln!(
            kinde,
            r#"{{"data":{{"user":{{"id":"kp_{who:032x}"}}}},"event_id":"event_{i:032x}","ip_address":"203.0.113.10","source":"user","timestamp":"2026-11-{d:02}T{h:02}:{m:02}:{s:02}.000000+00:00","type":"user.authenticated"}}"#
        )?;
    }
    kinde.flush()?;
    eprintln!(
        "{} IdP records ({} MB), {people} users, {kinde_events} Kinde events in {}",
        n,
        written >> 20,
        dir.display()
    );
    Ok(())
}
