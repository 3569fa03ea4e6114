//! The served schema as graphql-core's validation and coercion see it, read from the engine's
//! own registry (so that what is validated is exactly what executes): type references, kinds,
//! fields with the meta-fields, arguments, input fields, enum values, directives, and the
//! subtype and overlap relations of graphql-core's `type_comparators`.

use std::fmt;

use apollo_compiler::ast;
use async_graphql::indexmap::IndexMap;
use async_graphql::registry::{MetaDirective, MetaField, MetaInputValue, MetaType, Registry};

/// A type reference: `Name`, `[T]`, `T!`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum TypeRef {
    Named(String),
    List(Box<TypeRef>),
    NonNull(Box<TypeRef>),
}

impl TypeRef {
    /// A reference as the registry writes it (`[Reading!]!`).
    pub(super) fn parse(s: &str) -> TypeRef {
        if let Some(inner) = s.strip_suffix('!') {
            TypeRef::NonNull(Box::new(TypeRef::parse(inner)))
        } else if let Some(inner) = s.strip_prefix('[').and_then(|x| x.strip_suffix(']')) {
            TypeRef::List(Box::new(TypeRef::parse(inner)))
        } else {
            TypeRef::Named(s.to_string())
        }
    }

    /// A reference as a document writes it.
    pub(super) fn from_ast(t: &ast::Type) -> TypeRef {
        match t {
            ast::Type::Named(n) => TypeRef::Named(n.to_string()),
            ast::Type::NonNullNamed(n) => TypeRef::NonNull(Box::new(TypeRef::Named(n.to_string()))),
            ast::Type::List(inner) => TypeRef::List(Box::new(TypeRef::from_ast(inner))),
            ast::Type::NonNullList(inner) => {
                TypeRef::NonNull(Box::new(TypeRef::List(Box::new(TypeRef::from_ast(inner)))))
            }
        }
    }

    /// The named type inside every wrapper.
    pub(super) fn named(&self) -> &str {
        match self {
            TypeRef::Named(n) => n,
            TypeRef::List(t) | TypeRef::NonNull(t) => t.named(),
        }
    }

    pub(super) fn is_non_null(&self) -> bool {
        matches!(self, TypeRef::NonNull(_))
    }

    /// The type without its outer `!`.
    pub(super) fn nullable(&self) -> &TypeRef {
        match self {
            TypeRef::NonNull(t) => t,
            t => t,
        }
    }

    /// The item type, if this (nullable) type is a list.
    pub(super) fn list_item(&self) -> Option<&TypeRef> {
        match self.nullable() {
            TypeRef::List(t) => Some(t),
            _ => None,
        }
    }
}

impl fmt::Display for TypeRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TypeRef::Named(n) => f.write_str(n),
            TypeRef::List(t) => write!(f, "[{t}]"),
            TypeRef::NonNull(t) => write!(f, "{t}!"),
        }
    }
}

/// A field as validation needs it: its type and arguments (none for `__typename`).
#[derive(Clone)]
pub(super) struct FieldDef<'a> {
    pub(super) ty: TypeRef,
    args: Option<&'a IndexMap<String, MetaInputValue>>,
}

impl<'a> FieldDef<'a> {
    pub(super) fn arg(&self, name: &str) -> Option<&'a MetaInputValue> {
        self.args.and_then(|a| a.get(name))
    }

    pub(super) fn args(&self) -> impl Iterator<Item = &'a MetaInputValue> {
        self.args.into_iter().flat_map(|a| a.values())
    }
}

/// Whether an argument or input field must be given: non-null, with no default.
pub(super) fn is_required(v: &MetaInputValue) -> bool {
    v.ty.ends_with('!') && v.default_value.is_none()
}

/// The schema behind the engine.
#[derive(Clone, Copy)]
pub(super) struct Schema<'a> {
    reg: &'a Registry,
}

impl<'a> Schema<'a> {
    pub(super) fn new(reg: &'a Registry) -> Schema<'a> {
        Schema { reg }
    }

    pub(super) fn get(&self, name: &str) -> Option<&'a MetaType> {
        self.reg.types.get(name)
    }

