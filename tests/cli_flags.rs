//! One meaning per flag across subcommands (issue 15, "Consistent and scriptable"): `--fail-on`
//! accepts `never`/`none` everywhere, `-o`, `-f`, `-c`, `-q`, `-v`, `--color`; and the saml JSON has
//! one shape whatever the number of messages.

mod common;
use common::{NOW, run, sso};

#[test]
fn fail_on_never_and_none_mean_the_same_everywhere() {
    for word in ["never", "none"] {
        let (code, _, err) = run(&["demo", "--fail-on", word]);
        assert_eq!(code, 0, "demo --fail-on {word}: {err}");
        let (code, _, err) = run(&[
            "saml",
            "fixtures/saml/acs-trailing-slash.xml",
            "-c",
            "fixtures/saml/entra.toml",
            "--now",
            NOW,
            "--fail-on",
            word,
        ]);
        assert_eq!(code, 0, "saml --fail-on {word}: {err}");
        let (code, _, err) = run(&[
            "logs",
            "fixtures/logs/entra/graph-beta.ndjson",
            "--no-progress",
            "--fail-on",
            word,
        ]);
        assert_eq!(code, 0, "logs --fail-on {word}: {err}");
        let dir = tempfile::tempdir().unwrap();
        let fx = dir.path().join("x.xml");
        std::fs::copy("fixtures/saml/acs-trailing-slash.xml", &fx).unwrap();
        // SD201 needs an ACS URL, and this expectation names no settings: the fixture fails.
        std::fs::write(
            dir.path().join("x.xml.expect.toml"),
            "must = [\"SD201\"]\nnow = \"2026-03-10T09:16:00Z\"\n",
        )
        .unwrap();
        let (failing, _, _) = run(&["check", dir.path().to_str().unwrap()]);
        assert_eq!(failing, 1);
        let (code, _, err) = run(&["check", dir.path().to_str().unwrap(), "--fail-on", word]);
        assert_eq!(code, 0, "check --fail-on {word}: {err}");
    }
}

