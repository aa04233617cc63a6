//! The README's promises hold: the first code block is exactly the two promised commands, every page
//! it links exists, and the "now your own trace" steps work as written.

mod common;
use common::sso;

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap()
}

fn code_blocks(text: &str) -> Vec<Vec<String>> {
    let mut blocks = Vec::new();
    let mut current: Option<Vec<String>> = None;
    for line in text.lines() {
        if line.starts_with("```") {
            match current.take() {
                Some(b) => blocks.push(b),
                None => current = Some(Vec::new()),
            }
        } else if let Some(b) = current.as_mut() {
            b.push(line.to_string());
        }
    }
    blocks
}

fn command(line: &str) -> String {
    line.split(" #").next().unwrap().trim().to_string()
}

#[test]
fn first_block_is_the_two_promised_commands() {
    let blocks = code_blocks(&readme());
    let first: Vec<String> = blocks[0].iter().map(|l| command(l)).collect();
    assert_eq!(first, ["cargo run --release -- demo", "cargo test"]);
}

#[test]
fn every_linked_page_exists() {
    let text = readme();
    let mut n = 0;
    for part in text.split("](").skip(1) {
        let target = part.split(')').next().unwrap().split('#').next().unwrap();
        if target.starts_with("http") {
            continue;
        }
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(target);
        assert!(path.exists(), "README links {target}, which does not exist");
        n += 1;
    }
    assert!(n >= 8, "the map links the reference pages");
}

#[test]
fn own_trace_steps_work_as_written() {
    let blocks = code_blocks(&readme());
    let steps = blocks
        .iter()
        .find(|b| b.iter().any(|l| l.starts_with("sso-doctor init")))
        .expect("a block with the own-trace steps");
    let dir = tempfile::tempdir().unwrap();
    let fixture = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/saml/acs-trailing-slash.xml"
    ))
    .unwrap();
    for line in steps {
        let cmd = command(line);
        let cmd = cmd.strip_prefix("pbpaste | ").unwrap_or(&cmd);
        let args: Vec<&str> = cmd.split_whitespace().skip(1).collect();
        let out = sso()
            .current_dir(dir.path())
            .args(&args)
            .write_stdin(fixture.clone())
            .output()
            .unwrap();
        let code = out.status.code().unwrap();
        assert!(
            code == 0 || code == 1,
            "`{cmd}` exited {code}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        if args[0] == "saml" {
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(
                text.starts_with("settings: sso-doctor.toml"),
                "the template from init is used: {text}"
            );
        }
    }
}
