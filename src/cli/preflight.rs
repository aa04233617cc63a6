//! `sso-doctor preflight`: compare the IdP's SAML app configuration with the Kinde connection.

use super::{EXIT_FINDINGS, EXIT_OK, fail};
use crate::limits::Limits;
use crate::preflight::{self, Input, KindeSide, Verdict};
use crate::settings::Settings;
use clap::{Args, ValueEnum};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PreflightFormat {
    Text,
    Json,
    /// One self-contained HTML page (no script, no external request)
    Html,
    /// GitHub-flavoured Markdown, for a ticket or a pull request
    Markdown,
}

/// Compare the IdP's SAML app configuration with the Kinde connection before anyone signs in
#[derive(Debug, Args)]
pub struct PreflightArgs {
    /// IdP exports: Okta app JSON, `terraform show -json`, Graph application/servicePrincipal,
    /// `Get-AdfsRelyingPartyTrust | ConvertTo-Json`, Keycloak client, PingFederate spConnection,
    /// or SAML metadata (recognised by content)
    #[arg(value_name = "IDP_CONFIG")]
    pub inputs: Vec<String>,
    /// Kinde side: the TOML settings or Kinde's connection JSON (`{"options":{…}}`)
    #[arg(long, short = 'c', value_name = "FILE")]
    pub config: PathBuf,
    /// The IdP's SAML metadata (entity ID, signing certificates); repeatable
    #[arg(long = "idp-metadata", value_name = "FILE")]
    pub idp_metadata: Vec<String>,
    /// Kinde's ACS URL, when the settings file does not hold it (Kinde's connection JSON does not)
    #[arg(long, value_name = "URL")]
    pub acs_url: Option<String>,
    /// Judge certificate expiry as of this time (RFC 3339); default: now
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
    #[arg(long, short = 'f', value_enum, default_value_t = PreflightFormat::Text)]
    pub format: PreflightFormat,
}

fn kinde_side(args: &PreflightArgs) -> Result<KindeSide, String> {
    let shown = args.config.display().to_string();
    let s = Settings::from_file(&args.config).map_err(|e| e.to_string())?;
    let mut side = KindeSide::from_settings(&s, &shown);
    let text = std::fs::read_to_string(&args.config).unwrap_or_default();
    side.from_api_json = crate::settings::kinde_api::looks_like_json(&text);
    if let Some(u) = &args.acs_url {
        side.acs_url = Some(preflight::Found {
            value: u.clone(),
            source: "--acs-url".into(),
        });
    }
    Ok(side)
}

pub fn run(args: PreflightArgs) -> i32 {
    let limits = Limits::default();
    if args.inputs.is_empty() && args.idp_metadata.is_empty() {
        return fail(
            "preflight needs the IdP side: one or more IdP exports and/or --idp-metadata FILE",
        );
    }
    let kinde = match kinde_side(&args) {
        Ok(k) => k,
        Err(e) => return fail(&e),
    };
    let (now, _) = match super::args::clock(&args.now) {
        Ok(n) => n,
        Err(e) => return fail(&e),
    };
    let mut blobs = Vec::new();
    for p in args.inputs.iter().chain(&args.idp_metadata) {
        if p.starts_with("https://") || p.starts_with("http://") {
            return fail(&format!(
                "{p}: sso-doctor is offline by design and fetches nothing; download the file first (e.g. `curl -o idp.xml '{p}'`) and pass its path"
            ));
        }
        match crate::decode::read::read_input(p, &limits) {
            Ok(b) => blobs.push((p.clone(), b)),
            Err(e) => return fail(&e),
        }
    }
    let inputs: Vec<Input> = blobs
        .iter()
        .map(|(n, b)| Input { name: n, bytes: b })
        .collect();
    let idp = match preflight::read_idp(&inputs, &limits) {
        Ok(i) => i,
        Err(e) => return fail(&e),
    };
    let report = preflight::run(idp, kinde, now);
    let text = match args.format {
        PreflightFormat::Text => preflight::render::text(&report),
        PreflightFormat::Html => preflight::render::html(&report),
        PreflightFormat::Markdown => preflight::render::markdown(&report),
        PreflightFormat::Json => {
            let mut s =
                serde_json::to_string_pretty(&preflight::render::json(&report)).unwrap_or_default();
            s.push('\n');
            s
        }
    };
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|_| out.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        return fail(&format!("cannot write the report: {e}"));
    }
    if report.verdict == Verdict::Ready {
        EXIT_OK
    } else {
        EXIT_FINDINGS
    }
}
