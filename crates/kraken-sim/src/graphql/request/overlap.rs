//! graphql-core's OverlappingFieldsCanBeMerged: fields answered under one response name must
//! be the same field with the same arguments (unless on different object types) and of types
//! that do not conflict, down through their subfields and every fragment spread beside them.
//! ([`super::conflict`] compares two fields.) Ported with graphql-core's bookkeeping of what it has compared, which decides which of
//! the repeated conflicts it reports; its work budget against hostile queries is not.

use std::collections::HashMap;

use apollo_compiler::Node;
use apollo_compiler::ast::{self, Selection};

use super::conflict::abbreviate;
use super::registry::FieldDef;
use super::validate::Check;

/// A field met under a response name.
#[derive(Clone)]
pub(super) struct Details<'a> {
    pub(super) parent: Option<&'a str>,
    pub(super) node: &'a Node<ast::Field>,
    pub(super) def: Option<FieldDef<'a>>,
}

/// A selection set's fields by response name (fragments inline), and the fragments it spreads.
struct Collected<'a> {
    fields: Vec<(&'a str, Vec<Details<'a>>)>,
    fragments: Vec<&'a str>,
    /// Fragments already compared with these fields, and whether as mutually exclusive.
    compared: HashMap<&'a str, bool>,
}

/// The rule's memory over the whole document.
#[derive(Default)]
pub(super) struct Overlap<'a> {
    collected: Vec<Collected<'a>>,
    index: HashMap<(Option<&'a str>, usize), usize>,
    /// Fragment pairs compared, and whether as mutually exclusive.
    pairs: HashMap<(&'a str, &'a str), bool>,
}

/// Two fields (and the subfields that make them conflict) under one response name.
pub(super) struct Conflict<'a> {
    pub(super) name: String,
    pub(super) reason: String,
    pub(super) fields1: Vec<&'a Node<ast::Field>>,
    pub(super) fields2: Vec<&'a Node<ast::Field>>,
}

impl<'a> Check<'a> {
    /// The rule at a selection set (not an inline fragment's: its parent's covers it).
    pub(super) fn overlapping(&mut self, set: &'a [Selection], parent: Option<&'a str>) {
        let one = set.len() <= 1 && !matches!(set.first(), Some(Selection::InlineFragment(_)));
        if one || !self.reporting {
            return;
        }
        for c in self.conflicts_within(parent, set) {
            let at = c
                .fields1
                .iter()
                .chain(&c.fields2)
                .map(|f| self.at(f.location()))
                .collect();
            self.report(
                format!(
                    "Fields '{}' conflict because {}. Use different aliases on the fields to fetch both if this was intentional.",
                    abbreviate(&c.name),
                    c.reason
                ),
                at,
            );
        }
    }

