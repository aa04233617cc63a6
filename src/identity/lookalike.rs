//! Identities that look like another (Unicode TR #36, UTS #39): what makes one identity
//! suspicious on its own (invisible and bidi characters, compatibility characters such as
//! U+212A KELVIN SIGN, letters of several scripts in one part) and whether two identities are
//! confusable (equal UTS #39 skeletons after dropping invisibles, NFKC and case folding).
//! The confusable data, script sets and normalisation come from `unicode-security`,
//! `unicode-script` and `unicode-normalization`.

use super::terminal::is_unsafe_for_terminal;
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;
use unicode_script::UnicodeScript;
use unicode_security::MixedScript;

/// Why an identity looks like another, or is unsafe to trust as written.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    /// A bidirectional control (U+202E RIGHT-TO-LEFT OVERRIDE…): the text can display in an
    /// order other than the one Kinde compares (Trojan Source, CVE-2021-42574).
    Bidi { code_point: String },
    /// A character that displays as nothing (zero-width space, joiners, BOM, soft hyphen,
    /// variation selectors, fillers), or another control.
    Invisible { code_point: String },
    /// A compatibility character that NFKC folds to another (U+212A KELVIN SIGN to `K`).
    Compatibility {
        code_point: String,
        folds_to: String,
    },
    /// Letters of more than one script in one part (the local part or one domain label).
    MixedScript { part: String, scripts: Vec<String> },
    /// A character of another script that looks like the imitated identity's (UTS #39).
    Confusable {
        code_point: String,
        script: String,
        looks_like: String,
    },
    /// The same text in another Unicode normalisation form (NFC versus NFD): identical on
    /// screen, different bytes.
    Normalization,
}

fn code_point(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

impl Reason {
    /// One sentence for people, with every code point spelt out.
    pub fn describe(&self) -> String {
        match self {
            Reason::Bidi { code_point } => format!(
                "bidirectional control {code_point} (the text can display in another order)"
            ),
            Reason::Invisible { code_point } => format!("invisible character {code_point}"),
            Reason::Compatibility {
                code_point,
                folds_to,
            } => format!(
                "compatibility character {code_point} (displays like \"{folds_to}\", which it folds to under NFKC)"
            ),
            Reason::MixedScript { part, scripts } => {
                format!("\"{part}\" mixes scripts ({})", scripts.join(" and "))
            }
            Reason::Confusable {
                code_point,
                script,
                looks_like,
            } => format!("{script} {code_point} looks like \"{looks_like}\""),
            Reason::Normalization => {
                "the same characters in another Unicode normalisation form (NFC versus NFD)".into()
            }
        }
    }
}

/// The bidirectional formatting characters (UAX #9): embeddings, overrides, isolates, marks.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// What makes `s` suspicious on its own, in order of position; empty for ordinary text.
pub fn reasons(s: &str) -> Vec<Reason> {
    let mut out = Vec::new();
    if s.is_ascii() && !s.bytes().any(|b| b.is_ascii_control()) {
        return out;
    }
    let mut buf = [0u8; 4];
    for c in s.chars() {
        if is_bidi_control(c) {
            out.push(Reason::Bidi {
                code_point: code_point(c),
            });
            continue;
        }
        if !c.is_ascii() {
            let folded: String = c.encode_utf8(&mut buf).nfkc().collect();
            if folded != *c.encode_utf8(&mut buf) && !folded.chars().all(is_unsafe_for_terminal) {
                out.push(Reason::Compatibility {
                    code_point: code_point(c),
                    folds_to: folded,
                });
                continue;
            }
        }
        if is_unsafe_for_terminal(c) {
            out.push(Reason::Invisible {
                code_point: code_point(c),
            });
        }
    }
    for part in s.split(|c: char| c.is_ascii_punctuation() || c.is_whitespace()) {
        let letters: String = part
            .chars()
            .filter(|c| !is_unsafe_for_terminal(*c))
            .collect();
        if letters.is_ascii() || letters.as_str().is_single_script() {
            continue;
        }
        let mut scripts: Vec<String> = letters
            .chars()
            .map(|c| c.script())
            .filter(|s| {
                !matches!(
                    s,
                    unicode_script::Script::Common | unicode_script::Script::Inherited
                )
            })
            .map(|s| s.full_name().to_string())
            .collect();
        scripts.sort();
        scripts.dedup();
        out.push(Reason::MixedScript {
            part: letters,
            scripts,
        });
    }
    out.dedup();
    out
}

/// Roughly what a terminal shows for `s`: the run after a RIGHT-TO-LEFT OVERRIDE (to its
/// POP DIRECTIONAL FORMATTING, isolate end or the end of the text) reversed, then every
/// invisible and bidi character dropped and compatibility characters folded (NFKC). Full
/// bidi reordering (UAX #9) is not attempted: overrides are the trick that makes Latin text
/// display in another order.
pub fn displayed_as(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut reversed: Vec<char> = Vec::new();
    let mut in_override = false;
    for c in s.chars() {
        match c {
            '\u{202E}' => in_override = true,
            '\u{202C}' | '\u{2069}' if in_override => {
                out.extend(reversed.drain(..).rev());
                in_override = false;
            }
            c if is_unsafe_for_terminal(c) => {}
            c if in_override => reversed.push(c),
            c => out.push(c),
        }
    }
    out.extend(reversed.drain(..).rev());
    out.nfkc().collect()
}

/// The key two identities share when people cannot tell them apart: surrounding whitespace
/// dropped, the text as displayed ([`displayed_as`]), lower case, then the UTS #39 skeleton.
pub fn skeleton_key(s: &str) -> String {
    let t = s.trim();
    if t.is_ascii() && !t.bytes().any(|b| b.is_ascii_control()) {
        let lower = t.to_ascii_lowercase();
        return unicode_security::skeleton(&lower)
            .collect::<String>()
            .to_lowercase();
    }
    let folded: String = displayed_as(t).trim().to_lowercase();
    unicode_security::skeleton(&folded)
        .collect::<String>()
        .to_lowercase()
}

/// The skeletons of the lower-case ASCII characters, for [`skeleton_hash`]'s fast path.
fn ascii_skeletons() -> &'static [String; 128] {
    static TABLE: std::sync::OnceLock<[String; 128]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        std::array::from_fn(|b| {
            let c = (b as u8).to_ascii_lowercase() as char;
            unicode_security::skeleton(c.encode_utf8(&mut [0u8; 4]))
                .collect::<String>()
                .to_lowercase()
        })
    })
}

