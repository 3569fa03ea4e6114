//! The `[api]` table of a scenario: every way the simulated GraphQL API may differ from one
//! Kraken to the next (schema release, error shapes, permission lists, how tokens and header
//! forms are refused, service conditions). Each option is one fact a real Kraken was seen to
//! vary on, or one the public material leaves open (docs/krakens.md).

use kraken_core::identifiers::Territory;
use serde::{Deserialize, Serialize};

pub use kraken_core::model::HeaderForm;

/// An enum of Kraken error codes, written in TOML as the code itself (`"KT-CT-1111"`).
macro_rules! codes {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $code)] $variant),+
        }

        impl $name {
            /// The Kraken error code (`KT-CT-…`).
            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code),+
                }
            }
        }
    };
}

codes!(
    /// The code of a denial: KT-CT-1111 (authentication or role), KT-CT-4177 (the data's
    /// ownership) or KT-CT-4718 (this supply point).
    DenialCode { Kt1111 = "KT-CT-1111", Kt4177 = "KT-CT-4177", Kt4718 = "KT-CT-4718" }
);

codes!(
    /// The code a refused `Authorization` header form gets.
    HeaderCode { Kt1143 = "KT-CT-1143", Kt1144 = "KT-CT-1144" }
);

codes!(
    /// The codes that refuse a token: expired (1124), keys rotated (1125), signature from
    /// another Kraken (1126), issuer of another environment (1127), key set unavailable on
    /// the server (1147), invalidated (1162), invalid (1163).
    TokenCode {
        Kt1124 = "KT-CT-1124",
        Kt1125 = "KT-CT-1125",
        Kt1126 = "KT-CT-1126",
        Kt1127 = "KT-CT-1127",
        Kt1147 = "KT-CT-1147",
        Kt1162 = "KT-CT-1162",
        Kt1163 = "KT-CT-1163",
    }
);

/// How the GraphQL API answers where Krakens differ or Kraken's behaviour is not public.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ApiChoices {
    /// Which production schema the API is a subset of: `edf-gb` (`property(id: ID!)`,
    /// `gasFilters`, GB markets) or `origin-au` (`property(id: ID, mirn: ID, nmi: ID)`, no
    /// `gasFilters`, AU markets).
    pub schema: SchemaFlavour,
    /// Whether `thirdPartyViewer` answers, is denied, or is absent from the schema.
    pub third_party_viewer: ViewerMode,
    /// `false`: `ThirdPartyOrganizationType` has no `permissions` field (an older Kraken).
    pub viewer_permissions_field: bool,
    /// `false`: `Query` has no `supplyPoint` field.
    pub supply_point_field: bool,
    /// `__schema` and `__type` answer without a token, as on the real Krakens; `false`:
    /// any `__` field is refused as graphene's `DisableIntrospection` does.
    pub introspection: bool,
    /// HTTP status of parse and validation errors: 200 (Kraken's conventions) or 400
    /// (graphene-django's default). The body is `{"errors": [{message, locations}]}` either way.
    pub validation_status: u16,
    /// How resolver errors carry their class: `kraken` (`extensions {errorType, errorCode,
    /// errorDescription}`), `error-class` (the older `extensions {errorClass}`) or
    /// `message-only` (no `extensions`).
    pub error_shape: ErrorShape,
    /// Error code for a permission the role lacks: KT-CT-1111, KT-CT-4177 or KT-CT-4718.
    pub denial_code: DenialCode,
    /// A missing permission gives `null` / `[]` instead of an error.
    pub silent_denial: bool,
    /// Error code for data outside the application's customers (`customer = false` on a
    /// property), whatever the role carries.
    pub object_denial_code: DenialCode,
    /// What `thirdPartyViewer.permissions` lists: `role` (the role's permissions), `empty`
    /// (`[]` whatever the role carries) or `stale` (the two required, whatever it carries).
    pub permission_list: PermissionList,
    /// How listed permission names are spelled: `constant` (`CAN_QUERY_PROPERTY`), `kebab`
    /// (`can-query-property`), `words` (`Can query property`) or `mixed` (kebab and words in
    /// turn).
    pub permission_spelling: PermissionSpelling,
    /// Names listed after the role's own, as a Kraken with permissions unknown to the tool
    /// would (`CAN_VIEW_SMART_METER_TELEMETRY`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extra_permission_names: Vec<String>,
    /// Authorization header forms the API accepts.
    pub header_forms: Vec<HeaderForm>,
    /// The code a header form outside `header_forms` gets: KT-CT-1143 or KT-CT-1144.
    pub refused_header_code: HeaderCode,
    /// A gateway in front of the API refuses header forms outside `header_forms` with this
    /// HTTP status (401 or 403) and a body that is not GraphQL, instead of `refused_header_code`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refused_header_status: Option<u16>,
    /// The gateway's body: `html` (a web server's error page) or `json` (`{"detail": …}`).
    pub refused_header_body: GatewayBody,
    /// Tokens issued before the API first sees a token are refused with this code (keys
    /// rotated KT-CT-1125, expired KT-CT-1124, invalidated KT-CT-1162, invalid KT-CT-1163);
    /// a token fetched afterwards works.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stale_token_code: Option<TokenCode>,
    /// With `stale_token_code`: refuse the first N tokens issued instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stale_tokens: Option<u64>,
    /// Every token is refused with this code: KT-CT-1126 (signed by another Kraken),
    /// KT-CT-1127 (another environment's issuer), KT-CT-1147 (the server cannot fetch its keys).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub every_token_code: Option<TokenCode>,
    /// Fields that answer a registry code instead of data, once the token is accepted: a
    /// disabled field (KT-CT-1113), property search unavailable or not enabled
    /// (KT-CT-6624/6625), no readings (KT-CT-4711), readings not configured (KT-CT-4722).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub field_errors: Vec<FieldError>,
}

