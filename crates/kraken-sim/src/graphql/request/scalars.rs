//! Leaf types as graphql-core and graphene read them — the built-in scalars, graphene's
//! `DateTime`, `Date` and `Decimal`, and enums — from a literal (validation) or from a
//! variable's JSON value (coercion), refusing in their own words. graphql-core prints the
//! refused value as GraphQL (`print_ast`) for a literal and as Python would for a variable
//! (`inspect`, or `repr` in graphene's scalars): [`super::python`] does the latter.

use apollo_compiler::ast;
use serde_json::Value;

use super::python::{inspect, repr, repr_str};
use super::registry::{Schema, TypeRef};
use super::suggest::{did_you_mean, suggestion_list};
use crate::data;

/// A leaf type's refusal, and whether graphql-core locates it at the value (the built-in
/// scalars and enums raise with the node; graphene's date scalars without).
pub(super) struct Refusal {
    pub(super) message: String,
    pub(super) located: bool,
}

/// What a leaf type makes of a literal.
pub(super) enum Literal {
    Accepted,
    Refused(Refusal),
    /// Not a value of the type (`Undefined`): graphql-core says "Expected value of type …".
    Undefined,
}

fn refused(message: String) -> Literal {
    Literal::Refused(Refusal {
        message,
        located: true,
    })
}

/// graphql-core's `print_ast` of a value.
pub(super) fn print_value(v: &ast::Value) -> String {
    match v {
        ast::Value::Null => "null".into(),
        ast::Value::Enum(n) => n.to_string(),
        ast::Value::Variable(n) => format!("${n}"),
        ast::Value::String(s) => print_string(s),
        ast::Value::Float(f) => f.as_str().into(),
        ast::Value::Int(i) => i.as_str().into(),
        ast::Value::Boolean(b) => b.to_string(),
        ast::Value::List(items) => {
            let items: Vec<String> = items.iter().map(|i| print_value(i)).collect();
            format!("[{}]", items.join(", "))
        }
        ast::Value::Object(fields) => {
            let fields: Vec<String> = fields
                .iter()
                .map(|(n, v)| format!("{n}: {}", print_value(v)))
                .collect();
            format!("{{{}}}", fields.join(", "))
        }
    }
}

