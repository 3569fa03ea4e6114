//! `kraken-doctor token`: get an access token and print it — raw for `$(...)`, as the
//! `Authorization` header JSON GraphiQL takes, or as JSON with its expiry. On failure, the
//! `auth.token` diagnosis goes to stderr and nothing to stdout.

use std::time::Duration;

use super::{print_note, print_result};
use crate::cli::TokenFormat;
use crate::config::TokenConfig;
use crate::exit::Exit;
use crate::redact::Redactor;
use crate::report;
use crate::runner;

/// `kraken-doctor token`.
pub fn run(config: &TokenConfig, color: bool) -> Exit {
    let redactor = Redactor::default();
    super::print_notes(&config.target.profile, &config.target.notes);
    let issued = super::runtime().block_on(runner::fetch_token(
        &config.target,
        &config.options,
        redactor.clone(),
    ));
    match issued {
        Ok(t) => {
            let token = t.access_token.expose();
            let line = match config.format {
                TokenFormat::Raw => token.to_string(),
                TokenFormat::Header => serde_json::json!({ "Authorization": token }).to_string(),
                TokenFormat::Json => {
                    let expires_at = t.expires_in.map(|s| {
                        runner::rfc3339(t.received_at + Duration::from_secs(s.max(0) as u64))
                    });
                    serde_json::to_string_pretty(&serde_json::json!({
                        "access_token": token,
                        "token_type": t.token_type,
                        "expires_in": t.expires_in,
                        "expires_at": expires_at,
                        "scope": t.scope,
                    }))
                    .unwrap_or_default()
                }
            };
            print_result(&format!("{line}\n"));
            Exit::Clean
        }
        Err(report) => {
            print_note(&redactor.redact(&report::human::render(
                &report,
                &report::Look::stdout(color),
            )));
            // No token is never a clean end: undecided stays undecided, anything else failed.
            match Exit::from_code(report.exit_code) {
                Some(Exit::Clean) => Exit::Failed,
                Some(exit) => exit,
                None => Exit::Undecided,
            }
        }
    }
}
