//! Reading the typed model out of an [`xml::Document`].

use super::model::*;
use super::{NS_ASSERTION, NS_DSIG, NS_METADATA, NS_PROTOCOL, NS_XSI};
use crate::limits::Limits;
use crate::xml::{Document, NodeId, XmlError};

/// Why XML could not be read as a SAML message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("{0}")]
    Xml(XmlError),
    #[error("not a SAML protocol message: {0}")]
    NotSaml(String),
}

/// Parses XML text into a message.
pub fn parse_message(xml: &str, limits: &Limits) -> Result<Message, ParseError> {
    let doc = Document::parse(xml, limits).map_err(ParseError::Xml)?;
    parse_document(doc)
}

/// Reads a message out of an already parsed document.
pub fn parse_document(doc: Document) -> Result<Message, ParseError> {
    let root = doc.root;
    let kind = message_kind(&doc, root)?;
    let parts = read_parts(&doc, root, &kind);
    Ok(Message {
        doc,
        kind,
        root,
        ..parts
    })
}

/// Everything but the document itself; the caller moves the document in afterwards.
fn read_parts(doc: &Document, root: NodeId, kind: &MessageKind) -> Message {
    let r = Reader { doc };
    let mut msg = Message {
        kind: kind.clone(),
        root,
        id: r.attr(root, "ID"),
        version: r.attr(root, "Version"),
        issue_instant: r.attr(root, "IssueInstant"),
        destination: r.attr(root, "Destination"),
        in_response_to: r.attr(root, "InResponseTo"),
        issuer: r.child_text(root, NS_ASSERTION, "Issuer"),
        status: r.status(root),
        signature: r.signature(root),
        assertions: Vec::new(),
        encrypted_assertions: Vec::new(),
        acs_url: r.attr(root, "AssertionConsumerServiceURL"),
        name_id_policy: doc
            .child(root, NS_PROTOCOL, "NameIDPolicy")
            .and_then(|n| r.attr(n, "Format")),
        doc: Document::empty(),
    };
    if *kind == MessageKind::Assertion {
        msg.assertions.push(r.assertion(root));
        msg.id = None;
        msg.issuer = None;
        msg.signature = None;
    } else {
        msg.assertions = doc
            .children_named(root, NS_ASSERTION, "Assertion")
            .map(|a| r.assertion(a))
            .collect();
        msg.encrypted_assertions = doc
            .children_named(root, NS_ASSERTION, "EncryptedAssertion")
            .map(|n| r.located(n, String::new(), None))
            .collect();
    }
    msg
}

fn message_kind(doc: &Document, root: NodeId) -> Result<MessageKind, ParseError> {
    let el = doc
        .element(root)
        .ok_or_else(|| ParseError::NotSaml("no root element".into()))?;
    let ns = el.ns.unwrap_or("");
    let kind = match (ns, el.local) {
        (NS_PROTOCOL, "Response") => MessageKind::Response,
        (NS_PROTOCOL, "AuthnRequest") => MessageKind::AuthnRequest,
        (NS_PROTOCOL, "LogoutRequest") => MessageKind::LogoutRequest,
        (NS_PROTOCOL, "LogoutResponse") => MessageKind::LogoutResponse,
        (NS_ASSERTION, "Assertion") => MessageKind::Assertion,
        (NS_METADATA, "EntityDescriptor" | "EntitiesDescriptor") => {
            return Err(ParseError::NotSaml(
                "this is SAML metadata (EntityDescriptor); pass it with --idp-metadata or \
                 --sp-metadata and give the Response as the input"
                    .into(),
            ));
        }
        (_, "RequestSecurityTokenResponse" | "RequestSecurityTokenResponseCollection") => {
            return Err(ParseError::NotSaml(
                "this is a WS-Federation token response (wresult), not a SAML 2.0 protocol \
                 message; Kinde's SAML connections use SAML 2.0"
                    .into(),
            ));
        }
        (_, "Response" | "AuthnRequest" | "Assertion")
            if ns != NS_PROTOCOL && ns != NS_ASSERTION =>
        {
            return Err(ParseError::NotSaml(format!(
                "<{}> is in namespace {:?}, not the SAML 2.0 namespace (SAML 1.1 uses \
                 urn:oasis:names:tc:SAML:1.0:protocol); Kinde expects SAML 2.0",
                el.local,
                if ns.is_empty() { "(none)" } else { ns }
            )));
        }
        _ => {
            return Err(ParseError::NotSaml(format!(
                "the XML root element is <{}>{}, not a SAML Response, AuthnRequest or Assertion",
                el.local,
                if ns.is_empty() {
                    String::new()
                } else {
                    format!(" in namespace {ns}")
                }
            )));
        }
    };
    Ok(kind)
}

