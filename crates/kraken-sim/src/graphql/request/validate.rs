//! graphql-core's validation (`specified_rules`), as one walk of the document in order: at
//! each node the rules that look at it, in the order graphql-core lists them, with its words
//! and its locations. This file: the document, operations, fragment definitions and the rules
//! over names; [`super::fragments`] fragments and variables; [`super::selections`] the fields,
//! fragments and directives;
//! [`super::values`] the values; [`super::overlap`] fields that cannot be merged.

use std::collections::{HashMap, HashSet};

use apollo_compiler::Node;
use apollo_compiler::ast::{self, Definition};
use apollo_compiler::parser::SourceSpan;

use super::GqlError;
use super::fragments::Cycles;
use super::overlap::Overlap;
use super::registry::{Schema, TypeRef};
use super::source::{Loc, Source};

/// graphql-core stops at this many validation errors.
const MAX_ERRORS: usize = 100;

/// A variable met in a value, and what the position around it expects (for the rules over
/// variables, which graphql-core checks when it leaves the operation).
pub(super) struct Usage<'a> {
    pub(super) node: &'a Node<ast::Value>,
    pub(super) name: &'a str,
    /// The input type at the variable, if known.
    pub(super) ty: Option<TypeRef>,
    /// Whether that position has a default value.
    pub(super) defaulted: bool,
}

/// The walk's state.
pub(super) struct Check<'a> {
    pub(super) schema: Schema<'a>,
    pub(super) src: Source<'a>,
    /// The fragment definitions by name (the last of a name, as graphql-core keeps them).
    pub(super) fragments: HashMap<&'a str, &'a Node<ast::FragmentDefinition>>,
    /// Types the document itself defines (graphql-core knows their names).
    pub(super) defined_types: Vec<&'a str>,
    pub(super) errors: Vec<GqlError>,
    /// The variables met in the definition being walked.
    pub(super) usages: Vec<Usage<'a>>,
    /// False while a fragment is walked again only for its variables.
    pub(super) reporting: bool,
    /// OverlappingFieldsCanBeMerged's memory.
    pub(super) overlap: Overlap<'a>,
}

/// Every error graphql-core's validation finds in `doc`.
pub(super) fn validate(schema: Schema<'_>, src: Source<'_>, doc: &ast::Document) -> Vec<GqlError> {
    let mut check = Check {
        schema,
        src,
        fragments: doc
            .definitions
            .iter()
            .filter_map(|d| match d {
                Definition::FragmentDefinition(f) => Some((f.name.as_str(), f)),
                _ => None,
            })
            .collect(),
        defined_types: doc
            .definitions
            .iter()
            .filter(|d| !d.is_executable_definition() && !d.is_extension_definition())
            .filter_map(|d| d.name().map(|n| n.as_str()))
            .collect(),
        errors: Vec::new(),
        usages: Vec::new(),
        reporting: true,
        overlap: Overlap::default(),
    };
    check.document(doc);
    if check.errors.len() > MAX_ERRORS {
        check.errors.truncate(MAX_ERRORS);
        check.errors.push(GqlError::new(
            "Too many validation errors, error limit reached. Validation aborted.",
            Vec::new(),
        ));
    }
    check.errors
}

impl<'a> Check<'a> {
    pub(super) fn report(&mut self, message: impl Into<String>, locations: Vec<Loc>) {
        if self.reporting {
            self.errors.push(GqlError::new(message, locations));
        }
    }

    pub(super) fn at(&self, span: Option<SourceSpan>) -> Loc {
        self.src.start(span)
    }

    fn document(&mut self, doc: &'a ast::Document) {
        // ExecutableDefinitions
        for d in &doc.definitions {
            if d.is_executable_definition() {
                continue;
            }
            let name = match d {
                Definition::SchemaDefinition(_) | Definition::SchemaExtension(_) => {
                    "schema".to_string()
                }
                d => format!("'{}'", d.name().map(|n| n.as_str()).unwrap_or_default()),
            };
            let at = self.at(d.location());
            self.report(
                format!("The {name} definition is not executable."),
                vec![at],
            );
        }
        let operations: Vec<&'a Node<ast::OperationDefinition>> = doc
            .definitions
            .iter()
            .filter_map(|d| match d {
                Definition::OperationDefinition(op) => Some(op),
                _ => None,
            })
            .collect();
        let mut operation_names = HashMap::new();
        let mut fragment_names = HashMap::new();
        let mut cycles = Cycles::default();
        for d in &doc.definitions {
            match d {
                Definition::OperationDefinition(op) => {
                    self.operation(op, operations.len(), &mut operation_names);
                }
                Definition::FragmentDefinition(f) => {
                    self.fragment_definition(f, &mut fragment_names, &mut cycles);
                }
                _ => {}
            }
        }
        // NoUnusedFragments
        let used: HashSet<&str> = self
            .referenced_fragments(&operations)
            .iter()
            .map(|f| f.name.as_str())
            .collect();
        for d in &doc.definitions {
            if let Definition::FragmentDefinition(f) = d
                && !used.contains(f.name.as_str())
            {
                let at = self.at(f.location());
                self.report(format!("Fragment '{}' is never used.", f.name), vec![at]);
            }
        }
    }

