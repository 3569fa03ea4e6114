//! What a Kraken GraphQL error means for kraken-doctor, decided once per error: a refused
//! token (and what to do about it), a rate limit, a denial (for the role, or for one object),
//! a service condition, a missing object, a schema that lacks what was asked, or something the
//! tool cannot read. Verdicts match on [`ErrorClass`], never on codes or strings.
//!
//! The meaning comes from the published registry where it can: a denial's scope is read from
//! the registry's description of its code ("Check authentication or roles/permissions" speaks
//! of the role; "ownership/permissions of provided data" and "this supply point" speak of one
//! object), so the sixty-odd "Unauthorized." codes need no list here. Codes that refuse a token
//! or a header are listed with their remedy; a test derives the candidates from the registry
//! so that none is left unclassified.

use crate::catalogue;

/// What to do when the API refuses the token or the header it came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TokenRemedy {
    /// The token itself is stale (expired, keys rotated, invalidated): fetch a new one, once.
    FetchNewToken,
    /// The header is not understood as a credential: try the other header forms.
    TryOtherHeader,
    /// The token was issued by another Kraken or environment (signature, issuer).
    WrongKraken,
    /// The API cannot verify tokens right now: a server-side problem, not the setup.
    ServerSide,
    /// The credential is refused with no remedy the tool can try.
    Refused,
}

impl TokenRemedy {
    /// For people: what the refusal means.
    pub fn describe(self) -> &'static str {
        match self {
            TokenRemedy::FetchNewToken => "the token is stale: a new one is needed",
            TokenRemedy::TryOtherHeader => "the header is not accepted as a credential",
            TokenRemedy::WrongKraken => "the token comes from another Kraken or environment",
            TokenRemedy::ServerSide => "the API cannot verify tokens right now",
            TokenRemedy::Refused => "the API refuses this credential",
        }
    }
}

/// Registry codes that refuse the presented token or header, with their remedy. Their
/// descriptions in the registry say which is which (docs/krakens.md).
pub const TOKEN_REFUSALS: &[(&str, TokenRemedy)] = &[
    ("KT-CT-1112", TokenRemedy::TryOtherHeader), // 'Authorization' header not provided
    ("KT-CT-1120", TokenRemedy::FetchNewToken),  // The Kraken Token has expired
    ("KT-CT-1124", TokenRemedy::FetchNewToken),  // Signature of the JWT has expired
    ("KT-CT-1125", TokenRemedy::FetchNewToken),  // Token keys have rotated
    ("KT-CT-1126", TokenRemedy::WrongKraken),    // Signature verification failed
    ("KT-CT-1127", TokenRemedy::WrongKraken),    // Issuer verification failed
    ("KT-CT-1143", TokenRemedy::TryOtherHeader), // header value is not a valid credential
    ("KT-CT-1144", TokenRemedy::TryOtherHeader), // header value is not a valid credential
    ("KT-CT-1147", TokenRemedy::ServerSide),     // Unable to verify token signing keys
    ("KT-CT-1148", TokenRemedy::Refused),        // MFA required: method unavailable
    ("KT-CT-1162", TokenRemedy::FetchNewToken),  // token has been invalidated
    ("KT-CT-1163", TokenRemedy::TryOtherHeader), // token could not be validated
];

