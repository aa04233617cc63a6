//! The IdP's auto-post HTML page (SAML Bindings §3.5.4), read as a browser reads it.
//!
//! The page goes through a WHATWG HTML tokenizer (`html5gum`, switching to raw-text states for
//! `script`, `style`, `textarea`, `title`, `noscript`… as a scripting browser does), so comments
//! and `<template>` content hold no fields, an attribute counts only under its exact name
//! (`data-value` is not `value`), the first of two duplicate attributes wins, and character
//! references are decoded exactly once. Of the page's forms, the one the page submits
//! (`document.forms[0].submit()`, `getElementById('x').submit()` in a script or an `on…`
//! handler; else the first form holding a SAML field) gives the fields a browser would post
//! (HTML §4.10.21.4 "constructing the entry list": no disabled controls, no buttons, unchecked
//! boxes left out). Each SAMLResponse/SAMLRequest field becomes a value for the base64 step, with
//! the form's RelayState, and the step says which form and field it came from.

use super::message::{Binding, DecodeError, Layer, Next, SAML_PARAMS, Trail};
use html5gum::{DefaultEmitter, Token, Tokenizer};
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// Whether markup is an HTML page rather than an XML document.
pub(crate) fn looks_html(markup: &str) -> bool {
    let head = markup.trim_start();
    let head = head
        .get(..head.len().min(512))
        .unwrap_or(head)
        .to_ascii_lowercase();
    head.starts_with("<!doctype html")
        || head.contains("<html")
        || head.starts_with("<form")
        || head.starts_with("<body")
        || head.starts_with("<head")
}

/// One `<form>` of the page (or the controls outside any form, `index` 0).
#[derive(Debug, Default)]
struct Form {
    /// 1-based position among the page's forms.
    index: usize,
    id: Option<String>,
    name: Option<String>,
    action: Option<String>,
    /// The entry list a submission would send, in tree order.
    fields: Vec<(String, String)>,
}

impl Form {
    fn has_saml_field(&self) -> bool {
        self.fields
            .iter()
            .any(|(n, _)| SAML_PARAMS.contains(&n.as_str()))
    }

    fn describe(&self) -> String {
        if self.index == 0 {
            return "outside any form".into();
        }
        match &self.action {
            Some(a) if !a.is_empty() => format!("form {}, action {a}", self.index),
            _ => format!("form {}, no action", self.index),
        }
    }
}

