//! Each command's arguments resolved into its config: the order of the refusals, and what
//! each command takes from the targets, limits and outputs modules.

use crate::checks::{CheckGroup, CheckId, Selection};
use crate::cli::{
    CheckArgs, CredentialArgs, DataTargetArgs, EndpointArgs, GuideArgs, ProfileArgs, TokenArgs,
};
use crate::kraken::http::stderr_sink;
use crate::runner::RunOptions;

use super::{
    CheckConfig, ConfigError, Env, GuideConfig, ReportOptions, RunPlan, StdinSecret, TargetDraft,
    TokenConfig, limits, outputs, profiles, refuse, target,
};

/// `check`: every refusal before the first request.
pub fn resolve_check(
    args: &CheckArgs,
    env: &Env,
    stdin: StdinSecret<'_>,
) -> Result<CheckConfig, ConfigError> {
    let net = limits::resolve_net(&args.network)?;
    let selection = Selection::new(&args.only, &args.skip).map_err(ConfigError)?;
    if selection.ids().is_empty() {
        return refuse("--only/--skip leave no check to run");
    }
    let jobs = limits::jobs(&args.profiles.jobs)?;
    let wait_for_grant = limits::wait_for_grant(args.wait_for_grant.as_deref())?;
    if wait_for_grant.is_some()
        && !selection
            .ids()
            .iter()
            .any(|id| id.group() == CheckGroup::Perm)
    {
        return refuse(
            "--wait-for-grant waits for a permission check, but --only/--skip leave none \
             (keep the perm checks, or leave out --wait-for-grant)",
        );
    }
    outputs::check_outputs(&[
        ("--output", args.output.as_deref()),
        ("--support-report", args.support_report.as_deref()),
    ])?;
    let profiles = profiles::chosen(
        &args.profiles.profile,
        args.profiles.all_profiles,
        args.profiles.config.as_deref(),
        env,
    )?;
    let inputs = target::Inputs {
        endpoint: &args.endpoint,
        credentials: &args.credentials,
        data: &args.data,
        env,
        auth_only: false,
    };
    let targets = target::resolve_all(&inputs, profiles, stdin)?
        .into_iter()
        .map(TargetDraft::complete)
        .collect::<Result<Vec<_>, _>>()?;
    // `guide` may still be told a supply point at its prompt; `check` has nothing else.
    if let Some(t) = targets
        .iter()
        .find(|t| t.data.market_name.is_some() && t.data.supply_point.is_none())
    {
        let name = if args.data.market_name.is_some() {
            "--market-name"
        } else {
            "market_name"
        };
        return Err(target::in_profile(
            &t.profile,
            ConfigError(format!(
                "{name} applies only to a supply point; give --supply-point too, or leave it out"
            )),
        ));
    }
    Ok(CheckConfig {
        plan: RunPlan {
            targets,
            options: RunOptions {
                net,
                selection,
                strict: args.strict,
                log: stderr_sink(),
            },
            jobs,
            wait_for_grant,
        },
        report: ReportOptions {
            format: args.format,
            output: args.output.clone(),
            support_report: args.support_report.clone(),
            quiet: args.quiet,
        },
    })
}

/// The one target of `token` and `guide`, which may still lack its credentials.
fn resolve_single(
    endpoint: &EndpointArgs,
    credentials: &CredentialArgs,
    profile: &ProfileArgs,
    data: &DataTargetArgs,
    env: &Env,
    stdin: StdinSecret<'_>,
    auth_only: bool,
) -> Result<TargetDraft, ConfigError> {
    let profiles = profiles::chosen(
        profile.profile.as_slice(),
        false,
        profile.config.as_deref(),
        env,
    )?;
    let inputs = target::Inputs {
        endpoint,
        credentials,
        data,
        env,
        auth_only,
    };
    let mut drafts = target::resolve_all(&inputs, profiles, stdin)?;
    Ok(drafts.remove(0))
}

