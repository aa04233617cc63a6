//! Modular exponentiation with a small public exponent, for RSA signature verification.
//!
//! The `rsa` crate's big-integer backend reduces by long division in plain square-and-multiply
//! and runs its Montgomery path over a whole 64-bit exponent word; either way a 2048-bit
//! verification costs well over 100 µs. Montgomery multiplication (CIOS, 64-bit limbs) with
//! `R² mod n` precomputed per key brings it to a few tens of µs. Inputs are public (signature,
//! modulus, exponent), so nothing here needs to be constant-time.

/// A modulus prepared for Montgomery arithmetic.
#[derive(Clone, Debug)]
pub(crate) struct MontModulus {
    /// The modulus, little-endian 64-bit limbs.
    n: Vec<u64>,
    /// `-n⁻¹ mod 2⁶⁴`.
    n0inv: u64,
    /// `R² mod n` with `R = 2^(64·len)`, little-endian limbs.
    rr: Vec<u64>,
    /// Length of the modulus in bytes.
    byte_len: usize,
}

fn limbs_from_be(bytes: &[u8], len: usize) -> Vec<u64> {
    let mut out = vec![0u64; len];
    for (i, chunk) in bytes.rchunks(8).enumerate() {
        if i >= len {
            break;
        }
        let mut v = 0u64;
        for &b in chunk {
            v = (v << 8) | u64::from(b);
        }
        out[i] = v;
    }
    out
}

/// `a >= b` for equal-length little-endian limbs.
fn ge(a: &[u64], b: &[u64]) -> bool {
    for i in (0..a.len()).rev() {
        if a[i] != b[i] {
            return a[i] > b[i];
        }
    }
    true
}

/// `a -= b` for equal-length little-endian limbs; returns the final borrow.
fn sub_in_place(a: &mut [u64], b: &[u64]) -> bool {
    let mut borrow = false;
    for i in 0..a.len() {
        let (d1, b1) = a[i].overflowing_sub(b[i]);
        let (d2, b2) = d1.overflowing_sub(u64::from(borrow));
        a[i] = d2;
        borrow = b1 || b2;
    }
    borrow
}

impl MontModulus {
    /// Prepares an odd modulus given big-endian, with `R² mod n` computed by the caller's
    /// big-integer library (once per key). `None` for even or tiny moduli.
    pub(crate) fn new(n_be: &[u8], rr_be: &[u8]) -> Option<MontModulus> {
        let first = n_be.iter().position(|&b| b != 0)?;
        let n_be = &n_be[first..];
        let len = n_be.len().div_ceil(8);
        let n = limbs_from_be(n_be, len);
        if n[0] & 1 == 0 || (len == 1 && n[0] < 3) {
            return None;
        }
        // Newton iteration for n[0]⁻¹ mod 2⁶⁴: each step doubles the correct low bits.
        let mut inv: u64 = 1;
        for _ in 0..6 {
            inv = inv.wrapping_mul(2u64.wrapping_sub(n[0].wrapping_mul(inv)));
        }
        let rr = limbs_from_be(rr_be, len);
        if ge(&rr, &n) {
            return None;
        }
        Some(MontModulus {
            n,
            n0inv: inv.wrapping_neg(),
            rr,
            byte_len: n_be.len(),
        })
    }

    /// `a·b·R⁻¹ mod n` (CIOS).
    fn mul(&self, a: &[u64], b: &[u64]) -> Vec<u64> {
        let s = self.n.len();
        let mut t = vec![0u64; s + 2];
        for &bi in b.iter().take(s) {
            let mut c: u128 = 0;
            for j in 0..s {
                let v = u128::from(t[j]) + u128::from(a[j]) * u128::from(bi) + c;
                t[j] = v as u64;
                c = v >> 64;
            }
            let v = u128::from(t[s]) + c;
            t[s] = v as u64;
            t[s + 1] = (v >> 64) as u64;
            let m = t[0].wrapping_mul(self.n0inv);
            let v = u128::from(t[0]) + u128::from(m) * u128::from(self.n[0]);
            let mut c = v >> 64;
            for j in 1..s {
                let v = u128::from(t[j]) + u128::from(m) * u128::from(self.n[j]) + c;
                t[j - 1] = v as u64;
                c = v >> 64;
            }
            let v = u128::from(t[s]) + c;
            t[s - 1] = v as u64;
            t[s] = t[s + 1] + (v >> 64) as u64;
        }
        let high = t[s];
        let mut r: Vec<u64> = t[..s].to_vec();
        if high != 0 || ge(&r, &self.n) {
            sub_in_place(&mut r, &self.n);
        }
        r
    }