impl Default for ApiChoices {
    fn default() -> Self {
        ApiChoices {
            schema: SchemaFlavour::EdfGb,
            third_party_viewer: ViewerMode::Answers,
            viewer_permissions_field: true,
            supply_point_field: true,
            introspection: true,
            validation_status: 200,
            error_shape: ErrorShape::Kraken,
            denial_code: DenialCode::Kt1111,
            silent_denial: false,
            object_denial_code: DenialCode::Kt4177,
            permission_list: PermissionList::Role,
            permission_spelling: PermissionSpelling::Constant,
            extra_permission_names: Vec::new(),
            header_forms: vec![HeaderForm::Bare, HeaderForm::Jwt, HeaderForm::Bearer],
            refused_header_code: HeaderCode::Kt1143,
            refused_header_status: None,
            refused_header_body: GatewayBody::Html,
            stale_token_code: None,
            stale_tokens: None,
            every_token_code: None,
            field_errors: Vec::new(),
        }
    }
}

/// The production schema the simulator's is a subset of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SchemaFlavour {
    /// EDF GB, July 2026 (`tests/data/schema-edf-gb-2026-07.graphql`).
    EdfGb,
    /// Origin Energy (AU), July 2026 (`tests/data/schema-origin-au-2026-07.graphql`).
    OriginAu,
}

impl SchemaFlavour {
    /// The territory of this Kraken.
    pub fn territory(self) -> Territory {
        match self {
            SchemaFlavour::EdfGb => Territory::Gb,
            SchemaFlavour::OriginAu => Territory::Au,
        }
    }

    /// The market names this Kraken's `supplyPoint(marketName:)` takes, electricity first:
    /// its territory's (kraken-core's list, the checker's too).
    pub fn markets(self) -> &'static [&'static str] {
        self.territory().markets()
    }
}

/// What `thirdPartyViewer` does for an OAuth application.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ViewerMode {
    Answers,
    Denied,
    Absent,
}

/// How a resolver error says what kind of error it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorShape {
    /// `extensions {errorType, errorCode, errorDescription}` from the registry.
    Kraken,
    /// The older `extensions {errorClass}` (AUTHORIZATION, NOT_FOUND, SERVICE_AVAILABILITY,
    /// VALIDATION), without `errorType` or `errorCode`.
    ErrorClass,
    /// `message`, `locations` and `path` only.
    MessageOnly,
}

/// What `thirdPartyViewer.permissions` lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PermissionList {
    Role,
    Empty,
    /// The two required permissions, whatever the role carries now: a list served from a
    /// cache that lags behind a change on the support site.
    Stale,
}

/// How a permission name is spelled in `thirdPartyViewer.permissions`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PermissionSpelling {
    /// `CAN_QUERY_PROPERTY`.
    Constant,
    /// `can-query-property`.
    Kebab,
    /// `Can query property`.
    Words,
    /// Kebab for the first name, words for the second, and so on.
    Mixed,
}

impl PermissionSpelling {
    /// `name` (a `CAN_…` constant) as the `index`-th entry of a list spells it.
    pub fn spell(self, name: &str, index: usize) -> String {
        let kebab = || name.to_ascii_lowercase().replace('_', "-");
        let words = || {
            let lower = name.to_ascii_lowercase().replace('_', " ");
            let mut chars = lower.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        };
        match self {
            PermissionSpelling::Constant => name.to_string(),
            PermissionSpelling::Kebab => kebab(),
            PermissionSpelling::Words => words(),
            PermissionSpelling::Mixed if index.is_multiple_of(2) => kebab(),
            PermissionSpelling::Mixed => words(),
        }
    }
}

/// The body a gateway's refusal carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum GatewayBody {
    /// A web server's HTML error page.
    Html,
    /// `{"detail": "…"}`, as an API gateway or Django REST framework writes it.
    Json,
}

/// One field that answers a registry code instead of data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldError {
    /// `measurements`, or `PropertyType.measurements` to name one type's field.
    pub field: String,
    /// A code of the published registry (`KT-CT-1113`).
    pub code: String,
}

impl FieldError {
    /// Whether this entry names `owner.field`.
    pub fn names(&self, owner: &str, field: &str) -> bool {
        match self.field.split_once('.') {
            Some((t, f)) => t == owner && f == field,
            None => self.field == field,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permission_names_are_spelled_as_asked() {
        let s = |sp: PermissionSpelling, i| sp.spell("CAN_QUERY_PROPERTY", i);
        assert_eq!(s(PermissionSpelling::Constant, 0), "CAN_QUERY_PROPERTY");
        assert_eq!(s(PermissionSpelling::Kebab, 1), "can-query-property");
        assert_eq!(s(PermissionSpelling::Words, 0), "Can query property");
        assert_eq!(s(PermissionSpelling::Mixed, 0), "can-query-property");
        assert_eq!(s(PermissionSpelling::Mixed, 1), "Can query property");
    }

    #[test]
    fn field_errors_name_a_field_or_one_types_field() {
        let e = |f: &str| FieldError {
            field: f.to_string(),
            code: "KT-CT-1113".to_string(),
        };
        assert!(e("measurements").names("PropertyType", "measurements"));
        assert!(e("PropertyType.measurements").names("PropertyType", "measurements"));
        assert!(!e("Query.property").names("SupplyPointType", "property"));
    }
}
