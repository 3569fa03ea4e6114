//! graphql-core's coercion of the request's variables (`get_variable_values`), before
//! execution: a required variable not given, a null for a non-null one, a value its type
//! refuses at any depth — each located at the variable's definition, in its words. What it
//! accepts becomes the values the engine executes with (an ID given as a number is a string,
//! an Int given as `2.0` is `2`).

use apollo_compiler::Node;
use apollo_compiler::ast;
use serde_json::{Map, Value};

use super::GqlError;
use super::python::inspect;
use super::registry::{Schema, TypeRef, is_required};
use super::scalars::variable;
use super::source::Source;
use super::suggest::{did_you_mean, suggestion_list};

/// graphql-core stops coercing after this many errors.
const MAX_ERRORS: usize = 50;

/// A step into a value: a list index or an input field.
#[derive(Clone, Copy)]
enum Step<'a> {
    Index(usize),
    Field(&'a str),
}

/// Where a refused value sits, what it is, and why.
struct Problem<'a> {
    path: Vec<Step<'a>>,
    value: &'a Value,
    message: String,
}

/// The operation's variables coerced from `inputs`, or graphql-core's errors.
pub(super) fn coerce(
    schema: Schema<'_>,
    src: Source<'_>,
    variables: &[Node<ast::VariableDefinition>],
    inputs: &Map<String, Value>,
) -> Result<Value, Vec<GqlError>> {
    let mut errors = Vec::new();
    let mut out = Map::new();
    for v in variables {
        let name = v.name.as_str();
        let ty = TypeRef::from_ast(&v.ty);
        let at = vec![src.start(v.location())];
        let mut found = Vec::new();
        if !schema.is_input(&ty) {
            found.push(GqlError::new(
                format!(
                    "Variable '${name}' expected value of type '{}' which cannot be used as an input type.",
                    *v.ty
                ),
                vec![src.start(v.ty.location())],
            ));
        } else {
            match inputs.get(name) {
                None if v.default_value.is_none() && ty.is_non_null() => found.push(GqlError::new(
                    format!("Variable '${name}' of required type '{ty}' was not provided."),
                    at,
                )),
                // The engine applies the definition's default.
                None => {}
                Some(Value::Null) if ty.is_non_null() => found.push(GqlError::new(
                    format!("Variable '${name}' of non-null type '{ty}' must not be null."),
                    at,
                )),
                Some(value) => {
                    let mut problems = Vec::new();
                    let coerced = coerce_input(schema, value, &ty, &mut Vec::new(), &mut problems);
                    for p in problems {
                        let path: String = p
                            .path
                            .iter()
                            .map(|s| match s {
                                Step::Index(i) => format!("[{i}]"),
                                Step::Field(f) => format!(".{f}"),
                            })
                            .collect();
                        let path = if path.is_empty() {
                            path
                        } else {
                            format!(" at '{name}{path}'")
                        };
                        found.push(GqlError::new(
                            format!(
                                "Variable '${name}' got invalid value {}{path}; {}",
                                inspect(p.value),
                                p.message
                            ),
                            at.clone(),
                        ));
                    }
                    out.insert(name.to_string(), coerced);
                }
            }
        }
        for e in found {
            if errors.len() >= MAX_ERRORS {
                errors.push(GqlError::new(
                    "Too many errors processing variables, error limit reached. Execution aborted.",
                    Vec::new(),
                ));
                return Err(errors);
            }
            errors.push(e);
        }
    }
    if errors.is_empty() {
        Ok(Value::Object(out))
    } else {
        Err(errors)
    }
}

/// graphql-core's `coerce_input_value`: the value to execute with; what is refused is added
/// to `problems` (and stands as null in the result, which is then not used).
fn coerce_input<'v>(
    schema: Schema<'_>,
    value: &'v Value,
    ty: &TypeRef,
    path: &mut Vec<Step<'v>>,
    problems: &mut Vec<Problem<'v>>,
) -> Value {
    let refuse = |problems: &mut Vec<Problem<'v>>, path: &[Step<'v>], message: String| {
        problems.push(Problem {
            path: path.to_vec(),
            value,
            message,
        });
        Value::Null
    };
    match ty {
        TypeRef::NonNull(inner) if !value.is_null() => {
            coerce_input(schema, value, inner, path, problems)
        }
        TypeRef::NonNull(_) => refuse(
            problems,
            path,
            format!("Expected non-nullable type '{ty}' not to be None."),
        ),
        _ if value.is_null() => Value::Null,
        TypeRef::List(item) => match value {
            Value::Array(items) => Value::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, x)| {
                        path.push(Step::Index(i));
                        let c = coerce_input(schema, x, item, path, problems);
                        path.pop();
                        c
                    })
                    .collect(),
            ),
            // A list accepts one value as a list of one.
            one => Value::Array(vec![coerce_input(schema, one, item, path, problems)]),
        },
        TypeRef::Named(name) => match (schema.input_fields(name), value) {
            (Some(_), v) if !v.is_object() => refuse(
                problems,
                path,
                format!("Expected type '{name}' to be a mapping."),
            ),
            (Some(defs), Value::Object(given)) => {
                let mut out = Map::new();
                for (field, def) in defs {
                    match given.get_key_value(field.as_str()) {
                        Some((key, v)) => {
                            path.push(Step::Field(key));
                            let c =
                                coerce_input(schema, v, &TypeRef::parse(&def.ty), path, problems);
                            path.pop();
                            out.insert(field.clone(), c);
                        }
                        None if is_required(def) => {
                            let message = format!(
                                "Field '{field}' of required type '{}' was not provided.",
                                def.ty
                            );
                            refuse(problems, path, message);
                        }
                        None => {}
                    }
                }
                for key in given.keys().filter(|k| !defs.contains_key(k.as_str())) {
                    let names = defs.keys().map(String::as_str);
                    let hint = did_you_mean(&suggestion_list(key, names), None);
                    let message = format!("Field '{key}' is not defined by type '{name}'.{hint}");
                    refuse(problems, path, message);
                }
                Value::Object(out)
            }
            _ => match variable(schema, name, value) {
                Ok(c) => c,
                Err(message) => refuse(problems, path, message),
            },
        },
    }
}
