//! graphql-core's rules over selections: ScalarLeafs, FieldsOnCorrectType (with its
//! suggestions of fields and of types to spread on), KnownArgumentNames, UniqueArgumentNames,
//! ProvidedRequiredArguments, KnownFragmentNames, FragmentsOnCompositeTypes,
//! PossibleFragmentSpreads, KnownDirectives, UniqueDirectivesPerLocation and
//! MaxIntrospectionDepth. A selection set is walked with its parent type (None where
//! graphql-core's `TypeInfo` has none, and then the rules that need one stay silent).

use std::cmp::Ordering;
use std::collections::HashMap;

use apollo_compiler::Node;
use apollo_compiler::ast::{self, Selection};

use super::registry::{FieldDef, TypeRef, is_required};
use super::suggest::{did_you_mean, natural_cmp, suggestion_list};
use super::validate::Check;

/// The introspection fields whose nesting graphql-core's MaxIntrospectionDepthRule counts.
const LIST_FIELDS: [&str; 4] = ["fields", "interfaces", "possibleTypes", "inputFields"];
const MAX_LIST_DEPTH: usize = 3;

impl<'a> Check<'a> {
    /// A selection set whose parent type is `parent`; `field` is the field it belongs to.
    pub(super) fn selection_set(
        &mut self,
        set: &'a [Selection],
        parent: Option<&'a str>,
        field: Option<&FieldDef<'a>>,
    ) {
        for s in set {
            match s {
                Selection::Field(f) => self.field(f, parent),
                Selection::FragmentSpread(s) => self.fragment_spread(s, parent, field),
                Selection::InlineFragment(i) => self.inline_fragment(i, parent, field),
            }
        }
    }

    fn field(&mut self, f: &'a Node<ast::Field>, parent: Option<&'a str>) {
        let def = parent.and_then(|p| self.schema.field(p, &f.name));
        let at = self.at(f.location());
        // ScalarLeafs
        if let Some(d) = &def {
            if self.schema.is_leaf(&d.ty) {
                if !f.selection_set.is_empty() {
                    let set_at = self.src.selection_set_start(f);
                    self.report(
                        format!(
                            "Field '{}' must not have a selection since type '{}' has no subfields.",
                            f.name, d.ty
                        ),
                        vec![set_at],
                    );
                }
            } else if f.selection_set.is_empty() {
                self.report(
                    format!(
                        "Field '{0}' of type '{1}' must have a selection of subfields. Did you mean '{0} {{ ... }}'?",
                        f.name, d.ty
                    ),
                    vec![at],
                );
            }
        }
        // FieldsOnCorrectType
        if let (Some(p), None) = (parent, &def) {
            let hint = self.field_hint(p, &f.name);
            self.report(
                format!("Cannot query field '{}' on type '{p}'.{hint}", f.name),
                vec![at],
            );
        }
        self.unique_directives(&f.directives);
        self.unique_arguments(&f.arguments);
        // MaxIntrospectionDepth
        if (f.name == "__schema" || f.name == "__type")
            && self.too_deep(&f.selection_set, 0, &mut HashMap::new())
        {
            self.report("Maximum introspection depth exceeded", vec![at]);
        }
        for a in &f.arguments {
            let arg = def.as_ref().and_then(|d| d.arg(&a.name));
            // KnownArgumentNames
            if let (Some(d), Some(p), None) = (&def, parent, arg) {
                let names = d.args().map(|a| a.name.as_str());
                self.unknown_argument(a, &format!("field '{p}.{}'", f.name), names);
            }
            let ty = arg
                .map(|d| TypeRef::parse(&d.ty))
                .filter(|t| self.schema.is_input(t));
            let defaulted = arg.is_some_and(|d| d.default_value.is_some());
            self.value(&a.value, ty, defaulted, true);
        }
        self.directives(&f.directives, "FIELD", def.as_ref());
        let inner = def
            .as_ref()
            .filter(|d| self.schema.is_composite(&d.ty))
            .and_then(|d| self.schema.get(d.ty.named()))
            .map(|t| t.name());
        if !f.selection_set.is_empty() {
            self.overlapping(&f.selection_set, inner);
        }
        self.selection_set(&f.selection_set, inner, def.as_ref());
        // ProvidedRequiredArguments, on leaving the field
        if let Some(d) = &def {
            for arg in d.args() {
                if is_required(arg) && !f.arguments.iter().any(|a| a.name == arg.name.as_str()) {
                    self.report(
                        format!(
                            "Field '{}' argument '{}' of type '{}' is required, but it was not provided.",
                            f.name, arg.name, arg.ty
                        ),
                        vec![at],
                    );
                }
            }
        }
    }

