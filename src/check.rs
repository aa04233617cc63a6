//! Fixture checking: each SAML fixture with an expectation file beside it (`NAME.expect.toml`)
//! must still produce the findings it names. Used by `sso-doctor check` in CI and by the project's
//! own test suite over `fixtures/`.
//!
//! ```toml
//! config = "entra.toml"          # settings file, relative to this file (optional)
//! idp_metadata = "idp.xml"       # optional, likewise sp_metadata
//! now = "2026-03-10T09:16:00Z"   # the clock (optional; without it the system clock is used)
//! must = ["SD201"]               # codes that must appear
//! must_not = ["SD301"]           # codes that must not appear
//! exact = false                  # true: no code outside `must` may appear
//! error = "DOCTYPE"              # instead: the input must be unusable, with this in the message
//! [severity]                     # optional: expected severity per code
//! SD201 = "error"
//! ```

use crate::analyze::{Analysis, Input, RunOptions, analyze};
use crate::finding::Severity;
use crate::limits::Limits;
use crate::metadata;
use crate::settings::Settings;
use crate::time::Millis;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

mod bless;
pub use bless::bless;

pub const EXPECT_SUFFIX: &str = ".expect.toml";

/// What a fixture must produce.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Expectation {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idp_metadata: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sp_metadata: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub now: Option<String>,
    #[serde(default)]
    pub must: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub must_not: Vec<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub exact: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub severity: BTreeMap<String, String>,
}

/// How one fixture fared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Pass,
    Fail,
    /// No expectation file: analysed and reported, failing only under `--strict`.
    Unchecked,
}

/// The result for one fixture.
#[derive(Debug, Clone, Serialize)]
pub struct FixtureResult {
    pub fixture: String,
    pub expectation: Option<String>,
    pub status: Status,
    /// Codes found, sorted.
    pub found: Vec<String>,
    pub missing: Vec<String>,
    pub unexpected: Vec<String>,
    /// Other problems: wrong severity, expected error not raised, unusable input.
    pub problems: Vec<String>,
    #[serde(skip)]
    pub analysis: Analysis,
    /// The clock the fixture was judged at.
    #[serde(skip)]
    pub now: Millis,
    /// The settings file used because the expectation names none (`check --config`).
    #[serde(skip)]
    pub default_config: Option<PathBuf>,
    /// Every file read for this fixture (the fixture, settings, metadata), for the same-file
    /// check before `--bless` writes.
    #[serde(skip)]
    pub read: Vec<PathBuf>,
}

/// Settings or expectation files that cannot be used: the whole check stops (exit 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckError(pub String);

/// Lists the fixtures under `dirs` (files that are not `.toml`, `.md` or hidden), sorted.
pub fn find_fixtures(dirs: &[PathBuf]) -> Result<Vec<PathBuf>, CheckError> {
    let mut out = Vec::new();
    for d in dirs {
        if d.is_file() {
            out.push(d.clone());
            continue;
        }
        walk(d, &mut out, &mut Default::default())
            .map_err(|e| CheckError(format!("cannot read {}: {e}", d.display())))?;
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// `seen` holds the directories walked so far (canonical paths), so a symlink loop is walked once.
fn walk(
    dir: &Path,
    out: &mut Vec<PathBuf>,
    seen: &mut std::collections::HashSet<PathBuf>,
) -> std::io::Result<()> {
    if !seen.insert(std::fs::canonicalize(dir)?) {
        return Ok(());
    }
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.path());
    for e in entries {
        let p = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        if p.is_dir() {
            walk(&p, out, seen)?;
        } else if !name.ends_with(".toml") && !name.ends_with(".md") {
            out.push(p);
        }
    }
    Ok(())
}

/// The expectation file for a fixture: `dir/name.expect.toml`.
pub fn expectation_path(fixture: &Path) -> PathBuf {
    let name = fixture
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    fixture.with_file_name(format!("{name}{EXPECT_SUFFIX}"))
}

/// Reads and validates an expectation file; errors name the file and the key.
pub fn read_expectation(path: &Path) -> Result<Expectation, CheckError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| CheckError(format!("cannot read {}: {e}", path.display())))?;
    let exp: Expectation = toml::from_str(&text).map_err(|e| {
        CheckError(format!(
            "expectation file {} is not valid: {}",
            path.display(),
            e.to_string().trim_end()
        ))
    })?;
    for code in exp
        .must
        .iter()
        .chain(&exp.must_not)
        .chain(exp.severity.keys())
    {
        if crate::rules::find(code).is_none() {
            return Err(CheckError(format!(
                "expectation file {}: unknown finding code {code:?} (see `sso-doctor rules`)",
                path.display()
            )));
        }
    }
    for (code, sev) in &exp.severity {
        if Severity::parse(sev).is_none() {
            return Err(CheckError(format!(
                "expectation file {}: key severity.{code} = {sev:?} is not error, warning or info",
                path.display()
            )));
        }
    }
    if let Some(now) = &exp.now {
        crate::time::parse_millis(now).ok_or_else(|| {
            CheckError(format!(
                "expectation file {}: key now = {now:?} is not an RFC 3339 timestamp",
                path.display()
            ))
        })?;
    }
    Ok(exp)
}

fn settings_for(exp: &Expectation, base: &Path, limits: &Limits) -> Result<Settings, CheckError> {
    let s = match &exp.config {
        Some(c) => Settings::from_file(&base.join(c)).map_err(|e| CheckError(e.to_string()))?,
        None => Settings::default(),
    };
    apply_metadata(s, exp, base, limits)
}