    /// A name's first location, or a repeat of it.
    fn unique<'n>(
        &mut self,
        seen: &mut HashMap<&'n str, Loc>,
        name: &'n apollo_compiler::Name,
        message: impl FnOnce() -> String,
    ) {
        let at = self.at(name.location());
        match seen.get(name.as_str()) {
            Some(first) => {
                let first = *first;
                self.report(message(), vec![first, at]);
            }
            None => {
                seen.insert(name.as_str(), at);
            }
        }
    }

    fn operation(
        &mut self,
        op: &'a Node<ast::OperationDefinition>,
        count: usize,
        names: &mut HashMap<&'a str, Loc>,
    ) {
        let at = self.at(op.location());
        // UniqueOperationNames, LoneAnonymousOperation
        if let Some(name) = &op.name {
            self.unique(names, name, || {
                format!("There can be only one operation named '{name}'.")
            });
        } else if count > 1 {
            self.report(
                "This anonymous operation must be the only defined operation.",
                vec![at],
            );
        }
        // SingleFieldSubscriptions only looks where the schema has a subscription type;
        // Kraken's has none.
        // UniqueVariableNames
        self.repeated(op.variables.iter().map(|v| &v.name), |name| {
            format!("There can be only one variable named '${name}'.")
        });
        self.unique_directives(&op.directives);
        self.usages.clear();
        for v in &op.variables {
            self.variable_definition(v);
        }
        let location = match op.operation_type {
            ast::OperationType::Query => "QUERY",
            ast::OperationType::Mutation => "MUTATION",
            ast::OperationType::Subscription => "SUBSCRIPTION",
        };
        self.directives(&op.directives, location, None);
        let root = self
            .schema
            .root(op.operation_type)
            .filter(|r| self.schema.is_object(r));
        self.overlapping(&op.selection_set, root);
        self.selection_set(&op.selection_set, root, None);
        self.variables_of(op);
    }

    /// Each name given more than once, reported once with every place it is given.
    pub(super) fn repeated<'n>(
        &mut self,
        names: impl Iterator<Item = &'n apollo_compiler::Name>,
        message: impl Fn(&str) -> String,
    ) {
        let mut by_name: Vec<(&str, Vec<Loc>)> = Vec::new();
        for name in names {
            let at = self.at(name.location());
            match by_name.iter_mut().find(|(n, _)| *n == name.as_str()) {
                Some((_, locs)) => locs.push(at),
                None => by_name.push((name.as_str(), vec![at])),
            }
        }
        for (name, locs) in by_name.into_iter().filter(|(_, l)| l.len() > 1) {
            self.report(message(name), locs);
        }
    }

    fn variable_definition(&mut self, v: &'a Node<ast::VariableDefinition>) {
        let ty = TypeRef::from_ast(&v.ty);
        // VariablesAreInputTypes
        if self.schema.get(ty.named()).is_some() && !self.schema.is_input(&ty) {
            let at = self.at(v.ty.location());
            self.report(
                format!(
                    "Variable '${}' cannot be non-input type '{}'.",
                    v.name, *v.ty
                ),
                vec![at],
            );
        }
        self.unique_directives(&v.directives);
        self.named_type(v.ty.inner_named_type());
        if let Some(default) = &v.default_value {
            let ty = Some(ty).filter(|t| self.schema.is_input(t));
            self.value(default, ty, false, true);
        }
        self.directives(&v.directives, "VARIABLE_DEFINITION", None);
    }

    /// KnownTypeNames.
    pub(super) fn named_type(&mut self, name: &apollo_compiler::Name) {
        if self.schema.get(name).is_some() || self.defined_types.contains(&name.as_str()) {
            return;
        }
        let mut names = self.schema.type_names();
        names.extend(self.defined_types.iter().copied());
        let hint =
            super::suggest::did_you_mean(&super::suggest::suggestion_list(name, names), None);
        let at = self.at(name.location());
        self.report(format!("Unknown type '{name}'.{hint}"), vec![at]);
    }

    fn fragment_definition(
        &mut self,
        f: &'a Node<ast::FragmentDefinition>,
        names: &mut HashMap<&'a str, Loc>,
        cycles: &mut Cycles<'a>,
    ) {
        let condition = self.schema.get(&f.type_condition);
        // FragmentsOnCompositeTypes
        if condition.is_some_and(|t| !t.is_composite()) {
            let at = self.at(f.type_condition.location());
            self.report(
                format!(
                    "Fragment '{}' cannot condition on non composite type '{}'.",
                    f.name, f.type_condition
                ),
                vec![at],
            );
        }
        // UniqueFragmentNames
        self.unique(names, &f.name, || {
            format!("There can be only one fragment named '{}'.", f.name)
        });
        // NoFragmentCycles
        self.cycles_from(f, cycles);
        self.unique_directives(&f.directives);
        self.named_type(&f.type_condition);
        self.directives(&f.directives, "FRAGMENT_DEFINITION", None);
        let parent = condition.filter(|t| t.is_composite()).map(|t| t.name());
        self.overlapping(&f.selection_set, parent);
        self.selection_set(&f.selection_set, parent, None);
    }
}
