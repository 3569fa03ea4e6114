//! The Kraken model that the client and the simulator share: header forms, permission names,
//! the API role, the known Krakens and how a host tells its environment. One definition each,
//! so that what the tool probes for and what the simulator serves cannot drift apart.

use serde::{Deserialize, Serialize};
use url::Url;

/// The API role the documented setup selects (step 7).
pub const ROLE: &str = "THIRD_PARTY_UTILITY_USAGE_DATA_VIEWER";

/// How the token travels in the `Authorization` header.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HeaderForm {
    /// `Authorization: <token>`, as the Kraken guides say.
    Bare,
    /// `Authorization: JWT <token>`.
    Jwt,
    /// `Authorization: Bearer <token>`.
    Bearer,
}

impl HeaderForm {
    /// Every form, the documented one first.
    pub const ALL: [HeaderForm; 3] = [HeaderForm::Bare, HeaderForm::Bearer, HeaderForm::Jwt];

    /// `Authorization: Bearer <token>`: the header as a person would write it.
    pub fn describe(self) -> &'static str {
        match self {
            HeaderForm::Bare => "Authorization: <token>",
            HeaderForm::Bearer => "Authorization: Bearer <token>",
            HeaderForm::Jwt => "Authorization: JWT <token>",
        }
    }

    /// `bare header`, `Bearer header`: short, for request labels.
    pub fn short(self) -> &'static str {
        match self {
            HeaderForm::Bare => "bare header",
            HeaderForm::Bearer => "Bearer header",
            HeaderForm::Jwt => "JWT header",
        }
    }

    /// The prefix before the token (`""`, `"Bearer "`, `"JWT "`).
    pub fn prefix(self) -> &'static str {
        match self {
            HeaderForm::Bare => "",
            HeaderForm::Bearer => "Bearer ",
            HeaderForm::Jwt => "JWT ",
        }
    }

    /// Split a header value into its form and the token; `None` for an empty token.
    pub fn parse(value: &str) -> Option<(HeaderForm, &str)> {
        let value = value.trim();
        if ["bearer", "jwt"]
            .iter()
            .any(|p| value.eq_ignore_ascii_case(p))
        {
            return None;
        }
        let (form, token) = if let Some(t) = strip_prefix_ci(value, "Bearer ") {
            (HeaderForm::Bearer, t)
        } else if let Some(t) = strip_prefix_ci(value, "JWT ") {
            (HeaderForm::Jwt, t)
        } else {
            (HeaderForm::Bare, value)
        };
        let token = token.trim();
        (!token.is_empty()).then_some((form, token))
    }
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

/// Permission short names, as `thirdPartyViewer.permissions` reports them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[allow(clippy::enum_variant_names)]
pub enum Permission {
    #[serde(rename = "CAN_VIEW_DETAILED_USAGE")]
    CanViewDetailedUsage,
    #[serde(rename = "CAN_QUERY_PROPERTY")]
    CanQueryProperty,
    #[serde(rename = "CAN_VIEW_ACCOUNT_DETAILS")]
    CanViewAccountDetails,
    #[serde(rename = "CAN_UPDATE_PROPERTY")]
    CanUpdateProperty,
    #[serde(rename = "CAN_VIEW_BILLING_INFORMATION")]
    CanViewBillingInformation,
}

impl Permission {
    /// The two the role must carry, exactly (step 12).
    pub const REQUIRED: [Permission; 2] = [
        Permission::CanViewDetailedUsage,
        Permission::CanQueryProperty,
    ];

    /// Every permission the simulator knows.
    pub const ALL: [Permission; 5] = [
        Permission::CanViewDetailedUsage,
        Permission::CanQueryProperty,
        Permission::CanViewAccountDetails,
        Permission::CanUpdateProperty,
        Permission::CanViewBillingInformation,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Permission::CanViewDetailedUsage => "CAN_VIEW_DETAILED_USAGE",
            Permission::CanQueryProperty => "CAN_QUERY_PROPERTY",
            Permission::CanViewAccountDetails => "CAN_VIEW_ACCOUNT_DETAILS",
            Permission::CanUpdateProperty => "CAN_UPDATE_PROPERTY",
            Permission::CanViewBillingInformation => "CAN_VIEW_BILLING_INFORMATION",
        }
    }

    /// The permission with this exact name.
    pub fn from_name(name: &str) -> Option<Permission> {
        Permission::ALL.into_iter().find(|p| p.name() == name)
    }

    /// Whether the documented setup asks for this permission.
    pub fn is_required(self) -> bool {
        Permission::REQUIRED.contains(&self)
    }
}

/// A permission's name in one spelling: `can-view-detailed-usage`, `Can view detailed usage`
/// and `CAN_VIEW_DETAILED_USAGE` are the same permission.
pub fn normalize_permission(name: &str) -> String {
    name.trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect()
}

/// A Kraken the tool knows by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preset {
    /// What `--kraken` takes (`edf-gb`).
    pub name: &'static str,
    /// The production domain; hosts are `auth.<domain>` and `api.<domain>`.
    pub domain: &'static str,
    /// For people (`EDF GB`).
    pub label: &'static str,
}

/// Every known Kraken (docs/krakens.md, "Hosts and environments").
pub const PRESETS: &[Preset] = &[
    preset("octopus-gb", "octopus.energy", "Octopus Energy UK"),
    preset("oeg", "oeg-kraken.energy", "Octopus Energy Germany"),
    preset("oefr", "oefr-kraken.energy", "Octopus Energy France"),
    preset("oejp", "oejp-kraken.energy", "Octopus Energy Japan"),
    preset("edf-gb", "edfgb-kraken.energy", "EDF GB"),
    preset("origin", "origin-kraken.energy", "Origin Energy (AU)"),
    preset("oeus", "oeus-kraken.energy", "Octopus Energy US"),
    preset("eonnext", "eonnext-kraken.energy", "E.ON Next"),
];

