//! The typed view of a SAML message that rules read. Every value keeps where it came from (element
//! path and line) so findings can show evidence in context.

use crate::finding::{Anchor, Evidence};
use crate::xml::{Document, NodeId};

/// A value read from the XML, with the node (and attribute) it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    pub value: T,
    pub node: NodeId,
    /// The attribute holding the value; `None` for element text.
    pub attr: Option<&'static str>,
    /// Byte offset of the element in the XML text.
    pub offset: usize,
}

impl<T> Located<T> {
    /// Where the value sits, for evidence.
    pub fn anchor(&self) -> Anchor {
        Anchor {
            node: self.node,
            attr: self.attr,
            offset: self.offset,
        }
    }

    /// `/samlp:Response/Assertion/Subject/NameID`, or `…/@Destination` for attributes.
    pub fn path(&self, doc: &Document) -> String {
        anchor_path(doc, &self.anchor())
    }
}

impl Located<String> {
    /// Evidence naming this value and where it came from.
    pub fn evidence(&self, label: impl Into<String>) -> Evidence {
        Evidence::new(label, self.value.clone(), "").anchored(self.anchor())
    }
}

/// The element path of an anchor, with `/@attr` for attributes.
pub fn anchor_path(doc: &Document, a: &Anchor) -> String {
    let mut path = doc.path(a.node);
    if let Some(attr) = a.attr {
        path.push_str("/@");
        path.push_str(attr);
    }
    path
}

/// An anchor at an element.
pub fn element_anchor(node: NodeId, offset: usize) -> Anchor {
    Anchor {
        node,
        attr: None,
        offset,
    }
}

/// Which SAML protocol message this is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessageKind {
    Response,
    AuthnRequest,
    LogoutRequest,
    LogoutResponse,
    /// A bare `saml:Assertion` pasted without its Response.
    Assertion,
}

impl MessageKind {
    pub fn name(&self) -> &'static str {
        match self {
            MessageKind::Response => "Response",
            MessageKind::AuthnRequest => "AuthnRequest",
            MessageKind::LogoutRequest => "LogoutRequest",
            MessageKind::LogoutResponse => "LogoutResponse",
            MessageKind::Assertion => "Assertion",
        }
    }

    /// The name with its article: "an AuthnRequest", "a LogoutResponse".
    pub fn with_article(&self) -> String {
        let article = match self {
            MessageKind::AuthnRequest | MessageKind::Assertion => "an",
            _ => "a",
        };
        format!("{article} {}", self.name())
    }
}

/// Who sent a message, as far as its Issuer and Destination tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sender {
    Idp,
    Kinde,
    Unknown,
}

impl Sender {
    /// "sent by the IdP to Kinde", "sent by Kinde to the IdP", or "" when unknown.
    pub fn direction(self) -> &'static str {
        match self {
            Sender::Idp => " sent by the IdP to Kinde",
            Sender::Kinde => " sent by Kinde to the IdP",
            Sender::Unknown => "",
        }
    }
}

/// `Status` of a response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// Top-level `StatusCode@Value`.
    pub code: Located<String>,
    /// Nested `StatusCode@Value`s, outermost first.
    pub sub_codes: Vec<Located<String>>,
    pub message: Option<Located<String>>,
    pub has_detail: bool,
}

/// What a `ds:Signature` says about itself (not whether it verifies).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureInfo {
    pub node: NodeId,
    pub offset: usize,
    pub signature_method: Option<String>,
    pub canonicalization: Option<String>,
    pub digest_methods: Vec<String>,
    pub reference_uris: Vec<String>,
    pub has_certificate: bool,
}

/// `NameID` of a subject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameId {
    pub value: Located<String>,
    pub format: Option<Located<String>>,
}

/// `SubjectConfirmationData`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfirmationData {
    pub node: NodeId,
    pub recipient: Option<Located<String>>,
    pub not_before: Option<Located<String>>,
    pub not_on_or_after: Option<Located<String>>,
    pub in_response_to: Option<Located<String>>,
    pub address: Option<Located<String>>,
}

/// `SubjectConfirmation`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirmation {
    pub method: Located<String>,
    pub data: Option<ConfirmationData>,
}

impl Confirmation {
    pub fn is_bearer(&self) -> bool {
        self.method.value.trim() == BEARER
    }
}

pub const BEARER: &str = "urn:oasis:names:tc:SAML:2.0:cm:bearer";

/// `Subject`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    pub node: NodeId,
    pub offset: usize,
    pub name_id: Option<NameId>,
    pub encrypted_id: bool,
    pub confirmations: Vec<Confirmation>,
}

/// `Conditions`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conditions {
    pub node: NodeId,
    pub offset: usize,
    pub not_before: Option<Located<String>>,
    pub not_on_or_after: Option<Located<String>>,
    /// One entry per `AudienceRestriction`, each holding its `Audience` values.
    pub audience_restrictions: Vec<Vec<Located<String>>>,
}

/// One `Attribute` with its values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    pub name: Located<String>,
    pub name_format: Option<String>,
    pub friendly_name: Option<String>,
    pub values: Vec<AttributeValue>,
}

/// One `AttributeValue`. Its text is read from the document when a rule asks: a response may
/// carry hundreds of group values, and copying each was a tenth of the time of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributeValue {
    pub node: NodeId,
    /// Byte offset of the element in the XML text.
    pub offset: usize,
    /// `xsi:nil="true"`.
    pub nil: bool,
}

