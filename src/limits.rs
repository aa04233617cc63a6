//! Resource limits applied to untrusted input: every decoder and parser takes its caps from here,
//! so one place says how much sso-doctor will read, inflate or nest before it stops with an error.

/// Caps for one run. The defaults fit real SAML traces with a wide margin; flags raise them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest input file or paste read, in bytes.
    pub max_input_bytes: usize,
    /// Largest output of any one decompression (deflate, zlib, gzip), in bytes.
    pub max_inflated_bytes: usize,
    /// Deepest element nesting accepted in XML.
    pub max_xml_depth: usize,
    /// Most nodes (elements, text, comments) in one XML document.
    pub max_xml_nodes: usize,
    /// Most attributes on one element.
    pub max_xml_attributes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: 16 * 1024 * 1024,
            max_inflated_bytes: 16 * 1024 * 1024,
            max_xml_depth: 128,
            max_xml_nodes: 200_000,
            max_xml_attributes: 256,
        }
    }
}
