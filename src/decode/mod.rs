//! Any paste form → SAML XML text, with the steps taken written down.
//!
//! Engineers paste whatever they captured: raw XML (BOM, UTF-16, Latin-1 declaration), base64
//! (standard or URL-safe, wrapped, unpadded, quoted), URL-encoded once or twice, a form body, a
//! full URL (HTTP-Redirect: raw DEFLATE), zlib or gzip streams, the IdP's auto-post HTML page, a
//! SAML-tracer export or a browser HAR. The form is detected by content, never by file name, and
//! every step is recorded so the report can say `url-decode → base64 → inflate`. Decompression and
//! input size are capped by [`Limits`]. Inputs that are clearly something else (an HTML login page,
//! a JWT, SAML metadata) get an error that says what they look like.
//!
//! Decoding is a loop over layers. Each form is one step, in its own file, from one layer to the
//! next ones: `capture` (HAR, SAML-tracer) yields labelled URLs, bodies and pages; `html`, `form`,
//! `lines`, `curl`, `fetch` and `powershell` yield form bodies or field values; `fence` yields
//! text; `base64` yields bytes; `inflate` yields bytes; `charset` yields text. No step calls
//! another step or the dispatcher; [`decode`] runs the loop, keeps each layer's trail of steps
//! for the report, and holds the one budget for the whole input (`check_total`). A new copy form
//! is one file, one `Layer` variant and one line in the dispatcher. `docs/input-forms.md` lists
//! the forms for users.

mod base64;
mod capture;
mod charset;
mod curl;
pub mod encode;
mod escape;
mod fence;
mod fetch;
mod form;
mod html;
mod inflate;
mod lines;
mod message;
mod powershell;
pub mod read;

pub use form::strip_query;
pub(crate) use message::check_total;
pub use message::{DecodeError, DecodedMessage};

use crate::limits::Limits;
use ::base64::Engine;
use message::{ARTIFACT, Binding, Layer, Next, Trail};

/// How many compressed streams the input step unwraps before reading what is left as text.
const MAX_STREAMS: usize = 3;

/// Decodes one input (a file's bytes or stdin) into the SAML messages it holds.
pub fn decode(bytes: &[u8], limits: &Limits) -> Result<Vec<DecodedMessage>, DecodeError> {
    if bytes.len() > limits.max_input_bytes {
        return Err(DecodeError::TooLarge {
            what: "the input".into(),
            limit: limits.max_input_bytes,
            hint: "raise it with --max-input-bytes if this is really one trace".into(),
        });
    }
    let first = Layer::Input {
        bytes: bytes.to_vec(),
        inflations: 0,
    };
    // Depth first, so messages come out in input order.
    let mut pending: Next = vec![(first, Trail::default())];
    let mut found = Vec::new();
    let mut capture = None;
    while let Some((layer, trail)) = pending.pop() {
        let next = match layer {
            Layer::Xml(xml) => {
                found.push(trail.into_message(xml));
                check_total(&found, limits)?;
                continue;
            }
            Layer::Capture(text) => capture::capture_step(&text, &trail).map(|(next, kind)| {
                capture = Some(kind);
                next
            }),
            Layer::Input { bytes, inflations } => input_step(bytes, inflations, &trail, limits),
            Layer::Text { raw } => dispatch(&raw, &trail),
            Layer::Html(page) => html::html_step(&page, &trail),
            Layer::Fence(text) => fence::fence_step(&text, &trail),
            Layer::Curl(text) => curl::curl_step(&text, &trail),
            Layer::Fetch(text) => fetch::fetch_step(&text, &trail),
            Layer::PowerShell(text) => powershell::powershell_step(&text, &trail),
            Layer::DevTools(text) => lines::lines_step(&text, lines::Separator::Colon, &trail),
            Layer::Tsv(text) => lines::lines_step(&text, lines::Separator::Tab, &trail),
            Layer::Url(url) => form::url_step(&url, &trail),
            Layer::Form(body) => form::form_step(&body, &trail),
            Layer::Value(value) => base64::value_step(&value, &trail),
            Layer::Payload(bytes) => inflate::payload_step(bytes, &trail, limits),
            Layer::Inflated(bytes) => charset::xml_step(&bytes, &trail),
        };
        match next {
            Ok(next) => pending.extend(next.into_iter().rev()),
            Err(DecodeError::NotSaml(_)) if trail.in_capture => {}
            Err(e) => return Err(blame(e, &trail)),
        }
    }
    if let Some(kind) = capture {
        capture::dedupe(&mut found);
        if found.is_empty() {
            return Err(capture::empty_capture(kind));
        }
    }
    Ok(found)
}

