//! apollo-compiler's syntax tree (the port's) lowered into async-graphql's, the tree the engine
//! executes: every node located where async-graphql's own parser would put it — graphql-core's
//! line and column in the query as sent — so the text is parsed once. Where a selection set
//! may collect no field, one `__typename` under an unused alias is added (see
//! [`super::executed`]).

use apollo_compiler::Node;
use apollo_compiler::ast::{self, Selection};
use apollo_compiler::parser::SourceSpan;
use async_graphql::parser::types::{
    BaseType, Directive, Field, FragmentDefinition, FragmentSpread, InlineFragment,
    OperationDefinition, OperationType, SelectionSet, Type, TypeCondition, VariableDefinition,
};
use async_graphql::parser::{Pos, Positioned};
use async_graphql::{Name, Number};
use async_graphql_value::Value as Literal;

use super::GqlError;
use super::source::{Lines, Source};

/// Whether a selection set may collect no field: each of its selections is conditional
/// (`@skip`, `@include`) or a fragment that may not apply.
fn may_be_empty(set: &[Selection]) -> bool {
    let conditional =
        |d: &ast::DirectiveList| d.iter().any(|d| d.name == "skip" || d.name == "include");
    set.iter().all(|s| match s {
        Selection::Field(f) => conditional(&f.directives),
        Selection::FragmentSpread(_) => true,
        Selection::InlineFragment(i) => {
            conditional(&i.directives)
                || i.type_condition.is_some()
                || may_be_empty(&i.selection_set)
        }
    })
}

/// apollo-compiler's nodes into async-graphql's, located.
pub(super) struct Lower<'a> {
    src: Source<'a>,
    lines: Lines<'a>,
    alias: &'a str,
    /// Whether a `__typename` was added somewhere.
    added: bool,
}

type Arguments = Vec<(Positioned<Name>, Positioned<Literal>)>;