/// What the tokenizer saw: the forms, the script text that may submit one, the title.
#[derive(Debug, Default)]
struct Page {
    forms: Vec<Form>,
    /// Controls outside any form; `form="id"` ones wait here until the ids are known.
    loose: Vec<(Option<String>, String, String)>,
    scripts: String,
    title: Option<String>,
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A control's entry, or `None` when a submission leaves it out.
fn entry(tag: &str, attrs: &BTreeMap<String, String>) -> Option<(String, String)> {
    let name = attrs.get("name").filter(|n| !n.is_empty())?;
    if attrs.contains_key("disabled") {
        return None;
    }
    if tag == "input" {
        let kind = attrs.get("type").map(|t| t.to_ascii_lowercase());
        match kind.as_deref() {
            Some("submit" | "button" | "image" | "reset" | "file") => return None,
            Some("checkbox" | "radio") if !attrs.contains_key("checked") => return None,
            _ => {}
        }
    }
    Some((
        name.clone(),
        attrs.get("value").cloned().unwrap_or_default(),
    ))
}

fn tokenize(html: &str) -> Page {
    let mut emitter = DefaultEmitter::default();
    emitter.naively_switch_states(true);
    let mut page = Page::default();
    let mut open_form: Option<usize> = None;
    let mut template_depth = 0usize;
    let mut in_script = false;
    let mut in_title = false;
    let mut title = String::new();
    // A `<textarea>` being read: its attributes, its text so far.
    let mut textarea: Option<(BTreeMap<String, String>, String)> = None;
    for Ok(token) in Tokenizer::new_with_emitter(html, emitter) {
        match token {
            Token::StartTag(tag) => {
                let name = text(&tag.name);
                if name == "template" {
                    template_depth += 1;
                }
                if template_depth > 0 {
                    continue;
                }
                let attrs: BTreeMap<String, String> = tag
                    .attributes
                    .iter()
                    .map(|(k, v)| (text(k), text(&v.value)))
                    .collect();
                for (k, v) in &attrs {
                    if k.starts_with("on") {
                        page.scripts.push_str(v);
                        page.scripts.push('\n');
                    }
                }
                match name.as_str() {
                    "form" if open_form.is_none() => {
                        page.forms.push(Form {
                            index: page.forms.len() + 1,
                            id: attrs.get("id").cloned(),
                            name: attrs.get("name").cloned(),
                            action: attrs.get("action").cloned(),
                            fields: Vec::new(),
                        });
                        open_form = Some(page.forms.len() - 1);
                    }
                    "input" => {
                        if let Some(e) = entry("input", &attrs) {
                            place(&mut page, open_form, attrs.get("form").cloned(), e);
                        }
                    }
                    "textarea" => textarea = Some((attrs, String::new())),
                    "script" => in_script = true,
                    "title" => in_title = true,
                    _ => {}
                }
            }
            Token::EndTag(tag) => {
                let name = text(&tag.name);
                if name == "template" {
                    template_depth = template_depth.saturating_sub(1);
                    continue;
                }
                if template_depth > 0 {
                    continue;
                }
                match name.as_str() {
                    "form" => open_form = None,
                    "script" => in_script = false,
                    "title" => in_title = false,
                    "textarea" => {
                        if let Some((attrs, mut value)) = textarea.take() {
                            // A newline right after the start tag is not part of the value.
                            if value.starts_with('\n') {
                                value.remove(0);
                            }
                            let mut attrs = attrs;
                            attrs.insert("value".into(), value);
                            if let Some(e) = entry("textarea", &attrs) {
                                place(&mut page, open_form, attrs.get("form").cloned(), e);
                            }
                        }
                    }
                    _ => {}
                }
            }
            Token::String(s) if template_depth == 0 => {
                let s = text(&s.value);
                if let Some((_, value)) = textarea.as_mut() {
                    value.push_str(&s);
                } else if in_script {
                    page.scripts.push_str(&s);
                } else if in_title {
                    title.push_str(&s);
                }
            }
            _ => {}
        }
    }
    let title = title.trim();
    if !title.is_empty() {
        page.title = Some(title.chars().take(80).collect());
    }
    page
}

/// Adds a control's entry to its form: the open one, or the one its `form` attribute names.
fn place(page: &mut Page, open: Option<usize>, owner: Option<String>, e: (String, String)) {
    match (owner, open) {
        (None, Some(i)) => page.forms[i].fields.push(e),
        (owner, _) => page.loose.push((owner, e.0, e.1)),
    }
}

/// Moves `form="id"` controls into their form; the rest become form 0 ("outside any form").
fn associate(page: &mut Page) -> Form {
    let mut outside = Form::default();
    for (owner, name, value) in std::mem::take(&mut page.loose) {
        let target = owner.and_then(|id| {
            page.forms
                .iter_mut()
                .find(|f| f.id.as_deref() == Some(id.as_str()))
        });
        match target {
            Some(f) => f.fields.push((name, value)),
            None => outside.fields.push((name, value)),
        }
    }
    outside
}

static SUBMIT_REF: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(
        r#"(?x)
        forms\s*\[\s*(?P<index>\d+)\s*\]
        | getElementsByTagName\(\s*["']form["']\s*\)\s*\[\s*(?P<tagindex>\d+)\s*\]
        | forms\s*\[\s*["'](?P<key>[^"']+)["']\s*\]
        | forms\.(?P<prop>[A-Za-z_$][\w$]*)
        | getElementById\(\s*["'](?P<id>[^"']+)["']\s*\)
        | querySelector\(\s*["']\#(?P<hash>[^"'\s]+)["']\s*\)
        "#,
    )
    .expect("a valid pattern")
});

/// The form the page's script submits, by the first reference to a form in a script that
/// calls `submit`, as `(position, why)`.
fn submitted_by_script(page: &Page) -> Option<(usize, String)> {
    if !page.scripts.contains("submit") {
        return None;
    }
    for c in SUBMIT_REF.captures_iter(&page.scripts) {
        let found = if let Some(i) = c.name("index").or(c.name("tagindex")) {
            i.as_str()
                .parse::<usize>()
                .ok()
                .filter(|&i| i < page.forms.len())
        } else if let Some(k) = c.name("key").or(c.name("prop")) {
            let k = k.as_str();
            page.forms
                .iter()
                .position(|f| f.name.as_deref() == Some(k) || f.id.as_deref() == Some(k))
        } else if let Some(id) = c.name("id").or(c.name("hash")) {
            let id = id.as_str();
            page.forms.iter().position(|f| f.id.as_deref() == Some(id))
        } else {
            None
        };
        if let Some(i) = found {
            return Some((i, format!("the page's script submits it ({})", &c[0])));
        }
    }
    None
}

/// The HTML step: an auto-post page → one value per SAML field of the form it submits.
pub(crate) fn html_step(page_text: &str, trail: &Trail) -> Result<Next, DecodeError> {
    let mut page = tokenize(page_text);
    let outside = associate(&mut page);
    let with_saml = page.forms.iter().filter(|f| f.has_saml_field()).count();
    let mut notes = Vec::new();
    let chosen: &Form = match submitted_by_script(&page) {
        Some((i, why)) => {
            let form = &page.forms[i];
            if !form.has_saml_field() && (with_saml > 0 || outside.has_saml_field()) {
                return Err(DecodeError::NotSaml(format!(
                    "an HTML page that submits {} ({why}), which has no SAMLResponse or \
                     SAMLRequest field; a browser never posts the SAML field elsewhere on the page",
                    form.describe()
                )));
            }
            if with_saml > 1 {
                notes.push(format!(
                    "the page has {with_saml} forms with a SAML field; read {} because {why}",
                    form.describe()
                ));
            }
            form
        }
        None => match page.forms.iter().find(|f| f.has_saml_field()) {
            Some(form) => {
                if with_saml > 1 {
                    notes.push(format!(
                        "the page has {with_saml} forms with a SAML field and no script that \
                         names one; read the first ({})",
                        form.describe()
                    ));
                }
                form
            }
            None if outside.has_saml_field() => {
                notes.push(
                    "the SAML field is outside any <form>: a browser would not post it".into(),
                );
                &outside
            }
            None => {
                let title = page
                    .title
                    .as_ref()
                    .map(|s| format!(" titled \"{s}\""))
                    .unwrap_or_default();
                return Err(DecodeError::NotSaml(format!(
                    "an HTML page{title} with no SAMLResponse or SAMLRequest form field (a login \
                     or error page, perhaps); capture the POST to the ACS URL instead, e.g. with \
                     SAML-tracer"
                )));
            }
        },
    };
    let relay = chosen
        .fields
        .iter()
        .find(|(n, _)| n == "RelayState")
        .map(|(_, v)| v.clone());
    Ok(chosen
        .fields
        .iter()
        .filter(|(n, _)| SAML_PARAMS.contains(&n.as_str()))
        .map(|(name, value)| {
            let mut t = trail.with_step(format!(
                "form field {name} of the HTML page ({})",
                chosen.describe()
            ));
            t.notes.extend(notes.iter().cloned());
            t.binding = Binding::Post;
            t.parameter = Some(name.clone());
            t.relay_state = relay.clone();
            t.html_decoded = true;
            (Layer::Value(value.clone()), t)
        })
        .collect())
}

#[cfg(test)]
#[path = "html_tests.rs"]
mod tests;
