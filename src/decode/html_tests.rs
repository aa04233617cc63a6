//! The browser-equivalence cases of the HTML step, one per way a naive reader differs.

use super::*;

fn values(page: &str) -> Vec<String> {
    html_step(page, &Trail::default())
        .unwrap()
        .into_iter()
        .map(|(layer, _)| match layer {
            Layer::Value(v) => v,
            other => panic!("not a value: {other:?}"),
        })
        .collect()
}

fn wrap(body: &str) -> String {
    format!("<!DOCTYPE html><html><body onload=\"document.forms[0].submit()\">{body}</body></html>")
}

#[test]
fn first_duplicate_attribute_wins_and_names_are_exact() {
    let p = wrap(
        r#"<form action="https://a.test/acs"><input name=SAMLResponse value=one VALUE=two data-value=three></form>"#,
    );
    assert_eq!(values(&p), ["one"]);
    let p = wrap(r#"<form><input name=SAMLResponse data-value=three></form>"#);
    assert_eq!(values(&p), [""]);
}

#[test]
fn comments_templates_scripts_and_noscript_hold_no_fields() {
    let p = wrap(
        r#"<form><!-- <input name=SAMLResponse value=c> --><template><input name=SAMLResponse value=t></template>
        <script>var s = '<input name=SAMLResponse value=s>';</script><noscript><input name=SAMLResponse value=n></noscript>
        <input type=hidden name=SAMLResponse value=live></form>"#,
    );
    assert_eq!(values(&p), ["live"]);
}

#[test]
fn entities_are_decoded_exactly_once() {
    let p = wrap(r#"<form><input name=SAMLResponse value="a&amp;#43;b&#43;c&plus;"></form>"#);
    let next = html_step(&p, &Trail::default()).unwrap();
    let (Layer::Value(v), t) = &next[0] else {
        panic!()
    };
    assert_eq!(v, "a&#43;b+c+");
    assert!(t.html_decoded);
}

#[test]
fn the_submitted_form_is_the_one_read() {
    let p = wrap(
        r#"<form action="https://decoy.test/"><input name=SAMLResponse value=decoy></form>
        <form id=f2 action="https://a.test/acs"><input name=SAMLResponse value=real><input name=RelayState value="r&amp;1"></form>
        <script>document.getElementById("f2").submit();</script>"#,
    )
    .replace("document.forms[0].submit()", "");
    let next = html_step(&p, &Trail::default()).unwrap();
    assert_eq!(next.len(), 1);
    let (Layer::Value(v), t) = &next[0] else {
        panic!()
    };
    assert_eq!(v, "real");
    assert_eq!(t.relay_state.as_deref(), Some("r&1"));
    assert_eq!(
        t.steps,
        ["form field SAMLResponse of the HTML page (form 2, action https://a.test/acs)"]
    );
    assert!(t.notes[0].contains("2 forms"), "{:?}", t.notes);
}

#[test]
fn a_submitted_form_without_saml_is_named() {
    let p = wrap(
        r#"<form action="https://x.test/"><input name=a value=b></form><form><input name=SAMLResponse value=v></form>"#,
    );
    let e = html_step(&p, &Trail::default()).unwrap_err().to_string();
    assert!(e.contains("form 1, action https://x.test/"), "{e}");
}

#[test]
fn controls_a_browser_would_not_send_are_left_out() {
    let p = wrap(
        r#"<form id=f><input name=SAMLResponse value=d disabled><input type=submit name=SAMLResponse value=s>
        <input type=checkbox name=SAMLResponse value=c><textarea name=SAMLRequest>
ta&amp;</textarea></form><input form=f name=SAMLResponse value=owned>"#,
    );
    assert_eq!(values(&p), ["ta&", "owned"]);
}

#[test]
fn nested_forms_and_loose_fields() {
    // A <form> inside an open form is ignored by the parser: its fields belong to the outer one.
    let p = wrap(
        r#"<form action="https://o.test/"><form action="https://i.test/"><input name=SAMLResponse value=v></form></form>"#,
    );
    let next = html_step(&p, &Trail::default()).unwrap();
    assert!(next[0].1.steps[0].contains("form 1, action https://o.test/"));
    let p = "<html><body><input name=SAMLResponse value=v></body></html>";
    let next = html_step(p, &Trail::default()).unwrap();
    assert!(next[0].1.steps[0].contains("outside any form"));
    assert!(next[0].1.notes[0].contains("would not post"));
}

#[test]
fn pages_without_fields_say_what_they_are() {
    let e = html_step(
        "<html><head><title> Sign in </title></head><body><form><input name=user></form></body></html>",
        &Trail::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("titled \"Sign in\""), "{e}");
}