struct Reader<'a> {
    doc: &'a Document,
}

impl Reader<'_> {
    fn offset(&self, node: NodeId) -> usize {
        self.doc.nodes[node].span.start
    }

    fn located(&self, node: NodeId, value: String, attr: Option<&'static str>) -> Located<String> {
        Located {
            value,
            node,
            attr,
            offset: self.offset(node),
        }
    }

    fn attr(&self, node: NodeId, name: &'static str) -> Option<Located<String>> {
        let v = self.doc.attr(node, name)?.to_string();
        Some(self.located(node, v, Some(name)))
    }

    fn text(&self, node: NodeId) -> Located<String> {
        self.located(node, self.doc.text(node), None)
    }

    fn child_text(&self, node: NodeId, ns: &str, local: &str) -> Option<Located<String>> {
        self.doc.child(node, ns, local).map(|c| self.text(c))
    }

    fn status(&self, root: NodeId) -> Option<Status> {
        let status = self.doc.child(root, NS_PROTOCOL, "Status")?;
        let mut code_node = self.doc.child(status, NS_PROTOCOL, "StatusCode");
        let code = self.attr(code_node?, "Value").unwrap_or_else(|| {
            self.located(code_node.unwrap_or(status), String::new(), Some("Value"))
        });
        let mut sub_codes = Vec::new();
        while let Some(n) = code_node.and_then(|c| self.doc.child(c, NS_PROTOCOL, "StatusCode")) {
            if let Some(v) = self.attr(n, "Value") {
                sub_codes.push(v);
            }
            code_node = Some(n);
        }
        Some(Status {
            code,
            sub_codes,
            message: self.child_text(status, NS_PROTOCOL, "StatusMessage"),
            has_detail: self
                .doc
                .child(status, NS_PROTOCOL, "StatusDetail")
                .is_some(),
        })
    }

    fn signature(&self, parent: NodeId) -> Option<SignatureInfo> {
        let sig = self.doc.child(parent, NS_DSIG, "Signature")?;
        let signed_info = self.doc.child(sig, NS_DSIG, "SignedInfo");
        let alg = |n: Option<NodeId>, local: &str| {
            n.and_then(|n| self.doc.child(n, NS_DSIG, local))
                .and_then(|m| self.doc.attr(m, "Algorithm"))
                .map(str::to_string)
        };
        let references: Vec<NodeId> = signed_info
            .map(|si| self.doc.children_named(si, NS_DSIG, "Reference").collect())
            .unwrap_or_default();
        let has_certificate = self
            .doc
            .descendants(sig)
            .into_iter()
            .any(|n| self.doc.is(n, NS_DSIG, "X509Certificate"));
        Some(SignatureInfo {
            node: sig,
            offset: self.offset(sig),
            signature_method: alg(signed_info, "SignatureMethod"),
            canonicalization: alg(signed_info, "CanonicalizationMethod"),
            digest_methods: references
                .iter()
                .filter_map(|&r| alg(Some(r), "DigestMethod"))
                .collect(),
            reference_uris: references
                .iter()
                .map(|&r| self.doc.attr(r, "URI").unwrap_or("").to_string())
                .collect(),
            has_certificate,
        })
    }

    fn assertion(&self, node: NodeId) -> Assertion {
        let d = self.doc;
        Assertion {
            node,
            offset: self.offset(node),
            id: self.attr(node, "ID"),
            issue_instant: self.attr(node, "IssueInstant"),
            issuer: self.child_text(node, NS_ASSERTION, "Issuer"),
            signature: self.signature(node),
            subject: d
                .child(node, NS_ASSERTION, "Subject")
                .map(|s| self.subject(s)),
            conditions: d
                .child(node, NS_ASSERTION, "Conditions")
                .map(|c| self.conditions(c)),
            attributes: d
                .children_named(node, NS_ASSERTION, "AttributeStatement")
                .flat_map(|st| {
                    d.children_named(st, NS_ASSERTION, "Attribute")
                        .collect::<Vec<_>>()
                })
                .map(|a| self.attribute(a))
                .collect(),
            authn_statements: d
                .children_named(node, NS_ASSERTION, "AuthnStatement")
                .map(|s| self.authn_statement(s))
                .collect(),
        }
    }

    fn subject(&self, node: NodeId) -> Subject {
        let d = self.doc;
        let name_id = d.child(node, NS_ASSERTION, "NameID").map(|n| NameId {
            value: self.text(n),
            format: self.attr(n, "Format"),
        });
        let confirmations = d
            .children_named(node, NS_ASSERTION, "SubjectConfirmation")
            .map(|c| Confirmation {
                method: self
                    .attr(c, "Method")
                    .unwrap_or_else(|| self.located(c, String::new(), Some("Method"))),
                data: d
                    .child(c, NS_ASSERTION, "SubjectConfirmationData")
                    .map(|n| ConfirmationData {
                        node: n,
                        recipient: self.attr(n, "Recipient"),
                        not_before: self.attr(n, "NotBefore"),
                        not_on_or_after: self.attr(n, "NotOnOrAfter"),
                        in_response_to: self.attr(n, "InResponseTo"),
                        address: self.attr(n, "Address"),
                    }),
            })
            .collect();
        Subject {
            node,
            offset: self.offset(node),
            name_id,
            encrypted_id: d.child(node, NS_ASSERTION, "EncryptedID").is_some(),
            confirmations,
        }
    }

    fn conditions(&self, node: NodeId) -> Conditions {
        let d = self.doc;
        Conditions {
            node,
            offset: self.offset(node),
            not_before: self.attr(node, "NotBefore"),
            not_on_or_after: self.attr(node, "NotOnOrAfter"),
            audience_restrictions: d
                .children_named(node, NS_ASSERTION, "AudienceRestriction")
                .map(|r| {
                    d.children_named(r, NS_ASSERTION, "Audience")
                        .map(|a| self.text(a))
                        .collect()
                })
                .collect(),
        }
    }

    fn attribute(&self, node: NodeId) -> Attribute {
        let d = self.doc;
        Attribute {
            name: self
                .attr(node, "Name")
                .unwrap_or_else(|| self.located(node, String::new(), Some("Name"))),
            name_format: d.attr(node, "NameFormat").map(str::to_string),
            friendly_name: d.attr(node, "FriendlyName").map(str::to_string),
            values: d
                .children_named(node, NS_ASSERTION, "AttributeValue")
                .map(|v| AttributeValue {
                    node: v,
                    offset: self.offset(v),
                    nil: d
                        .attr_ns(v, NS_XSI, "nil")
                        .is_some_and(|n| n.trim() == "true" || n.trim() == "1"),
                })
                .collect(),
        }
    }

    fn authn_statement(&self, node: NodeId) -> AuthnStatement {
        let d = self.doc;
        let class_ref = d
            .child(node, NS_ASSERTION, "AuthnContext")
            .and_then(|c| d.child(c, NS_ASSERTION, "AuthnContextClassRef"))
            .map(|c| d.text(c).trim().to_string());
        AuthnStatement {
            authn_instant: self.attr(node, "AuthnInstant"),
            session_index: d.attr(node, "SessionIndex").map(str::to_string),
            session_not_on_or_after: self.attr(node, "SessionNotOnOrAfter"),
            class_ref,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fixture of this repository (tests run from the crate root).
    fn fixture(name: &str) -> String {
        let path = format!("{}/fixtures/saml/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn reads_entra_shape() {
        let m = parse_message(&fixture("entra-clean.xml"), &Limits::default()).unwrap();
        assert_eq!(m.kind, MessageKind::Response);
        assert_eq!(m.assertions.len(), 1);
        let a = &m.assertions[0];
        assert_eq!(a.attributes.len(), 6);
        assert_eq!(m.name_id().unwrap().value.value, "dana.reyes@example.com");
        let aud = &a.conditions.as_ref().unwrap().audience_restrictions[0][0];
        assert_eq!(aud.value, "kx7Qm2Rv9LpT4wZ8aN3c");
        assert!(
            aud.path(&m.doc)
                .ends_with("/Conditions/AudienceRestriction/Audience")
        );
        assert_eq!(m.doc.line_col(m.destination.as_ref().unwrap().offset).0, 1);
        assert_eq!(m.bearer_data().count(), 1);
    }

    #[test]
    fn reads_okta_prefixes_and_status_error() {
        let m = parse_message(&fixture("okta-clean.xml"), &Limits::default()).unwrap();
        assert_eq!(m.assertions[0].attributes[0].name.value, "email");
        let m = parse_message(&fixture("status-requester.xml"), &Limits::default()).unwrap();
        let st = m.status.unwrap();
        assert!(st.code.value.ends_with(":Requester"));
        assert!(st.sub_codes[0].value.ends_with(":InvalidNameIDPolicy"));
        assert!(m.assertions.is_empty());
    }

    #[test]
    fn names_what_other_xml_is() {
        let e = parse_message(
            "<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\"/>",
            &Limits::default(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("metadata"));
        let e = parse_message("<root/>", &Limits::default()).unwrap_err();
        assert!(e.to_string().contains("<root>"));
    }
}
