//! Where a node is: readable element paths (with positions among same-named siblings) and
//! line/column lookups that stay linear however many findings ask for them.

use super::{Document, NodeId, RawKind, same};
use std::collections::HashMap;

impl Document {
    /// A readable path such as `/samlp:Response/saml:Assertion[2]/saml:Subject`.
    pub fn path(&self, id: NodeId) -> String {
        use std::fmt::Write;
        let mut chain = Vec::with_capacity(8);
        let mut cur = Some(id);
        while let Some(n) = cur {
            if self.is_element(n) {
                chain.push(n);
            }
            cur = self.nodes[n].parent;
        }
        let mut out = String::with_capacity(chain.len() * 16);
        for &n in chain.iter().rev() {
            let Some(e) = self.element(n) else { continue };
            out.push('/');
            if let Some(p) = e.prefix {
                out.push_str(p);
                out.push(':');
            }
            out.push_str(e.local);
            if let Some(i) = self.sibling_index(n) {
                let _ = write!(out, "[{i}]");
            }
        }
        if out.is_empty() {
            out.push('/');
        }
        out
    }

    /// 1-based position among same-named siblings, or None when the name is unique there.
    fn sibling_index(&self, id: NodeId) -> Option<usize> {
        let parent = self.nodes[id].parent?;
        // A few siblings are counted on the spot; a wide parent is counted once for the whole
        // document, so that paths into it stay linear however many are asked for.
        let pos = match self.children(parent).nth(SIBLING_SCAN_LIMIT) {
            None => self.sibling_position(parent, id),
            Some(_) => {
                let all = self
                    .sibling_pos
                    .get_or_init(|| self.compute_sibling_positions());
                all.get(id).copied().unwrap_or(0)
            }
        };
        (pos > 0).then_some(pos as usize)
    }

    /// [`Document::sibling_index`] by scanning the children of `parent`: 0 when unique.
    fn sibling_position(&self, parent: NodeId, id: NodeId) -> u32 {
        let Some(me) = self.name_key(id) else {
            return 0;
        };
        let (mut before, mut total) = (0, 0);
        for c in self.children(parent) {
            if c == id {
                before = total;
            }
            if self
                .name_key(c)
                .is_some_and(|k| same(k.1, me.1) && k.0 == me.0)
            {
                total += 1;
            }
        }
        if total > 1 { before + 1 } else { 0 }
    }

    /// (namespace URI, local name) of an element.
    fn name_key(&self, id: NodeId) -> Option<(Option<&str>, &str)> {
        match self.nodes[id].kind {
            RawKind::Element { ns, local, .. } => Some((ns.map(|n| self.str(n)), self.str(local))),
            _ => None,
        }
    }

    /// Position of each element among its same-named siblings (0 when its name is unique there),
    /// computed once so that paths cost only a walk up the ancestors.
    fn compute_sibling_positions(&self) -> Vec<u32> {
        let mut pos = vec![0u32; self.nodes.len()];
        let key = |id: NodeId| match self.nodes[id].kind {
            RawKind::Element { ns, local, .. } => Some((ns.map(|n| self.str(n)), self.str(local))),
            _ => None,
        };
        // Few distinct names per parent: a short list beats hashing. A parent with many children
        // may have as many distinct names, which made the list quadratic (150,000 differently
        // named children took 37 s), so those are counted in a hash map.
        let same_key = |a: &(Option<&str>, &str), b: &(Option<&str>, &str)| {
            same(a.1, b.1) && a.0.unwrap_or("") == b.0.unwrap_or("")
        };
        let mut counts: Vec<((Option<&str>, &str), u32)> = Vec::new();
        let mut many: HashMap<(Option<&str>, &str), u32> = HashMap::new();
        let mut kids: Vec<NodeId> = Vec::new();
        for id in 0..self.nodes.len() {
            kids.clear();
            kids.extend(self.children(id).filter(|&c| self.is_element(c)));
            if kids.len() < 2 {
                continue;
            }
            let distinct_many = kids.len() > 32 && {
                counts.clear();
                kids.iter().filter_map(|&c| key(c)).any(|k| {
                    if !counts.iter().any(|(x, _)| same_key(x, &k)) {
                        counts.push((k, 0));
                    }
                    counts.len() > 32
                })
            };
            if distinct_many {
                many.clear();
                for &c in &kids {
                    if let Some(k) = key(c) {
                        let n = many.entry(k).or_insert(0);
                        *n += 1;
                        pos[c] = *n;
                    }
                }
                for &c in &kids {
                    if key(c).is_some_and(|k| many.get(&k) == Some(&1)) {
                        pos[c] = 0;
                    }
                }
                continue;
            }
            counts.clear();
            for &c in &kids {
                let Some(k) = key(c) else { continue };
                let n = match counts.iter_mut().find(|(x, _)| same_key(x, &k)) {
                    Some((_, n)) => n,
                    None => {
                        counts.push((k, 0));
                        &mut counts.last_mut().expect("just pushed").1
                    }
                };
                *n += 1;
                pos[c] = *n;
            }
            for &c in &kids {
                if key(c).is_some_and(|k| counts.iter().any(|(x, n)| same_key(x, &k) && *n == 1)) {
                    pos[c] = 0;
                }
            }
        }
        pos
    }

    /// 1-based line and column of a byte offset in the source.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.source.len());
        let line_starts = self.line_starts.get_or_init(|| line_starts(&self.source));
        let line = line_starts.partition_point(|&s| s <= offset);
        let start = line_starts[line - 1];
        if offset - start <= CHAR_MARK_BYTES {
            let col = count_lead_bytes(&self.source.as_bytes()[start..offset]) + 1;
            return (line, col);
        }
        // Counting the characters from the line start made evidence on a long line quadratic
        // (50,000 values on one line: seconds); the marks bound each count to one block.
        let col = self.chars_before(offset) - self.chars_before(start) + 1;
        (line, col)
    }

    /// Characters (UTF-8 lead bytes) in the source before byte `offset`.
    fn chars_before(&self, offset: usize) -> usize {
        let block = offset / CHAR_MARK_BYTES;
        let from = block * CHAR_MARK_BYTES;
        let marks = self.char_marks.get_or_init(|| char_marks(&self.source));
        marks.get(block).copied().unwrap_or(0)
            + count_lead_bytes(&self.source.as_bytes()[from..offset])
    }
}

/// Parents with more children than this get their sibling positions computed all at once.
const SIBLING_SCAN_LIMIT: usize = 128;

/// Block size of [`Document`]'s character marks.
const CHAR_MARK_BYTES: usize = 4096;

fn count_lead_bytes(b: &[u8]) -> usize {
    // A sum of 0/1 rather than a filtered count: the compiler vectorises this form.
    b.iter().map(|&c| usize::from(c & 0xC0 != 0x80)).sum()
}

fn line_starts(source: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', source.as_bytes()).map(|p| p + 1))
        .collect()
}

fn char_marks(source: &str) -> Vec<usize> {
    let mut marks = Vec::with_capacity(source.len() / CHAR_MARK_BYTES + 1);
    let mut total = 0;
    marks.push(0);
    for block in source.as_bytes().chunks(CHAR_MARK_BYTES) {
        total += count_lead_bytes(block);
        marks.push(total);
    }
    marks
}
/// 1-based line and column (in characters) of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = memchr::memchr_iter(b'\n', before).count() + 1;
    let line_start = memchr::memrchr(b'\n', before).map_or(0, |p| p + 1);
    let col = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, col)
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column() {
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
        assert_eq!(line_col("ab", 0), (1, 1));
    }
}
