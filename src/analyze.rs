//! The SAML pipeline end to end: inputs → decoded messages → parsed model → rules, with
//! AuthnRequests and the Responses that answer them paired across all inputs of one run.

use crate::decode::{self, DecodedMessage};
use crate::finding::{Finding, Severity};
use crate::limits::Limits;
use crate::rules::{self, Context, Outcome};
use crate::saml::{self, Message, MessageKind};
use crate::security::{self, Keys, Security};
use crate::settings::Settings;
use crate::time::{self, Millis};
use serde::Serialize;
use std::collections::BTreeMap;

/// One input: a file's bytes, stdin, or the embedded demo.
#[derive(Debug, Clone)]
pub struct Input {
    /// Shown in reports: the path as given, `-` for stdin.
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The clock and settings one run is judged against.
pub struct RunOptions<'a> {
    pub settings: &'a Settings,
    pub now: Option<Millis>,
    pub now_source: &'a str,
    pub limits: Limits,
}

/// One analysed SAML message.
#[derive(Debug, Clone)]
pub struct Analyzed {
    pub input: String,
    pub decoded: DecodedMessage,
    pub message: Message,
    pub outcome: Outcome,
    /// The input (or capture entry) holding the AuthnRequest this Response answers.
    pub paired_request: Option<String>,
}

impl Analyzed {
    /// The message at a glance, built when a report asks for it: analysis itself never needs
    /// it, and copying every attribute value was a tenth of the time of analysing a message.
    pub fn summary(&self) -> Summary {
        let mut summary = Summary::of(&self.message);
        summary.paired_request = self.paired_request.clone();
        summary
    }
}

/// An input (or a message inside it) that could not be used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputError {
    pub input: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    pub error: String,
}

/// Everything one run found.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    pub messages: Vec<Analyzed>,
    pub errors: Vec<InputError>,
}

impl Analysis {
    /// All findings with their message index set, in report order.
    pub fn all_findings(&self) -> Vec<Finding> {
        let mut all: Vec<Finding> = self
            .messages
            .iter()
            .enumerate()
            .flat_map(|(i, m)| {
                m.outcome.findings.iter().cloned().map(move |mut f| {
                    f.message_index = Some(i);
                    f
                })
            })
            .collect();
        crate::finding::sort_findings(&mut all);
        all
    }

    /// The highest severity found, if any.
    pub fn worst(&self) -> Option<Severity> {
        self.messages
            .iter()
            .flat_map(|m| m.outcome.findings.iter())
            .map(|f| f.severity)
            .max()
    }
}

/// Decodes, parses and checks every input.
pub fn analyze(inputs: &[Input], opts: &RunOptions) -> Analysis {
    let mut parsed: Vec<(String, DecodedMessage, Message)> = Vec::new();
    let mut analysis = Analysis::default();
    for input in inputs {
        let decoded = match decode::decode(&input.bytes, &opts.limits) {
            Ok(d) => d,
            Err(e) => {
                analysis.errors.push(InputError {
                    input: input.name.clone(),
                    label: None,
                    error: e.to_string(),
                });
                continue;
            }
        };
        for d in decoded {
            match saml::parse_message(&d.xml, &opts.limits) {
                Ok(m) => parsed.push((input.name.clone(), d, m)),
                Err(e) => analysis.errors.push(InputError {
                    input: input.name.clone(),
                    label: d.label.clone(),
                    error: match d.steps.is_empty() {
                        true => e.to_string(),
                        false => format!("{e} (in the XML decoded by {})", d.steps_line()),
                    },
                }),
            }
        }
    }
    let request_ids: Vec<String> = parsed
        .iter()
        .filter(|(_, _, m)| m.kind == MessageKind::AuthnRequest)
        .filter_map(|(_, _, m)| m.id.as_ref().map(|i| i.value.clone()))
        .collect();
    let requests: BTreeMap<String, String> = parsed
        .iter()
        .filter(|(_, _, m)| m.kind == MessageKind::AuthnRequest)
        .filter_map(|(input, d, m)| {
            Some((
                m.id.as_ref()?.value.clone(),
                d.label.clone().unwrap_or_else(|| input.clone()),
            ))
        })
        .collect();
    // Sorted and each once: every Response looks its InResponseTo up in it, and the rules
    // borrow it rather than each message's context holding a copy (issue 22).
    let mut request_ids = request_ids;
    request_ids.sort_unstable();
    request_ids.dedup();
    let request_ids = (!request_ids.is_empty()).then_some(request_ids);
    let keys = Keys::from_settings(opts.settings);
    for (input, decoded, message) in parsed {
        let (decoded, message, security) = secure(decoded, message, &keys, &opts.limits);
        let ctx = Context {
            settings: opts.settings,
            now: opts.now,
            now_source: opts.now_source,
            request_ids: request_ids.as_deref(),
            keys: Some(&keys),
            security: Some(&security),
        };
        let outcome = rules::run(&ctx, &message);
        let paired_request = message
            .in_response_to
            .as_ref()
            .and_then(|irt| requests.get(&irt.value).cloned());
        analysis.messages.push(Analyzed {
            input,
            decoded,
            message,
            outcome,
            paired_request,
        });
    }
    analysis
}

