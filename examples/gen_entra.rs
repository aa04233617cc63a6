//! Generates synthetic Microsoft Graph `signIn` NDJSON for benchmarks: `cargo run --release
//! --example gen_entra -- <bytes> [seed] > signins.ndjson`. Deterministic for a given seed; users
//! are on contoso.test, IPs in 203.0.113.0/24. Records mirror the beta shape (about 2 KB each).

use std::io::{BufWriter, Write};

/// Codes and their weights (per 1000): mostly successes, some interrupts, a spread of failures.
const CODES: &[(u32, u32)] = &[
    (0, 700),
    (50140, 60),
    (50074, 40),
    (50011, 40),
    (50105, 35),
    (700016, 25),
    (50126, 30),
    (53003, 20),
    (50057, 10),
    (50034, 10),
    (75011, 10),
    (50076, 10),
    (9999999, 10),
];

/// A small deterministic generator (SplitMix64) so no crate is needed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

fn pick_code(r: u64) -> u32 {
    let mut x = (r % 1000) as u32;
    for &(code, w) in CODES {
        if x < w {
            return code;
        }
        x -= w;
    }
    0
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let target: u64 = args
        .get(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(100 << 20);
    let seed: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(42);
    let mut rng = Rng(seed);
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 20, stdout.lock());
    let mut written = 0u64;
    let mut i = 0u64;
    while written < target {
        let r = rng.next();
        let code = pick_code(r);
        let user = r % 5000;
        let app = (r >> 20) % 7;
        let secs = i / 20;
        let (h, m, s) = ((secs / 3600) % 24, (secs / 60) % 60, secs % 60);
        let day = 1 + (secs / 86_400) % 28;
        let reason = if code == 0 {
            "null".to_string()
        } else {
            format!("\"Synthetic failure {code}\"")
        };
        let line = format!(
            concat!(
                r#"{{"id":"{i:08x}-aaaa-4bbb-8ccc-{r:012x}","createdDateTime":"2025-11-{day:02}T{h:02}:{m:02}:{s:02}.{frac:07}Z","#,
                r#""userDisplayName":"User {user}","userPrincipalName":"user{user}@contoso.test","userId":"{user:08}-0000-4000-8000-000000000000","#,
                r#""appId":"6d2f8e1a-3b4c-4d5e-8f9a-{app:012}","appDisplayName":"Kinde SSO {app}","ipAddress":"203.0.113.{ip}","#,
                r#""clientAppUsed":"Browser","userAgent":"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0","#,
                r#""correlationId":"{corr:08x}-4ed3-4fbc-bbe9-068d40ce0126","conditionalAccessStatus":"notApplied","isInteractive":true,"#,
                r#""riskDetail":"none","riskLevelAggregated":"none","riskLevelDuringSignIn":"none","riskState":"none","riskEventTypes_v2":[],"#,
                r#""resourceDisplayName":"Kinde SSO {app}","resourceId":"6d2f8e1a-3b4c-4d5e-8f9a-{app:012}","authenticationProtocol":"saml20","#,
                r#""status":{{"errorCode":{code},"failureReason":{reason},"additionalDetails":null}},"#,
                r#""deviceDetail":{{"deviceId":"","displayName":"","operatingSystem":"Windows10","browser":"Edge 131.0.0","isCompliant":false,"isManaged":false,"trustType":""}},"#,
                r#""location":{{"city":"Seattle","state":"Washington","countryOrRegion":"US","geoCoordinates":{{"altitude":null,"latitude":47.6062,"longitude":-122.3321}}}},"#,
                r#""appliedConditionalAccessPolicies":[{{"id":"1b2c3d4e-5f60-4718-9a2b-3c4d5e6f7a8b","displayName":"Require MFA for Kinde SSO","enforcedGrantControls":["Mfa"],"enforcedSessionControls":[],"result":"notApplied"}}],"#,
                r#""authenticationDetails":[{{"authenticationStepDateTime":"2025-11-{day:02}T{h:02}:{m:02}:{s:02}Z","authenticationMethod":"Password","authenticationMethodDetail":"Password in the cloud","succeeded":true,"authenticationStepResultDetail":"Correct password"}}]}}"#,
                "\n"
            ),
            i = i,
            r = r & 0xFFFF_FFFF_FFFF,
            day = day,
            h = h,
            m = m,
            s = s,
            frac = r % 10_000_000,
            user = user,
            app = app,
            ip = 1 + (r >> 40) % 250,
            corr = (r >> 8) as u32,
            code = code,
            reason = reason,
        );
        out.write_all(line.as_bytes())?;
        written += line.len() as u64;
        i += 1;
    }
    out.flush()
}