#[test]
fn short_flags_and_output_files_work_on_every_report_command() {
    let dir = tempfile::tempdir().unwrap();
    let o = |n: &str| dir.path().join(n).display().to_string();
    let (code, out, err) = run(&["demo", "-f", "json", "-o", &o("demo.json")]);
    assert_eq!((code, out.as_str()), (1, ""), "{err}");
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(o("demo.json")).unwrap()).unwrap();
    assert_eq!(v["schema"], "sso-doctor.saml/1");
    let (code, _, err) = run(&[
        "saml",
        "fixtures/saml/acs-trailing-slash.xml",
        "-c",
        "fixtures/saml/entra.toml",
        "--now",
        NOW,
        "-f",
        "sarif",
        "-o",
        &o("r.sarif"),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(
        std::fs::read_to_string(o("r.sarif"))
            .unwrap()
            .contains("\"2.1.0\"")
    );
    let (code, _, err) = run(&["check", "fixtures/saml", "-f", "junit", "-o", &o("c.xml")]);
    assert_eq!(code, 0, "{err}");
    assert!(
        std::fs::read_to_string(o("c.xml"))
            .unwrap()
            .starts_with("<?xml")
    );
    let (code, _, err) = run(&[
        "logs",
        "fixtures/logs/entra/graph-beta.ndjson",
        "--no-progress",
        "-f",
        "json",
        "-o",
        &o("l.json"),
        "--fail-on",
        "never",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(o("l.json")).unwrap()).unwrap();
    assert_eq!(v["schema"], "sso-doctor.logs/1");
}

#[test]
fn quiet_prints_nothing_and_verbose_says_what_was_used() {
    let (code, out, err) = run(&["demo", "-q"]);
    assert_eq!((code, out.as_str(), err.as_str()), (1, "", ""));
    let (code, out, err) = run(&["check", "fixtures/saml", "-q"]);
    assert_eq!((code, out.as_str()), (0, ""), "{err}");
    let (code, out, _) = run(&[
        "logs",
        "fixtures/logs/entra/graph-beta.ndjson",
        "--no-progress",
        "-q",
    ]);
    assert_eq!(out, "");
    assert_eq!(code, 1, "the exit code still carries the answer");
    let (_, _, err) = run(&[
        "saml",
        "fixtures/saml/acs-trailing-slash.xml",
        "--now",
        NOW,
        "-v",
    ]);
    assert!(err.contains("clock: 2026-03-10T09:16:00Z (--now)"), "{err}");
}

#[test]
fn color_follows_the_flag_and_no_color() {
    let out = sso().args(["demo", "--color", "always"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("\x1b["));
    // NO_COLOR (set by `sso()`) and a pipe: no colour in auto.
    let (_, out, _) = run(&["demo"]);
    assert!(!out.contains("\x1b["));
    let (_, out, _) = run(&["check", "fixtures/saml", "--color", "always"]);
    assert!(out.contains("\x1b["));
}

#[test]
fn saml_json_has_one_shape_for_one_or_many_messages() {
    let one = run(&[
        "saml",
        "fixtures/saml/acs-trailing-slash.xml",
        "-c",
        "fixtures/saml/entra.toml",
        "--now",
        NOW,
        "-f",
        "json",
    ])
    .1;
    let many = run(&[
        "saml",
        "fixtures/saml/acs-trailing-slash.xml",
        "fixtures/saml/capture.har",
        "-c",
        "fixtures/saml/entra.toml",
        "--now",
        NOW,
        "-f",
        "json",
    ])
    .1;
    let one: serde_json::Value = serde_json::from_str(&one).unwrap();
    let many: serde_json::Value = serde_json::from_str(&many).unwrap();
    let keys =
        |v: &serde_json::Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };
    assert_eq!(keys(&one), keys(&many), "the same top-level keys");
    assert_eq!(one["schema"], "sso-doctor.saml/1");
    assert_eq!(one["messages"].as_array().unwrap().len(), 1);
    assert!(many["messages"].as_array().unwrap().len() > 1);
    assert_eq!(one["settings_file"], "fixtures/saml/entra.toml");
    assert_eq!(one["input"], one["messages"][0]["input"]);
    for f in one["findings"].as_array().unwrap() {
        assert_eq!(f["message_index"], 0);
    }
    // Every key is documented in docs/json.md.
    let doc = std::fs::read_to_string("docs/json.md").unwrap();
    for k in keys(&one)
        .iter()
        .chain(&keys(&one["messages"][0]))
        .chain(&keys(&one["summary"]))
    {
        assert!(
            doc.contains(&format!("`{k}`")) || doc.contains(&format!("\"{k}\"")),
            "docs/json.md lacks {k}"
        );
    }
    // No message at all: the same keys, with nulls.
    let none: serde_json::Value =
        serde_json::from_str(&run(&["saml", "fixtures/saml/bad-jwt.txt", "-f", "json"]).1).unwrap();
    assert_eq!(keys(&none), keys(&one));
    assert!(none["summary"].is_null());
}

/// Runs the binary under a pseudo-terminal (util-linux `script`), so `--color auto` sees a TTY.
fn on_a_tty(args: &str, no_color: bool) -> Option<String> {
    let have = std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_ok();
    if !have {
        assert!(
            std::env::var_os("CI").is_none(),
            "util-linux `script` is needed for the TTY tests (apt-get install util-linux)"
        );
        eprintln!("SKIPPED: no `script` for a pseudo-terminal");
        return None;
    }
    let bin = env!("CARGO_BIN_EXE_sso-doctor");
    let mut cmd = std::process::Command::new("script");
    cmd.args(["-qec", &format!("{bin} {args}"), "/dev/null"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(std::process::Stdio::null());
    if no_color {
        cmd.env("NO_COLOR", "1");
    } else {
        cmd.env_remove("NO_COLOR");
    }
    let out = cmd.output().unwrap();
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn auto_colour_on_a_terminal_unless_no_color() {
    let Some(coloured) = on_a_tty("demo", false) else {
        return;
    };
    assert!(
        coloured.contains("\x1b[1;31m"),
        "a terminal gets colour: {coloured:?}"
    );
    let plain = on_a_tty("demo", true).unwrap();
    assert!(
        plain.contains("SD201") && !plain.contains("\x1b[1;31m"),
        "NO_COLOR: {plain:?}"
    );
    let never = on_a_tty("demo --color never", false).unwrap();
    assert!(!never.contains("\x1b[1;31m"));
    let check = on_a_tty("check fixtures/saml", false).unwrap();
    assert!(check.contains("\x1b["), "check colours a terminal too");
}
