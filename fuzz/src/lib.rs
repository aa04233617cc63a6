//! Helpers shared by the fuzz targets: fixed settings built from the test keys, CSV row
//! iteration, a per-process scratch file for readers that take a path, and log aggregation.
#![forbid(unsafe_code)]

use sso_doctor::logs::csvrow::{Headers, Row};
use sso_doctor::logs::{Aggregate, Event};
use sso_doctor::settings::{Settings, Sourced};
use std::path::PathBuf;

const IDP_RSA: &str = include_str!("../../fixtures/keys/idp-rsa.crt");
const IDP_P256: &str = include_str!("../../fixtures/keys/idp-p256.crt");
const SP_KEY: &str = include_str!("../../fixtures/keys/sp-rsa.key");

fn sourced(v: &str) -> Option<Sourced<String>> {
    Some(Sourced {
        value: v.to_string(),
        source: "fuzz".into(),
    })
}

/// The IdP certificates the fixtures are signed with (RSA and P-256).
pub fn idp_certs() -> Vec<String> {
    vec![IDP_RSA.to_string(), IDP_P256.to_string()]
}

/// Settings variant `n`: 0 is empty (self-contained checks only), the others hold a full
/// connection (Entra- or Okta-like values, IdP certificates, SP key, every `want_*` switch), so
/// every rule has what it needs to run.
pub fn settings(n: u8) -> Settings {
    let mut s = Settings::default();
    if n.is_multiple_of(4) {
        return s;
    }
    let okta = n % 4 == 2;
    s.acs_url = sourced(if okta {
        "https://acme.kinde.test/login/saml/callback/"
    } else {
        "https://acme.kinde.test/login/saml/callback"
    });
    s.sp_entity_id = sourced("kx7Qm2Rv9LpT4wZ8aN3c");
    s.idp_entity_id = sourced(if okta {
        "http://www.okta.test/exk1"
    } else {
        "https://sts.windows.test/00000000-0000-4000-8000-0000000000a1/"
    });
    s.email_attribute = sourced(if n % 4 == 3 {
        "email"
    } else {
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"
    });
    s.name_id_format = sourced("urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress");
    s.idp_certificates = idp_certs()
        .into_iter()
        .map(|value| Sourced {
            value,
            source: "fuzz".into(),
        })
        .collect();
    s.sp_private_key = sourced(SP_KEY);
    s.want_assertions_signed = n & 4 != 0;
    s.want_response_signed = n & 8 != 0;
    s.want_assertions_encrypted = n & 16 != 0;
    s.jit_provisioning = Some(n & 32 != 0);
    s.trust_emails = Some(n & 64 != 0);
    s.self_joining = Some(n & 128 != 0);
    s.clock_skew_seconds = u64::from(n);
    s.connection_id = Some("conn_fuzz".into());
    s
}

/// Calls `f` with every row of `data` read as a CSV file with a header line, the way the logs
/// command reads CSV exports.
pub fn for_each_csv_row(data: &[u8], mut f: impl FnMut(&Row<'_>)) {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .comment(Some(b'#'))
        .from_reader(data);
    let Ok(names) = rdr.headers().cloned() else {
        return;
    };
    let headers = Headers::new(names.iter());
    let mut record = csv::StringRecord::new();
    let mut rows = 0;
    while let Ok(true) = rdr.read_record(&mut record) {
        f(&Row::new(&headers, &record));
        rows += 1;
        if rows > 10_000 {
            break;
        }
    }
}

/// Aggregates events and renders the report the logs command would print.
pub fn aggregate<'a>(events: impl IntoIterator<Item = Event<'a>>) {
    let mut agg = Aggregate::default();
    for e in events {
        agg.add(&e);
    }
    report(&agg);
}

/// Renders the text report and the partial-aggregate JSON of `agg`, and reads the JSON back.
pub fn report(agg: &Aggregate) {
    let report = sso_doctor::logs::report::Report::build(agg, 10, Vec::new());
    let _ = sso_doctor::logs::report::render_text(&report, agg);
    let json = sso_doctor::logs::partial::to_json(agg);
    sso_doctor::logs::partial::from_json(json.as_bytes()).expect("partial JSON reads back");
}

/// Writes `data` to a scratch file named `name` (unique to this process) and returns its path.
pub fn scratch(name: &str, data: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sso-doctor-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(name);
    std::fs::write(&path, data).expect("scratch file");
    path
}
