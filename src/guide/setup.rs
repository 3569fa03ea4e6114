//! Before the first question: resolve the one application the guide walks, so that every usage
//! error shows at once (exit 2) instead of after ten minutes of answers. A credential the guide
//! will ask for is a stand-in until then; [`is_placeholder`] keeps it out of anything written.

use crate::app;
use crate::cli::{GuideArgs, TargetArgs};
use crate::config::{self, ConfigError, DataTarget, Env, StdinSecret, Target};
use crate::redact::Redactor;

use super::record::Record;
use super::{Answers, Console, Guide};

/// A stand-in for a credential the guide will ask for, so the target resolves before the
/// first question. Never sent (the prompt replaces it before any request) and never written.
const PENDING: &str = "kraken-doctor-guide-pending";

/// Whether the target still carries a stand-in client id.
pub(super) fn is_placeholder(target: &Target) -> bool {
    target.client_id == PENDING
}

/// One target from `args` (the guide walks one application).
pub(super) fn resolve_one(
    args: &TargetArgs,
    data: &DataTarget,
    env: &Env,
) -> Result<Target, ConfigError> {
    config::resolve_targets(args, data, env, StdinSecret::Process)?
        .into_iter()
        .next()
        .ok_or_else(|| ConfigError("no target".into()))
}

/// `env` with a stand-in for the secret, to re-validate a typed client id on its own.
pub(super) fn with_pending_secret(env: &Env) -> Env {
    let mut env = env.clone();
    env.insert(config::env_names::CLIENT_SECRET.into(), PENDING.into());
    env
}

impl Guide {
    pub(super) fn new(
        args: &GuideArgs,
        answers: Option<Answers>,
        color: bool,
        env: Env,
    ) -> Result<Guide, ConfigError> {
        let t = &args.target;
        if t.profile.len() > 1 || t.all_profiles {
            return Err(ConfigError(
                "guide walks one application: give at most one --profile".into(),
            ));
        }
        let interactive = answers.is_none();
        if interactive && t.client_secret_stdin {
            return Err(ConfigError(
                "--client-secret-stdin cannot be used while guide asks questions on the \
                 terminal; leave it out and type the secret at the hidden prompt"
                    .into(),
            ));
        }
        let net = config::resolve_net(t)?;
        let wait_for_grant = args
            .wait_for_grant
            .as_deref()
            .map(app::parse_duration)
            .transpose()?;
        app::check_writable(&args.handover)?;
        let from_profile = !t.profile.is_empty() || t.config.is_some();
        let has = |k: &str| env.get(k).is_some_and(|v| !v.is_empty());
        let ask_client_id = interactive
            && !from_profile
            && t.client_id.is_none()
            && !has(config::env_names::CLIENT_ID);
        let ask_secret = interactive
            && !from_profile
            && t.client_secret_file.is_none()
            && !has(config::env_names::CLIENT_SECRET);
        let mut resolve_env = if ask_secret {
            with_pending_secret(&env)
        } else {
            env.clone()
        };
        if ask_client_id {
            resolve_env.insert(config::env_names::CLIENT_ID.into(), PENDING.into());
        }
        let mut data = args.data.to_data_target();
        if let Some(a) = &answers
            && data.is_empty()
        {
            data.property_id = a.property_id.clone();
            data.supply_point = a.supply_point.clone();
            data.market_name = data.market_name.clone().or(a.market_name.clone());
        }
        let target = resolve_one(t, &data, &resolve_env)?;
        let redactor = Redactor::default();
        if !ask_secret {
            redactor.add(&target.client_secret);
            redactor.add_basic(&target.client_id, &target.client_secret);
        }
        Ok(Guide {
            console: Console::new(interactive),
            answers,
            color,
            verbose: net.verbose > 0,
            rt: app::runtime(),
            net,
            redactor,
            wait_for_grant,
            target_args: t.clone(),
            data,
            env,
            target,
            ask_client_id,
            ask_secret,
            record: Record::default(),
        })
    }
}