/// graphql-core's `print_string`: a GraphQL string literal.
fn print_string(s: &str) -> String {
    let mut out = String::from('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if c < ' ' || ('\u{7f}'..='\u{9f}').contains(&c) => {
                out.push_str(&format!("\\u{:04X}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether Python's `Decimal()` reads a string: a sign, digits with a point and an exponent,
/// or Infinity and NaN, spaces around, `_` between digits.
fn is_py_decimal(s: &str) -> bool {
    let t = s.trim().to_ascii_lowercase();
    let t = t.strip_prefix(['+', '-']).unwrap_or(&t);
    if ["inf", "infinity", "nan", "snan"].contains(&t)
        || t.starts_with("nan") && t[3..].bytes().all(|b| b.is_ascii_digit())
    {
        return true;
    }
    let digits = |p: &str| {
        !p.starts_with('_')
            && !p.ends_with('_')
            && !p.contains("__")
            && p.bytes().all(|b| b.is_ascii_digit() || b == b'_')
    };
    let (mantissa, exponent) = t.split_once('e').unwrap_or((t, "0"));
    let exponent = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    !exponent.is_empty()
        && digits(exponent)
        && !(int.is_empty() && frac.is_empty())
        && digits(int)
        && digits(frac)
}

/// An enum's values, if `ty` is an enum.
fn enum_values<'s>(schema: Schema<'s>, ty: &str) -> Option<Vec<&'s str>> {
    schema
        .is_enum(&TypeRef::Named(ty.to_string()))
        .then(|| schema.enum_values(ty))
}

/// graphql-core's `did_you_mean_enum_value`.
fn enum_hint(values: &[&str], given: &str) -> String {
    did_you_mean(
        &suggestion_list(given, values.iter().copied()),
        Some("the enum value"),
    )
}

/// graphql-core's `parse_literal` of leaf type `ty` (validation of a literal).
pub(super) fn literal(schema: Schema<'_>, ty: &str, v: &ast::Value) -> Literal {
    let p = || print_value(v);
    if let Some(values) = enum_values(schema, ty) {
        let suggest = |s: &str| enum_hint(&values, s);
        return match v {
            ast::Value::Enum(n) if values.contains(&n.as_str()) => Literal::Accepted,
            ast::Value::Enum(_) => refused(format!(
                "Value '{}' does not exist in '{ty}' enum.{}",
                p(),
                suggest(&p())
            )),
            _ => refused(format!(
                "Enum '{ty}' cannot represent non-enum value: {}.{}",
                p(),
                suggest(&p())
            )),
        };
    }
    match (ty, v) {
        ("String", ast::Value::String(_))
        | ("Float", ast::Value::Float(_) | ast::Value::Int(_))
        | ("Boolean", ast::Value::Boolean(_))
        | ("ID", ast::Value::String(_) | ast::Value::Int(_)) => Literal::Accepted,
        ("Int", ast::Value::Int(i)) => match i.as_str().parse::<i32>() {
            Ok(_) => Literal::Accepted,
            Err(_) => refused(format!(
                "Int cannot represent non 32-bit signed integer value: {}",
                p()
            )),
        },
        ("String", _) => refused(format!(
            "String cannot represent a non string value: {}",
            p()
        )),
        ("Int", _) => refused(format!("Int cannot represent non-integer value: {}", p())),
        ("Float", _) => refused(format!("Float cannot represent non numeric value: {}", p())),
        ("Boolean", _) => refused(format!(
            "Boolean cannot represent a non boolean value: {}",
            p()
        )),
        ("ID", _) => refused(format!(
            "ID cannot represent a non-string and non-integer value: {}",
            p()
        )),
        ("DateTime" | "Date", _) => {
            // graphene raises these without the node: they have no location.
            let message = match v {
                ast::Value::String(s) if date_ok(ty, s) => return Literal::Accepted,
                ast::Value::String(s) => format!("{ty} cannot represent value: {}", repr_str(s)),
                _ => format!("{ty} cannot represent non-string value: {}", p()),
            };
            Literal::Refused(Refusal {
                message,
                located: false,
            })
        }
        ("Decimal", ast::Value::String(s)) if is_py_decimal(s) => Literal::Accepted,
        ("Decimal", ast::Value::Int(_)) => Literal::Accepted,
        ("Decimal", _) => Literal::Undefined,
        // A scalar graphql-core has no rule for reads any literal.
        _ => Literal::Accepted,
    }
}

fn date_ok(ty: &str, s: &str) -> bool {
    if ty == "Date" {
        data::parse_date(s).is_some()
    } else {
        data::parse_datetime(s).is_some()
    }
}

/// graphql-core's `parse_value` of leaf type `ty` (coercion of a variable's value): the
/// value to execute with, or the refusal's message.
pub(super) fn variable(schema: Schema<'_>, ty: &str, v: &Value) -> Result<Value, String> {
    if let Some(values) = enum_values(schema, ty) {
        let suggest = |s: &str| enum_hint(&values, s);
        return match v {
            Value::String(s) if values.contains(&s.as_str()) => Ok(v.clone()),
            Value::String(s) => Err(format!(
                "Value '{s}' does not exist in '{ty}' enum.{}",
                suggest(s)
            )),
            _ => {
                let shown = inspect(v);
                Err(format!(
                    "Enum '{ty}' cannot represent non-string value: {shown}.{}",
                    suggest(&shown)
                ))
            }
        };
    }
    // A number with an integer value, as Python's int or a float like 2.0.
    let integer = || match v {
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.is_finite() && f.fract() == 0.0)
                .map(|f| f as i64)
        }),
        _ => None,
    };
    match (ty, v) {
        ("String", Value::String(_)) | ("Boolean", Value::Bool(_)) => Ok(v.clone()),
        ("String", _) => Err(format!(
            "String cannot represent a non string value: {}",
            inspect(v)
        )),
        ("Boolean", _) => Err(format!(
            "Boolean cannot represent a non boolean value: {}",
            inspect(v)
        )),
        ("Int", _) => match integer() {
            Some(n) if i32::try_from(n).is_ok() => Ok(Value::from(n)),
            Some(_) => Err(format!(
                "Int cannot represent non 32-bit signed integer value: {}",
                inspect(v)
            )),
            None => Err(format!(
                "Int cannot represent non-integer value: {}",
                inspect(v)
            )),
        },
        ("Float", Value::Number(_)) => Ok(v.clone()),
        ("Float", _) => Err(format!(
            "Float cannot represent non numeric value: {}",
            inspect(v)
        )),
        ("ID", Value::String(_)) => Ok(v.clone()),
        ("ID", _) => match integer() {
            Some(n) => Ok(Value::String(n.to_string())),
            None => Err(format!("ID cannot represent value: {}", inspect(v))),
        },
        ("DateTime" | "Date", Value::String(s)) if date_ok(ty, s) => Ok(v.clone()),
        ("DateTime" | "Date", Value::String(s)) => {
            Err(format!("{ty} cannot represent value: {}", repr_str(s)))
        }
        ("DateTime" | "Date", _) => Err(format!(
            "{ty} cannot represent non-string value: {}",
            repr(v)
        )),
        ("Decimal", Value::Number(_) | Value::Bool(_)) => Ok(v.clone()),
        ("Decimal", Value::String(s)) if is_py_decimal(s) => Ok(v.clone()),
        ("Decimal", _) => Err("Expected type 'Decimal'.".to_string()),
        _ => Ok(v.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_print_as_graphql_core_prints_them() {
        let doc = ast::Document::parse(
            r#"{ f(a: [1, 2.5, "x\"\n", true, null, RED, $v, {b: {}}]) }"#,
            "q",
        )
        .expect("parses");
        let Some(ast::Definition::OperationDefinition(op)) = doc.definitions.first() else {
            panic!("an operation");
        };
        let ast::Selection::Field(f) = &op.selection_set[0] else {
            panic!("a field");
        };
        assert_eq!(
            print_value(&f.arguments[0].value),
            r#"[1, 2.5, "x\"\n", true, null, RED, $v, {b: {}}]"#
        );
    }

    #[test]
    fn decimals_read_as_python_does() {
        for ok in [
            "1",
            " -1.5 ",
            ".5",
            "5.",
            "1e-3",
            "1_000",
            "NaN",
            "-Infinity",
        ] {
            assert!(is_py_decimal(ok), "{ok}");
        }
        for bad in ["", ".", "1e", "abc", "1__0", "_1", "1.2.3"] {
            assert!(!is_py_decimal(bad), "{bad}");
        }
    }
}
