//! `sso-doctor check` in CI formats: one result per fixture that FAILED its expectation (missing or
//! unexpected codes, a wrong severity, an expected input error not raised, or — with `--strict` — no
//! expectation file), pointing at the fixture with the expectation file as a related location.
//! Passing fixtures produce nothing: their expected findings are the point of the fixture, not
//! problems to annotate.

use super::github::{escape_data, escape_property};
use super::sarif::{self, Extent};
use crate::check::{FixtureResult, Status};
use serde_json::{Value, json};

/// The rule every check result is reported under.
pub const RULE_ID: &str = "fixture-expectation-failed";

/// Whether the fixture fails the run.
pub fn failing(r: &FixtureResult, strict: bool) -> bool {
    r.status == Status::Fail || (strict && r.status == Status::Unchecked)
}

/// The failure in words: what was missing, what was unexpected, the other problems.
pub fn describe(r: &FixtureResult, strict: bool) -> Vec<String> {
    let mut lines = Vec::new();
    if !r.missing.is_empty() {
        lines.push(format!("expected but missing: {}", r.missing.join(", ")));
    }
    if !r.unexpected.is_empty() {
        lines.push(format!(
            "found but not expected: {}",
            r.unexpected.join(", ")
        ));
    }
    lines.extend(r.problems.iter().cloned());
    if strict && r.status == Status::Unchecked {
        lines.push(
            "no expectation file (--strict); create one with `sso-doctor check --bless`".into(),
        );
    }
    lines
}

fn headline(r: &FixtureResult) -> String {
    match &r.expectation {
        Some(e) => format!(
            "{} failed its expectation {}",
            sarif::relative_path(&r.fixture),
            sarif::relative_path(e)
        ),
        None => format!(
            "{} has no expectation file",
            sarif::relative_path(&r.fixture)
        ),
    }
}

/// SARIF: a result per failing fixture; `extent` gives each file's text shape for regions.
pub fn sarif(
    results: &[FixtureResult],
    strict: bool,
    extent: &dyn Fn(&str) -> Option<Extent>,
) -> String {
    let rule = json!({
        "id": RULE_ID,
        "name": "FixtureExpectationFailed",
        "shortDescription": { "text": "A fixture did not produce the findings its expectation file names." },
        "fullDescription": { "text": "sso-doctor check analysed the fixture and compared the finding codes with NAME.expect.toml: codes in `must` that did not appear, codes in `must_not` (or outside `must` with `exact = true`) that did, a wrong severity, or an expected input error that was not raised." },
        "help": { "text": "Run `sso-doctor check FIXTURE` to see the findings; if the change is intended, update the expectation with `sso-doctor check FIXTURE --bless` and review the diff." },
        "defaultConfiguration": { "level": "error" },
    });
    let out: Vec<Value> = results
        .iter()
        .filter(|r| failing(r, strict))
        .map(|r| {
            let region = extent(&r.fixture).unwrap_or_default().whole();
            let mut result = json!({
                "ruleId": RULE_ID,
                "ruleIndex": 0,
                "level": "error",
                "message": { "text": sarif::sentence(&format!("{}: {}", headline(r), describe(r, strict).join("; "))) },
                "locations": [sarif::location(&r.fixture, region)],
                "properties": { "missing": r.missing, "unexpected": r.unexpected, "problems": r.problems, "found": r.found },
            });
            if let Some(e) = &r.expectation {
                let region = extent(e).unwrap_or_default().whole();
                let mut related = sarif::location(e, region);
                related["id"] = json!(0);
                related["message"] = json!({ "text": "The expectation file." });
                result["relatedLocations"] = json!([related]);
            }
            result
        })
        .collect();
    sarif::document("sso-doctor check", vec![rule], out, Vec::new())
}

/// GitHub annotations: an error per failing fixture, on the fixture, naming the expectation file.
pub fn github(results: &[FixtureResult], strict: bool) -> String {
    let mut out = String::new();
    for r in results.iter().filter(|r| failing(r, strict)) {
        let title = match r.status {
            Status::Unchecked => "fixture has no expectation file",
            _ => "fixture failed its expectation",
        };
        out.push_str(&format!(
            "::error file={},line=1,title={}::{}\n",
            escape_property(&sarif::relative_path(&r.fixture)),
            escape_property(title),
            escape_data(&format!(
                "{}: {}",
                headline(r),
                describe(r, strict).join("; ")
            ))
        ));
    }
    out
}