/// Registry codes whose words mention tokens, credentials or authentication but that do not
/// refuse the token kraken-doctor presents: each with why (the registry-derived test reads it).
pub const NOT_TOKEN_REFUSALS: &[(&str, &str)] = &[
    (
        "KT-CT-1121",
        "input validation of the obtainKrakenToken mutation",
    ),
    ("KT-CT-1122", "refresh tokens for account users only"),
    (
        "KT-CT-1123",
        "scope input of the obtainKrakenToken mutation",
    ),
    ("KT-CT-1134", "refresh-token input of a mutation"),
    ("KT-CT-1135", "refresh-token input of a mutation"),
    ("KT-CT-1138", "credentials input of a login mutation"),
    ("KT-CT-1139", "login mutation"),
    ("KT-CT-1141", "login mutation"),
    ("KT-CT-1142", "login mutation"),
    ("KT-CT-1152", "MFA token input"),
    ("KT-CT-1161", "credentials input of a login mutation"),
    ("KT-CT-11100", "API-key authentication, not OAuth tokens"),
    ("KT-CT-3936", "payment provider credentials"),
    ("KT-CT-4310", "device (OCPP) authentication"),
    ("KT-CT-4327", "device authentication data"),
    ("KT-CT-4351", "device provider authentication"),
    ("KT-CT-4385", "device re-authentication"),
    ("KT-CT-5411", "push-notification token"),
    ("KT-CT-5812", "tariff token values"),
    ("KT-CT-5814", "tariff tokens"),
    ("KT-CT-5818", "tariff tokens"),
    ("KT-CT-5819", "tariff tokens"),
    ("KT-CT-5820", "tariff tokens"),
    ("KT-CT-9020", "consent tokens"),
    ("KT-CT-9021", "consent tokens"),
    ("KT-CT-9022", "consent tokens"),
];

/// Codes that limit the request rather than judge it: too many requests, too complex, too many
/// nodes. The registry types them AUTHORIZATION; they say nothing about a permission.
pub const THROTTLES: &[&str] = &["KT-CT-1188", "KT-CT-1189", "KT-CT-1199"];

/// The readings API of this Kraken is not configured.
pub const NOT_CONFIGURED: &str = "KT-CT-4722";
/// No readings in the period asked for.
pub const NO_READINGS: &str = "KT-CT-4711";
/// No supply point for the identifier.
pub const NO_SUPPLY_POINT: &str = "KT-CT-4719";

/// Whose business a denial is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DenialScope {
    /// The registry speaks of roles and permissions: the application's role.
    Role,
    /// The registry speaks of the data provided or one supply point: that object.
    Object,
    /// A denial whose code the registry does not explain (or no code at all).
    Unknown,
}

/// What one GraphQL error means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ErrorClass {
    /// The token or its header was refused.
    TokenRefused(TokenRemedy),
    /// A rate limit or a size limit: the request was not judged.
    Throttled,
    /// Not allowed.
    Denied(DenialScope),
    /// The object asked for does not exist (NOT_FOUND, KT-CT-4719).
    NotFound,
    /// The readings API is not configured on this Kraken (KT-CT-4722).
    NotConfigured,
    /// No readings in the period (KT-CT-4711).
    NoReadings,
    /// A service condition: a disabled field, property search unavailable or not enabled.
    Unavailable,
    /// An input the Kraken refused (VALIDATION with a code: an invalid market name, say).
    InputRejected,
    /// GraphQL validation: this Kraken's schema lacks what the document asked for.
    SchemaMismatch,
    /// An error the tool cannot read as any of the above (an internal error, say).
    Internal,
}

/// One entry of `errors[]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GqlError {
    pub message: String,
    /// The field path, as strings (list indexes too).
    pub path: Vec<String>,
    /// `extensions.errorCode`.
    pub code: Option<String>,
    /// `extensions.errorType`.
    pub error_type: Option<String>,
    /// `extensions.errorClass`: the older shape, without errorType or errorCode.
    pub error_class: Option<String>,
    /// Whether the error carried an `extensions` object at all.
    pub has_extensions: bool,
    /// Whether the error carried `locations` (GraphQL validation errors do).
    pub has_locations: bool,
}

impl GqlError {
    /// What the error means, decided once ([`classify`]).
    pub fn class(&self) -> ErrorClass {
        classify(self)
    }

    /// The path without list indexes: `propertiesSearch.property.measurements`.
    pub fn field_path(&self) -> Vec<&str> {
        self.path
            .iter()
            .map(String::as_str)
            .filter(|p| p.parse::<usize>().is_err())
            .collect()
    }

    /// The first list index in the path (`propertiesSearch.1.property` → 1).
    pub fn list_index(&self) -> Option<usize> {
        self.path.iter().find_map(|p| p.parse().ok())
    }

