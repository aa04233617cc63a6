//! Cryptographic and structural facts about one message, for the rules to judge: which
//! signatures verify against the configured IdP certificates (the KeyInfo certificate is reported,
//! never trusted), signature wrapping, duplicate IDs, comment injection, and what decrypting the
//! encrypted assertions with the SP key gave.

use crate::dsig::decrypt::{self, SpKey};
use crate::dsig::verify::{self, Algorithms, Cert, CertInfo, Outcome};
use crate::dsig::wrapping;
use crate::finding::{Anchor, Evidence};
use crate::limits::Limits;
use crate::saml::{NS_ASSERTION, NS_PROTOCOL, element_anchor};
use crate::settings::Settings;
use crate::xml::{Document, NodeId};

/// The keys of one run, parsed once.
pub struct Keys {
    pub certs: Vec<Cert>,
    /// Where each usable certificate came from, parallel to `certs`.
    pub cert_sources: Vec<String>,
    /// Configured certificates that could not be read: (source, why).
    pub cert_errors: Vec<(String, String)>,
    pub sp_key: Option<SpKey>,
    pub sp_key_error: Option<String>,
}

impl Keys {
    pub fn from_settings(settings: &Settings) -> Keys {
        let mut keys = Keys {
            certs: Vec::new(),
            cert_sources: Vec::new(),
            cert_errors: Vec::new(),
            sp_key: None,
            sp_key_error: None,
        };
        for c in &settings.idp_certificates {
            // A PEM bundle (rollover: old and new certificate) trusts each of its certificates.
            let all = Cert::parse_all(&c.value);
            let n = all.len();
            for (i, parsed) in all.into_iter().enumerate() {
                let source = if n > 1 {
                    format!("{} (PEM block {} of {n})", c.source, i + 1)
                } else {
                    c.source.clone()
                };
                match parsed {
                    Ok(cert) => {
                        keys.certs.push(cert);
                        keys.cert_sources.push(source);
                    }
                    Err(e) => keys.cert_errors.push((c.source.clone(), e.0)),
                }
            }
        }
        if let Some(pem) = &settings.sp_private_key {
            match SpKey::parse(&pem.value) {
                Ok(k) => keys.sp_key = Some(k),
                Err(e) => keys.sp_key_error = Some(format!("{}: {e}", pem.source)),
            }
        }
        keys
    }

    /// True when at least one configured certificate can be used.
    pub fn can_verify(&self) -> bool {
        !self.certs.is_empty()
    }
}

/// One signature's verdict.
#[derive(Debug, Clone)]
pub struct SignatureCheck {
    /// The `ds:Signature` element.
    pub anchor: Anchor,
    pub path: String,
    /// Local name of the element holding the signature (`Response`, `Assertion`).
    pub scope: String,
    pub signed_path: Option<String>,
    pub reference_id: Option<String>,
    pub algorithms: Algorithms,
    pub outcome: Outcome,
    pub keyinfo_cert: Option<CertInfo>,
    pub keyinfo_error: Option<String>,
    /// Index of the configured certificate equal to the KeyInfo one.
    pub keyinfo_matches: Option<usize>,
}

/// What kind of structural problem an [`Issue`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssueKind {
    Wrapping,
    DuplicateId,
    CommentInjection,
    /// Readable assertions no verified signature covers (SD723).
    UnverifiedAssertion,
    /// Response/Assertion-named elements outside the SAML 2.0 namespace (SD724).
    LookAlike,
    /// Children the SAML schema does not allow (SD725).
    UnexpectedChild,
}

/// A structural problem, already put into words with its evidence.
#[derive(Debug, Clone)]
pub struct Issue {
    pub kind: IssueKind,
    pub message: String,
    pub evidence: Vec<Evidence>,
}

/// The result of decrypting one EncryptedAssertion.
#[derive(Debug, Clone)]
pub struct Decryption {
    pub anchor: Anchor,
    /// The algorithms used, or why it failed.
    pub result: Result<String, String>,
}

/// Everything this module found about one message.
#[derive(Debug, Clone, Default)]
pub struct Security {
    pub signatures: Vec<SignatureCheck>,
    pub issues: Vec<Issue>,
    pub decryptions: Vec<Decryption>,
    /// The assertions of the decrypted document that came out of an EncryptedAssertion.
    pub decrypted: Vec<NodeId>,
}

fn anchor_of(doc: &Document, node: NodeId) -> Anchor {
    element_anchor(node, doc.nodes[node].span.start)
}

mod describe;
use describe::describe;

/// Verifies every signature and runs the structural checks.
pub fn inspect(doc: &Document, keys: &Keys) -> Security {
    inspect_with(doc, keys, &[]).0
}

/// [`inspect`], with elements known to be covered by a verified signature judged elsewhere;
/// also returns the structural report.
fn inspect_with(
    doc: &Document,
    keys: &Keys,
    also_covered: &[NodeId],
) -> (Security, wrapping::WrappingReport) {
    let reports = verify::verify_all_with(doc, &keys.certs);
    let structure = wrapping::check_with(doc, &reports, also_covered);
    let signatures = reports
        .into_iter()
        .map(|r| SignatureCheck {
            anchor: anchor_of(doc, r.signature),
            path: doc.path(r.signature),
            scope: r
                .parent
                .and_then(|p| doc.element(p))
                .map_or(String::new(), |e| e.local.to_string()),
            signed_path: r.signed_path,
            reference_id: r.reference_id,
            algorithms: r.algorithms,
            outcome: r.outcome,
            keyinfo_cert: r.keyinfo_cert,
            keyinfo_error: r.keyinfo_cert_error,
            keyinfo_matches: r.keyinfo_matches_configured,
        })
        .collect();
    let issues = structure
        .issues
        .iter()
        .filter_map(|i| describe(doc, i))
        .collect();
    let security = Security {
        signatures,
        issues,
        decryptions: Vec::new(),
        decrypted: Vec::new(),
    };
    (security, structure)
}

