//! graphql-core's rules over values: ValuesOfCorrectType (each literal read by its type's
//! `parse_literal`, located at the value however deep it is; input objects' missing and
//! unknown fields) and UniqueInputFieldNames; and the variables met on the way, for the
//! rules over variables.

use std::collections::HashMap;

use apollo_compiler::Node;
use apollo_compiler::ast;

use super::registry::{TypeRef, is_required};
use super::scalars::{Literal, literal, print_value};
use super::suggest::{did_you_mean, suggestion_list};
use super::validate::{Check, Usage};

impl<'a> Check<'a> {
    /// A value where graphql-core's `TypeInfo` expects input type `ty` (None: unknown);
    /// `defaulted` says the position has a default; `check` is false below a value
    /// ValuesOfCorrectType has refused (it skips what is inside).
    pub(super) fn value(
        &mut self,
        v: &'a Node<ast::Value>,
        ty: Option<TypeRef>,
        defaulted: bool,
        check: bool,
    ) {
        match &**v {
            ast::Value::Variable(name) => self.usages.push(Usage {
                node: v,
                name: name.as_str(),
                ty,
                defaulted,
            }),
            ast::Value::Null => {
                if let Some(t) = ty.filter(|t| check && t.is_non_null()) {
                    let at = self.at(v.location());
                    self.report(
                        format!("Expected value of type '{t}', found null."),
                        vec![at],
                    );
                }
            }
            ast::Value::List(items) => {
                // An item has the list's item type; a list given for another type is read
                // as that type (without its `!`), item by item.
                let item = ty
                    .as_ref()
                    .map(|t| t.list_item().unwrap_or(t.nullable()).clone())
                    .filter(|t| self.schema.is_input(t));
                let mut check_items = check;
                if check && ty.as_ref().and_then(TypeRef::list_item).is_none() {
                    self.leaf(v, item.as_ref());
                    check_items = false;
                }
                for i in items {
                    self.value(i, item.clone(), false, check_items);
                }
            }
            ast::Value::Object(fields) => self.object(v, fields, ty, check),
            _ => {
                if check {
                    self.leaf(v, ty.as_ref());
                }
            }
        }
    }

    fn object(
        &mut self,
        v: &'a Node<ast::Value>,
        fields: &'a [(apollo_compiler::Name, Node<ast::Value>)],
        ty: Option<TypeRef>,
        check: bool,
    ) {
        let name = ty
            .as_ref()
            .map(|t| t.named().to_string())
            .unwrap_or_default();
        let defs = self.schema.input_fields(&name);
        let mut check_fields = check;
        if check {
            match defs {
                None => {
                    self.leaf(v, ty.as_ref());
                    check_fields = false;
                }
                Some(defs) => {
                    for (field, def) in defs {
                        if is_required(def) && !fields.iter().any(|(n, _)| n == field.as_str()) {
                            let at = self.at(v.location());
                            self.report(
                                format!(
                                    "Field '{name}.{field}' of required type '{}' was not provided.",
                                    def.ty
                                ),
                                vec![at],
                            );
                        }
                    }
                }
            }
        }
        let mut seen = HashMap::new();
        for (field, fv) in fields {
            let def = defs.and_then(|d| d.get(field.as_str()));
            let field_ty = def
                .map(|d| TypeRef::parse(&d.ty))
                .filter(|t| self.schema.is_input(t));
            let at = self.at(field.location());
            if let (true, Some(defs), None) = (check_fields, defs, &field_ty) {
                let names = defs.keys().map(String::as_str);
                let hint = did_you_mean(&suggestion_list(field, names), None);
                self.report(
                    format!("Field '{field}' is not defined by type '{name}'.{hint}"),
                    vec![at],
                );
            }
            // UniqueInputFieldNames
            match seen.get(field.as_str()) {
                Some(first) => {
                    let first = *first;
                    self.report(
                        format!("There can be only one input field named '{field}'."),
                        vec![first, at],
                    );
                }
                None => {
                    seen.insert(field.as_str(), at);
                }
            }
            let defaulted = def.is_some_and(|d| d.default_value.is_some());
            self.value(fv, field_ty, defaulted, check_fields);
        }
    }

    /// graphql-core's `is_valid_value_node`: a value where a leaf type (or, refused, another
    /// input type) is expected.
    fn leaf(&mut self, v: &'a Node<ast::Value>, expected: Option<&TypeRef>) {
        let Some(t) = expected else {
            return;
        };
        let at = self.at(v.location());
        let unexpected = || format!("Expected value of type '{t}', found {}.", print_value(v));
        if !self.schema.is_leaf(t) {
            let message = unexpected();
            self.report(message, vec![at]);
            return;
        }
        match literal(self.schema, t.named(), v) {
            Literal::Accepted => {}
            Literal::Undefined => {
                let message = unexpected();
                self.report(message, vec![at]);
            }
            Literal::Refused(r) => {
                let at = if r.located { vec![at] } else { Vec::new() };
                self.report(r.message, at);
            }
        }
    }
}