fn apply_metadata(
    mut s: Settings,
    exp: &Expectation,
    base: &Path,
    limits: &Limits,
) -> Result<Settings, CheckError> {
    let rel = |p: &str| base.join(p);
    let read = |p: &str| {
        std::fs::read_to_string(rel(p))
            .map_err(|e| CheckError(format!("cannot read {}: {e}", rel(p).display())))
    };
    if let Some(m) = &exp.idp_metadata {
        metadata::apply_idp(&mut s, &read(m)?, m, limits).map_err(CheckError)?;
    }
    if let Some(m) = &exp.sp_metadata {
        metadata::apply_sp(&mut s, &read(m)?, m, limits).map_err(CheckError)?;
    }
    Ok(s)
}

/// Checks one fixture. `default_now` is the clock, and `default_config` the settings file, for
/// fixtures whose expectation names none.
pub fn check_fixture(
    fixture: &Path,
    default_now: Millis,
    default_config: Option<&Path>,
    limits: &Limits,
) -> Result<FixtureResult, CheckError> {
    let exp_path = expectation_path(fixture);
    let exp = if exp_path.exists() {
        Some(read_expectation(&exp_path)?)
    } else {
        None
    };
    let base = fixture.parent().unwrap_or(Path::new("."));
    let mut read = vec![fixture.to_path_buf()];
    let uses_default = exp.as_ref().is_none_or(|e| e.config.is_none());
    let default_config = default_config.filter(|_| uses_default);
    let mut settings = match &exp {
        Some(e) => {
            read.extend(
                [&e.config, &e.idp_metadata, &e.sp_metadata]
                    .into_iter()
                    .flatten()
                    .map(|p| base.join(p)),
            );
            settings_for(e, base, limits)?
        }
        None => Settings::default(),
    };
    if let Some(c) = default_config {
        let mut from_file = Settings::from_file(c).map_err(|e| CheckError(e.to_string()))?;
        if let Some(e) = &exp {
            // Metadata named by the expectation still applies on top of the default settings.
            if e.idp_metadata.is_some() || e.sp_metadata.is_some() {
                let only_metadata = Expectation {
                    idp_metadata: e.idp_metadata.clone(),
                    sp_metadata: e.sp_metadata.clone(),
                    ..Default::default()
                };
                from_file = apply_metadata(from_file, &only_metadata, base, limits)?;
            }
        }
        settings = from_file;
        read.push(c.to_path_buf());
    }
    let now = exp
        .as_ref()
        .and_then(|e| e.now.as_deref())
        .and_then(crate::time::parse_millis)
        .unwrap_or(default_now);
    let bytes = std::fs::read(fixture)
        .map_err(|e| CheckError(format!("cannot read {}: {e}", fixture.display())))?;
    let name = fixture.display().to_string();
    let opts = RunOptions {
        settings: &settings,
        now: Some(now),
        now_source: "expectation `now`",
        limits: *limits,
    };
    let analysis = analyze(
        &[Input {
            name: name.clone(),
            bytes,
        }],
        &opts,
    );
    let found: BTreeSet<String> = analysis
        .messages
        .iter()
        .flat_map(|m| m.outcome.findings.iter().map(|f| f.code.to_string()))
        .collect();
    let mut result = FixtureResult {
        fixture: name,
        expectation: exp.as_ref().map(|_| exp_path.display().to_string()),
        status: Status::Unchecked,
        found: found.iter().cloned().collect(),
        missing: Vec::new(),
        unexpected: Vec::new(),
        problems: Vec::new(),
        analysis,
        now,
        default_config: default_config.map(Path::to_path_buf),
        read,
    };
    if let Some(exp) = exp {
        compare(&exp, &found, &mut result);
        result.status = if result.missing.is_empty()
            && result.unexpected.is_empty()
            && result.problems.is_empty()
        {
            Status::Pass
        } else {
            Status::Fail
        };
    }
    Ok(result)
}

fn compare(exp: &Expectation, found: &BTreeSet<String>, r: &mut FixtureResult) {
    let errors: Vec<String> = r.analysis.errors.iter().map(|e| e.error.clone()).collect();
    match &exp.error {
        Some(want) => {
            if !errors.iter().any(|e| e.contains(want.as_str())) {
                r.problems.push(match errors.first() {
                    Some(e) => format!("expected an input error containing {want:?}, got: {e}"),
                    None => format!(
                        "expected an input error containing {want:?}, but the input was usable"
                    ),
                });
            }
        }
        None => r.problems.extend(errors.iter().map(|e| {
            format!("the input could not be used (the expectation names no `error`): {e}")
        })),
    }
    let upper = |c: &String| c.to_ascii_uppercase();
    r.missing = exp
        .must
        .iter()
        .map(upper)
        .filter(|c| !found.contains(c))
        .collect();
    r.unexpected = exp
        .must_not
        .iter()
        .map(upper)
        .filter(|c| found.contains(c))
        .collect();
    if exp.exact {
        let must: BTreeSet<String> = exp.must.iter().map(upper).collect();
        let extra: Vec<String> = found
            .iter()
            .filter(|c| !must.contains(*c) && !r.unexpected.contains(c))
            .cloned()
            .collect();
        r.unexpected.extend(extra);
        r.unexpected.sort();
    }
    for (code, want) in &exp.severity {
        let want = Severity::parse(want);
        let got: Vec<Severity> = r
            .analysis
            .messages
            .iter()
            .flat_map(|m| m.outcome.findings.iter())
            .filter(|f| f.code.eq_ignore_ascii_case(code))
            .map(|f| f.severity)
            .collect();
        if !got.is_empty() && got.iter().any(|g| Some(*g) != want) {
            r.problems.push(format!(
                "{code}: expected severity {}, got {}",
                want.map_or("?", |w| w.as_str()),
                got[0]
            ));
        }
    }
}
