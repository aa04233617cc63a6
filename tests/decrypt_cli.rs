//! XML Encryption through the real binary, on fixtures encrypted (and signed) by xmlsec1
//! (`fixtures/make_xmlsec_encrypted.sh`), so that neither the ciphertext nor the signature
//! comes from our code: Triple DES CBC content (XML-Enc 1.0 §5.2, REQUIRED), and an EncryptedID
//! (SAML core 2.2.4) in a signed assertion, plain or itself encrypted.

mod common;
use common::{NOW, run};
use serde_json::Value;

const CONFIG: &str = "fixtures/dsig/idp-rsa.toml";

/// Runs `saml --format json` and returns (exit code, report, finding codes).
fn analyse(args: &[&str]) -> (i32, Value, Vec<String>) {
    let mut all = vec!["saml"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--now", NOW, "--format", "json"]);
    let (code, out, err) = run(&all);
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
    let codes = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect();
    (code, v, codes)
}

fn decoding(v: &Value) -> String {
    v["decoding"].to_string()
}

#[test]
fn triple_des_assertion_decrypts_and_its_signature_verifies() {
    let (_, v, codes) = analyse(&[
        "fixtures/dsig/encrypted-assertion-3des-xmlsec.xml",
        "--config",
        CONFIG,
    ]);
    assert!(codes.contains(&"SD710".to_string()), "{codes:?}");
    assert!(!codes.contains(&"SD717".to_string()), "{codes:?}");
    assert!(decoding(&v).contains("tripledes-cbc"), "{}", decoding(&v));
    assert_eq!(v["summary"]["name_id"], "Dana.Reyes@example.com", "{v}");
}

#[test]
fn encrypted_id_in_an_encrypted_assertion_is_read_with_the_sp_key() {
    let (_, v, codes) = analyse(&[
        "fixtures/dsig/encrypted-id-in-encrypted-assertion.xml",
        "--config",
        CONFIG,
    ]);
    // The NameID is read, so SD601 has nothing to blame; the assertion signature, made over the
    // EncryptedID, still verifies.
    assert_eq!(v["summary"]["name_id"], "Dana.Reyes@example.com", "{v}");
    assert!(!codes.contains(&"SD601".to_string()), "{codes:?}");
    assert!(!codes.contains(&"SD717".to_string()), "{codes:?}");
    assert!(codes.contains(&"SD710".to_string()), "{codes:?}");
    let steps = decoding(&v);
    assert!(
        steps.contains("decrypt EncryptedAssertion (rsa-oaep-mgf1p + aes256-cbc)")
            && steps.contains("decrypt EncryptedID (rsa-1_5 + tripledes-cbc)"),
        "{steps}"
    );
}

#[test]
fn encrypted_id_in_a_plain_signed_assertion_is_read_with_the_sp_key() {
    let file = "fixtures/dsig/encrypted-id-in-signed-assertion.xml";
    let (_, v, codes) = analyse(&[file, "--config", CONFIG]);
    assert_eq!(v["summary"]["name_id"], "Dana.Reyes@example.com", "{v}");
    assert!(!codes.contains(&"SD601".to_string()), "{codes:?}");
    assert!(codes.contains(&"SD710".to_string()), "{codes:?}");

    // Without the SP key the NameID stays encrypted and SD601 says the key is what is missing.
    let (_, v, codes) = analyse(&[file, "--idp-cert", "fixtures/keys/idp-rsa.crt"]);
    assert!(codes.contains(&"SD601".to_string()), "{codes:?}");
    let sd601 = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "SD601")
        .unwrap();
    assert!(
        sd601["message"].as_str().unwrap().contains("SP key"),
        "{sd601}"
    );
}

#[test]
fn an_encrypted_id_for_another_sp_key_is_reported_not_read() {
    let (_, v, codes) = analyse(&[
        "fixtures/dsig/encrypted-id-in-signed-assertion.xml",
        "--config",
        "fixtures/dsig/wrong-sp-key.toml",
    ]);
    assert!(codes.contains(&"SD717".to_string()), "{codes:?}");
    assert!(v.to_string().contains("EncryptedID: "), "{v}");
}