    /// `base^e mod n` as big-endian bytes of the modulus length; `None` when `base >= n` or
    /// `e == 0`.
    pub(crate) fn pow(&self, base_be: &[u8], e: u64) -> Option<Vec<u8>> {
        let s = self.n.len();
        let first = base_be
            .iter()
            .position(|&b| b != 0)
            .unwrap_or(base_be.len());
        let base_be = &base_be[first..];
        if base_be.len() > s * 8 || e == 0 {
            return None;
        }
        let x = limbs_from_be(base_be, s);
        if ge(&x, &self.n) {
            return None;
        }
        let xm = self.mul(&x, &self.rr);
        let mut acc = xm.clone();
        let top = 63 - e.leading_zeros();
        for i in (0..top).rev() {
            acc = self.mul(&acc, &acc);
            if (e >> i) & 1 == 1 {
                acc = self.mul(&acc, &xm);
            }
        }
        let mut one = vec![0u64; s];
        one[0] = 1;
        let r = self.mul(&acc, &one);
        let mut out = Vec::with_capacity(s * 8);
        for limb in r.iter().rev() {
            out.extend_from_slice(&limb.to_be_bytes());
        }
        Some(out[out.len() - self.byte_len..].to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rsa::BigUint;

    fn prepared(n: &BigUint) -> MontModulus {
        let len = n.to_bytes_be().len().div_ceil(8);
        let rr = (BigUint::from(1u8) << (128 * len)) % n;
        MontModulus::new(&n.to_bytes_be(), &rr.to_bytes_be()).unwrap()
    }

    fn check(n: &BigUint, base: &BigUint, e: u64) {
        let m = prepared(n);
        let want = base.modpow(&BigUint::from(e), n).to_bytes_be();
        let got = m.pow(&base.to_bytes_be(), e).unwrap();
        let lead = got.len() - want.len();
        assert!(got[..lead].iter().all(|&b| b == 0));
        assert_eq!(&got[lead..], &want[..], "n={n} base={base} e={e}");
    }

    #[test]
    fn agrees_with_biguint_modpow() {
        // A 2048-bit odd modulus from repeated patterns, plus small and odd-sized ones.
        let big = BigUint::from_bytes_be(&[0xC3u8; 256]) | BigUint::from(1u8);
        let odd_size = BigUint::from_bytes_be(&[0x9Du8; 131]) | BigUint::from(1u8);
        for n in [
            big,
            odd_size,
            BigUint::from(1_000_000_007u64),
            BigUint::from(u64::MAX),
        ] {
            for seed in [2u8, 0x35, 0x7F, 0xFE] {
                let len = n.to_bytes_be().len();
                let base = BigUint::from_bytes_be(&vec![seed; len]) % &n;
                for e in [1u64, 3, 17, 65537, 0xFFFF_FFFF_FFFF_FFFF] {
                    check(&n, &base, e);
                }
            }
            check(&n, &BigUint::from(0u8), 65537);
            check(&n, &(&n - BigUint::from(1u8)), 65537);
        }
    }

    #[test]
    fn refuses_bad_inputs() {
        assert!(MontModulus::new(&[0x10], &[1]).is_none());
        let n = BigUint::from(1_000_000_007u64);
        let m = prepared(&n);
        assert!(m.pow(&n.to_bytes_be(), 3).is_none());
        assert!(m.pow(&[1], 0).is_none());
    }
}