impl<'a> Lower<'a> {
    pub(super) fn new(src: Source<'a>, alias: &'a str) -> Lower<'a> {
        Lower {
            src,
            lines: src.lines(),
            alias,
            added: false,
        }
    }

    /// Whether a `__typename` was added somewhere.
    pub(super) fn added(&self) -> bool {
        self.added
    }

    fn pos_at(&self, offset: usize) -> Pos {
        let l = self.lines.at(offset);
        Pos {
            line: l.line,
            column: l.column,
        }
    }

    fn pos(&self, span: Option<SourceSpan>) -> Pos {
        self.pos_at(span.map_or(0, |s| s.offset()))
    }

    fn name(&self, name: &apollo_compiler::Name) -> Positioned<Name> {
        Positioned::new(Name::new(name.as_str()), self.pos(name.location()))
    }

    pub(super) fn operation(
        &mut self,
        op: &Node<ast::OperationDefinition>,
    ) -> Result<Positioned<OperationDefinition>, GqlError> {
        let start = op.location().map_or(0, |s| s.offset());
        // After the keyword, if any (`{ … }` has none).
        let keyword = self.src.text.get(start..).map_or(0, |r| {
            r.chars().take_while(char::is_ascii_alphabetic).count()
        });
        let spans = op
            .name
            .iter()
            .filter_map(|n| n.location())
            .chain(op.variables.iter().filter_map(|v| v.location()))
            .chain(op.directives.iter().filter_map(|d| d.location()));
        let brace = self.src.brace_after(start + keyword, spans);
        let variable_definitions = op
            .variables
            .iter()
            .map(|v| self.variable(v))
            .collect::<Result<_, _>>()?;
        let close = op.location().map(|s| s.end_offset().saturating_sub(1));
        Ok(Positioned::new(
            OperationDefinition {
                ty: match op.operation_type {
                    ast::OperationType::Query => OperationType::Query,
                    ast::OperationType::Mutation => OperationType::Mutation,
                    ast::OperationType::Subscription => OperationType::Subscription,
                },
                variable_definitions,
                directives: self.directives(&op.directives)?,
                selection_set: self.selection_set(&op.selection_set, brace, close)?,
            },
            self.pos_at(start),
        ))
    }

    pub(super) fn fragment(
        &mut self,
        f: &Node<ast::FragmentDefinition>,
    ) -> Result<Positioned<FragmentDefinition>, GqlError> {
        let start = f.location().map_or(0, |s| s.offset());
        let spans = [f.name.location(), f.type_condition.location()]
            .into_iter()
            .flatten()
            .chain(f.directives.iter().filter_map(|d| d.location()));
        let brace = self.src.brace_after(start, spans);
        Ok(Positioned::new(
            FragmentDefinition {
                type_condition: self.type_condition(
                    f.name.location().map_or(start, |s| s.end_offset()),
                    &f.type_condition,
                ),
                directives: self.directives(&f.directives)?,
                selection_set: self.selection_set(&f.selection_set, brace, None)?,
            },
            self.pos_at(start),
        ))
    }

    /// A type condition, located at its `on`: the first token from `from` (after `...` or a
    /// fragment's name).
    fn type_condition(&self, from: usize, on: &ast::NamedType) -> Positioned<TypeCondition> {
        let keyword = self.src.next_token(from);
        Positioned::new(TypeCondition { on: self.name(on) }, self.pos_at(keyword))
    }

    fn variable(
        &self,
        v: &Node<ast::VariableDefinition>,
    ) -> Result<Positioned<VariableDefinition>, GqlError> {
        fn ty(t: &ast::Type) -> Type {
            let (base, nullable) = match t {
                ast::Type::Named(n) => (BaseType::Named(Name::new(n.as_str())), true),
                ast::Type::NonNullNamed(n) => (BaseType::Named(Name::new(n.as_str())), false),
                ast::Type::List(inner) => (BaseType::List(Box::new(ty(inner))), true),
                ast::Type::NonNullList(inner) => (BaseType::List(Box::new(ty(inner))), false),
            };
            Type { base, nullable }
        }
        let default_value = match &v.default_value {
            None => None,
            Some(d) => {
                let value = self.value(d)?;
                let constant = value.node.into_const().ok_or_else(|| {
                    GqlError::new("A default value must be constant.", Vec::new())
                })?;
                Some(Positioned::new(constant, value.pos))
            }
        };
        Ok(Positioned::new(
            VariableDefinition {
                name: self.name(&v.name),
                var_type: Positioned::new(ty(&v.ty), self.pos(v.ty.location())),
                directives: self.directives(&v.directives)?,
                default_value,
            },
            self.pos(v.location()),
        ))
    }

    fn directives(
        &self,
        list: &ast::DirectiveList,
    ) -> Result<Vec<Positioned<Directive>>, GqlError> {
        list.iter()
            .map(|d| {
                Ok(Positioned::new(
                    Directive {
                        name: self.name(&d.name),
                        arguments: self.arguments(&d.arguments)?,
                    },
                    self.pos(d.location()),
                ))
            })
            .collect()
    }

    fn arguments(&self, args: &[Node<ast::Argument>]) -> Result<Arguments, GqlError> {
        args.iter()
            .map(|a| Ok((self.name(&a.name), self.value(&a.value)?)))
            .collect()
    }

    fn value(&self, v: &Node<ast::Value>) -> Result<Positioned<Literal>, GqlError> {
        let pos = self.pos(v.location());
        let number = |text: &str| {
            // As async-graphql's own parser reads a number.
            text.parse::<Number>()
                .map(Literal::Number)
                .map_err(|e| GqlError::new(format!("invalid number: {e}"), Vec::new()))
        };
        let value = match v.as_ref() {
            ast::Value::Null => Literal::Null,
            ast::Value::Enum(n) => Literal::Enum(Name::new(n.as_str())),
            ast::Value::Variable(n) => Literal::Variable(Name::new(n.as_str())),
            ast::Value::String(s) => Literal::String(s.clone()),
            ast::Value::Float(f) => number(f.as_str())?,
            ast::Value::Int(i) => number(i.as_str())?,
            ast::Value::Boolean(b) => Literal::Boolean(*b),
            ast::Value::List(items) => Literal::List(
                items
                    .iter()
                    .map(|i| self.value(i).map(|p| p.node))
                    .collect::<Result<_, _>>()?,
            ),
            ast::Value::Object(fields) => Literal::Object(
                fields
                    .iter()
                    .map(|(k, v)| Ok((Name::new(k.as_str()), self.value(v)?.node)))
                    .collect::<Result<_, GqlError>>()?,
            ),
        };
        Ok(Positioned::new(value, pos))
    }

    /// A selection set whose `{` is at `brace`; `close`, the offset of its `}` where one more
    /// field may be added (an operation's or a field's set).
    fn selection_set(
        &mut self,
        set: &[Selection],
        brace: usize,
        close: Option<usize>,
    ) -> Result<Positioned<SelectionSet>, GqlError> {
        let mut items = Vec::with_capacity(set.len() + 1);
        for s in set {
            items.push(match s {
                Selection::Field(f) => {
                    let f = self.field(f)?;
                    let pos = f.pos;
                    Positioned::new(async_graphql::parser::types::Selection::Field(f), pos)
                }
                Selection::FragmentSpread(s) => {
                    let pos = self.pos(s.location());
                    let spread = FragmentSpread {
                        fragment_name: self.name(&s.fragment_name),
                        directives: self.directives(&s.directives)?,
                    };
                    Positioned::new(
                        async_graphql::parser::types::Selection::FragmentSpread(Positioned::new(
                            spread, pos,
                        )),
                        pos,
                    )
                }
                Selection::InlineFragment(i) => {
                    let start = i.location().map_or(0, |s| s.offset());
                    let spans = i
                        .type_condition
                        .iter()
                        .filter_map(|t| t.location())
                        .chain(i.directives.iter().filter_map(|d| d.location()));
                    let inner = self.src.brace_after(start + "...".len(), spans);
                    let fragment = InlineFragment {
                        type_condition: i
                            .type_condition
                            .as_ref()
                            .map(|t| self.type_condition(start + "...".len(), t)),
                        directives: self.directives(&i.directives)?,
                        selection_set: self.selection_set(&i.selection_set, inner, None)?,
                    };
                    let pos = self.pos_at(start);
                    Positioned::new(
                        async_graphql::parser::types::Selection::InlineFragment(Positioned::new(
                            fragment, pos,
                        )),
                        pos,
                    )
                }
            });
        }
        let closing =
            close.filter(|&at| self.src.text.get(at..).is_some_and(|r| r.starts_with('}')));
        if let Some(at) = closing
            && !set.is_empty()
            && may_be_empty(set)
        {
            self.added = true;
            let pos = self.pos_at(at);
            let kept = Field {
                alias: Some(Positioned::new(Name::new(self.alias), pos)),
                name: Positioned::new(Name::new("__typename"), pos),
                arguments: Vec::new(),
                directives: Vec::new(),
                selection_set: Positioned::new(SelectionSet::default(), pos),
            };
            items.push(Positioned::new(
                async_graphql::parser::types::Selection::Field(Positioned::new(kept, pos)),
                pos,
            ));
        }
        Ok(Positioned::new(SelectionSet { items }, self.pos_at(brace)))
    }

    fn field(&mut self, f: &Node<ast::Field>) -> Result<Positioned<Field>, GqlError> {
        let spans = [
            f.alias.as_ref().and_then(|a| a.location()),
            f.name.location(),
        ]
        .into_iter()
        .flatten()
        .chain(f.arguments.iter().filter_map(|a| a.location()))
        .chain(f.directives.iter().filter_map(|d| d.location()));
        let brace = self.src.brace_after(0, spans);
        let close = f.location().map(|s| s.end_offset().saturating_sub(1));
        let selection_set = if f.selection_set.is_empty() {
            Positioned::default() // as async-graphql's parser leaves a leaf's
        } else {
            self.selection_set(&f.selection_set, brace, close)?
        };
        Ok(Positioned::new(
            Field {
                alias: f.alias.as_ref().map(|a| self.name(a)),
                name: self.name(&f.name),
                arguments: self.arguments(&f.arguments)?,
                directives: self.directives(&f.directives)?,
                selection_set,
            },
            self.pos(f.location()),
        ))
    }
}

#[cfg(test)]
mod tests;
