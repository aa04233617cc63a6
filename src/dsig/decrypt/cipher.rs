//! Content decryption: AES-CBC and Triple DES CBC with XML-Enc padding (XML-Enc 1.0 §5.2.1,
//! §5.2.2) and AES-GCM (XML-Enc 1.1 §5.2.4), through the RustCrypto block-cipher crates.

use super::DecryptError;
use aes::cipher::{BlockCipher, BlockDecryptMut, KeyInit, KeyIvInit, block_padding::NoPadding};
use aes_gcm::aead::Aead;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ContentCipher {
    /// AES in CBC mode, 16-byte IV and blocks.
    Cbc,
    /// Triple DES (EDE, three keys) in CBC mode, 8-byte IV and blocks.
    TripleDesCbc,
    Gcm,
}

/// `xmlenc#tripledes-cbc`, REQUIRED by XML-Enc 1.0 §5.2 and still sent by AD FS and Shibboleth
/// setups.
pub const TRIPLEDES_CBC: &str = "http://www.w3.org/2001/04/xmlenc#tripledes-cbc";

pub(super) fn content_cipher(uri: &str) -> Option<(ContentCipher, usize)> {
    Some(match uri {
        TRIPLEDES_CBC => (ContentCipher::TripleDesCbc, 24),
        "http://www.w3.org/2001/04/xmlenc#aes128-cbc" => (ContentCipher::Cbc, 16),
        "http://www.w3.org/2001/04/xmlenc#aes192-cbc" => (ContentCipher::Cbc, 24),
        "http://www.w3.org/2001/04/xmlenc#aes256-cbc" => (ContentCipher::Cbc, 32),
        "http://www.w3.org/2009/xmlenc11#aes128-gcm" => (ContentCipher::Gcm, 16),
        "http://www.w3.org/2009/xmlenc11#aes192-gcm" => (ContentCipher::Gcm, 24),
        "http://www.w3.org/2009/xmlenc11#aes256-gcm" => (ContentCipher::Gcm, 32),
        _ => return None,
    })
}

fn bad(m: &str) -> DecryptError {
    DecryptError::DataDecryptFailed(m.to_string())
}

/// CBC with the IV prefixed and XML-Enc padding (XML-Enc 1.0 §5.2: the last byte counts the
/// padding bytes, whose other values are arbitrary, so PKCS#7 checking would be wrong).
fn cbc_decrypt<C>(key: &[u8], data: &[u8]) -> Result<Vec<u8>, DecryptError>
where
    C: BlockCipher + BlockDecryptMut + KeyInit,
{
    let block = C::block_size();
    if data.len() < 2 * block || !data.len().is_multiple_of(block) {
        return Err(DecryptError::DataDecryptFailed(format!(
            "CBC ciphertext is not an IV plus whole {block}-byte blocks"
        )));
    }
    let (iv, body) = data.split_at(block);
    let mut buf = body.to_vec();
    let plain_len = cbc::Decryptor::<C>::new_from_slices(key, iv)
        .map_err(|_| bad("bad key or IV length"))?
        .decrypt_padded_mut::<NoPadding>(&mut buf)
        .map_err(|_| bad("CBC decryption failed"))?
        .len();
    buf.truncate(plain_len);
    let pad = usize::from(*buf.last().unwrap_or(&0));
    if pad == 0 || pad > block || pad > buf.len() {
        return Err(bad(
            "bad XML-Enc padding: the key is probably wrong or the data damaged",
        ));
    }
    buf.truncate(buf.len() - pad);
    Ok(buf)
}