/// Verifies signatures and runs the structural checks; with an SP key, first decrypts the
/// encrypted assertions so that the rules see their content, then the EncryptedIDs in them (or
/// in plain assertions). Signatures are judged on the text they were made over: the Response's
/// on the original, the assertions' on the text with only the assertions decrypted (an
/// assertion signature covers its EncryptedID, SAML core 6.1).
fn secure(
    mut decoded: DecodedMessage,
    message: Message,
    keys: &Keys,
    limits: &Limits,
) -> (DecodedMessage, Message, Security) {
    let Some(key) = keys.sp_key.as_ref().filter(|_| {
        security::has_encrypted_assertions(&message.doc)
            || security::has_encrypted_ids(&message.doc)
    }) else {
        let found = security::inspect(&message.doc, keys);
        return (decoded, message, found);
    };
    let (text, decryptions) = security::decrypt_in_place(&message.doc, key);
    let reparsed = text.as_deref().map(|t| {
        security::reparse(t, limits)
            .and_then(|d| saml::parse_document(d).map_err(|e| e.to_string()))
    });
    let (message, mut found) = match reparsed {
        Some(Ok(plain)) => {
            let found =
                security::inspect_decrypted(&message.doc, &plain.doc, keys, decryptions.clone());
            for d in decryptions.iter().filter_map(|d| d.result.as_ref().ok()) {
                decoded
                    .steps
                    .push(format!("decrypt EncryptedAssertion ({d})"));
            }
            decoded.xml = plain.doc.source.clone();
            (plain, found)
        }
        Some(Err(e)) => {
            let mut found = security::inspect(&message.doc, keys);
            found.decryptions = decryptions
                .into_iter()
                .map(|mut d| {
                    d.result = Err(e.clone());
                    d
                })
                .collect();
            return (decoded, message, found);
        }
        None => {
            let mut found = security::inspect(&message.doc, keys);
            found.decryptions = decryptions;
            (message, found)
        }
    };
    let (text, id_notes) = security::decrypt_ids_in_place(&message.doc, key);
    let reparsed = text.as_deref().map(|t| {
        security::reparse(t, limits)
            .and_then(|d| saml::parse_document(d).map_err(|e| e.to_string()))
    });
    match reparsed {
        Some(Ok(plain)) => {
            for d in id_notes.iter().filter_map(|d| d.result.as_ref().ok()) {
                decoded.steps.push(format!("decrypt EncryptedID ({d})"));
            }
            found.decryptions.extend(id_notes);
            decoded.xml = plain.doc.source.clone();
            (decoded, plain, found)
        }
        Some(Err(e)) => {
            found.decryptions.extend(id_notes.into_iter().map(|mut d| {
                d.result = Err(format!("EncryptedID: {e}"));
                d
            }));
            (decoded, message, found)
        }
        None => {
            found.decryptions.extend(id_notes);
            (decoded, message, found)
        }
    }
}