    /// FieldsOnCorrectType's hint: the types to spread on, else the close field names.
    fn field_hint(&self, parent: &str, name: &str) -> String {
        let types = self.suggested_types(parent, name);
        let hint = did_you_mean(&types, Some("to use an inline fragment on"));
        if !hint.is_empty() {
            return hint;
        }
        did_you_mean(
            &suggestion_list(name, self.schema.field_names(parent)),
            None,
        )
    }

    /// graphql-core's `get_suggested_type_names`: of an abstract type, the types that have
    /// the field, the most used interfaces first.
    fn suggested_types(&self, parent: &str, name: &str) -> Vec<&'a str> {
        let s = self.schema;
        if s.get(parent).is_none_or(|t| !t.is_abstract()) {
            return Vec::new();
        }
        let has = |t: &str| s.get(t).and_then(|t| t.field_by_name(name)).is_some();
        let mut usage: Vec<(&'a str, usize)> = Vec::new();
        for object in s.possible_types(parent).into_iter().filter(|t| has(t)) {
            usage.push((object, 1));
            for interface in s.interfaces(object).into_iter().filter(|t| has(t)) {
                match usage.iter_mut().find(|(n, _)| *n == interface) {
                    Some((_, count)) => *count += 1,
                    None => usage.push((interface, 1)),
                }
            }
        }
        usage.sort_by(|(a, ua), (b, ub)| {
            ub.cmp(ua)
                .then_with(|| {
                    if s.is_interface(a) && s.is_sub_type(a, b) {
                        Ordering::Less
                    } else if s.is_interface(b) && s.is_sub_type(b, a) {
                        Ordering::Greater
                    } else {
                        Ordering::Equal
                    }
                })
                .then_with(|| natural_cmp(a, b))
        });
        usage.into_iter().map(|(n, _)| n).collect()
    }

    fn fragment_spread(
        &mut self,
        spread: &'a Node<ast::FragmentSpread>,
        parent: Option<&'a str>,
        field: Option<&FieldDef<'a>>,
    ) {
        let name = &spread.fragment_name;
        let fragment = self.fragments.get(name.as_str()).copied();
        // KnownFragmentNames
        if fragment.is_none() {
            let at = self.at(name.location());
            self.report(format!("Unknown fragment '{name}'."), vec![at]);
        }
        // PossibleFragmentSpreads
        let frag_type = fragment
            .and_then(|f| self.schema.get(&f.type_condition))
            .filter(|t| t.is_composite())
            .map(|t| t.name());
        self.possible_spread(Some(name), frag_type, parent, spread.location());
        self.unique_directives(&spread.directives);
        self.directives(&spread.directives, "FRAGMENT_SPREAD", field);
    }

    /// PossibleFragmentSpreads: a fragment (named, or inline) of a type no object of the
    /// parent type can be.
    fn possible_spread(
        &mut self,
        name: Option<&apollo_compiler::Name>,
        frag_type: Option<&str>,
        parent: Option<&str>,
        span: Option<apollo_compiler::parser::SourceSpan>,
    ) {
        if let (Some(ft), Some(p)) = (frag_type, parent)
            && !self.schema.overlap(ft, p)
        {
            let name = name.map(|n| format!(" '{n}'")).unwrap_or_default();
            let at = self.at(span);
            self.report(
                format!(
                    "Fragment{name} cannot be spread here as objects of type '{p}' can never be of type '{ft}'."
                ),
                vec![at],
            );
        }
    }

    fn inline_fragment(
        &mut self,
        inline: &'a Node<ast::InlineFragment>,
        parent: Option<&'a str>,
        field: Option<&FieldDef<'a>>,
    ) {
        let condition = inline.type_condition.as_ref();
        let frag_type = match condition {
            Some(c) => self
                .schema
                .get(c)
                .filter(|t| t.is_composite())
                .map(|t| t.name()),
            None => parent,
        };
        // FragmentsOnCompositeTypes
        if let Some(c) = condition
            && self.schema.get(c).is_some_and(|t| !t.is_composite())
        {
            let at = self.at(c.location());
            self.report(
                format!("Fragment cannot condition on non composite type '{c}'."),
                vec![at],
            );
        }
        // PossibleFragmentSpreads
        self.possible_spread(None, frag_type, parent, inline.location());
        self.unique_directives(&inline.directives);
        if let Some(c) = condition {
            self.named_type(c);
        }
        self.directives(&inline.directives, "INLINE_FRAGMENT", field);
        self.selection_set(&inline.selection_set, frag_type, field);
    }