impl AttributeValue {
    /// The value's text.
    pub fn text<'d>(&self, doc: &'d Document) -> std::borrow::Cow<'d, str> {
        doc.text_ref(self.node)
    }

    /// The value's text with where it came from, for evidence.
    pub fn located(&self, doc: &Document) -> Located<String> {
        Located {
            value: self.text(doc).into_owned(),
            node: self.node,
            attr: None,
            offset: self.offset,
        }
    }
}

/// `AuthnStatement`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthnStatement {
    pub authn_instant: Option<Located<String>>,
    pub session_index: Option<String>,
    pub session_not_on_or_after: Option<Located<String>>,
    pub class_ref: Option<String>,
}

/// One `Assertion` read directly under the Response (the one an SP processes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assertion {
    pub node: NodeId,
    pub offset: usize,
    pub id: Option<Located<String>>,
    pub issue_instant: Option<Located<String>>,
    pub issuer: Option<Located<String>>,
    pub signature: Option<SignatureInfo>,
    pub subject: Option<Subject>,
    pub conditions: Option<Conditions>,
    pub attributes: Vec<Attribute>,
    pub authn_statements: Vec<AuthnStatement>,
}

/// A parsed SAML protocol message with its source document and how it was decoded.
#[derive(Debug, Clone)]
pub struct Message {
    pub doc: Document,
    pub kind: MessageKind,
    pub root: NodeId,
    pub id: Option<Located<String>>,
    pub version: Option<Located<String>>,
    pub issue_instant: Option<Located<String>>,
    pub destination: Option<Located<String>>,
    pub in_response_to: Option<Located<String>>,
    pub issuer: Option<Located<String>>,
    pub status: Option<Status>,
    pub signature: Option<SignatureInfo>,
    pub assertions: Vec<Assertion>,
    /// `EncryptedAssertion` elements directly under the Response.
    pub encrypted_assertions: Vec<Located<String>>,
    /// AuthnRequest only: `AssertionConsumerServiceURL`.
    pub acs_url: Option<Located<String>>,
    /// AuthnRequest only: `NameIDPolicy@Format`.
    pub name_id_policy: Option<Located<String>>,
}

impl Message {
    /// Attributes of every assertion, in document order.
    pub fn attributes(&self) -> impl Iterator<Item = &Attribute> {
        self.assertions.iter().flat_map(|a| a.attributes.iter())
    }

    /// The subject's NameID of the first assertion that has one.
    pub fn name_id(&self) -> Option<&NameId> {
        self.assertions
            .iter()
            .find_map(|a| a.subject.as_ref()?.name_id.as_ref())
    }

    /// All bearer `SubjectConfirmationData`, across assertions.
    pub fn bearer_data(&self) -> impl Iterator<Item = &ConfirmationData> {
        self.assertions
            .iter()
            .filter_map(|a| a.subject.as_ref())
            .flat_map(|s| s.confirmations.iter())
            .filter(|c| c.is_bearer())
            .filter_map(|c| c.data.as_ref())
    }

    /// Who sent this message: an AuthnRequest always comes from Kinde; otherwise the Issuer is
    /// compared with the configured entity IDs, then the Destination with Kinde's ACS URL and
    /// domains (`*.kinde.com`, and `*.kinde.test` in fixtures).
    pub fn sender(
        &self,
        idp_entity_id: Option<&str>,
        sp_entity_id: Option<&str>,
        acs_url: Option<&str>,
    ) -> Sender {
        if self.kind == MessageKind::AuthnRequest {
            return Sender::Kinde;
        }
        let issuer = self.issuer.as_ref().map(|i| i.value.trim());
        if issuer.is_some() && issuer == idp_entity_id {
            return Sender::Idp;
        }
        if issuer.is_some() && issuer == sp_entity_id {
            return Sender::Kinde;
        }
        let Some(dest) = self.destination.as_ref().map(|d| d.value.trim()) else {
            return Sender::Unknown;
        };
        let host = dest
            .split_once("://")
            .map_or(dest, |(_, rest)| {
                rest.split(['/', ':', '?']).next().unwrap_or("")
            })
            .to_ascii_lowercase();
        let to_kinde = Some(dest) == acs_url
            || host.ends_with(".kinde.com")
            || host.ends_with(".kinde.test")
            || acs_url.is_some_and(|a| a.to_ascii_lowercase().contains(&format!("://{host}/")));
        if to_kinde {
            Sender::Idp
        } else {
            Sender::Unknown
        }
    }

    /// True when the Response or any assertion carries a signature.
    pub fn any_signature(&self) -> bool {
        self.signature.is_some() || self.assertions.iter().any(|a| a.signature.is_some())
    }

    /// The XML source line holding `offset`, for showing evidence in context.
    pub fn source_line(&self, line: usize) -> Option<&str> {
        self.doc.source.lines().nth(line.saturating_sub(1))
    }
}

impl Assertion {
    /// Evidence naming this assertion by ID and path.
    pub fn evidence(&self) -> Evidence {
        let id = self.id.as_ref().map_or("(no ID)", |i| i.value.as_str());
        // The path is filled in from the anchor when the finding is reported.
        Evidence::new("Assertion", id, "").anchored(element_anchor(self.node, self.offset))
    }
}
