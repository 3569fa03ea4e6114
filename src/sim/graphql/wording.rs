//! graphql-core's words: async-graphql finds the same parse and validation errors as graphene
//! does, but words them its own way; clients (and kraken-doctor's tests) read graphene's.

/// The double-quoted pieces of an async-graphql message.
fn quoted(message: &str) -> Vec<&str> {
    message.split('"').skip(1).step_by(2).collect()
}

/// async-graphql's validation messages in graphql-core 3's words.
pub(super) fn graphene_wording(message: &str, sdl: &str) -> String {
    let q = quoted(message);
    let dollar = |v: &str| {
        if v.starts_with('$') {
            v.to_string()
        } else {
            format!("${v}")
        }
    };
    match q.as_slice() {
        [f, t] if message.starts_with("Unknown field") => {
            format!("Cannot query field '{f}' on type '{t}'.")
        }
        [a, f, t] if message.starts_with("Unknown argument") => {
            format!("Unknown argument '{a}' on field '{t}.{f}'.")
        }
        [f, a, parent] if message.contains("is required but not provided") => {
            let t = argument_type(sdl, parent, f, a).unwrap_or_else(|| parent.to_string());
            format!(
                "Field '{f}' argument '{a}' of type '{t}' is required, but it was not provided."
            )
        }
        [t] if message.starts_with("Unknown type") => format!("Unknown type '{t}'."),
        [_, f, t] if message.starts_with("Invalid value") && message.contains("unknown field") => {
            format!("Field '{f}' is not defined by type '{t}'.")
        }
        [v, t, u] if message.starts_with("Variable") && message.contains("used in position") => {
            format!(
                "Variable '{}' of type '{t}' used in position expecting type '{u}'.",
                dollar(v)
            )
        }
        [f, t] if message.contains("must have a selection of subfields") => format!(
            "Field '{f}' of type '{t}' must have a selection of subfields. Did you mean '{f} {{ ... }}'?"
        ),
        [f, t] if message.contains("must not have a selection") => {
            format!("Field '{f}' must not have a selection since type '{t}' has no subfields.")
        }
        _ => {
            let m = message.replace('"', "'");
            if m.ends_with('.') { m } else { format!("{m}.") }
        }
    }
}

/// The declared type of argument `arg` of `parent.field`, read from the schema's SDL
/// (async-graphql names the parent type where graphql-core names the argument's type).
fn argument_type(sdl: &str, parent: &str, field: &str, arg: &str) -> Option<String> {
    let block = sdl
        .split(&format!("type {parent} {{"))
        .nth(1)?
        .split("\n}")
        .next()?;
    let line = block
        .lines()
        .find(|l| l.trim_start().starts_with(&format!("{field}(")))?;
    let args = line.split_once('(')?.1.rsplit_once(')')?.0;
    args.split(", ").find_map(|a| {
        let (name, ty) = a.split_once(": ")?;
        (name == arg).then(|| ty.split(" = ").next().unwrap_or(ty).to_string())
    })
}

/// A syntax error in graphql-core's words: what was found where the parser stopped.
pub(super) fn syntax_message(query: &str, error: &async_graphql::parser::Error) -> String {
    let Some(pos) = error.positions().next() else {
        return format!("Syntax Error: {error}");
    };
    let rest: String = query
        .lines()
        .nth(pos.line.saturating_sub(1))
        .map(|l| l.chars().skip(pos.column.saturating_sub(1)).collect())
        .unwrap_or_default();
    let after: String = query.lines().skip(pos.line).collect::<Vec<_>>().join("\n");
    let rest = if rest.trim().is_empty() { after } else { rest };
    let rest = rest.trim_start();
    match rest.chars().next() {
        None => "Syntax Error: Expected Name, found <EOF>.".to_string(),
        Some(c) if c.is_alphabetic() || c == '_' => {
            let word: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            format!("Syntax Error: Unexpected Name '{word}'.")
        }
        Some(c) => format!("Syntax Error: Unexpected '{c}'."),
    }
}

/// graphene's `DisableIntrospection` rule: any field starting with `__` (even `__typename`).
pub(super) fn introspection_disabled(field: &str) -> String {
    format!("Cannot query '{field}': introspection is disabled.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_messages_read_as_graphql_core() {
        let sdl = "type Query {\n  property(id: ID!): PropertyType\n}\n";
        assert_eq!(
            graphene_wording(r#"Unknown field "x" on type "Query"."#, sdl),
            "Cannot query field 'x' on type 'Query'."
        );
        assert_eq!(
            graphene_wording(
                r#"Unknown argument "a" on field "property" of type "Query"."#,
                sdl
            ),
            "Unknown argument 'a' on field 'Query.property'."
        );
        assert_eq!(
            graphene_wording(
                r#"Field "property" argument "id" of type "Query" is required but not provided"#,
                sdl
            ),
            "Field 'property' argument 'id' of type 'ID!' is required, but it was not provided."
        );
        assert_eq!(
            graphene_wording(
                r#"Invalid value for argument "utilityFilters.0", unknown field "gasFilters" of type "UtilityFiltersInput""#,
                sdl
            ),
            "Field 'gasFilters' is not defined by type 'UtilityFiltersInput'."
        );
        assert_eq!(
            introspection_disabled("__type"),
            "Cannot query '__type': introspection is disabled."
        );
    }
}
