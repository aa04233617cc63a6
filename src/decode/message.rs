//! The values every decoding step shares: the decoded message, the error, the binding a value
//! travelled by, the layers the loop in [`super`] passes between steps, and the trail each layer
//! carries (the steps taken so far, notes, and where in the input it was found).

use crate::limits::Limits;

/// One SAML message found in an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedMessage {
    /// Where in a capture file it was found, e.g. `HAR entry 3: POST https://acme.test/acs`.
    pub label: Option<String>,
    /// The form field or query parameter it came from (`SAMLResponse`, `SAMLRequest`).
    pub parameter: Option<String>,
    pub relay_state: Option<String>,
    /// `SigAlg` of an HTTP-Redirect message, when present.
    pub sig_alg: Option<String>,
    /// The decoding steps, in order.
    pub steps: Vec<String>,
    /// Non-conformances noticed while decoding (zlib header on a Redirect value, …).
    pub notes: Vec<String>,
    /// The XML text.
    pub xml: String,
}

/// Why an input could not be turned into SAML XML.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("input is not a SAML message: it looks like {0}")]
    NotSaml(String),
    #[error("{step} failed: {message}")]
    Invalid { step: String, message: String },
    #[error("{what} is larger than the limit of {limit} bytes; {hint}")]
    TooLarge {
        what: String,
        limit: usize,
        hint: String,
    },
    #[error("input is empty")]
    Empty,
}

impl DecodeError {
    pub(crate) fn invalid(step: impl Into<String>, message: impl Into<String>) -> Self {
        DecodeError::Invalid {
            step: step.into(),
            message: message.into(),
        }
    }

    /// The same error with `before` (the steps that led to the failing one) named ahead of its
    /// step: `form field SAMLResponse of … → base64 → inflate failed: …`.
    pub(crate) fn after(self, before: &[String]) -> Self {
        match self {
            DecodeError::Invalid { step, message } if !before.is_empty() => DecodeError::Invalid {
                step: format!("{} → {step}", before.join(" → ")),
                message,
            },
            other => other,
        }
    }
}

/// How a value travelled, which decides whether inflation is expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Binding {
    Post,
    Redirect,
    #[default]
    Unknown,
}

/// The form fields and query parameters that carry a SAML message.
pub(crate) const SAML_PARAMS: [&str; 2] = ["SAMLResponse", "SAMLRequest"];

/// What an HTTP-Artifact reference is, for the error that names it.
pub(crate) const ARTIFACT: &str = "an HTTP-Artifact reference (SAMLart): the message itself \
    travels over SOAP between the servers, so a browser trace cannot contain it";

/// What one step hands to the next: a layer of the input still to be decoded.
#[derive(Debug)]
pub(crate) enum Layer {
    /// The input's bytes, or a whole compressed stream's output: compression and charset are
    /// sniffed; `inflations` counts the streams already unwrapped.
    Input { bytes: Vec<u8>, inflations: usize },
    /// Text of a form not yet known; the dispatcher names it. `raw` is the text as given (raw
    /// XML keeps its leading lines so that positions point into the file).
    Text { raw: String },
    /// Text holding a Markdown code fence.
    Fence(String),
    /// DevTools' "Copy as cURL" (bash or cmd).
    Curl(String),
    /// DevTools' "Copy as fetch".
    Fetch(String),
    /// DevTools' "Copy as PowerShell".
    PowerShell(String),
    /// DevTools' parsed payload view: `name: value` lines.
    DevTools(String),
    /// `name<TAB>value` lines.
    Tsv(String),
    /// A HAR or SAML-tracer capture (JSON).
    Capture(String),
    /// An HTML page with an auto-post form.
    Html(String),
    /// A URL whose query carries the message (HTTP-Redirect).
    Url(String),
    /// A form body or query string.
    Form(String),
    /// One field value: escapes, then base64.
    Value(String),
    /// The bytes a base64 value decoded to: XML, or a compressed stream of it.
    Payload(Vec<u8>),
    /// Decompressed (or plain) message bytes: only a charset step remains.
    Inflated(Vec<u8>),
    /// The XML text of one message: the end of a branch.
    Xml(String),
}

/// Where a layer came from: the steps taken, notes, and the message's context.
#[derive(Debug, Clone, Default)]
pub(crate) struct Trail {
    pub steps: Vec<String>,
    pub notes: Vec<String>,
    pub label: Option<String>,
    pub parameter: Option<String>,
    pub relay_state: Option<String>,
    pub sig_alg: Option<String>,
    pub binding: Binding,
    /// Inside a capture: an entry that turns out not to hold SAML is skipped, and errors name
    /// the entry (`label`).
    pub in_capture: bool,
    /// The value came out of an HTML tokenizer, which already decoded its character references.
    pub html_decoded: bool,
    /// Take only the first SAML field of a form (SAML-tracer keeps one message per request).
    pub first_only: bool,
}

impl Trail {
    /// The same trail with one more step recorded.
    pub fn with_step(&self, step: impl Into<String>) -> Trail {
        let mut t = self.clone();
        t.steps.push(step.into());
        t
    }

    /// The message this trail ends in.
    pub fn into_message(self, xml: String) -> DecodedMessage {
        DecodedMessage {
            label: self.label,
            parameter: self.parameter,
            relay_state: self.relay_state,
            sig_alg: self.sig_alg,
            steps: self.steps,
            notes: self.notes,
            xml,
        }
    }
}

/// A step's output: the next layers, each with its trail, in input order.
pub(crate) type Next = Vec<(Layer, Trail)>;

/// Fails when the messages decoded so far from one input hold more XML in total than the larger of
/// the inflated-size and input-size limits. Each decompression is capped on its own; this stops an
/// input holding many compressed values (HAR entries, SAML-tracer requests, HTML form fields) from
/// multiplying that cap into gigabytes. Uncompressed messages never total more than the input.
pub(crate) fn check_total(found: &[DecodedMessage], limits: &Limits) -> Result<(), DecodeError> {
    let cap = limits.max_inflated_bytes.max(limits.max_input_bytes);
    let total = found
        .iter()
        .fold(0usize, |n, m| n.saturating_add(m.xml.len()));
    if total > cap {
        return Err(DecodeError::TooLarge {
            what: format!(
                "the XML of the {} SAML messages decoded from this input",
                found.len()
            ),
            limit: cap,
            hint: "each was within the limit but together they look like a decompression bomb; \
                   raise --max-inflated-bytes only for a trusted input"
                .into(),
        });
    }
    Ok(())
}

impl DecodedMessage {
    /// The steps as one line, e.g. `url-decode → base64 → inflate` (or `raw XML`).
    pub fn steps_line(&self) -> String {
        if self.steps.is_empty() {
            "raw XML".to_string()
        } else {
            self.steps.join(" → ")
        }
    }
}
