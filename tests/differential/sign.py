#!/usr/bin/env python3
"""Signs the assertion of a generated response independently of sso-doctor: libxml2's exclusive
C14N (lxml) and RSA-SHA256 from Python `cryptography`.

  sign.py UNSIGNED.xml KEY.pem CERT.pem OUT.xml

The unsigned file holds `<!--SIGNATURE-->` where the ds:Signature goes (after the assertion's
Issuer). The file's bytes are kept as they are (CRLF line ends included); only the placeholder is
replaced, so the signature covers exactly what an IdP that saved the file with Windows line ends
would have signed: the canonical form, in which every line end is LF (XML 1.0 §2.11).
"""
import base64
import hashlib
import sys

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from lxml import etree

DS = "http://www.w3.org/2000/09/xmldsig#"
EXC = "http://www.w3.org/2001/10/xml-exc-c14n#"


def main():
    unsigned, key_path, cert_path, out_path = sys.argv[1:5]
    data = open(unsigned, "rb").read()
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    assertion = next(e for e in root.iter() if isinstance(e.tag, str) and e.get("ID") == "_a1")
    digest = hashlib.sha256(
        etree.tostring(assertion, method="c14n", exclusive=True, with_comments=False)
    ).digest()
    signed_info = (
        f'<ds:SignedInfo xmlns:ds="{DS}">'
        f'<ds:CanonicalizationMethod Algorithm="{EXC}"></ds:CanonicalizationMethod>'
        '<ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256">'
        "</ds:SignatureMethod>"
        '<ds:Reference URI="#_a1"><ds:Transforms>'
        f'<ds:Transform Algorithm="{DS}enveloped-signature"></ds:Transform>'
        f'<ds:Transform Algorithm="{EXC}"></ds:Transform></ds:Transforms>'
        '<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"></ds:DigestMethod>'
        f"<ds:DigestValue>{base64.b64encode(digest).decode()}</ds:DigestValue>"
        "</ds:Reference></ds:SignedInfo>"
    )
    canonical = etree.tostring(
        etree.fromstring(signed_info.encode()), method="c14n", exclusive=True
    )
    key = serialization.load_pem_private_key(open(key_path, "rb").read(), password=None)
    value = key.sign(canonical, padding.PKCS1v15(), hashes.SHA256())
    cert = "".join(
        l for l in open(cert_path).read().splitlines() if l and not l.startswith("-----")
    )
    signature = (
        f'<ds:Signature xmlns:ds="{DS}">'
        + signed_info.replace(f' xmlns:ds="{DS}"', "", 1)
        + f"<ds:SignatureValue>{base64.b64encode(value).decode()}</ds:SignatureValue>"
        f"<ds:KeyInfo><ds:X509Data><ds:X509Certificate>{cert}</ds:X509Certificate>"
        "</ds:X509Data></ds:KeyInfo></ds:Signature>"
    )
    assert data.count(b"<!--SIGNATURE-->") == 1, "one placeholder"
    open(out_path, "wb").write(data.replace(b"<!--SIGNATURE-->", signature.encode()))


if __name__ == "__main__":
    main()