    /// UniqueDirectivesPerLocation.
    pub(super) fn unique_directives(&mut self, list: &'a ast::DirectiveList) {
        let mut seen = HashMap::new();
        for d in list.iter() {
            if self
                .schema
                .directive(&d.name)
                .is_some_and(|def| !def.is_repeatable)
            {
                let at = self.at(d.location());
                match seen.get(d.name.as_str()) {
                    Some(first) => {
                        let first = *first;
                        self.report(
                            format!(
                                "The directive '@{}' can only be used once at this location.",
                                d.name
                            ),
                            vec![first, at],
                        );
                    }
                    None => {
                        seen.insert(d.name.as_str(), at);
                    }
                }
            }
        }
    }

    /// KnownArgumentNames: an argument `on` (a field, a directive) does not declare.
    fn unknown_argument<'n>(
        &mut self,
        a: &Node<ast::Argument>,
        on: &str,
        names: impl IntoIterator<Item = &'n str>,
    ) {
        let hint = did_you_mean(&suggestion_list(&a.name, names), None);
        let at = self.at(a.location());
        self.report(
            format!("Unknown argument '{}' on {on}.{hint}", a.name),
            vec![at],
        );
    }

    /// UniqueArgumentNames.
    fn unique_arguments(&mut self, args: &'a [Node<ast::Argument>]) {
        self.repeated(args.iter().map(|a| &a.name), |name| {
            format!("There can be only one argument named '{name}'.")
        });
    }

    /// The directives at a location (`FIELD`, `QUERY`, …); `field` is the field graphql-core's
    /// `TypeInfo` is in, whose arguments it reads an unknown directive's arguments as.
    pub(super) fn directives(
        &mut self,
        list: &'a ast::DirectiveList,
        location: &str,
        field: Option<&FieldDef<'a>>,
    ) {
        for d in list.iter() {
            let def = self.schema.directive(&d.name);
            let at = self.at(d.location());
            // KnownDirectives
            match def {
                None => self.report(format!("Unknown directive '@{}'.", d.name), vec![at]),
                Some(def) if !def.locations.iter().any(|l| format!("{l:?}") == location) => {
                    // graphql-core names a location by its enum's value: `fragment spread`.
                    let place = location.to_lowercase().replace('_', " ");
                    self.report(
                        format!("Directive '@{}' may not be used on {place}.", d.name),
                        vec![at],
                    );
                }
                Some(_) => {}
            }
            // KnownArgumentNames (on directives)
            if let Some(def) = def {
                for a in &d.arguments {
                    if !def.args.contains_key(a.name.as_str()) {
                        let names = def.args.keys().map(String::as_str);
                        self.unknown_argument(a, &format!("directive '@{}'", d.name), names);
                    }
                }
            }
            self.unique_arguments(&d.arguments);
            for a in &d.arguments {
                let arg = match def {
                    Some(def) => def.args.get(a.name.as_str()),
                    None => field.and_then(|f| f.arg(&a.name)),
                };
                let ty = arg
                    .map(|d| TypeRef::parse(&d.ty))
                    .filter(|t| self.schema.is_input(t));
                let defaulted = arg.is_some_and(|d| d.default_value.is_some());
                self.value(&a.value, ty, defaulted, true);
            }
            // ProvidedRequiredArguments (on directives), on leaving the directive
            if let Some(def) = def {
                for arg in def.args.values() {
                    if is_required(arg) && !d.arguments.iter().any(|a| a.name == arg.name.as_str())
                    {
                        self.report(
                            format!(
                                "Directive '@{}' argument '{}' of type '{}' is required, but it was not provided.",
                                d.name, arg.name, arg.ty
                            ),
                            vec![at],
                        );
                    }
                }
            }
        }
    }

    /// Whether introspection below `__schema` or `__type` nests its lists of types too deep.
    fn too_deep(
        &self,
        set: &'a [Selection],
        depth: usize,
        visited: &mut HashMap<&'a str, usize>,
    ) -> bool {
        set.iter().any(|s| match s {
            Selection::FragmentSpread(spread) => {
                let name = spread.fragment_name.as_str();
                if visited.get(name).is_some_and(|d| *d >= depth) {
                    return false;
                }
                let Some(f) = self.fragments.get(name) else {
                    return false;
                };
                visited.insert(name, depth);
                self.too_deep(&f.selection_set, depth, visited)
            }
            Selection::Field(f) => {
                let depth = depth + usize::from(LIST_FIELDS.contains(&f.name.as_str()));
                depth >= MAX_LIST_DEPTH || self.too_deep(&f.selection_set, depth, visited)
            }
            Selection::InlineFragment(i) => self.too_deep(&i.selection_set, depth, visited),
        })
    }
}
