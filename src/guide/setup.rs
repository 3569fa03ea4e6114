//! Before the first question: the one application the guide walks comes resolved from the
//! configuration (every usage error has shown by then, exit 2). A credential the guide will
//! ask for is empty until then; [`is_placeholder`] keeps it out of anything written.

use crate::config::{ConfigError, GuideConfig, Target};
use crate::redact::Redactor;
use crate::secret::Secret;

use super::record::Record;
use super::{Answers, Console, Guide};

/// Whether the target still lacks the client id the guide asks for.
pub(super) fn is_placeholder(target: &Target) -> bool {
    target.client_id.is_empty()
}

impl Guide {
    pub(super) fn new(
        config: &GuideConfig,
        answers: Option<Answers>,
        color: bool,
    ) -> Result<Guide, ConfigError> {
        let interactive = answers.is_none();
        let mut draft = config.target.clone();
        let ask_client_id = interactive && draft.client_id.is_none();
        let ask_secret = interactive && draft.client_secret.is_none();
        if let Some(a) = &answers
            && draft.data.is_empty()
        {
            draft.data.property_id = a.property_id.clone();
            draft.data.supply_point = a.supply_point.clone();
            draft.data.market_name = draft.data.market_name.clone().or(a.market_name.clone());
            if let Some(api) = &draft.graphql_url {
                crate::config::check_supply_point(&draft.data, api)?;
            }
        }
        // Until the prompts fill them, what will be asked for is empty; nothing is sent before.
        if ask_client_id {
            draft.client_id = Some(String::new());
        }
        if ask_secret {
            draft.client_secret = Some(Secret::new(String::new()));
        }
        let target = draft.complete()?;
        let redactor = Redactor::default();
        if !ask_secret {
            redactor.add(&target.client_secret);
            redactor.add_basic(&target.client_id, &target.client_secret);
        }
        Ok(Guide {
            console: Console::new(interactive),
            answers,
            color,
            verbose: config.net.verbose > 0,
            rt: crate::process::runtime(),
            net: config.net.clone(),
            redactor,
            wait_for_grant: config.wait_for_grant,
            target,
            ask_client_id,
            ask_secret,
            record: Record::default(),
        })
    }
}
