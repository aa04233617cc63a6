//! Namespace bindings by prefix for the writer: every prefix gets a small number (a slot) once,
//! and each slot its own stack of bindings, so finding what a prefix is bound to (in scope, or
//! as last rendered) costs O(1) however many prefixes are declared or listed.
//!
//! Scanning one flat list of bindings per lookup made a 60 KB response with a 10,000-prefix
//! `InclusiveNamespaces PrefixList` take minutes (issue 22); `benches/scaling.rs` measures the
//! cases that used to be quadratic.

use crate::xml::same;
use foldhash::HashMap;
use std::cell::Cell;

/// A prefix's number in the per-prefix tables. The default namespace (prefix "") is slot 0.
pub(super) type Slot = usize;

const UNBOUND: u32 = u32::MAX;

/// The prefixes met so far, numbered.
pub(super) struct Prefixes<'a> {
    slots: HashMap<&'a str, Slot>,
    names: Vec<&'a str>,
    /// The prefix [`Prefixes::get`] found last, and its slot (slot 0: none yet).
    last: Cell<(&'a str, Slot)>,
}

impl<'a> Prefixes<'a> {
    pub(super) fn new() -> Prefixes<'a> {
        Prefixes {
            slots: HashMap::default(),
            names: vec![""],
            last: Cell::new(("", 0)),
        }
    }

    /// The slot of `prefix` ("" for the default namespace), numbering it when new.
    pub(super) fn intern(&mut self, prefix: &'a str) -> Slot {
        if prefix.is_empty() {
            return 0;
        }
        let names = &mut self.names;
        *self.slots.entry(prefix).or_insert_with(|| {
            names.push(prefix);
            names.len() - 1
        })
    }

    /// The slot of `prefix`, when it has one.
    pub(super) fn get(&self, prefix: &str) -> Option<Slot> {
        if prefix.is_empty() {
            return Some(0);
        }
        // Most elements of a message share one or two prefixes: remember the last one found
        // rather than hashing it again.
        let (last, slot) = self.last.get();
        if same(last, prefix) && slot != 0 {
            return Some(slot);
        }
        let found = self.slots.get(prefix).copied();
        if let Some(slot) = found {
            self.last.set((self.names[slot], slot));
        }
        found
    }

    pub(super) fn name(&self, slot: Slot) -> &'a str {
        self.names[slot]
    }

    pub(super) fn len(&self) -> usize {
        self.names.len()
    }
}

/// Prefix bindings, innermost last per prefix, undone element by element: every entry remembers
/// the binding it shadows, so pushing, looking up and popping are O(1) each.
pub(super) struct Bindings<'a> {
    /// Per slot: index in `entries` of the innermost binding, `UNBOUND` when there is none.
    top: Vec<u32>,
    /// (slot, namespace URI, index of the binding it shadows).
    entries: Vec<(Slot, &'a str, u32)>,
}

impl<'a> Bindings<'a> {
    pub(super) fn new(slots: usize) -> Bindings<'a> {
        Bindings {
            top: vec![UNBOUND; slots],
            entries: Vec::new(),
        }
    }

    pub(super) fn push(&mut self, slot: Slot, uri: &'a str) {
        if slot >= self.top.len() {
            self.top.resize(slot + 1, UNBOUND);
        }
        let shadowed = self.top[slot];
        self.top[slot] = self.entries.len() as u32;
        self.entries.push((slot, uri, shadowed));
    }

    /// The innermost binding of `slot`.
    pub(super) fn get(&self, slot: Slot) -> Option<&'a str> {
        match self.top.get(slot) {
            Some(&i) if i != UNBOUND => Some(self.entries[i as usize].1),
            _ => None,
        }
    }

    /// A point to come back to with [`Bindings::pop_to`].
    pub(super) fn mark(&self) -> usize {
        self.entries.len()
    }

    /// Drops every binding pushed since `mark`.
    pub(super) fn pop_to(&mut self, mark: usize) {
        while self.entries.len() > mark {
            let Some((slot, _, shadowed)) = self.entries.pop() else {
                break;
            };
            self.top[slot] = shadowed;
        }
    }

    /// The innermost binding of every bound slot, in slot order.
    pub(super) fn innermost(&self) -> impl Iterator<Item = (Slot, &'a str)> + '_ {
        self.top
            .iter()
            .enumerate()
            .filter(|&(_, &i)| i != UNBOUND)
            .map(|(slot, &i)| (slot, self.entries[i as usize].1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bindings_shadow_and_restore() {
        let mut p = Prefixes::new();
        let a = p.intern("a");
        assert_eq!(p.intern("a"), a);
        assert_eq!(p.get(""), Some(0));
        assert_eq!(p.get("zz"), None);
        let mut b = Bindings::new(p.len());
        b.push(a, "urn:1");
        let m = b.mark();
        b.push(a, "urn:2");
        b.push(0, "urn:d");
        assert_eq!(b.get(a), Some("urn:2"));
        assert_eq!(
            b.innermost().collect::<Vec<_>>(),
            [(0, "urn:d"), (a, "urn:2")]
        );
        b.pop_to(m);
        assert_eq!(b.get(a), Some("urn:1"));
        assert_eq!(b.get(0), None);
        assert_eq!(p.name(a), "a");
    }
}