/// The input step: a gzip or zlib file is unwrapped (up to [`MAX_STREAMS`] deep), anything else
/// is read as text.
fn input_step(
    bytes: Vec<u8>,
    inflations: usize,
    trail: &Trail,
    limits: &Limits,
) -> Result<Next, DecodeError> {
    if inflations < MAX_STREAMS
        && let Some((name, out)) = inflate::unwrap_stream(&bytes, limits)?
    {
        let next = Layer::Input {
            bytes: out,
            inflations: inflations + 1,
        };
        return Ok(vec![(next, trail.with_step(name))]);
    }
    let mut t = trail.clone();
    let raw = charset::to_text(&bytes, &mut t)?;
    Ok(vec![(Layer::Text { raw }, t)])
}

/// Names the chain of steps that led to a failing one. Inside a capture the entry's label leads
/// (it says more than the `HAR entry N` step it replaces).
fn blame(e: DecodeError, trail: &Trail) -> DecodeError {
    match &trail.label {
        Some(label) if trail.in_capture => {
            let e = e.after(trail.steps.get(1..).unwrap_or_default());
            match e {
                DecodeError::Invalid { step, message } => DecodeError::Invalid {
                    step: format!("{label}: {step}"),
                    message,
                },
                other => other,
            }
        }
        _ => e.after(&trail.steps),
    }
}

/// Names the form of a text by what it looks like.
fn dispatch(text: &str, trail: &Trail) -> Result<Next, DecodeError> {
    let t = escape::strip_quotes(text.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}'));
    if t.is_empty() {
        return Err(DecodeError::Empty);
    }
    let one = |layer| Ok(vec![(layer, trail.clone())]);
    if !t.starts_with(['<', '{', '[']) && fence::has_fence(t) {
        return one(Layer::Fence(t.to_string()));
    }
    if t.starts_with('{') || t.starts_with('[') {
        return one(Layer::Capture(t.to_string()));
    }
    if t.starts_with('<') {
        // Raw XML keeps its leading lines so that positions point into the file as given.
        let keep = text.trim_end();
        let keep = if keep.trim_start().starts_with('<') {
            keep
        } else {
            t
        };
        if html::looks_html(keep) {
            return one(Layer::Html(keep.to_string()));
        }
        return one(Layer::Xml(keep.to_string()));
    }
    let lower = t.get(..8).unwrap_or(t).to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return one(Layer::Url(t.to_string()));
    }
    if curl::is_curl(t) {
        return one(Layer::Curl(t.to_string()));
    }
    if fetch::is_fetch(t) {
        return one(Layer::Fetch(t.to_string()));
    }
    if powershell::is_powershell(t) {
        return one(Layer::PowerShell(t.to_string()));
    }
    if let Some(what) = describe_non_saml(t) {
        return Err(DecodeError::NotSaml(what));
    }
    if lines::has_saml_line(t, lines::Separator::Colon) {
        return one(Layer::DevTools(t.to_string()));
    }
    if lines::has_saml_line(t, lines::Separator::Tab) {
        return one(Layer::Tsv(t.to_string()));
    }
    if t.contains("SAMLResponse=") || t.contains("SAMLRequest=") {
        return one(Layer::Form(t.to_string()));
    }
    let mut t2 = trail.clone();
    t2.binding = Binding::Unknown;
    Ok(vec![(Layer::Value(t.to_string()), t2)])
}

/// Names inputs that are plainly not SAML, so the user hears what they pasted.
fn describe_non_saml(t: &str) -> Option<String> {
    let parts: Vec<&str> = t.split('.').collect();
    if parts.len() == 3 && t.starts_with("eyJ") && !t.contains(char::is_whitespace) {
        let header = base64::engine()
            .decode(parts[0].replace('-', "+").replace('_', "/"))
            .ok()
            .map(|h| String::from_utf8_lossy(&h).into_owned())
            .unwrap_or_default();
        return Some(format!(
            "a JWT (an OIDC/OAuth token, header {header}), not a SAML message; SAML responses are \
             XML, usually base64-encoded in a SAMLResponse form field"
        ));
    }
    if t.starts_with("SAMLart=") {
        return Some(ARTIFACT.into());
    }
    None
}

#[cfg(test)]
#[path = "mod_tests.rs"]
mod tests;