    /// `KT-CT-1111 (AUTHORIZATION) at property.measurements: Unauthorized.`
    pub fn describe(&self) -> String {
        let mut s = String::new();
        let kind = self.error_type.as_ref().or(self.error_class.as_ref());
        match (&self.code, kind) {
            (Some(c), Some(t)) => s.push_str(&format!("{c} ({t}) ")),
            (Some(c), None) => s.push_str(&format!("{c} ")),
            (None, Some(t)) => s.push_str(&format!("{t} ")),
            (None, None) => {}
        }
        if !self.path.is_empty() {
            s.push_str(&format!("at {}: ", self.path.join(".")));
        }
        s.push_str(&self.message);
        s
    }
}

/// The remedy for a token-refusing code, if it is one.
pub fn token_remedy(code: &str) -> Option<TokenRemedy> {
    TOKEN_REFUSALS
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(code))
        .map(|(_, r)| *r)
}

/// The scope of a denial with this code, from the registry's description.
pub fn denial_scope(code: Option<&str>) -> DenialScope {
    let Some(entry) = code.and_then(catalogue::lookup) else {
        return DenialScope::Unknown;
    };
    let text = format!("{} {}", entry.message, entry.description).to_ascii_lowercase();
    if text.contains("provided data") || text.contains("this supply point") {
        DenialScope::Object
    } else if text.contains("roles/permissions") {
        DenialScope::Role
    } else {
        DenialScope::Unknown
    }
}