pub(super) fn decrypt_content(
    cipher: ContentCipher,
    key: &[u8],
    data: &[u8],
) -> Result<Vec<u8>, DecryptError> {
    match cipher {
        ContentCipher::Cbc => match key.len() {
            16 => cbc_decrypt::<aes::Aes128>(key, data),
            24 => cbc_decrypt::<aes::Aes192>(key, data),
            32 => cbc_decrypt::<aes::Aes256>(key, data),
            _ => Err(bad("bad AES key length")),
        },
        ContentCipher::TripleDesCbc => match key.len() {
            24 => cbc_decrypt::<des::TdesEde3>(key, data),
            _ => Err(bad("bad Triple DES key length (24 bytes expected)")),
        },
        ContentCipher::Gcm => {
            if data.len() < 12 + 16 {
                return Err(bad("GCM ciphertext shorter than IV plus tag"));
            }
            let (iv, body) = data.split_at(12);
            let nonce = aes_gcm::Nonce::from_slice(iv);
            let result = match key.len() {
                16 => aes_gcm::Aes128Gcm::new_from_slice(key)
                    .map_err(|_| bad("bad key length"))?
                    .decrypt(nonce, body),
                24 => {
                    aes_gcm::AesGcm::<aes::Aes192, aes_gcm::aead::consts::U12>::new_from_slice(key)
                        .map_err(|_| bad("bad key length"))?
                        .decrypt(nonce, body)
                }
                32 => aes_gcm::Aes256Gcm::new_from_slice(key)
                    .map_err(|_| bad("bad key length"))?
                    .decrypt(nonce, body),
                _ => return Err(bad("bad AES key length")),
            };
            result.map_err(|_| bad("GCM authentication tag does not match"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cbc_padding_is_checked_and_stripped() {
        use aes::cipher::BlockEncryptMut;
        let key = [7u8; 16];
        let iv = [9u8; 16];
        // 13 bytes of text, 3 bytes of XML-Enc padding whose first two bytes are arbitrary.
        let mut block = *b"<a>hello</a>\n\xAA\xBB\x03";
        let ct = cbc::Encryptor::<aes::Aes128>::new_from_slices(&key, &iv)
            .unwrap()
            .encrypt_padded_mut::<NoPadding>(&mut block, 16)
            .unwrap()
            .to_vec();
        let data = [iv.to_vec(), ct].concat();
        assert_eq!(
            decrypt_content(ContentCipher::Cbc, &key, &data).unwrap(),
            b"<a>hello</a>\n"
        );
        assert!(decrypt_content(ContentCipher::Cbc, &key, &data[..20]).is_err());
        // A wrong key yields garbage: a padding error, or at best not the plaintext.
        let wrong = decrypt_content(ContentCipher::Cbc, &[1u8; 16], &data);
        assert!(wrong.as_deref().map_or(true, |p| p != b"<a>hello</a>\n"));
        assert!(decrypt_content(ContentCipher::Gcm, &key, &[0u8; 20]).is_err());
        assert!(decrypt_content(ContentCipher::Gcm, &key, &[0u8; 40]).is_err());
        assert!(decrypt_content(ContentCipher::Cbc, &[0u8; 5], &data).is_err());
    }

    #[test]
    fn triple_des_cbc_uses_8_byte_blocks_and_xml_enc_padding() {
        use aes::cipher::BlockEncryptMut;
        let key: Vec<u8> = (1..=24).collect();
        let iv = [3u8; 8];
        // 13 bytes of text, 3 bytes of padding whose first two are arbitrary: two blocks.
        let mut blocks = *b"<a>hello</a>\n\x11\x22\x03";
        let ct = cbc::Encryptor::<des::TdesEde3>::new_from_slices(&key, &iv)
            .unwrap()
            .encrypt_padded_mut::<NoPadding>(&mut blocks, 16)
            .unwrap()
            .to_vec();
        let data = [iv.to_vec(), ct].concat();
        assert_eq!(
            content_cipher(TRIPLEDES_CBC),
            Some((ContentCipher::TripleDesCbc, 24))
        );
        assert_eq!(
            decrypt_content(ContentCipher::TripleDesCbc, &key, &data).unwrap(),
            b"<a>hello</a>\n"
        );
        // Not whole 8-byte blocks, a short key, and padding longer than a block are refused.
        assert!(decrypt_content(ContentCipher::TripleDesCbc, &key, &data[..20]).is_err());
        assert!(decrypt_content(ContentCipher::TripleDesCbc, &key[..16], &data).is_err());
        let mut long_pad = *b"0123456789abcde\x09";
        let ct = cbc::Encryptor::<des::TdesEde3>::new_from_slices(&key, &iv)
            .unwrap()
            .encrypt_padded_mut::<NoPadding>(&mut long_pad, 16)
            .unwrap()
            .to_vec();
        let data = [iv.to_vec(), ct].concat();
        assert!(decrypt_content(ContentCipher::TripleDesCbc, &key, &data).is_err());
    }
}
