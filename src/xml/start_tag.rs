//! Start tags: attributes (values normalised, duplicates by expanded name refused), namespace
//! declarations (checked against Namespaces in XML 1.0 §3 and bound per prefix), and the
//! element's own namespace.

use super::build::Builder;
use super::chars::{forbidden_message, is_forbidden};
use super::ns::check_decl;
use super::{NONE, RawAttr, RawDecl, RawKind, Span, Str, XmlError};
use quick_xml::events::BytesStart;

/// An attribute read from a start tag, before its namespace is resolved.
pub(super) struct PendingAttr {
    prefix: Option<Str>,
    local: Str,
    value: Str,
    qname: Str,
}

impl Builder<'_, '_> {
    pub(super) fn open(
        &mut self,
        tag: &BytesStart,
        span: Span,
        empty: bool,
    ) -> Result<(), XmlError> {
        if self.stack.is_empty() && self.root.is_some() {
            return Err(self.error(span.start, "a second root element after the first".into()));
        }
        if self.stack.len() >= self.limits.max_xml_depth {
            return Err(self.error(
                span.start,
                format!(
                    "elements nest deeper than {} levels; raise --max-xml-depth if this is genuine",
                    self.limits.max_xml_depth
                ),
            ));
        }
        let name = tag.name();
        let (prefix, local) = self.split_name(name.0);
        let mut pending = std::mem::take(&mut self.pending);
        pending.clear();
        let decls_start = self.decls.len();
        self.scopes.enter();
        // Duplicates are checked below on namespace-resolved names, which also catches the
        // same name written twice; quick-xml's own check would be a second quadratic pass.
        for attr in tag.attributes().with_checks(false) {
            let attr = attr.map_err(|e| self.error(span.start, format!("bad attribute: {e}")))?;
            let key = attr.key.0;
            if let Some(i) = memchr::memchr(b'<', attr.value.as_bytes()) {
                let at = self
                    .locate(&attr.value)
                    .map_or(span.start, |v| v.start as usize + i);
                return Err(self.tag_error(
                    at,
                    name.0,
                    format!(
                        "`<` in the value of attribute {key}: it must be written `&lt;` \
                         (XML 1.0 §3.1, AttValue)"
                    ),
                ));
            }
            let value = attr
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|e| {
                    self.error(span.start, format!("bad value in attribute {key}: {e}"))
                })?;
            if let std::borrow::Cow::Owned(v) = &value
                && let Some(c) = v.chars().find(|&c| is_forbidden(c))
            {
                return Err(self.error(span.start, forbidden_message(c)));
            }
            let decl = match key {
                "xmlns" => Some(None),
                _ => key.strip_prefix("xmlns:").map(Some),
            };
            if let Some(p) = decl {
                self.check_decl(p, &value, key, name.0, span)?;
            }
            let value = self.store(value);
            if let Some(p) = decl {
                let prefix = p.map(|_| self.split_name(key).1);
                self.decls.push(RawDecl { prefix, uri: value });
                if self
                    .scopes
                    .bind(self.src, &self.pool, prefix, value)
                    .is_err()
                {
                    let at = self.locate(key).map_or(span.start, |k| k.start as usize);
                    return Err(self.tag_error(
                        at,
                        name.0,
                        format!(
                            "{key} is declared twice on one element: not namespace-well-formed \
                             (Namespaces in XML 1.0 §3, XML 1.0 §3.1 unique attribute names), \
                             and readers disagree on which of the two bindings applies"
                        ),
                    ));
                }
            } else {
                let qname = self.store(std::borrow::Cow::Borrowed(key));
                let (aprefix, alocal) = self.split_name(key);
                pending.push(PendingAttr {
                    prefix: aprefix,
                    local: alocal,
                    value,
                    qname,
                });
            }
            if pending.len() + self.decls.len() - decls_start > self.limits.max_xml_attributes {
                return Err(self.error(
                    span.start,
                    format!(
                        "more than {} attributes on <{}>; raise --max-xml-attributes if this \
                         is genuine",
                        self.limits.max_xml_attributes, name.0
                    ),
                ));
            }
        }
        let ns = self.scopes.resolve(self.src, &self.pool, prefix, true);
        if let Some(p) = prefix
            && ns.is_none()
        {
            let p = self.s(p);
            return Err(self.error(
                span.start,
                format!("namespace prefix `{p}` is not declared"),
            ));
        }
        let attrs_start = self.attrs.len();
        for a in &pending {
            let ans = match a.prefix {
                None => None,
                Some(p) => Some(
                    self.scopes
                        .resolve(self.src, &self.pool, Some(p), false)
                        .ok_or_else(|| {
                            self.error(
                                span.start,
                                format!("namespace prefix `{}` is not declared", self.s(p)),
                            )
                        })?,
                ),
            };
            let duplicate = self.attrs[attrs_start..].iter().any(|b| {
                self.s(b.local) == self.s(a.local)
                    && b.ns.map(|n| self.s(n)) == ans.map(|n| self.s(n))
            });
            if duplicate {
                let key = self.s(a.qname);
                return Err(self.error(span.start, format!("attribute {key} appears twice")));
            }
            self.attrs.push(RawAttr {
                prefix: a.prefix,
                local: a.local,
                ns: ans,
                value: a.value,
            });
        }
        self.pending = pending;
        let kind = RawKind::Element {
            prefix,
            local,
            ns,
            attrs: (attrs_start as u32, self.attrs.len() as u32),
            decls: (decls_start as u32, self.decls.len() as u32),
        };
        let id = self.push_node(kind, span)?;
        if self.stack.is_empty() {
            self.root = Some(id);
        }
        if empty {
            self.scopes.leave();
        } else {
            self.stack.push((id, NONE));
        }
        Ok(())
    }

    /// The namespace constraints on a declaration, as an error at the declaration's byte.
    fn check_decl(
        &self,
        prefix: Option<&str>,
        uri: &str,
        key: &str,
        element: &str,
        span: Span,
    ) -> Result<(), XmlError> {
        match check_decl(prefix, uri) {
            Ok(()) => Ok(()),
            Err(why) => {
                let at = self.locate(key).map_or(span.start, |k| k.start as usize);
                Err(self.tag_error(
                    at,
                    element,
                    format!(
                        "namespace declaration {key}=\"{uri}\" is not namespace-well-formed: \
                         {why} (Namespaces in XML 1.0 §3)"
                    ),
                ))
            }
        }
    }

    /// An error inside the start tag of `element`, which is not on the stack yet: its path ends
    /// with the element itself.
    fn tag_error(&self, offset: usize, element: &str, message: String) -> XmlError {
        let mut e = self.error(offset, message);
        e.path.push('/');
        e.path.push_str(element);
        e
    }
}
