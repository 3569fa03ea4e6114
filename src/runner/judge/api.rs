//! `api.token-accepted`: whether the GraphQL API takes the token, in the documented bare header
//! or another form, after at most one fresh token.

use super::{Prerequisite, Verdict, base_vars, by_fault, gate, gated, millis};
use crate::kraken::model::HeaderForm;
use crate::runner::classes::{FaultKind, FormClass, Link, RefetchClass};
use crate::runner::evidence::{Evidence, Exchange};
use crate::runner::schema::SchemaKnowledge;
use crate::runner::view::Seen;
use crate::runner::view::accept::{self, AcceptanceSeen};

/// The decision: the bare form's class (after any re-fetch), the best other form's, and
/// whether a fresh token was fetched.
pub fn decide(bare: FormClass, other: FormClass, refetch: RefetchClass) -> &'static str {
    if bare == FormClass::Accepted {
        return "pass";
    }
    if other == FormClass::Accepted {
        return "other-header";
    }
    match bare {
        FormClass::StaleToken if refetch == RefetchClass::Fetched => "expired",
        FormClass::HeaderRefused | FormClass::Refused => match other {
            FormClass::WrongKraken => "wrong-kraken",
            FormClass::ServerSide => "server-side",
            FormClass::Undecided | FormClass::NotTried => "error",
            _ => "rejected",
        },
        FormClass::WrongKraken => "wrong-kraken",
        FormClass::ServerSide => "server-side",
        FormClass::StaleToken
        | FormClass::Undecided
        | FormClass::NotTried
        | FormClass::Accepted => "error",
    }
}

/// How the API's verdict stands for the checks that need it.
pub fn link_of(outcome: &str) -> Link {
    match outcome {
        "pass" | "other-header" => Link::Usable,
        "rejected" | "wrong-kraken" | "expired" => Link::Failed,
        _ => Link::Undecided,
    }
}

/// `api.token-accepted` as a link of the dependency chain.
pub fn link(ev: &Evidence) -> Seen<Link> {
    let t = accept::token_link(ev);
    if t.class != Link::Usable {
        return t;
    }
    let a = accept::acceptance(ev);
    let outcome = decide(a.bare.class, a.other.class, a.refetch.class);
    Seen::new(link_of(outcome), reason(ev, &a, outcome))
}

/// The retry lines of one exchange.
fn retries(result: &crate::kraken::graphql::GqlResult) -> Vec<String> {
    match result {
        Ok(Ok(g)) => g.response.retries.clone(),
        Err(f) => f.retries.clone(),
        Ok(Err(e)) => e.retries.clone(),
    }
}

/// What introspection told, in one line.
fn schema_note(ev: &Evidence) -> String {
    match &ev.schema {
        SchemaKnowledge::Known(_) => {
            "schema introspection (no token): answered; the probes fit this Kraken's schema".into()
        }
        SchemaKnowledge::Unknown(why) => format!(
            "schema introspection (no token): {why}; probes that stand alone on every known Kraken were sent"
        ),
        SchemaKnowledge::NotAsked => "schema introspection: not asked".into(),
    }
}

/// Why the API's verdict is what it is, in one line.
fn reason(ev: &Evidence, a: &AcceptanceSeen, outcome: &str) -> String {
    match outcome {
        "pass" | "other-header" => "the API accepted the token".into(),
        _ if a.refetch.class == RefetchClass::Failed => a.refetch.detail.clone(),
        _ if a.bare.class == FormClass::NotTried => ev
            .api_not_sent
            .clone()
            .unwrap_or_else(|| "no probe was sent".into()),
        _ => format!("the API did not take the token: {}", a.bare.detail),
    }
}

pub fn token_accepted(ev: &Evidence) -> Verdict {
    if let Some(v) = gated(
        ev,
        gate(ev, &[Prerequisite::Reachable, Prerequisite::Token]),
    ) {
        return v;
    }
    let a = accept::acceptance(ev);
    // No probe sent (none fits this Kraken's schema): another run sends none either.
    let not_sent = if a.bare.class == FormClass::NotTried && ev.api_not_sent.is_some() {
        FaultKind::Lasting
    } else {
        FaultKind::Transient
    };
    let outcome = by_fault(
        decide(a.bare.class, a.other.class, a.refetch.class),
        FaultKind::of([a.bare.fault, a.other.fault, not_sent]),
    );
    let mut notes = vec![schema_note(ev)];
    if let Some(Exchange { result, .. }) = &ev.introspection {
        notes.extend(retries(result));
    }
    let mut ms = 0;
    for ex in &ev.exchanges {
        let seen = accept::exchange(ex);
        let what = match seen.class {
            FormClass::Accepted => format!("token taken ({})", seen.detail),
            FormClass::Undecided => format!("does not tell: {}", seen.detail),
            FormClass::NotTried => continue,
            _ => format!("refused: {}", seen.detail),
        };
        let again = if ex.attempt > 0 { " (new token)" } else { "" };
        notes.push(format!(
            "{} as `{}`{again} → {what}",
            ex.plan.name,
            ex.form.describe()
        ));
        notes.extend(retries(&ex.result));
        if let Ok(Ok(g)) = &ex.result {
            ms = ms.max(millis(g.response.elapsed));
        }
    }
    if a.refetch.class != RefetchClass::NotNeeded {
        notes.push(a.refetch.detail.clone());
    }
    let form_note = {
        let other = match (a.other.class, a.other_form) {
            (FormClass::Accepted, f) => format!("; `{}` works too", f.describe()),
            (FormClass::NotTried | FormClass::Undecided, _) => String::new(),
            (_, f) => format!("; `{}` is refused: send the token bare", f.describe()),
        };
        let again = if a.refetch.class == RefetchClass::Fetched {
            " (with a new token: the first was refused as stale)"
        } else {
            ""
        };
        format!("{other}{again}")
    };
    let rejection = match (a.bare.class, a.other.class) {
        (
            FormClass::HeaderRefused | FormClass::Refused,
            FormClass::WrongKraken | FormClass::ServerSide,
        ) => a.other.detail.clone(),
        _ => a.bare.detail.clone(),
    };
    let deciding = match outcome {
        "pass" => &a.bare,
        "other-header" => &a.bare,
        _ if matches!(
            a.other.class,
            FormClass::WrongKraken | FormClass::ServerSide
        ) =>
        {
            &a.other
        }
        _ => &a.bare,
    };
    let mut v = Verdict::new(outcome, base_vars(ev))
        .var("form_note", form_note)
        .var(
            "working_form",
            match ev.final_form {
                HeaderForm::Bare => a.other_form.describe(),
                f => f.describe(),
            },
        )
        .var("rejection", rejection)
        .var("reason", reason(ev, &a, outcome))
        .notes(notes)
        .took(ms);
    if outcome != "pass" {
        v = v.deciding(deciding);
    } else {
        v.evidence.http_status = Some(200);
    }
    v
}
