//! Finding your way: shell completions, the man page, `explain` by words or by a pasted error,
//! wrong-command hints, and the offline answer to a metadata URL (issue 15).

mod common;
use common::{NOW, run, sso};

#[test]
fn completions_for_every_shell_complete_subcommands_and_flags() {
    for (shell, marker) in [
        ("bash", "complete -F _sso__doctor"),
        ("zsh", "#compdef sso-doctor"),
        ("fish", "complete -c sso-doctor"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let (code, out, err) = run(&["completions", shell]);
        assert_eq!(code, 0, "{shell}: {err}");
        assert!(out.contains(marker), "{shell} script lacks {marker}");
        assert!(out.contains("idp-metadata"), "{shell} completes flags");
    }
    // Bash really completes: load the script and ask it.
    let (_, script, _) = run(&["completions", "bash"]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("c.bash");
    std::fs::write(&file, script).unwrap();
    let probe = format!(
        "source {}; COMP_WORDS=(sso-doctor com); COMP_CWORD=1; _sso__doctor sso-doctor com sso-doctor; echo \"${{COMPREPLY[@]}}\"",
        file.display()
    );
    let out = std::process::Command::new("bash")
        .args(["-c", &probe])
        .output()
        .unwrap();
    let words = String::from_utf8_lossy(&out.stdout);
    assert!(
        words.split_whitespace().any(|w| w == "completions"),
        "bash offered: {words:?} {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn man_page_documents_every_subcommand() {
    let (code, out, err) = run(&["man"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with(".ie") || out.starts_with(".TH"),
        "roff: {}",
        &out[..out.len().min(80)]
    );
    for sub in ["saml", "check", "logs", "merge", "explain", "completions"] {
        assert!(
            out.contains(&format!("SSO-DOCTOR {}", sub.to_uppercase())),
            "man page lacks {sub}"
        );
    }
    assert!(out.contains("fail\\-on"), "flags are listed");
}

#[test]
fn explain_by_words_and_by_a_pasted_error() {
    let (code, out, err) = run(&["explain", "destination"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("SD201"), "{out}");
    let (code, out, _) = run(&[
        "explain",
        "AADSTS50011: The redirect URI 'https://acme.kinde.test/login/saml/callback' specified in the request does not match the redirect URIs configured for the application",
    ]);
    assert_eq!(code, 0);
    assert!(
        out.contains("AADSTS50011") && out.contains("Reply URL"),
        "{out}"
    );
    let (code, out, _) = run(&["explain", "SD201"]);
    assert_eq!(code, 0);
    assert!(
        !out.contains("Needs:") && out.contains("This check runs only when"),
        "{out}"
    );
    let (code, _, err) = run(&["explain", "qqqq", "zzzz"]);
    assert_eq!(code, 2);
    assert!(err.contains("sso-doctor rules"), "{err}");
}

#[test]
fn wrong_command_inputs_point_at_the_right_command() {
    let log = "fixtures/logs/entra/graph-beta.ndjson";
    let (code, out, _) = run(&["saml", log, "--now", NOW]);
    assert_eq!(code, 2);
    assert!(
        out.contains(&format!("try `sso-doctor logs {log}`")),
        "{out}"
    );
    let saml = "fixtures/saml/acs-trailing-slash.xml";
    let (code, _, err) = run(&["logs", saml, "--no-progress"]);
    assert_eq!(code, 2);
    assert!(
        err.contains(&format!("try `sso-doctor saml {saml}`")),
        "{err}"
    );
    let (code, _, err) = run(&["merge", log]);
    assert_eq!(code, 2);
    assert!(
        err.contains(&format!("try `sso-doctor logs {log}`")),
        "{err}"
    );
    let dir = tempfile::tempdir().unwrap();
    let partial = dir.path().join("p.partial");
    let (code, _, err) = run(&["logs", "--partial", "-o", partial.to_str().unwrap(), log]);
    assert_eq!(code, 0, "{err}");
    let (code, out, _) = run(&["saml", partial.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(out.contains("try `sso-doctor merge"), "{out}");
}

#[test]
fn metadata_urls_get_the_offline_answer() {
    let (code, _, err) = run(&[
        "saml",
        "fixtures/saml/acs-trailing-slash.xml",
        "--idp-metadata",
        "https://login.example.com/federationmetadata.xml",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("offline by design"), "{err}");
    assert!(
        err.contains("curl -fsSL 'https://login.example.com/federationmetadata.xml' -o"),
        "{err}"
    );
    assert!(!err.contains("No such file"), "{err}");
    let out = sso().args(["demo"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
}
