//! Content decryption: AES-CBC with XML-Enc padding and AES-GCM, the ciphers of XML-Enc 1.0
//! §5.2 and 1.1 §5.2.

use super::DecryptError;
use aes::cipher::{BlockDecryptMut, KeyIvInit, block_padding::NoPadding};
use aes_gcm::aead::{Aead, KeyInit};

#[derive(Debug, Clone, Copy)]
pub(super) enum ContentCipher {
    Cbc,
    Gcm,
}

pub(super) fn content_cipher(uri: &str) -> Option<(ContentCipher, usize)> {
    Some(match uri {
        "http://www.w3.org/2001/04/xmlenc#aes128-cbc" => (ContentCipher::Cbc, 16),
        "http://www.w3.org/2001/04/xmlenc#aes192-cbc" => (ContentCipher::Cbc, 24),
        "http://www.w3.org/2001/04/xmlenc#aes256-cbc" => (ContentCipher::Cbc, 32),
        "http://www.w3.org/2009/xmlenc11#aes128-gcm" => (ContentCipher::Gcm, 16),
        "http://www.w3.org/2009/xmlenc11#aes192-gcm" => (ContentCipher::Gcm, 24),
        "http://www.w3.org/2009/xmlenc11#aes256-gcm" => (ContentCipher::Gcm, 32),
        _ => return None,
    })
}

pub(super) fn decrypt_content(
    cipher: ContentCipher,
    key: &[u8],
    data: &[u8],
) -> Result<Vec<u8>, DecryptError> {
    let bad = |m: &str| DecryptError::DataDecryptFailed(m.to_string());
    match cipher {
        ContentCipher::Cbc => {
            if data.len() < 32 || !data.len().is_multiple_of(16) {
                return Err(bad("CBC ciphertext is not an IV plus whole 16-byte blocks"));
            }
            let (iv, body) = data.split_at(16);
            let mut buf = body.to_vec();
            let plain_len = match key.len() {
                16 => cbc::Decryptor::<aes::Aes128>::new_from_slices(key, iv)
                    .map_err(|_| bad("bad key or IV length"))?
                    .decrypt_padded_mut::<NoPadding>(&mut buf)
                    .map_err(|_| bad("CBC decryption failed"))?
                    .len(),
                24 => cbc::Decryptor::<aes::Aes192>::new_from_slices(key, iv)
                    .map_err(|_| bad("bad key or IV length"))?
                    .decrypt_padded_mut::<NoPadding>(&mut buf)
                    .map_err(|_| bad("CBC decryption failed"))?
                    .len(),
                32 => cbc::Decryptor::<aes::Aes256>::new_from_slices(key, iv)
                    .map_err(|_| bad("bad key or IV length"))?
                    .decrypt_padded_mut::<NoPadding>(&mut buf)
                    .map_err(|_| bad("CBC decryption failed"))?
                    .len(),
                _ => return Err(bad("bad AES key length")),
            };
            buf.truncate(plain_len);
            let pad = usize::from(*buf.last().unwrap_or(&0));
            if pad == 0 || pad > 16 || pad > buf.len() {
                return Err(bad(
                    "bad XML-Enc padding: the key is probably wrong or the data damaged",
                ));
            }
            buf.truncate(buf.len() - pad);
            Ok(buf)
        }
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
}