/// A 64-bit hash of [`skeleton_key`] (FNV-1a with a splitmix finaliser), computed without
/// allocating for ASCII identities, so a million Kinde users are indexed in tens of
/// milliseconds.
pub fn skeleton_hash(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |b: u8| h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    let t = s.trim();
    if t.is_ascii() && !t.bytes().any(|b| b.is_ascii_control()) {
        let table = ascii_skeletons();
        t.bytes()
            .for_each(|b| table[b as usize].bytes().for_each(&mut eat));
    } else {
        skeleton_key(t).bytes().for_each(eat);
    }
    let mut z = h;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Why `a` and `b` look alike, or `None` when they do not (byte-for-byte equal, a plain case or
/// whitespace difference, or different). ASCII
/// pairs with no control characters are left to the ordinary comparison: their differences
/// (`l` against `1`) show in the report as they are.
pub fn lookalike(a: &str, b: &str) -> Option<Vec<Reason>> {
    if a == b || (a.is_ascii() && b.is_ascii() && reasons(a).is_empty() && reasons(b).is_empty()) {
        return None;
    }
    if skeleton_key(a) != skeleton_key(b) {
        return None;
    }
    let mut out = reasons(a);
    out.extend(reasons(b));
    if out.is_empty() && super::comparison_key(a) == super::comparison_key(b) {
        // A plain case or whitespace difference: a near-miss, not a lookalike.
        return None;
    }
    for (this, other) in [(a, b), (b, a)] {
        for c in this
            .chars()
            .filter(|c| !c.is_ascii() && !other.contains(*c))
        {
            let looks: String = unicode_security::skeleton(c.encode_utf8(&mut [0u8; 4])).collect();
            let listed = out.iter().any(|r| matches!(r, Reason::Compatibility { code_point: p, .. } | Reason::Invisible { code_point: p } | Reason::Bidi { code_point: p } if *p == code_point(c)));
            let canonical: String = c.encode_utf8(&mut [0u8; 4]).nfd().collect();
            if !listed && looks != canonical && !is_unsafe_for_terminal(c) {
                out.push(Reason::Confusable {
                    code_point: code_point(c),
                    script: c.script().full_name().to_string(),
                    looks_like: looks,
                });
            }
        }
    }
    if out.is_empty() {
        out.push(Reason::Normalization);
    }
    out.sort();
    out.dedup();
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_identities_have_no_reasons() {
        for s in [
            "kim@contoso.test",
            "Éva.Åström@example.com",
            "анна@example.com",
            "山田たろう@example.jp",
            "o'brien+tag@example.com",
        ] {
            assert_eq!(reasons(s), vec![], "{s}");
        }
    }

    #[test]
    fn each_kind_of_trick_is_named() {
        let kinds = |s: &str| -> Vec<&'static str> {
            reasons(s)
                .iter()
                .map(|r| match r {
                    Reason::Bidi { .. } => "bidi",
                    Reason::Invisible { .. } => "invisible",
                    Reason::Compatibility { .. } => "compatibility",
                    Reason::MixedScript { .. } => "mixed",
                    Reason::Confusable { .. } => "confusable",
                    Reason::Normalization => "normalization",
                })
                .collect()
        };
        assert_eq!(kinds("\u{212A}im@contoso.test"), ["compatibility"]);
        assert_eq!(kinds("ann\u{200B}a@contoso.test"), ["invisible"]);
        assert_eq!(kinds("\u{202E}tset.osotnoc@lorac"), ["bidi"]);
        assert_eq!(kinds("\u{0430}nna@contoso.test"), ["mixed"]);
        assert_eq!(kinds("ｋim@contoso.test"), ["compatibility"]);
        let Reason::MixedScript { part, scripts } = &reasons("\u{0430}nna@contoso.test")[0] else {
            panic!()
        };
        assert_eq!(
            (part.as_str(), scripts.clone()),
            (
                "\u{0430}nna",
                vec!["Cyrillic".to_string(), "Latin".to_string()]
            )
        );
    }

    #[test]
    fn lookalikes_share_a_skeleton_and_say_why() {
        let kelvin = lookalike("\u{212A}im@contoso.test", "kim@contoso.test").unwrap();
        assert_eq!(
            kelvin,
            vec![Reason::Compatibility {
                code_point: "U+212A".into(),
                folds_to: "K".into()
            }]
        );
        let cyrillic = lookalike("\u{0430}nna@contoso.test", "anna@contoso.test").unwrap();
        assert!(
            cyrillic.contains(&Reason::Confusable {
                code_point: "U+0430".into(),
                script: "Cyrillic".into(),
                looks_like: "a".into()
            }),
            "{cyrillic:?}"
        );
        assert!(lookalike("carol\u{200B}@contoso.test", "carol@contoso.test").is_some());
        assert!(lookalike("carol\u{2066}@contoso.test", "carol@contoso.test").is_some());
        // An override that makes reversed text display as the real address imitates it.
        let rlo = lookalike("\u{202E}tset.osotnoc@lorac", "carol@contoso.test").unwrap();
        assert_eq!(
            rlo,
            vec![Reason::Bidi {
                code_point: "U+202E".into()
            }]
        );
        assert_eq!(
            displayed_as("\u{202E}tset.osotnoc@lorac"),
            "carol@contoso.test"
        );
        assert_eq!(displayed_as("ab\u{202E}dc\u{202C}e\u{200B}"), "abcde");
        assert_eq!(
            lookalike("e\u{301}va@example.com", "\u{e9}va@example.com"),
            Some(vec![Reason::Normalization])
        );
        // Not lookalikes: different people, plain case differences, identical values, ASCII pairs.
        assert_eq!(lookalike("anna@contoso.test", "anne@contoso.test"), None);
        assert_eq!(lookalike("kim@contoso.test", "kim@contoso.test"), None);
        assert_eq!(lookalike("bob1@example.com", "bobl@example.com"), None);
        assert_eq!(
            lookalike("\u{c9}va@example.com", "\u{e9}va@example.com"),
            None
        );
    }

    #[test]
    fn skeleton_hash_agrees_with_the_key() {
        let same = [
            "Kim@Contoso.test",
            "\u{212A}IM@contoso.test",
            "kim@contoso.test ",
        ];
        assert!(
            same.iter()
                .all(|s| skeleton_hash(s) == skeleton_hash(same[0]))
        );
        // The ASCII fast path hashes the same bytes as the full key.
        for s in [
            "rnartin@example.com",
            "martin@example.com",
            "b0b1@example.com",
        ] {
            let full = skeleton_key(s);
            assert_eq!(
                skeleton_hash(s),
                skeleton_hash(&format!("{full}\u{200B}")),
                "{s}"
            );
        }
        assert_ne!(skeleton_hash("anna@x.test"), skeleton_hash("anne@x.test"));
    }

    #[test]
    fn skeleton_key_folds_case_and_invisibles() {
        assert_eq!(
            skeleton_key(" Kim@Contoso.test "),
            skeleton_key("\u{212A}IM@contoso.test")
        );
        assert_eq!(
            skeleton_key("an\u{200D}na@x.test"),
            skeleton_key("anna@x.test")
        );
        assert_ne!(skeleton_key("anna@x.test"), skeleton_key("anne@x.test"));
    }
}
