//! Argument groups shared by several subcommands: settings sources, limits, output and clock.

use crate::decode::read::{read_input, read_text};
use crate::finding::Severity;
use crate::limits::Limits;
use crate::metadata;
use crate::report::Format;
use crate::settings::{Settings, Sourced};
use crate::time::Millis;
use clap::{Args, ValueEnum};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// The settings file found in the current folder without `--config`.
pub const DEFAULT_CONFIG: &str = "sso-doctor.toml";
/// The environment variable naming a settings file.
pub const CONFIG_ENV: &str = "SSO_DOCTOR_CONFIG";

/// Where the connection settings come from; later sources override earlier ones.
#[derive(Debug, Clone, Default, Args)]
pub struct SettingsArgs {
    /// Connection settings file: the TOML contract, or the connection JSON from Kinde's Management
    /// API (without it, `sso-doctor.toml` in the current folder or $SSO_DOCTOR_CONFIG is used)
    #[arg(long, short = 'c', value_name = "FILE")]
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
    /// The settings file to read: `--config`, else `$SSO_DOCTOR_CONFIG`, else `sso-doctor.toml` in
    /// the current folder when there is one.
    pub fn config_file(&self) -> Result<Option<PathBuf>, String> {
        if let Some(p) = &self.config {
            return Ok(Some(p.clone()));
        }
        if let Some(env) = std::env::var_os(CONFIG_ENV).filter(|v| !v.is_empty()) {
            let p = PathBuf::from(env);
            if !p.is_file() {
                return Err(format!(
                    "{CONFIG_ENV} names {}, which is not a file; fix or unset it",
                    p.display()
                ));
            }
            return Ok(Some(p));
        }
        let here = PathBuf::from(DEFAULT_CONFIG);
        Ok(here.is_file().then_some(here))
    }

    /// The files these settings read, for the same-file check before an output is written.
    pub fn files(&self) -> Vec<(&'static str, PathBuf)> {
        let mut out: Vec<(&'static str, PathBuf)> = Vec::new();
        if let Ok(Some(c)) = self.config_file() {
            out.push(("settings file", c));
        }
        out.extend(
            self.idp_metadata
                .iter()
                .map(|p| ("IdP metadata", p.clone())),
        );
        out.extend(self.sp_metadata.iter().map(|p| ("SP metadata", p.clone())));
        out.extend(
            self.idp_certs
                .iter()
                .map(|p| ("IdP certificate", p.clone())),
        );
        out.extend(self.sp_key.iter().map(|p| ("SP key", p.clone())));
        out
    }

    /// Builds settings: file, then metadata, then flags.
    pub fn load(&self, limits: &Limits) -> Result<Settings, String> {
        let flags = [
            ("--config", self.config.as_deref()),
            ("--idp-metadata", self.idp_metadata.as_deref()),
            ("--sp-metadata", self.sp_metadata.as_deref()),
            ("--sp-key", self.sp_key.as_deref()),
        ];
        let certs = self
            .idp_certs
            .iter()
            .map(|p| ("--idp-cert", Some(p.as_path())));
        for (flag, path) in flags.into_iter().chain(certs) {
            if let Some(msg) = path.and_then(|p| super::hints::offline(flag, p)) {
                return Err(msg);
            }
        }
        let mut s = match self.config_file()? {
            Some(p) => Settings::from_file(&p).map_err(|e| e.to_string())?,
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
    /// Exit 0 whatever is found (input errors still exit 2); `none` is the same
    #[value(alias = "none")]
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

/// Output format, destination, failure bar, colour and verbosity: the same flags, with the same
/// meaning, on `saml`, `demo` and `check`.
#[derive(Debug, Clone, Args)]
pub struct OutputArgs {
    /// Output format
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write the report to FILE (replaced atomically) instead of standard output; `-` is
    /// standard output
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Lowest severity that makes the exit code 1: error, warning, info, or never (also `none`)
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// Colour in text output: auto (a terminal, and NO_COLOR unset), always or never
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    #[command(flatten)]
    pub verbosity: Verbosity,
}

/// `-q` and `-v`, shared by every command.
#[derive(Debug, Clone, Copy, Default, Args)]
pub struct Verbosity {
    /// Print nothing but errors; the exit code carries the answer
    #[arg(long, short = 'q', conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also say, on standard error, which settings, clock and inputs were used
    #[arg(long, short = 'v')]
    pub verbose: bool,
}

impl Verbosity {
    /// A note for people on standard error, unless `-q`.
    pub fn note(&self, text: &str) {
        if !self.quiet {
            eprintln!("sso-doctor: {text}");
        }
    }

    /// A note shown only with `-v`.
    pub fn detail(&self, text: &str) {
        if self.verbose {
            eprintln!("sso-doctor: {text}");
        }
    }
}

/// Colour for a text report on standard output: `--color`, then NO_COLOR, then whether standard
/// output is a terminal. A report written to a file (`-o FILE`) is never coloured in `auto`.
pub fn use_color(choice: ColorChoice, to_file: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            !to_file
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}

/// Writes a finished report to `-o FILE` (atomically, through [`crate::fsio`]) or standard output.
pub fn write_report(output: Option<&Path>, text: &str) -> Result<(), String> {
    match output {
        Some(p) if !crate::fsio::is_dash(p) => crate::fsio::write(p, text.as_bytes())
            .map_err(|e| format!("cannot write the report to {}: {e}", p.display())),
        _ => crate::fsio::print(text).map_err(|e| format!("cannot write the report: {e}")),
    }
}

impl OutputArgs {
    pub fn use_color(&self) -> bool {
        use_color(
            self.color,
            self.output
                .as_deref()
                .is_some_and(|p| !crate::fsio::is_dash(p)),
        )
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

/// Reads a text file for the CLI (UTF-8, or UTF-16 with a BOM), up to the input limit.
pub fn read_text_file(path: &Path, limits: &Limits) -> Result<String, String> {
    read_text(path, limits)
}