    fn conflicts_within(
        &mut self,
        parent: Option<&'a str>,
        set: &'a [Selection],
    ) -> Vec<Conflict<'a>> {
        let mut out = Vec::new();
        let c = self.collect(parent, set);
        for (name, fields) in self.overlap.collected[c].fields.clone() {
            for (i, f1) in fields.iter().enumerate() {
                for f2 in &fields[i + 1..] {
                    out.extend(self.conflict(false, name, f1, f2));
                }
            }
        }
        let fragments = self.overlap.collected[c].fragments.clone();
        if !fragments.is_empty()
            && (!self.overlap.collected[c].fields.is_empty() || fragments.len() > 1)
        {
            for (i, f) in fragments.iter().enumerate() {
                self.fields_and_fragment(&mut out, false, c, f);
                for other in &fragments[i + 1..] {
                    self.fragments_pair(&mut out, false, f, other);
                }
            }
        }
        out
    }

    fn fields_and_fragment(
        &mut self,
        out: &mut Vec<Conflict<'a>>,
        exclusive: bool,
        c: usize,
        name: &'a str,
    ) {
        if self.overlap.collected[c].fields.is_empty() {
            return;
        }
        match self.overlap.collected[c].compared.get(name) {
            Some(false) => return,
            Some(true) if exclusive => return,
            _ => {}
        }
        self.overlap.collected[c].compared.insert(name, exclusive);
        let Some(fragment) = self.fragments.get(name).copied() else {
            return;
        };
        let c2 = self.fragment_fields(fragment);
        if c2 == c {
            return;
        }
        self.between(out, exclusive, c, c2);
        for next in self.overlap.collected[c2].fragments.clone() {
            self.fields_and_fragment(out, exclusive, c, next);
        }
    }

    fn fragments_pair(
        &mut self,
        out: &mut Vec<Conflict<'a>>,
        exclusive: bool,
        a: &'a str,
        b: &'a str,
    ) {
        if a == b {
            return;
        }
        let seen = |x, y| {
            self.overlap
                .pairs
                .get(&(x, y))
                .is_some_and(|m| exclusive || !m)
        };
        if seen(a, b) || seen(b, a) {
            return;
        }
        self.overlap.pairs.insert((a, b), exclusive);
        let (Some(fa), Some(fb)) = (
            self.fragments.get(a).copied(),
            self.fragments.get(b).copied(),
        ) else {
            return;
        };
        let (c1, c2) = (self.fragment_fields(fa), self.fragment_fields(fb));
        self.between(out, exclusive, c1, c2);
        for next in self.overlap.collected[c2].fragments.clone() {
            self.fragments_pair(out, exclusive, a, next);
        }
        for next in self.overlap.collected[c1].fragments.clone() {
            self.fragments_pair(out, exclusive, next, b);
        }
    }

    pub(super) fn between_sets(
        &mut self,
        exclusive: bool,
        (parent1, set1): (Option<&'a str>, &'a [Selection]),
        (parent2, set2): (Option<&'a str>, &'a [Selection]),
    ) -> Vec<Conflict<'a>> {
        let mut out = Vec::new();
        let (c1, c2) = (self.collect(parent1, set1), self.collect(parent2, set2));
        self.between(&mut out, exclusive, c1, c2);
        let (names1, names2) = (
            self.overlap.collected[c1].fragments.clone(),
            self.overlap.collected[c2].fragments.clone(),
        );
        for f in &names2 {
            self.fields_and_fragment(&mut out, exclusive, c1, f);
        }
        for f in &names1 {
            self.fields_and_fragment(&mut out, exclusive, c2, f);
        }
        for f1 in &names1 {
            for f2 in &names2 {
                self.fragments_pair(&mut out, exclusive, f1, f2);
            }
        }
        out
    }

    fn between(&mut self, out: &mut Vec<Conflict<'a>>, exclusive: bool, c1: usize, c2: usize) {
        let fields2 = self.overlap.collected[c2].fields.clone();
        for (name, fields1) in self.overlap.collected[c1].fields.clone() {
            let Some((_, fields2)) = fields2.iter().find(|(n, _)| *n == name) else {
                continue;
            };
            for f1 in &fields1 {
                for f2 in fields2 {
                    out.extend(self.conflict(exclusive, name, f1, f2));
                }
            }
        }
    }

    fn fragment_fields(&mut self, f: &'a Node<ast::FragmentDefinition>) -> usize {
        let parent = self.schema.get(&f.type_condition).map(|t| t.name());
        self.collect(parent, &f.selection_set)
    }

    /// The fields of a selection set by response name, once per parent type and set.
    fn collect(&mut self, parent: Option<&'a str>, set: &'a [Selection]) -> usize {
        let key = (parent, set.as_ptr() as usize);
        if let Some(&i) = self.overlap.index.get(&key) {
            return i;
        }
        let mut collected = Collected {
            fields: Vec::new(),
            fragments: Vec::new(),
            compared: HashMap::new(),
        };
        self.collect_into(parent, set, &mut collected);
        self.overlap.collected.push(collected);
        let i = self.overlap.collected.len() - 1;
        self.overlap.index.insert(key, i);
        i
    }

    fn collect_into(&self, parent: Option<&'a str>, set: &'a [Selection], out: &mut Collected<'a>) {
        for s in set {
            match s {
                Selection::Field(f) => {
                    // graphql-core reads the type's own fields here, not the meta-fields.
                    let def = parent
                        .filter(|p| self.schema.is_object(p) || self.schema.is_interface(p))
                        .filter(|_| !f.name.starts_with("__"))
                        .and_then(|p| self.schema.field(p, &f.name));
                    let details = Details {
                        parent,
                        node: f,
                        def,
                    };
                    let key = f.response_name().as_str();
                    match out.fields.iter_mut().find(|(n, _)| *n == key) {
                        Some((_, list)) => list.push(details),
                        None => out.fields.push((key, vec![details])),
                    }
                }
                Selection::FragmentSpread(spread) => {
                    if !out.fragments.contains(&spread.fragment_name.as_str()) {
                        out.fragments.push(spread.fragment_name.as_str());
                    }
                }
                Selection::InlineFragment(i) => {
                    let parent = match &i.type_condition {
                        Some(c) => self.schema.get(c).map(|t| t.name()),
                        None => parent,
                    };
                    self.collect_into(parent, &i.selection_set, out);
                }
            }
        }
    }
}
