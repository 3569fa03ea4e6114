//! Kraken's error envelope: the registry's texts for a code, and the shapes a Kraken may give
//! them (`errorType`/`errorCode`/`errorDescription`, the older `errorClass`, or none).

use async_graphql::ErrorExtensions;
use serde_json::{Value, json};

use crate::scenario::ErrorShape;
use kraken_core::catalogue;

/// A resolver error for `code`, with the registry's message, type and description.
pub(crate) fn kraken_error(code: &str) -> async_graphql::Error {
    let (message, error_type, description) = match catalogue::lookup(code) {
        Some(e) => (e.message, e.error_type, e.description),
        None => (
            code.to_string(),
            "APPLICATION".to_string(),
            code.to_string(),
        ),
    };
    let code = code.to_string();
    async_graphql::Error::new(message).extend_with(move |_, ext| {
        ext.set("errorType", error_type.clone());
        ext.set("errorCode", code.clone());
        ext.set("errorDescription", description.clone());
    })
}

/// The older class of an error type (Octopus Energy's public conventions list AUTHORIZATION,
/// NOT_FOUND, NOT_IMPLEMENTED, SERVICE_AVAILABILITY and VALIDATION; APPLICATION has no class
/// of its own there and is assumed to read as VALIDATION).
fn error_class(error_type: &str) -> &str {
    match error_type {
        "AUTHORIZATION" | "NOT_FOUND" | "SERVICE_AVAILABILITY" | "VALIDATION" => error_type,
        _ => "VALIDATION",
    }
}

/// Rewrite each entry of an `errors` list into `shape`.
pub(crate) fn reshape(errors: &mut [Value], shape: ErrorShape) {
    for e in errors {
        let Some(entry) = e.as_object_mut() else {
            continue;
        };
        match shape {
            ErrorShape::Kraken => {}
            ErrorShape::MessageOnly => {
                entry.remove("extensions");
            }
            ErrorShape::ErrorClass => {
                if let Some(ext) = entry.get_mut("extensions") {
                    let class = ext
                        .get("errorType")
                        .and_then(Value::as_str)
                        .map(|t| error_class(t).to_string());
                    *ext = match class {
                        Some(c) => json!({ "errorClass": c }),
                        None => json!({}),
                    };
                }
            }
        }
    }
}

/// The body of the KT-CT-1199 answer a rate-limited request gets (HTTP 200).
pub(crate) fn rate_limited(shape: ErrorShape) -> Value {
    let e = kraken_error("KT-CT-1199");
    let extensions = e
        .extensions
        .as_ref()
        .and_then(|x| serde_json::to_value(x).ok())
        .unwrap_or(Value::Null);
    let mut errors = vec![json!({"message": e.message, "extensions": extensions})];
    reshape(&mut errors, shape);
    json!({"data": null, "errors": errors})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_keep_the_message_and_path() {
        let kraken = json!({
            "message": "Unauthorized.",
            "path": ["property"],
            "extensions": {"errorType": "AUTHORIZATION", "errorCode": "KT-CT-1111",
                           "errorDescription": "…"}
        });
        let mut older = vec![kraken.clone()];
        reshape(&mut older, ErrorShape::ErrorClass);
        assert_eq!(
            older[0]["extensions"],
            json!({"errorClass": "AUTHORIZATION"})
        );
        assert_eq!(older[0]["path"], json!(["property"]));
        let mut bare = vec![kraken.clone()];
        reshape(&mut bare, ErrorShape::MessageOnly);
        assert!(bare[0].get("extensions").is_none());
        assert_eq!(bare[0]["message"], "Unauthorized.");
        assert_eq!(error_class("APPLICATION"), "VALIDATION");
    }
}
