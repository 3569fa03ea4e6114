//! What a run is pointed at: one application (endpoints, client id and secret) and the
//! optional data target, and that target resolved for reading ([`ReadTarget`]: a property, or
//! a supply point with its market). `config` resolves them from flags, environment and
//! profile; the runner owns the types it consumes.

use serde_json::{Value, json};
use url::Url;

use crate::kraken::identifiers::{IdKind, SupplyPointId, Territory, Utility};
use crate::secret::Secret;

/// Optional data target for the end-to-end read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DataTarget {
    pub property_id: Option<String>,
    pub supply_point: Option<String>,
    pub market_name: Option<String>,
}

impl DataTarget {
    pub fn is_empty(&self) -> bool {
        self.property_id.is_none() && self.supply_point.is_none()
    }
}

/// How each endpoint was chosen, as the user wrote it (`--kraken edf-gb with --test-env`,
/// `--auth-url http://127.0.0.1:9`, `auth_url = "…"`): a fix names the setting to change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub auth: String,
    pub api: String,
}

impl Default for Origin {
    /// The flags, when nothing better is known (a target built in code).
    fn default() -> Origin {
        Origin {
            auth: "--auth-url".into(),
            api: "--api-url".into(),
        }
    }
}

/// One Kraken application to check: where, who, and with which secret.
#[derive(Debug, Clone)]
pub struct Target {
    /// Profile name, when the target came from a profile.
    pub profile: Option<String>,
    /// The token endpoint (`.../token/`).
    pub token_url: Url,
    /// The GraphQL endpoint (`.../v1/graphql/`).
    pub graphql_url: Url,
    /// How the user chose the endpoints.
    pub origin: Origin,
    pub client_id: String,
    pub client_secret: Secret,
    pub data: DataTarget,
    /// What was trimmed from the credentials as given, or looks unlike a Kraken's: said once
    /// on stderr and in `auth.token`'s evidence. Never a secret.
    pub notes: Vec<String>,
}

/// What `token` needs: the auth server and the credentials; the API is never asked.
#[derive(Debug, Clone)]
pub struct TokenTarget {
    /// Profile name, when the target came from a profile.
    pub profile: Option<String>,
    /// The token endpoint (`.../token/`).
    pub token_url: Url,
    /// The GraphQL endpoint, when a preset, flag, variable or profile named it (the report
    /// shows it); never contacted.
    pub graphql_url: Option<Url>,
    /// How the user chose the endpoints (as `Target::origin`).
    pub origin: Origin,
    pub client_id: String,
    pub client_secret: Secret,
    /// What was noticed about the credentials as given (as `Target::notes`).
    pub notes: Vec<String>,
}

/// The data target, resolved for reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadTarget {
    None,
    Property(String),
    SupplyPoint {
        id: SupplyPointId,
        /// The market sent with it: the one given, else the identifier's default.
        market: Option<String>,
        /// Whether `--market-name` gave it.
        market_given: bool,
    },
}

impl ReadTarget {
    /// Resolve a data target for the Kraken at `api_host`. An identifier that fails its
    /// check was refused at configuration; here it is taken as given.
    pub fn new(data: &DataTarget, api_host: &str) -> ReadTarget {
        if let Some(p) = &data.property_id {
            return ReadTarget::Property(p.clone());
        }
        let Some(raw) = &data.supply_point else {
            return ReadTarget::None;
        };
        let id = SupplyPointId::for_target(
            raw,
            data.market_name.as_deref(),
            Territory::of_host(api_host),
        )
        .unwrap_or(SupplyPointId {
            value: raw.trim().to_string(),
            kind: IdKind::Other,
        });
        let market = data
            .market_name
            .clone()
            .or_else(|| id.default_market().map(str::to_string));
        ReadTarget::SupplyPoint {
            market_given: data.market_name.is_some(),
            id,
            market,
        }
    }

    /// For people: `property 240811`, `MPAN 1200012345679 (GBR_ELECTRICITY)`.
    pub fn describe(&self) -> String {
        match self {
            ReadTarget::None => "no data target".into(),
            ReadTarget::Property(p) => format!("property {p}"),
            ReadTarget::SupplyPoint { id, market, .. } => match market {
                Some(m) => format!("{} ({m})", id.describe()),
                None => id.describe(),
            },
        }
    }

    /// The identifier a search or a supply point read looks for.
    pub fn identifier(&self) -> Option<&str> {
        match self {
            ReadTarget::None => None,
            ReadTarget::Property(p) => Some(p),
            ReadTarget::SupplyPoint { id, .. } => Some(&id.value),
        }
    }

    /// The utility filter that reads only this meter's measurements.
    pub(super) fn filters(&self) -> Value {
        let ReadTarget::SupplyPoint { id, market, .. } = self else {
            return Value::Null;
        };
        let key = match id.utility(market.as_deref()) {
            Some(Utility::Electricity) => "electricityFilters",
            Some(Utility::Gas) => "gasFilters",
            None => return Value::Null,
        };
        json!([{ key: { "marketSupplyPointId": id.value } }])
    }
}