/// Decrypts the EncryptedAssertions directly under the root and splices the plaintext into the
/// XML text, so the message can be parsed and checked like a plain one. Returns the new text
/// (None when nothing was decrypted) and one [`Decryption`] per encrypted assertion.
pub fn decrypt_in_place(doc: &Document, key: &SpKey) -> (Option<String>, Vec<Decryption>) {
    let encrypted: Vec<NodeId> = doc
        .children_named(doc.root, NS_ASSERTION, "EncryptedAssertion")
        .collect();
    splice_decrypted(doc, key, &encrypted, "")
}

/// Like [`decrypt_in_place`] for every `saml:EncryptedID` (outside the others): the plaintext
/// `NameID` replaces it, so the rules read the identity (SAML core 2.2.4). Failures are
/// prefixed `EncryptedID: `.
pub fn decrypt_ids_in_place(doc: &Document, key: &SpKey) -> (Option<String>, Vec<Decryption>) {
    let ids = decrypt::outermost(doc, decrypt::encrypted_ids(doc));
    splice_decrypted(doc, key, &ids, "EncryptedID: ")
}

/// True when the document holds a `saml:EncryptedID` anywhere.
pub fn has_encrypted_ids(doc: &Document) -> bool {
    !decrypt::encrypted_ids(doc).is_empty()
}

fn splice_decrypted(
    doc: &Document,
    key: &SpKey,
    encrypted: &[NodeId],
    what: &str,
) -> (Option<String>, Vec<Decryption>) {
    let mut text = doc.source.clone();
    let mut notes = Vec::new();
    let mut changed = false;
    // Splice from the end so earlier spans stay valid.
    for (i, &node) in encrypted.iter().enumerate().rev() {
        let anchor = anchor_of(doc, node);
        let result = match i < decrypt::MAX_ENCRYPTED_ELEMENTS {
            true => decrypt::decrypt_element(doc, node, key),
            false => Err(decrypt::over_limit()),
        };
        match result {
            Ok(d) => {
                let span = doc.nodes[node].span;
                text.replace_range(span.start..span.end, strip_declaration(&d.xml));
                changed = true;
                notes.push(Decryption {
                    anchor,
                    result: Ok(format!(
                        "{} + {}",
                        short(&d.key_transport),
                        short(&d.data_algorithm)
                    )),
                });
            }
            Err(e) => notes.push(Decryption {
                anchor,
                result: Err(format!("{what}{e}")),
            }),
        }
    }
    notes.reverse();
    (changed.then_some(text), notes)
}

fn strip_declaration(xml: &str) -> &str {
    let t = xml.trim_start();
    match t
        .strip_prefix("<?xml")
        .and_then(|r| r.find("?>").map(|e| &r[e + 2..]))
    {
        Some(rest) => rest.trim_start(),
        None => t,
    }
}

fn short(uri: &str) -> &str {
    uri.rsplit('#').next().unwrap_or(uri)
}

/// Full inspection of a message that was decrypted: the Response signature is judged on the
/// original (encrypted) text it covers, everything else on the decrypted document.
pub fn inspect_decrypted(
    original: &Document,
    decrypted: &Document,
    keys: &Keys,
    decryptions: Vec<Decryption>,
) -> Security {
    let (before, structure) = inspect_with(original, keys, &[]);
    // A verified Response signature over the encrypted original covers what was decrypted.
    let response_covered = structure.covered.contains(&original.root);
    let also: &[NodeId] = if response_covered {
        &[decrypted.root]
    } else {
        &[]
    };
    let (mut after, _) = inspect_with(decrypted, keys, also);
    let is_response = |s: &SignatureCheck| s.scope == "Response";
    after.signatures.retain(|s| !is_response(s));
    after
        .signatures
        .extend(before.signatures.into_iter().filter(is_response));
    after.signatures.sort_by_key(|s| s.anchor.offset);
    // Splicing keeps the root's element children in order: the child at the position of a
    // decrypted EncryptedAssertion is its plaintext.
    let mut ok = decryptions.iter().map(|d| d.result.is_ok());
    let positions: Vec<usize> = original
        .child_elements(original.root)
        .enumerate()
        .filter(|&(_, c)| original.is(c, NS_ASSERTION, "EncryptedAssertion"))
        .filter_map(|(i, _)| ok.next().unwrap_or(false).then_some(i))
        .collect();
    after.decrypted = decrypted
        .child_elements(decrypted.root)
        .enumerate()
        .filter(|(i, _)| positions.contains(i))
        .map(|(_, c)| c)
        .collect();
    after.decryptions = decryptions;
    after
}

/// Parses the decrypted text with the same limits as the original.
pub fn reparse(text: &str, limits: &Limits) -> Result<Document, String> {
    Document::parse(text, limits)
        .map_err(|e| format!("the decrypted assertion is not usable XML: {e}"))
}

/// True when the document's root is a Response carrying EncryptedAssertions.
pub fn has_encrypted_assertions(doc: &Document) -> bool {
    doc.is(doc.root, NS_PROTOCOL, "Response")
        && doc
            .child(doc.root, NS_ASSERTION, "EncryptedAssertion")
            .is_some()
}