/// Classify one error: errorType (or the older errorClass) first, the code's registry entry
/// second, the shape of the error last.
pub fn classify(e: &GqlError) -> ErrorClass {
    let code = e.code.as_deref();
    if let Some(remedy) = code.and_then(token_remedy) {
        return ErrorClass::TokenRefused(remedy);
    }
    if code.is_some_and(|c| THROTTLES.iter().any(|t| t.eq_ignore_ascii_case(c))) {
        return ErrorClass::Throttled;
    }
    let registry_type = code.and_then(catalogue::lookup).map(|e| e.error_type);
    let kind = e
        .error_type
        .as_deref()
        .or(e.error_class.as_deref())
        .or(registry_type.as_deref());
    match (kind, code) {
        (Some("AUTHORIZATION"), _) => ErrorClass::Denied(denial_scope(code)),
        (_, Some(c)) if c.eq_ignore_ascii_case(NOT_CONFIGURED) => ErrorClass::NotConfigured,
        (_, Some(c)) if c.eq_ignore_ascii_case(NO_READINGS) => ErrorClass::NoReadings,
        (_, Some(c)) if c.eq_ignore_ascii_case(NO_SUPPLY_POINT) => ErrorClass::NotFound,
        (Some("NOT_FOUND"), _) => ErrorClass::NotFound,
        (Some("SERVICE_AVAILABILITY" | "NOT_IMPLEMENTED"), _) => ErrorClass::Unavailable,
        (Some("VALIDATION"), _) => ErrorClass::InputRejected,
        (None, None) if !e.has_extensions && e.path.is_empty() && e.has_locations => {
            ErrorClass::SchemaMismatch
        }
        _ => ErrorClass::Internal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(code: Option<&str>, error_type: Option<&str>) -> GqlError {
        GqlError {
            message: "m".into(),
            path: vec!["property".into()],
            code: code.map(str::to_string),
            error_type: error_type.map(str::to_string),
            error_class: None,
            has_extensions: code.is_some() || error_type.is_some(),
            has_locations: true,
        }
    }

    /// Every registry code whose words speak of a presented token, header or credential is
    /// classified with a remedy or listed, with a reason, as not refusing our token.
    #[test]
    fn every_token_or_header_code_of_the_registry_is_classified() {
        let words = [
            "token",
            "'authorization' header",
            "credential",
            "signature",
            "issuer",
            "signing key",
            "authentication",
            "jwt",
        ];
        let mut unclassified = Vec::new();
        for entry in catalogue::all() {
            let text = format!("{} {}", entry.message, entry.description).to_ascii_lowercase();
            let speaks_of_token =
                words.iter().any(|w| text.contains(w)) && !text.contains("roles/permissions");
            let known = token_remedy(&entry.code).is_some()
                || NOT_TOKEN_REFUSALS.iter().any(|(c, _)| *c == entry.code);
            if speaks_of_token && !known {
                unclassified.push(format!("{}: {}", entry.code, entry.message));
            }
        }
        assert!(
            unclassified.is_empty(),
            "registry codes about tokens or headers with no remedy: {unclassified:#?}"
        );
        let listed = TOKEN_REFUSALS
            .iter()
            .map(|(c, _)| *c)
            .chain(NOT_TOKEN_REFUSALS.iter().map(|(c, _)| *c));
        for code in listed {
            assert!(catalogue::exists(code), "{code} is in the registry");
        }
    }

    #[test]
    fn denial_scope_comes_from_the_registry_words() {
        assert_eq!(denial_scope(Some("KT-CT-1111")), DenialScope::Role);
        assert_eq!(denial_scope(Some("KT-CT-3822")), DenialScope::Role);
        assert_eq!(denial_scope(Some("KT-CT-4177")), DenialScope::Object);
        assert_eq!(denial_scope(Some("KT-CT-4718")), DenialScope::Object);
        assert_eq!(denial_scope(Some("KT-CT-9999999")), DenialScope::Unknown);
        assert_eq!(denial_scope(None), DenialScope::Unknown);
    }

    #[test]
    fn classes_follow_type_then_code_then_shape() {
        use ErrorClass::*;
        let c = |code, ty| classify(&err(code, ty));
        assert_eq!(
            c(Some("KT-CT-1111"), Some("AUTHORIZATION")),
            Denied(DenialScope::Role)
        );
        assert_eq!(c(Some("KT-CT-4177"), None), Denied(DenialScope::Object));
        assert_eq!(c(None, Some("AUTHORIZATION")), Denied(DenialScope::Unknown));
        assert_eq!(c(Some("KT-CT-1199"), Some("AUTHORIZATION")), Throttled);
        assert_eq!(
            c(Some("KT-CT-1144"), Some("AUTHORIZATION")),
            TokenRefused(TokenRemedy::TryOtherHeader)
        );
        assert_eq!(
            c(Some("KT-CT-1125"), Some("APPLICATION")),
            TokenRefused(TokenRemedy::FetchNewToken)
        );
        assert_eq!(c(Some("KT-CT-4722"), Some("APPLICATION")), NotConfigured);
        assert_eq!(c(Some("KT-CT-4711"), Some("APPLICATION")), NoReadings);
        assert_eq!(c(Some("KT-CT-4719"), Some("APPLICATION")), NotFound);
        assert_eq!(c(None, Some("NOT_FOUND")), NotFound);
        assert_eq!(
            c(Some("KT-CT-6625"), Some("SERVICE_AVAILABILITY")),
            Unavailable
        );
        assert_eq!(c(Some("KT-CT-1113"), None), Unavailable);
        assert_eq!(c(Some("KT-CT-4723"), Some("VALIDATION")), InputRejected);
        assert_eq!(c(Some("KT-CT-4321"), Some("APPLICATION")), Internal);
        // graphql-core validation: no path, no extensions, with locations.
        let mut v = err(None, None);
        v.path.clear();
        assert_eq!(classify(&v), SchemaMismatch);
        // "An internal error occurred" with a path and no extensions.
        assert_eq!(classify(&err(None, None)), Internal);
        // The older shape: extensions.errorClass only.
        let mut old = err(None, None);
        old.error_class = Some("AUTHORIZATION".into());
        old.has_extensions = true;
        assert_eq!(classify(&old), Denied(DenialScope::Unknown));
        old.error_class = Some("NOT_IMPLEMENTED".into());
        assert_eq!(classify(&old), Unavailable);
    }
}