    /// Every type's name (introspection types included, as in graphql-core's type map).
    pub(super) fn type_names(&self) -> Vec<&'a str> {
        self.reg.types.keys().map(String::as_str).collect()
    }

    /// The root type of an operation, if the schema has one.
    pub(super) fn root(&self, op: ast::OperationType) -> Option<&'a str> {
        match op {
            ast::OperationType::Query => Some(self.reg.query_type.as_str()),
            ast::OperationType::Mutation => self.reg.mutation_type.as_deref(),
            ast::OperationType::Subscription => self.reg.subscription_type.as_deref(),
        }
    }

    pub(super) fn directive(&self, name: &str) -> Option<&'a MetaDirective> {
        self.reg.directives.get(name)
    }

    fn is(&self, t: &TypeRef, test: fn(&MetaType) -> bool) -> bool {
        self.get(t.named()).is_some_and(test)
    }

    pub(super) fn is_input(&self, t: &TypeRef) -> bool {
        self.is(t, MetaType::is_input)
    }

    pub(super) fn is_leaf(&self, t: &TypeRef) -> bool {
        self.is(t, MetaType::is_leaf)
    }

    pub(super) fn is_composite(&self, t: &TypeRef) -> bool {
        self.is(t, MetaType::is_composite)
    }

    pub(super) fn is_enum(&self, t: &TypeRef) -> bool {
        self.is(t, |m| matches!(m, MetaType::Enum { .. }))
    }

    pub(super) fn is_object(&self, name: &str) -> bool {
        matches!(self.get(name), Some(MetaType::Object { .. }))
    }

    pub(super) fn is_interface(&self, name: &str) -> bool {
        matches!(self.get(name), Some(MetaType::Interface { .. }))
    }

    /// An input object's fields.
    pub(super) fn input_fields(&self, name: &str) -> Option<&'a IndexMap<String, MetaInputValue>> {
        match self.get(name) {
            Some(MetaType::InputObject { input_fields, .. }) => Some(input_fields),
            _ => None,
        }
    }

    /// An enum's values, in order.
    pub(super) fn enum_values(&self, name: &str) -> Vec<&'a str> {
        match self.get(name) {
            Some(MetaType::Enum { enum_values, .. }) => {
                enum_values.keys().map(String::as_str).collect()
            }
            _ => Vec::new(),
        }
    }

    /// `parent.name` as graphql-core's `get_field_def` finds it: `__typename` on any composite
    /// type, `__schema` and `__type` on the query type only (the registry puts them there).
    pub(super) fn field(&self, parent: &str, name: &str) -> Option<FieldDef<'a>> {
        let owner = self.get(parent)?;
        if name == "__typename" && owner.is_composite() {
            return Some(FieldDef {
                ty: TypeRef::parse("String!"),
                args: None,
            });
        }
        let f: &MetaField = owner.field_by_name(name)?;
        Some(FieldDef {
            ty: TypeRef::parse(&f.ty),
            args: Some(&f.args),
        })
    }

    /// The fields a type declares (not the meta-fields), in order.
    pub(super) fn field_names(&self, parent: &str) -> Vec<&'a str> {
        self.get(parent)
            .and_then(MetaType::fields)
            .map(|f| {
                f.keys()
                    .map(String::as_str)
                    .filter(|n| !n.starts_with("__"))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The object types of an abstract type, or the object type itself.
    pub(super) fn possible_types(&self, name: &str) -> Vec<&'a str> {
        match self.get(name) {
            Some(MetaType::Object { name, .. }) => vec![name.as_str()],
            Some(t) => t
                .possible_types()
                .map(|p| p.iter().map(String::as_str).collect())
                .unwrap_or_default(),
            None => Vec::new(),
        }
    }

    /// The interfaces an object or interface type implements.
    pub(super) fn interfaces(&self, name: &str) -> Vec<&'a str> {
        self.reg
            .implements
            .get(name)
            .map(|i| i.iter().map(String::as_str).collect())
            .unwrap_or_default()
    }

    /// graphql-core's `is_sub_type`: an object or interface of an abstract type.
    pub(super) fn is_sub_type(&self, abstract_: &str, maybe_sub: &str) -> bool {
        match self.get(abstract_) {
            Some(MetaType::Union { .. }) => self.possible_types(abstract_).contains(&maybe_sub),
            Some(MetaType::Interface { .. }) => {
                self.possible_types(abstract_).contains(&maybe_sub)
                    || self.interfaces(maybe_sub).contains(&abstract_)
            }
            _ => false,
        }
    }

    /// graphql-core's `do_types_overlap` for two composite types.
    pub(super) fn overlap(&self, a: &str, b: &str) -> bool {
        if a == b {
            return true;
        }
        let abstract_ = |n: &str| self.get(n).is_some_and(MetaType::is_abstract);
        match (abstract_(a), abstract_(b)) {
            (true, true) => self
                .possible_types(a)
                .iter()
                .any(|t| self.is_sub_type(b, t)),
            (true, false) => self.is_sub_type(a, b),
            (false, true) => self.is_sub_type(b, a),
            (false, false) => false,
        }
    }

    /// graphql-core's `is_type_sub_type_of`: whether a value of `sub` fits where `sup` is
    /// expected.
    pub(super) fn is_type_sub_type_of(&self, sub: &TypeRef, sup: &TypeRef) -> bool {
        match (sub, sup) {
            _ if sub == sup => true,
            (TypeRef::NonNull(s), TypeRef::NonNull(p)) => self.is_type_sub_type_of(s, p),
            (TypeRef::NonNull(s), p) => self.is_type_sub_type_of(s, p),
            (_, TypeRef::NonNull(_)) => false,
            (TypeRef::List(s), TypeRef::List(p)) => self.is_type_sub_type_of(s, p),
            (_, TypeRef::List(_)) | (TypeRef::List(_), _) => false,
            (TypeRef::Named(s), TypeRef::Named(p)) => {
                self.get(p).is_some_and(MetaType::is_abstract)
                    && (self.is_interface(s) || self.is_object(s))
                    && self.is_sub_type(p, s)
            }
        }
    }
}
