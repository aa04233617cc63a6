//! Argument groups shared by several subcommands: settings sources, limits, output and clock.

use crate::finding::Severity;
use crate::limits::Limits;
use crate::metadata;
use crate::report::Format;
use crate::settings::{Settings, Sourced};
use crate::time::Millis;
use clap::{Args, ValueEnum};
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};

/// Where the connection settings come from; later sources override earlier ones.
#[derive(Debug, Clone, Default, Args)]
pub struct SettingsArgs {
    /// Connection settings file (TOML, `[connection]` and `[organization]`)
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// IdP metadata XML: entityID, signing certificates, SSO endpoints
    #[arg(long, value_name = "FILE")]
    pub idp_metadata: Option<PathBuf>,
    /// SP (Kinde) metadata XML: entityID, ACS URL
    #[arg(long, value_name = "FILE")]
    pub sp_metadata: Option<PathBuf>,
    /// ACS URL Kinde shows for the connection (overrides the files)
    #[arg(long, value_name = "URL")]
    pub acs_url: Option<String>,
    /// Kinde's Entity ID, the IdP's Audience (overrides the files)
    #[arg(long, value_name = "ID")]
    pub sp_entity_id: Option<String>,
    /// The IdP's entity ID, its Issuer (overrides the files)
    #[arg(long, value_name = "ID")]
    pub idp_entity_id: Option<String>,
    /// Kinde's Email key attribute (overrides the files)
    #[arg(long, value_name = "NAME")]
    pub email_attribute: Option<String>,
    /// IdP signing certificate file (PEM or base64 DER), to verify signatures; repeatable
    #[arg(long = "idp-cert", value_name = "FILE")]
    pub idp_certs: Vec<PathBuf>,
    /// SP private key (PEM, PKCS#8 or PKCS#1), to decrypt EncryptedAssertions
    #[arg(long, value_name = "FILE")]
    pub sp_key: Option<PathBuf>,
}

impl SettingsArgs {
    /// Builds settings: file, then metadata, then flags.
    pub fn load(&self, limits: &Limits) -> Result<Settings, String> {
        let mut s = match &self.config {
            Some(p) => Settings::from_file(p).map_err(|e| e.to_string())?,
            None => Settings::default(),
        };
        if let Some(p) = &self.idp_metadata {
            metadata::apply_idp(
                &mut s,
                &read_text(p, limits)?,
                &p.display().to_string(),
                limits,
            )?;
        }
        if let Some(p) = &self.sp_metadata {
            metadata::apply_sp(
                &mut s,
                &read_text(p, limits)?,
                &p.display().to_string(),
                limits,
            )?;
        }
        let flag = |v: &Option<String>, name: &str| {
            v.as_ref().map(|v| Sourced {
                value: v.clone(),
                source: format!("--{name}"),
            })
        };
        if let Some(v) = flag(&self.acs_url, "acs-url") {
            s.acs_url = Some(v);
        }
        if let Some(v) = flag(&self.sp_entity_id, "sp-entity-id") {
            s.sp_entity_id = Some(v);
        }
        if let Some(v) = flag(&self.idp_entity_id, "idp-entity-id") {
            s.idp_entity_id = Some(v);
        }
        if let Some(v) = flag(&self.email_attribute, "email-attribute") {
            s.email_attribute = Some(v);
        }
        for p in &self.idp_certs {
            let bytes = read_input(&p.display().to_string(), limits)?;
            s.idp_certificates.push(Sourced {
                value: crate::dsig::cert::key_text_from_bytes(bytes)
                    .map_err(|e| format!("{}: {e}", p.display()))?,
                source: format!("--idp-cert {}", p.display()),
            });
        }
        if let Some(p) = &self.sp_key {
            s.sp_private_key = Some(Sourced {
                value: read_text(p, limits)?,
                source: format!("--sp-key {}", p.display()),
            });
        }
        Ok(s)
    }
}

/// Caps on untrusted input.
#[derive(Debug, Clone, Args)]
pub struct LimitArgs {
    /// Largest input accepted, in bytes
    #[arg(long, value_name = "BYTES", default_value_t = Limits::default().max_input_bytes)]
    pub max_input_bytes: usize,
    /// Largest output of any decompression, in bytes
    #[arg(long, value_name = "BYTES", default_value_t = Limits::default().max_inflated_bytes)]
    pub max_inflated_bytes: usize,
    /// Deepest XML element nesting accepted
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_xml_depth)]
    pub max_xml_depth: usize,
    /// Most XML nodes accepted in one message
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_xml_nodes)]
    pub max_xml_nodes: usize,
    /// Most attributes (namespace declarations included) accepted on one XML element
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_xml_attributes)]
    pub max_xml_attributes: usize,
}

impl LimitArgs {
    pub fn limits(&self) -> Limits {
        Limits {
            max_input_bytes: self.max_input_bytes,
            max_inflated_bytes: self.max_inflated_bytes,
            max_xml_depth: self.max_xml_depth,
            max_xml_nodes: self.max_xml_nodes,
            max_xml_attributes: self.max_xml_attributes,
        }
    }
}

/// The lowest severity that makes the exit code 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    /// Exit 0 whatever is found (input errors still exit 2)
    Never,
}

impl FailOn {
    pub fn fails(self, worst: Option<Severity>) -> bool {
        let bar = match self {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
            FailOn::Info => Severity::Info,
            FailOn::Never => return false,
        };
        worst.is_some_and(|w| w >= bar)
    }

    pub fn bar(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::Never => None,
        }
    }
}

/// When to colour text output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Output format, failure bar, colour.
#[derive(Debug, Clone, Args)]
pub struct OutputArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Lowest severity that makes the exit code 1
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// Colour in text output (NO_COLOR is honoured in auto)
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

impl OutputArgs {
    pub fn use_color(&self) -> bool {
        match self.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::stdout().is_terminal()
            }
        }
    }
}

/// Reads the clock once, at the edge: `--now` if given, else the system clock.
pub fn clock(now: &Option<String>) -> Result<(Millis, &'static str), String> {
    match now {
        Some(text) => crate::analyze::parse_now(text).map(|t| (t, "--now")),
        None => {
            let since = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_err(|e| e.to_string())?;
            Ok((since.as_millis() as Millis, "system clock"))
        }
    }
}

/// Reads a file (or stdin for `-`) up to the input limit.
pub fn read_input(path: &str, limits: &Limits) -> Result<Vec<u8>, String> {
    let mut buf = Vec::new();
    let cap = (limits.max_input_bytes as u64).saturating_add(1);
    let result = if path == "-" {
        std::io::stdin().lock().take(cap).read_to_end(&mut buf)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(cap).read_to_end(&mut buf))
    };
    result.map_err(|e| format!("cannot read {path}: {e}"))?;
    if buf.len() > limits.max_input_bytes {
        return Err(format!(
            "{path} is larger than the input limit of {} bytes; raise it with --max-input-bytes if this is really one trace",
            limits.max_input_bytes
        ));
    }
    Ok(buf)
}

fn read_text(path: &Path, limits: &Limits) -> Result<String, String> {
    let bytes = read_input(&path.display().to_string(), limits)?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "{} is not UTF-8 text (byte {})",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })
}
