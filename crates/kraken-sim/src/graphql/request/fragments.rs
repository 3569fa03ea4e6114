//! Fragments and variables across an operation: which fragments an operation reaches (for
//! NoUnusedFragments and the rules over variables), NoFragmentCycles, and the rules graphql-core
//! checks on leaving an operation over the variables it and its fragments use
//! (NoUndefinedVariables, NoUnusedVariables, VariablesInAllowedPosition).

use std::collections::{HashMap, HashSet};

use apollo_compiler::Node;
use apollo_compiler::ast::{self, Selection};

use super::registry::TypeRef;
use super::validate::{Check, Usage};

impl<'a> Check<'a> {
    /// NoUndefinedVariables, NoUnusedVariables and VariablesInAllowedPosition, as graphql-core
    /// checks them on leaving an operation: over its variables and its fragments'.
    pub(super) fn variables_of(&mut self, op: &'a Node<ast::OperationDefinition>) {
        let mut usages = std::mem::take(&mut self.usages);
        for f in self.referenced_fragments(&[op]) {
            usages.extend(self.fragment_usages(f));
        }
        let defined: HashMap<&str, &Node<ast::VariableDefinition>> =
            op.variables.iter().map(|v| (v.name.as_str(), v)).collect();
        let op_at = self.at(op.location());
        let in_op = |what: &str| match &op.name {
            Some(name) => format!("{what} operation '{name}'."),
            None => String::new(),
        };
        for u in &usages {
            if !defined.contains_key(u.name) {
                let message = match in_op("by") {
                    s if s.is_empty() => format!("Variable '${}' is not defined.", u.name),
                    s => format!("Variable '${}' is not defined {s}", u.name),
                };
                let at = self.at(u.node.location());
                self.report(message, vec![at, op_at]);
            }
        }
        let used: HashSet<&str> = usages.iter().map(|u| u.name).collect();
        for v in &op.variables {
            if !used.contains(v.name.as_str()) {
                let message = match in_op("in") {
                    s if s.is_empty() => format!("Variable '${}' is never used.", v.name),
                    s => format!("Variable '${}' is never used {s}", v.name),
                };
                let at = self.at(v.location());
                self.report(message, vec![at]);
            }
        }
        for u in &usages {
            let (Some(v), Some(ty)) = (defined.get(u.name), &u.ty) else {
                continue;
            };
            let var_ty = TypeRef::from_ast(&v.ty);
            if self.schema.get(var_ty.named()).is_none()
                || self.allowed(&var_ty, v, ty, u.defaulted)
            {
                continue;
            }
            let at = vec![self.at(v.location()), self.at(u.node.location())];
            self.report(
                format!(
                    "Variable '${}' of type '{var_ty}' used in position expecting type '{ty}'.",
                    u.name
                ),
                at,
            );
        }
    }

    /// graphql-core's `allowed_variable_usage`: a nullable variable fits a non-null position
    /// when it or the position has a default.
    fn allowed(
        &self,
        var_ty: &TypeRef,
        v: &ast::VariableDefinition,
        ty: &TypeRef,
        defaulted: bool,
    ) -> bool {
        if ty.is_non_null() && !var_ty.is_non_null() {
            let var_default = v
                .default_value
                .as_ref()
                .is_some_and(|d| !matches!(**d, ast::Value::Null));
            return (var_default || defaulted)
                && self.schema.is_type_sub_type_of(var_ty, ty.nullable());
        }
        self.schema.is_type_sub_type_of(var_ty, ty)
    }

    /// The variables used in a fragment, its types read from its own type condition.
    fn fragment_usages(&mut self, f: &'a Node<ast::FragmentDefinition>) -> Vec<Usage<'a>> {
        let reporting = std::mem::replace(&mut self.reporting, false);
        let outer = std::mem::take(&mut self.usages);
        let parent = self
            .schema
            .get(&f.type_condition)
            .filter(|t| t.is_composite())
            .map(|t| t.name());
        self.selection_set(&f.selection_set, parent, None);
        self.reporting = reporting;
        std::mem::replace(&mut self.usages, outer)
    }

    /// The fragments the operations spread, directly or through other fragments, in
    /// graphql-core's order.
    pub(super) fn referenced_fragments(
        &self,
        operations: &[&'a Node<ast::OperationDefinition>],
    ) -> Vec<&'a Node<ast::FragmentDefinition>> {
        let mut names: Vec<&str> = Vec::new();
        for op in operations {
            for s in fragment_spreads(&op.selection_set) {
                if !names.contains(&s.fragment_name.as_str()) {
                    names.push(s.fragment_name.as_str());
                }
            }
        }
        let mut out = Vec::new();
        let mut i = 0;
        while i < names.len() {
            if let Some(f) = self.fragments.get(names[i]) {
                out.push(*f);
                for s in fragment_spreads(&f.selection_set) {
                    if !names.contains(&s.fragment_name.as_str()) {
                        names.push(s.fragment_name.as_str());
                    }
                }
            }
            i += 1;
        }
        out
    }

    /// NoFragmentCycles from one fragment definition.
    pub(super) fn cycles_from(
        &mut self,
        f: &'a Node<ast::FragmentDefinition>,
        state: &mut Cycles<'a>,
    ) {
        if !state.visited.insert(f.name.as_str()) {
            return;
        }
        let spreads = fragment_spreads(&f.selection_set);
        if spreads.is_empty() {
            return;
        }
        state.index.insert(f.name.as_str(), state.path.len());
        for spread in spreads {
            let name = spread.fragment_name.as_str();
            let cycle = state.index.get(name).copied();
            state.path.push(spread);
            match cycle {
                None => {
                    if let Some(next) = self.fragments.get(name).copied() {
                        self.cycles_from(next, state);
                    }
                }
                Some(i) => {
                    let path = &state.path[i..];
                    let via: Vec<String> = path[..path.len() - 1]
                        .iter()
                        .map(|s| format!("'{}'", s.fragment_name))
                        .collect();
                    let via = if via.is_empty() {
                        ".".to_string()
                    } else {
                        format!(" via {}.", via.join(", "))
                    };
                    let at = path.iter().map(|s| self.at(s.location())).collect();
                    self.report(
                        format!("Cannot spread fragment '{name}' within itself{via}"),
                        at,
                    );
                }
            }
            state.path.pop();
        }
        state.index.remove(f.name.as_str());
    }
}

/// NoFragmentCycles' state across the document.
#[derive(Default)]
pub(super) struct Cycles<'a> {
    visited: HashSet<&'a str>,
    path: Vec<&'a Node<ast::FragmentSpread>>,
    index: HashMap<&'a str, usize>,
}

/// The fragment spreads in a selection set, not through other fragments, in graphql-core's
/// order (a set's own spreads, then its nested sets', last first).
pub(super) fn fragment_spreads(set: &[Selection]) -> Vec<&Node<ast::FragmentSpread>> {
    let mut out = Vec::new();
    let mut sets = vec![set];
    while let Some(set) = sets.pop() {
        for s in set {
            match s {
                Selection::FragmentSpread(spread) => out.push(spread),
                Selection::Field(f) if !f.selection_set.is_empty() => sets.push(&f.selection_set),
                Selection::Field(_) => {}
                Selection::InlineFragment(i) => sets.push(&i.selection_set),
            }
        }
    }
    out
}
