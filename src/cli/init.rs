//! `sso-doctor init`: writes a commented settings template (`sso-doctor.toml`, which `saml` then
//! finds without `--config`), optionally filled from the IdP's metadata.

use super::args::read_text_file;
use super::{EXIT_OK, EXIT_UNUSABLE};
use crate::settings::Settings;
use clap::Args;
use std::path::PathBuf;

/// Write a commented settings template (sso-doctor.toml)
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to write it; `-` is standard output
    #[arg(long, short = 'o', value_name = "FILE", default_value = super::args::DEFAULT_CONFIG)]
    pub output: PathBuf,
    /// Fill the IdP's entity ID and signing certificates from its metadata XML (a file)
    #[arg(long, value_name = "FILE")]
    pub idp_metadata: Option<PathBuf>,
    /// Replace an existing file
    #[arg(long)]
    pub force: bool,
}

fn quoted(v: &str) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| format!("{v:?}"))
}

/// The template text; `s` holds whatever the metadata gave.
pub fn template(s: &Settings, from: Option<&str>) -> String {
    let idp_entity = s
        .idp_entity_id
        .as_ref()
        .map(|v| format!("idp_entity_id = {}", quoted(&v.value)))
        .unwrap_or_else(|| "# idp_entity_id = \"https://sts.windows.net/<tenant-id>/\"".into());
    let certs = if s.idp_certificates.is_empty() {
        "# idp_certificates = [\"MIIC...\"]   # PEM or base64 DER; or idp_certificate_files".into()
    } else {
        let list: Vec<String> = s
            .idp_certificates
            .iter()
            .map(|c| format!("  {},", quoted(c.value.trim())))
            .collect();
        format!("idp_certificates = [\n{}\n]", list.join("\n"))
    };
    let header = match from {
        Some(m) => format!("# The IdP values below were read from {m}.\n"),
        None => String::new(),
    };
    format!(
        r#"# sso-doctor settings for one Kinde SAML connection. `sso-doctor saml` reads this file
# when it is named sso-doctor.toml in the current folder (or by --config / $SSO_DOCTOR_CONFIG).
# Values come from Kinde: Settings > Authentication > Enterprise connections > (connection) >
# Configure. Leave a key commented out when you do not know it: the checks that need it are
# skipped and the report says which setting would enable them. Unknown keys are errors.
{header}
[connection]
# The ACS URL Kinde shows for the connection (the IdP's Reply URL / Single sign-on URL).
# acs_url = "https://<your-subdomain>.kinde.com/login/saml/callback"
# Kinde's Entity ID: the IdP must send exactly this as the Audience (Identifier).
# sp_entity_id = "https://<your-subdomain>.kinde.com"
# The IdP's entity ID: the Issuer of its responses.
{idp_entity}
# The IdP's signing certificate(s), to verify signatures.
{certs}
# Kinde's "Email key attribute"; blank in Kinde means `email`.
# email_attribute = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"
# The NameID format Kinde asks for (optional).
# name_id_format = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"
# Allowed clock difference between the IdP and Kinde, in seconds (default 180).
# clock_skew_seconds = 180
# want_assertions_signed = false
# want_response_signed = false
# want_assertions_encrypted = false
# "Create a user record in Kinde" (just-in-time provisioning) and "Trust email addresses
# provided by this connection": used by `sso-doctor simulate`.
# jit_provisioning = true
# trust_emails = false
# id = "conn_..."                      # the Kinde connection id
# sp_private_key_file = "sp.key"       # SP key (PEM) to decrypt EncryptedAssertions

[organization]
# self_joining = true
"#
    )
}

pub fn run(args: InitArgs) -> i32 {
    let mut plan = crate::fsio::Plan::new();
    if let Some(m) = &args.idp_metadata {
        plan.input("IdP metadata", m);
    }
    plan.output("settings template (-o)", &args.output);
    if let Err(e) = plan.check() {
        return super::fail(&e.to_string());
    }
    if !crate::fsio::is_dash(&args.output) && args.output.exists() && !args.force {
        return super::fail(&format!(
            "{} exists; pass --force to replace it, or -o another path",
            args.output.display()
        ));
    }
    let mut s = Settings::default();
    if let Some(m) = &args.idp_metadata {
        if let Some(msg) = super::hints::offline("--idp-metadata", m) {
            return super::fail(&msg);
        }
        let limits = crate::limits::Limits::default();
        let text = match read_text_file(m, &limits) {
            Ok(t) => t,
            Err(e) => return super::fail(&e),
        };
        if let Err(e) = crate::metadata::apply_idp(&mut s, &text, &m.display().to_string(), &limits)
        {
            return super::fail(&e);
        }
    }
    let shown = args.idp_metadata.as_ref().map(|m| m.display().to_string());
    let text = template(&s, shown.as_deref());
    match super::args::write_report(Some(&args.output), &text) {
        Ok(()) if crate::fsio::is_dash(&args.output) => EXIT_OK,
        Ok(()) => {
            eprintln!(
                "sso-doctor: wrote {}; fill in the values from Kinde, then run `sso-doctor saml TRACE`",
                args.output.display()
            );
            EXIT_OK
        }
        Err(e) => {
            eprintln!("sso-doctor: {e}");
            EXIT_UNUSABLE
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_empty_template_is_valid_settings() {
        let text = super::template(&Default::default(), None);
        let s = crate::settings::Settings::from_toml(&text, "t").unwrap();
        assert!(s.acs_url.is_none());
    }
}