/// `token`: the auth server and the credentials (no API URL needed); only `auth.token` runs.
pub fn resolve_token(
    args: &TokenArgs,
    env: &Env,
    stdin: StdinSecret<'_>,
) -> Result<TokenConfig, ConfigError> {
    let net = limits::resolve_net(&args.network)?;
    let target = resolve_single(
        &args.endpoint,
        &args.credentials,
        &args.profile,
        &Default::default(),
        env,
        stdin,
        true,
    )?
    .complete_auth()?;
    Ok(TokenConfig {
        target,
        options: RunOptions {
            net,
            selection: Selection::of(&[CheckId::AuthToken]),
            strict: false,
            log: stderr_sink(),
        },
        format: args.format,
    })
}

/// `guide`: one target; a missing client id or secret is left for the guide to ask.
pub fn resolve_guide(
    args: &GuideArgs,
    env: &Env,
    stdin: StdinSecret<'_>,
) -> Result<GuideConfig, ConfigError> {
    let net = limits::resolve_net(&args.network)?;
    let wait_for_grant = limits::wait_for_grant(args.wait_for_grant.as_deref())?;
    if args.answers.is_none() && args.credentials.client_secret_stdin {
        return refuse(
            "--client-secret-stdin needs --answers FILE: without it, guide asks its questions \
             on standard input (leave --client-secret-stdin out and type the secret at the \
             hidden prompt)",
        );
    }
    outputs::check_outputs(&[("--handover", Some(args.handover.as_path()))])?;
    let target = resolve_single(
        &args.endpoint,
        &args.credentials,
        &args.profile,
        &args.data,
        env,
        stdin,
        false,
    )?;
    Ok(GuideConfig {
        target,
        net,
        wait_for_grant,
        handover: args.handover.clone(),
        force: args.force,
        answers: args.answers.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Cli;
    use crate::config::{Config, Target};
    use clap::Parser;

    fn env(pairs: &[(&str, &str)]) -> Env {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    /// Resolve `kraken-doctor ARGS` against `env`, standard input being `stdin`.
    fn resolve(args: &[&str], env: &Env, stdin: &str) -> Result<Config, String> {
        let cli = Cli::try_parse_from(std::iter::once("kraken-doctor").chain(args.iter().copied()))
            .map_err(|e| e.to_string())?;
        Config::resolve(&cli, env, StdinSecret::Text(stdin)).map_err(|e| e.0)
    }

    fn check_targets(args: &[&str], env: &Env, stdin: &str) -> Result<Vec<Target>, String> {
        let mut argv = vec!["check"];
        argv.extend_from_slice(args);
        match resolve(&argv, env, stdin)? {
            Config::Check(c) => Ok(c.plan.targets),
            _ => unreachable!("check resolves to Config::Check"),
        }
    }

    #[test]
    fn flags_beat_env_beat_profile() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = dir.path().join("config.toml");
        std::fs::write(
            &cfg,
            "[profiles.p]\nkraken = \"edf-gb\"\nclient_id = \"from-profile\"\n\
             client_secret_env = \"KD_TEST_UNSET_VAR\"\nsupply_point = \"1200012345679\"\n",
        )
        .unwrap();
        let cfg = cfg.to_str().unwrap();
        let profile = ["--profile", "p", "--config", cfg];
        let e = env(&[("KRAKEN_CLIENT_SECRET", "env-secret")]);
        let t = &check_targets(&profile, &e, "").unwrap()[0];
        assert_eq!(t.client_id, "from-profile");
        assert_eq!(t.profile.as_deref(), Some("p"));
        assert_eq!(
            t.token_url.as_str(),
            "https://auth.edfgb-kraken.energy/token/"
        );
        assert_eq!(t.client_secret.expose(), "env-secret");
        assert_eq!(t.data.supply_point.as_deref(), Some("1200012345679"));

        let e = env(&[
            ("KRAKEN_CLIENT_SECRET", "env-secret"),
            ("KRAKEN_CLIENT_ID", "from-env"),
            ("KRAKEN_PRESET", "oeg"),
        ]);
        let t = &check_targets(&profile, &e, "").unwrap()[0];
        assert_eq!(t.client_id, "from-env");
        assert_eq!(
            t.token_url.as_str(),
            "https://auth.oeg-kraken.energy/token/"
        );
        assert_eq!(
            t.graphql_url.as_str(),
            "https://api.oeg-kraken.energy/v1/graphql/"
        );

        // A property id given as a flag replaces the profile's supply point as a whole.
        let mut args = profile.to_vec();
        args.extend([
            "--client-id",
            "from-flag",
            "--client-secret-stdin",
            "--kraken",
            "oeus",
            "--property-id",
            "42",
        ]);
        let t = &check_targets(&args, &e, "stdin-secret\n").unwrap()[0];
        assert_eq!(t.client_id, "from-flag");
        assert_eq!(t.client_secret.expose(), "stdin-secret");
        assert_eq!(
            t.token_url.as_str(),
            "https://auth.oeus-kraken.energy/token/"
        );
        assert_eq!(t.data.property_id.as_deref(), Some("42"));
        assert_eq!(t.data.supply_point, None);
    }

    #[test]
    fn missing_pieces_each_say_what_to_do() {
        let e = env(&[("KRAKEN_CLIENT_SECRET", "s")]);
        let msg = |args: &[&str]| check_targets(args, &e, "").unwrap_err();
        assert!(msg(&[]).contains("--kraken"));
        assert!(msg(&["--kraken", "edf-gb"]).contains("--client-id"));
        assert!(msg(&["--kraken", "edf-gb", "--client-id", "  "]).contains("--client-id"));
        let e = msg(&[
            "--kraken",
            "edf-gb",
            "--client-id",
            "id",
            "--client-secret-file",
            "/nonexistent/secret",
        ]);
        assert!(e.contains("cannot read the secret file"), "{e}");
        let e = msg(&["--kraken", "edf-gb", "--client-id", "a:b"]);
        assert!(e.contains("':'"), "{e}");
    }

    #[test]
    fn a_profile_without_a_preset_cannot_ask_for_the_test_env() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = dir.path().join("config.toml");
        std::fs::write(
            &cfg,
            "[profiles.p]\ntest_env = true\nauth_url = \"https://auth.oeus-kraken.systems\"\n\
             api_url = \"https://api.oeus-kraken.systems\"\nclient_id = \"x\"\n",
        )
        .unwrap();
        let e = env(&[("KRAKEN_CLIENT_SECRET", "s")]);
        let msg = check_targets(&["--config", cfg.to_str().unwrap()], &e, "").unwrap_err();
        assert!(
            msg.starts_with("profile 'p': test_env = true needs a preset"),
            "{msg}"
        );
    }

    #[test]
    fn data_targets_that_cannot_both_be_read_are_refused() {
        let e = env(&[("KRAKEN_CLIENT_SECRET", "s")]);
        let base = ["--kraken", "edf-gb", "--client-id", "id"];
        let msg = |extra: &[&str]| {
            let mut args = base.to_vec();
            args.extend_from_slice(extra);
            check_targets(&args, &e, "").unwrap_err()
        };
        let m = msg(&["--property-id", "1", "--supply-point", "2"]);
        assert!(
            m.contains("give --property-id or --supply-point, not both"),
            "{m}"
        );
        let m = msg(&["--property-id", "1", "--market-name", "GBR_GAS"]);
        assert!(
            m.contains("--market-name applies only to a supply point"),
            "{m}"
        );
        let m = msg(&["--market-name", "GBR_GAS"]);
        assert!(
            m.contains("--market-name applies only to a supply point"),
            "{m}"
        );
    }

    #[test]
    fn guide_leaves_missing_credentials_to_ask_for() {
        let config = resolve(&["guide", "--kraken", "edf-gb"], &Env::new(), "").unwrap();
        let Config::Guide(g) = config else {
            unreachable!("guide resolves to Config::Guide")
        };
        assert_eq!(g.target.client_id, None);
        assert!(g.target.client_secret.is_none());
        assert_eq!(
            g.target.token_url.as_str(),
            "https://auth.edfgb-kraken.energy/token/"
        );
    }
}