const fn preset(name: &'static str, domain: &'static str, label: &'static str) -> Preset {
    Preset {
        name,
        domain,
        label,
    }
}

/// Production hosts end in this; test environments in [`TEST_SUFFIX`].
pub const PRODUCTION_SUFFIX: &str = "-kraken.energy";
/// Test environments' domain suffix.
pub const TEST_SUFFIX: &str = "-kraken.systems";

impl Preset {
    pub fn by_name(name: &str) -> Option<&'static Preset> {
        PRESETS.iter().find(|p| p.name == name)
    }

    /// The domain of its test environment, where one is known.
    pub fn test_domain(&self) -> Option<String> {
        self.domain
            .strip_suffix(PRODUCTION_SUFFIX)
            .map(|stem| format!("{stem}{TEST_SUFFIX}"))
    }

    /// The domain for production or the test environment.
    pub fn domain_for(&self, test_env: bool) -> Option<String> {
        if test_env {
            self.test_domain()
        } else {
            Some(self.domain.to_string())
        }
    }

    /// The known Kraken this host belongs to, and whether it is its test environment.
    pub fn of_host(host: &str) -> Option<(&'static Preset, bool)> {
        let within = |domain: &str| host == domain || host.ends_with(&format!(".{domain}"));
        PRESETS.iter().find_map(|p| {
            if within(p.domain) {
                Some((p, false))
            } else if p.test_domain().is_some_and(|t| within(&t)) {
                Some((p, true))
            } else {
                None
            }
        })
    }
}

/// Which kind of environment a URL points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    /// A `-kraken.energy` host (or another production domain of a known Kraken).
    Production,
    /// A `-kraken.systems` host.
    Test,
    /// Plain http to loopback: the simulator, or the user's own local stand-in.
    Local,
    /// Anything else.
    Unknown,
}

impl Environment {
    pub fn of(url: &Url) -> Environment {
        let host = url.host_str().unwrap_or("");
        if let Some((_, test)) = Preset::of_host(host) {
            return if test {
                Environment::Test
            } else {
                Environment::Production
            };
        }
        if host.ends_with(TEST_SUFFIX) {
            Environment::Test
        } else if host.ends_with(PRODUCTION_SUFFIX) {
            Environment::Production
        } else if url.scheme() == "http" {
            Environment::Local
        } else {
            Environment::Unknown
        }
    }

    /// For people: `production`, `test (-kraken.systems)`, ...
    pub fn describe(self) -> &'static str {
        match self {
            Environment::Production => "production",
            Environment::Test => "test (-kraken.systems)",
            Environment::Local => "local simulator (loopback)",
            Environment::Unknown => "unknown (custom host)",
        }
    }
}

/// The Kraken a URL belongs to, for people: `EDF GB (edf-gb)`, `kraken-doctor simulator
/// (local)`, `custom host api.example.com`.
pub fn kraken_name(url: &Url) -> String {
    let host = url.host_str().unwrap_or("");
    match Preset::of_host(host) {
        Some((p, _)) => format!("{} ({})", p.label, p.name),
        None if url.scheme() == "http" => "kraken-doctor simulator (local)".to_string(),
        None => format!("custom host {host}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permission_names_compare_in_one_spelling() {
        assert_eq!(
            normalize_permission("can-view-detailed-usage"),
            "CAN_VIEW_DETAILED_USAGE"
        );
        assert_eq!(
            normalize_permission(" Can query property "),
            "CAN_QUERY_PROPERTY"
        );
        for p in Permission::ALL {
            assert_eq!(
                Permission::from_name(&normalize_permission(p.name())),
                Some(p)
            );
        }
    }

    #[test]
    fn header_forms_parse_and_render() {
        for form in HeaderForm::ALL {
            let value = format!("{}tok.en", form.prefix());
            assert_eq!(HeaderForm::parse(&value), Some((form, "tok.en")));
        }
        assert_eq!(
            HeaderForm::parse("bearer x"),
            Some((HeaderForm::Bearer, "x"))
        );
        assert_eq!(HeaderForm::parse("Bearer "), None);
    }

    #[test]
    fn hosts_tell_kraken_and_environment() {
        let u = |s: &str| Url::parse(s).unwrap();
        assert_eq!(
            kraken_name(&u("https://api.edfgb-kraken.energy/")),
            "EDF GB (edf-gb)"
        );
        assert_eq!(
            kraken_name(&u("https://api.oeus-kraken.systems/")),
            "Octopus Energy US (oeus)"
        );
        assert!(kraken_name(&u("http://127.0.0.1:1/")).contains("simulator"));
        assert_eq!(
            Environment::of(&u("https://api.octopus.energy/")),
            Environment::Production
        );
        assert_eq!(
            Environment::of(&u("https://api.oeus-kraken.systems/")),
            Environment::Test
        );
        assert_eq!(
            Environment::of(&u("http://127.0.0.1:9/")),
            Environment::Local
        );
        assert_eq!(
            Environment::of(&u("https://api.example.com/")),
            Environment::Unknown
        );
        assert_eq!(
            Preset::by_name("oeg").unwrap().domain_for(true).as_deref(),
            Some("oeg-kraken.systems")
        );
        assert_eq!(Preset::by_name("octopus-gb").unwrap().test_domain(), None);
    }
}
