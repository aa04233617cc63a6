//! `check --bless`: write an expectation from what a fixture produces now, with the clock and the
//! settings file the run used, through [`crate::fsio`] (atomic, never over an input).

use super::{CheckError, Expectation, FixtureResult, expectation_path, read_expectation};
use std::path::{Path, PathBuf};

/// Writes (or rewrites) a fixture's expectation from what it produces now, keeping its
/// settings, clock and `must_not` list.
pub fn bless(result: &FixtureResult) -> Result<PathBuf, CheckError> {
    let path = expectation_path(Path::new(&result.fixture));
    let mut exp = if path.exists() {
        read_expectation(&path)?
    } else {
        Expectation::default()
    };
    exp.must = result.found.clone();
    exp.must_not
        .retain(|c| !result.found.contains(&c.to_ascii_uppercase()));
    exp.error = result.analysis.errors.first().map(|e| e.error.clone());
    exp.severity
        .retain(|c, _| result.found.contains(&c.to_ascii_uppercase()));
    // Record what the findings depend on, so the expectation replays the same run anywhere.
    if exp.now.is_none() {
        exp.now = Some(crate::time::format(result.now));
    }
    if exp.config.is_none()
        && let Some(c) = &result.default_config
    {
        let base = Path::new(&result.fixture)
            .parent()
            .unwrap_or(Path::new("."));
        exp.config = Some(relative_to(c, base));
    }
    let text = toml::to_string(&exp)
        .map_err(|e| CheckError(format!("cannot write {}: {e}", path.display())))?;
    crate::fsio::write(&path, text.as_bytes())
        .map_err(|e| CheckError(format!("cannot write {}: {e}", path.display())))?;
    Ok(path)
}

/// `target` as a path relative to the folder `base` (both resolved first), with `/` separators;
/// the absolute path when they share no root.
fn relative_to(target: &Path, base: &Path) -> String {
    let (Ok(t), Ok(b)) = (std::fs::canonicalize(target), std::fs::canonicalize(base)) else {
        return target.display().to_string();
    };
    let tc: Vec<_> = t.components().collect();
    let bc: Vec<_> = b.components().collect();
    let common = tc.iter().zip(&bc).take_while(|(x, y)| x == y).count();
    if common == 0 {
        return t.display().to_string();
    }
    let mut parts: Vec<String> = vec!["..".to_string(); bc.len() - common];
    parts.extend(
        tc[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

#[cfg(test)]
mod tests {
    #[test]
    fn relative_paths_climb_and_descend() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("a/b")).unwrap();
        std::fs::create_dir_all(dir.path().join("c")).unwrap();
        std::fs::write(dir.path().join("c/conn.toml"), "").unwrap();
        let rel = super::relative_to(&dir.path().join("c/conn.toml"), &dir.path().join("a/b"));
        assert_eq!(rel, "../../c/conn.toml");
    }
}