/// The facts of a message an engineer wants at a glance (JSON `summary`, contract).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub kind: String,
    pub id: Option<String>,
    pub issue_instant: Option<String>,
    pub in_response_to: Option<String>,
    pub paired_request: Option<String>,
    pub status: Option<String>,
    pub issuer: Option<String>,
    pub assertion_issuer: Option<String>,
    pub audiences: Vec<String>,
    pub destination: Option<String>,
    pub recipient: Option<String>,
    pub name_id: Option<String>,
    pub name_id_format: Option<String>,
    /// Attribute name → values, in document order of first appearance.
    pub attributes: Vec<SummaryAttribute>,
    /// Which parts carry a signature: `response`, `assertion`.
    pub signed_parts: Vec<String>,
    pub encrypted_assertions: usize,
    pub validity: Validity,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SummaryAttribute {
    pub name: String,
    pub values: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Validity {
    pub not_before: Option<String>,
    pub not_on_or_after: Option<String>,
    pub confirmation_not_on_or_after: Option<String>,
}

impl Summary {
    pub fn of(m: &Message) -> Summary {
        let first = m.assertions.first();
        let conditions = first.and_then(|a| a.conditions.as_ref());
        let bearer = m.bearer_data().next();
        let mut signed_parts = Vec::new();
        if m.signature.is_some() {
            signed_parts.push("response".to_string());
        }
        if m.assertions.iter().any(|a| a.signature.is_some()) {
            signed_parts.push("assertion".to_string());
        }
        let value = |v: Option<&saml::Located<String>>| v.map(|v| v.value.trim().to_string());
        Summary {
            kind: m.kind.name().to_string(),
            id: value(m.id.as_ref()).or_else(|| value(first.and_then(|a| a.id.as_ref()))),
            issue_instant: value(m.issue_instant.as_ref()),
            in_response_to: value(m.in_response_to.as_ref()),
            paired_request: None,
            status: m.status.as_ref().map(|s| {
                std::iter::once(&s.code)
                    .chain(s.sub_codes.iter())
                    .map(|c| c.value.trim().rsplit(':').next().unwrap_or("").to_string())
                    .collect::<Vec<_>>()
                    .join("/")
            }),
            issuer: value(m.issuer.as_ref()),
            assertion_issuer: value(first.and_then(|a| a.issuer.as_ref())),
            audiences: conditions
                .map(|c| {
                    c.audience_restrictions
                        .iter()
                        .flatten()
                        .map(|a| a.value.trim().to_string())
                        .collect()
                })
                .unwrap_or_default(),
            destination: value(m.destination.as_ref()).or_else(|| value(m.acs_url.as_ref())),
            recipient: value(bearer.and_then(|d| d.recipient.as_ref())),
            name_id: m.name_id().map(|n| n.value.value.clone()),
            name_id_format: m.name_id().and_then(|n| value(n.format.as_ref())),
            attributes: m
                .attributes()
                .map(|a| SummaryAttribute {
                    name: a.name.value.clone(),
                    values: a
                        .values
                        .iter()
                        .map(|v| v.text(&m.doc).into_owned())
                        .collect(),
                })
                .collect(),
            signed_parts,
            encrypted_assertions: m.encrypted_assertions.len(),
            validity: Validity {
                not_before: value(conditions.and_then(|c| c.not_before.as_ref())),
                not_on_or_after: value(conditions.and_then(|c| c.not_on_or_after.as_ref())),
                confirmation_not_on_or_after: value(
                    bearer.and_then(|d| d.not_on_or_after.as_ref()),
                ),
            },
        }
    }
}

/// Parses `--now` (RFC 3339) into milliseconds.
pub fn parse_now(text: &str) -> Result<Millis, String> {
    time::parse_millis(text).ok_or_else(|| {
        format!("--now {text:?} is not an RFC 3339 timestamp like 2026-03-10T09:15:00Z")
    })
}
