//! The algorithm identifiers of XML-DSig: digest methods (XML-DSig 1.1 §6.2, RFC 6931 §2.1),
//! signature methods (XML-DSig 1.1 §6.4, RFC 6931 §2.3) and the namespaces and transform URIs the
//! verifier needs.

use sha1::Sha1;
use sha2::{Digest, Sha224, Sha256, Sha384, Sha512};

/// The XML-DSig namespace.
pub use crate::ns::DSIG as DSIG_NS;
/// The namespace of `ec:InclusiveNamespaces`.
pub const EXC_C14N_NS: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
/// The enveloped-signature transform.
pub const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

/// A hash function named by an XML-DSig URI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashAlg {
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

/// The namespaces digest identifiers are minted in (standard or not): XML-DSig, XML-Enc and
/// RFC 6931's xmldsig-more.
const DIGEST_NAMESPACES: [&str; 3] = [
    "http://www.w3.org/2000/09/xmldsig#",
    "http://www.w3.org/2001/04/xmlenc#",
    "http://www.w3.org/2001/04/xmldsig-more#",
];

impl HashAlg {
    /// The hash named by a standard `DigestMethod` URI.
    pub fn from_digest_uri(uri: &str) -> Option<HashAlg> {
        let (hash, standard) = HashAlg::from_digest_uri_lenient(uri)?;
        standard.then_some(hash)
    }

    /// The hash a `DigestMethod` URI means, with `true` when the URI is the standard one and
    /// `false` for a non-standard spelling in one of the W3C namespaces that names the hash
    /// unambiguously (AD FS sends `xmlenc#sha1` and `xmlenc#sha384`, for instance).
    pub fn from_digest_uri_lenient(uri: &str) -> Option<(HashAlg, bool)> {
        let name = DIGEST_NAMESPACES
            .iter()
            .find_map(|ns| uri.strip_prefix(ns))?;
        let hash = HashAlg::from_name(name)?;
        Some((hash, uri == hash.digest_uri()))
    }

    /// The standard `DigestMethod` URI of this hash.
    pub fn digest_uri(self) -> &'static str {
        match self {
            HashAlg::Sha1 => "http://www.w3.org/2000/09/xmldsig#sha1",
            HashAlg::Sha224 => "http://www.w3.org/2001/04/xmldsig-more#sha224",
            HashAlg::Sha256 => "http://www.w3.org/2001/04/xmlenc#sha256",
            HashAlg::Sha384 => "http://www.w3.org/2001/04/xmldsig-more#sha384",
            HashAlg::Sha512 => "http://www.w3.org/2001/04/xmlenc#sha512",
        }
    }

    /// `SHA-256` and the like, for messages.
    pub fn label(self) -> &'static str {
        match self {
            HashAlg::Sha1 => "SHA-1",
            HashAlg::Sha224 => "SHA-224",
            HashAlg::Sha256 => "SHA-256",
            HashAlg::Sha384 => "SHA-384",
            HashAlg::Sha512 => "SHA-512",
        }
    }

    fn from_name(name: &str) -> Option<HashAlg> {
        Some(match name {
            "sha1" => HashAlg::Sha1,
            "sha224" => HashAlg::Sha224,
            "sha256" => HashAlg::Sha256,
            "sha384" => HashAlg::Sha384,
            "sha512" => HashAlg::Sha512,
            _ => return None,
        })
    }

    /// Hashes `data`.
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            HashAlg::Sha1 => Sha1::digest(data).to_vec(),
            HashAlg::Sha224 => Sha224::digest(data).to_vec(),
            HashAlg::Sha256 => Sha256::digest(data).to_vec(),
            HashAlg::Sha384 => Sha384::digest(data).to_vec(),
            HashAlg::Sha512 => Sha512::digest(data).to_vec(),
        }
    }
}

/// The key family of a signature algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SigFamily {
    Rsa,
    Ecdsa,
}

/// A `SignatureMethod` URI decoded into key family and hash; `None` when unsupported.
pub fn signature_method(uri: &str) -> Option<(SigFamily, HashAlg)> {
    const MORE: &str = "http://www.w3.org/2001/04/xmldsig-more#";
    if uri == "http://www.w3.org/2000/09/xmldsig#rsa-sha1" {
        return Some((SigFamily::Rsa, HashAlg::Sha1));
    }
    let name = uri.strip_prefix(MORE)?;
    let (family, hash) = name.split_once('-')?;
    let family = match family {
        "rsa" => SigFamily::Rsa,
        "ecdsa" => SigFamily::Ecdsa,
        _ => return None,
    };
    Some((family, HashAlg::from_name(hash)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_methods() {
        assert_eq!(
            signature_method("http://www.w3.org/2000/09/xmldsig#rsa-sha1"),
            Some((SigFamily::Rsa, HashAlg::Sha1))
        );
        assert_eq!(
            signature_method("http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384"),
            Some((SigFamily::Ecdsa, HashAlg::Sha384))
        );
        assert_eq!(
            signature_method("http://www.w3.org/2001/04/xmldsig-more#rsa-sha512"),
            Some((SigFamily::Rsa, HashAlg::Sha512))
        );
        for unsupported in [
            "http://www.w3.org/2000/09/xmldsig#dsa-sha1",
            "http://www.w3.org/2000/09/xmldsig#hmac-sha1",
            "http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1",
            "http://www.w3.org/2007/05/xmldsig-more#ecdsa-sha256",
            "http://www.w3.org/2001/04/xmldsig-more#rsa-md5",
            "",
        ] {
            assert_eq!(signature_method(unsupported), None, "{unsupported}");
        }
    }

    #[test]
    fn digest_methods_standard_and_not() {
        assert_eq!(
            HashAlg::from_digest_uri("http://www.w3.org/2001/04/xmlenc#sha256"),
            Some(HashAlg::Sha256)
        );
        assert_eq!(
            HashAlg::from_digest_uri("http://www.w3.org/2001/04/xmldsig-more#md5"),
            None
        );
        // AD FS spellings: understood, but flagged as non-standard, and refused by the strict
        // lookup.
        for (uri, hash) in [
            ("http://www.w3.org/2001/04/xmlenc#sha1", HashAlg::Sha1),
            ("http://www.w3.org/2001/04/xmlenc#sha384", HashAlg::Sha384),
            ("http://www.w3.org/2000/09/xmldsig#sha256", HashAlg::Sha256),
            (
                "http://www.w3.org/2001/04/xmldsig-more#sha512",
                HashAlg::Sha512,
            ),
        ] {
            assert_eq!(HashAlg::from_digest_uri_lenient(uri), Some((hash, false)));
            assert_eq!(HashAlg::from_digest_uri(uri), None);
        }
        for h in [
            HashAlg::Sha1,
            HashAlg::Sha224,
            HashAlg::Sha256,
            HashAlg::Sha384,
            HashAlg::Sha512,
        ] {
            assert_eq!(
                HashAlg::from_digest_uri_lenient(h.digest_uri()),
                Some((h, true))
            );
            let bits = match h {
                HashAlg::Sha1 => 160,
                other => other.label()[4..].parse().unwrap(),
            };
            assert_eq!(h.digest(b"abc").len() * 8, bits);
        }
        for unknown in [
            "http://www.w3.org/2001/04/xmlenc#md5",
            "urn:example:sha256",
            "http://www.w3.org/2001/04/xmlenc#SHA256",
            "",
        ] {
            assert_eq!(HashAlg::from_digest_uri_lenient(unknown), None, "{unknown}");
        }
    }
}
