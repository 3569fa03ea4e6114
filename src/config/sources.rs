//! Where a setting came from — a flag, an environment variable, a profile key — so that
//! precedence is decided in one place ([`Setting::pick`]) and a refusal can name a setting
//! the way the user gave it ([`Given::said`]).

use super::{Env, env_names};

/// Where a setting came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Flag,
    Env,
    Profile,
}

/// A setting's value and how the user gave it, so that a refusal can name it as they wrote
/// it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Given {
    pub value: String,
    pub source: Source,
    /// The flag, variable or profile key (`--auth-url`, `KRAKEN_AUTH_URL`, `auth_url`).
    pub name: &'static str,
}

impl Given {
    /// As the user wrote it: `--kraken edf-gb`, `KRAKEN_PRESET=edf-gb`, `kraken = "edf-gb"`.
    pub fn said(&self) -> String {
        match self.source {
            Source::Flag => format!("{} {}", self.name, self.value),
            Source::Env => format!("{}={}", self.name, self.value),
            Source::Profile => format!("{} = \"{}\"", self.name, self.value),
        }
    }
}

/// The three names of one setting, in precedence order: flag, environment variable, profile
/// key.
pub struct Setting {
    pub flag: &'static str,
    pub env: &'static str,
    pub key: &'static str,
}

impl Setting {
    pub const KRAKEN: Setting = Setting {
        flag: "--kraken",
        env: env_names::KRAKEN,
        key: "kraken",
    };
    pub const AUTH_URL: Setting = Setting {
        flag: "--auth-url",
        env: env_names::AUTH_URL,
        key: "auth_url",
    };
    pub const API_URL: Setting = Setting {
        flag: "--api-url",
        env: env_names::API_URL,
        key: "api_url",
    };
    pub const CLIENT_ID: Setting = Setting {
        flag: "--client-id",
        env: env_names::CLIENT_ID,
        key: "client_id",
    };

    /// The value that wins (flags beat environment beat profile); an empty variable counts
    /// as unset.
    pub fn pick(
        &self,
        flag: Option<&String>,
        env: &Env,
        profile: Option<&String>,
    ) -> Option<Given> {
        let given = |value: &String, source, name| Given {
            value: value.clone(),
            source,
            name,
        };
        flag.map(|v| given(v, Source::Flag, self.flag))
            .or_else(|| {
                env.get(self.env)
                    .filter(|v| !v.is_empty())
                    .map(|v| given(v, Source::Env, self.env))
            })
            .or_else(|| profile.map(|v| given(v, Source::Profile, self.key)))
    }
}
