//! The decision tables: every combination of classes each check decides on, and the outcome
//! it gets, written out as a snapshot (`snapshots/decisions__<check>.snap`) so that a reviewer
//! reads what the tool says in every case, and a changed verdict is a visible diff. Beside the
//! tables: every outcome a decision names exists in the check's TOML, and every outcome of the
//! TOML is reached by some decision (or is one of the gate's outcomes).

use std::collections::BTreeSet;
use std::fmt::Debug;
use std::fmt::Write as _;

use super::{api, auth, data, perm};
use crate::checks;
use crate::runner::classes::*;

/// Outcomes every gated check may give without a decision: `not-run` (a selected check it
/// depends on stopped it) and `blocked` (one that is not selected did not come through).
const GATE_OUTCOMES: &[&str] = &["not-run", "blocked"];

/// One table: its rows (inputs, outcome) and the outcomes reached.
struct Table {
    check: &'static str,
    header: String,
    rows: Vec<(String, &'static str)>,
}

impl Table {
    fn new(check: &'static str, header: &str) -> Table {
        Table {
            check,
            header: header.to_string(),
            rows: Vec::new(),
        }
    }

    fn row(&mut self, inputs: &[&dyn Debug], outcome: &'static str) {
        let cells: Vec<String> = inputs.iter().map(|i| format!("{i:?}")).collect();
        self.rows.push((cells.join(" | "), outcome));
    }

    /// The rows a fault gives: when the decision is `error`, the kind of fault picks the
    /// outcome (`by_fault`): run again, or what else would decide it.
    fn faults(&mut self) {
        for f in FaultKind::ALL {
            self.rows
                .push((format!("(any) error | {f:?}"), super::by_fault("error", *f)));
        }
    }

    /// The table as text, each outcome with its status from the TOML and, where it leaves the
    /// check open, what would decide it.
    fn render(&self) -> String {
        let spec = checks::get(self.check).expect("the check exists");
        let mut out = format!("{} → outcome (status; what would decide it)\n", self.header);
        for (inputs, outcome) in &self.rows {
            let status = spec
                .outcome
                .get(*outcome)
                .map_or("MISSING".to_string(), |o| {
                    let status = format!("{:?}", o.status).to_lowercase();
                    match o.decided_by {
                        Some(d) if d != checks::Decider::Answers => {
                            format!("{status}; {}", d.label())
                        }
                        _ => status,
                    }
                });
            let _ = writeln!(out, "{inputs} → {outcome} ({status})");
        }
        out
    }

    /// Every outcome named exists; every outcome of the TOML is reached.
    fn assert_complete(&self, gated: bool) {
        let spec = checks::get(self.check).expect("the check exists");
        let reached: BTreeSet<&str> = self.rows.iter().map(|(_, o)| *o).collect();
        for o in &reached {
            assert!(
                spec.outcome.contains_key(*o),
                "{}: the decision names outcome '{o}', which checks/{}.toml lacks",
                self.check,
                self.check
            );
        }
        for o in spec.outcome.keys() {
            let by_gate = gated && GATE_OUTCOMES.contains(&o.as_str());
            assert!(
                reached.contains(o.as_str()) || by_gate,
                "{}: outcome '{o}' of the TOML is never reached",
                self.check
            );
        }
    }

    fn check(self, gated: bool) {
        self.assert_complete(gated);
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path("../../../snapshots");
        settings.set_prepend_module_to_snapshot(false);
        settings
            .bind(|| insta::assert_snapshot!(format!("decisions__{}", self.check), self.render()));
    }
}

#[test]
fn auth_reachable() {
    let mut t = Table::new("auth.reachable", "documented token request");
    for c in TokenClass::ALL {
        t.row(&[c], auth::decide_reachable(*c));
    }
    t.check(false);
}

#[test]
fn auth_token() {
    let mut t = Table::new("auth.token", "documented token request");
    for c in TokenClass::ALL {
        t.row(&[c], auth::decide_token(*c));
    }
    t.assert_complete(true);
    t.check(true);
}

#[test]
fn auth_confidential() {
    let mut t = Table::new(
        "auth.confidential",
        "no secret | wrong secret | public-client probe | client authenticated",
    );
    for a in RefusalClass::ALL {
        for b in RefusalClass::ALL {
            for c in RefusalClass::ALL {
                for auth in Authenticated::ALL {
                    t.row(
                        &[a, b, c, auth],
                        auth::decide_confidential(*a, *b, *c, *auth),
                    );
                }
            }
        }
    }
    t.check(true);
}

#[test]
fn auth_methods() {
    let mut t = Table::new(
        "auth.methods",
        "form body | HTTP Basic | form-encoding changes the id or secret",
    );
    for a in MethodClass::ALL {
        for b in MethodClass::ALL {
            for encoded in [false, true] {
                t.row(&[a, b, &encoded], auth::decide_methods(*a, *b, encoded));
            }
        }
    }
    t.check(true);
}

#[test]
fn auth_token_lifetime() {
    let mut t = Table::new(
        "auth.token-lifetime",
        "expires_in | JWT exp | clock skew | refused as expired mid-run",
    );
    for l in LifetimeClass::ALL {
        for e in ExpClass::ALL {
            for s in SkewClass::ALL {
                for early in [false, true] {
                    t.row(&[l, e, s, &early], auth::decide_lifetime(*l, *e, *s, early));
                }
            }
        }
    }
    t.check(true);
}

#[test]
fn api_token_accepted() {
    let mut t = Table::new(
        "api.token-accepted",
        "bare header | best other form | token re-fetch",
    );
    for bare in FormClass::ALL {
        for other in FormClass::ALL {
            for r in RefetchClass::ALL {
                t.row(&[bare, other, r], api::decide(*bare, *other, *r));
            }
        }
    }
    t.faults();
    t.check(true);
}

#[test]
fn perm_can_query_property() {
    let mut t = Table::new(
        "perm.can-query-property",
        "permission list | property search | property read by id",
    );
    for l in ListSays::ALL {
        for s in SearchClass::ALL {
            for o in ObjectClass::ALL {
                t.row(&[l, s, o], perm::decide_query_property(*l, *s, *o));
            }
        }
    }
    t.faults();
    t.check(true);
}

#[test]
fn perm_can_view_detailed_usage() {
    let mut t = Table::new(
        "perm.can-view-detailed-usage",
        "permission list | measurement read",
    );
    for l in ListSays::ALL {
        for u in UsageClass::ALL {
            t.row(&[l, u], perm::decide_detailed_usage(*l, *u));
        }
    }
    t.faults();
    t.check(true);
}

#[test]
fn perm_exact() {
    let mut t = Table::new("perm.exact", "permission list");
    for e in ExactClass::ALL {
        t.row(&[e], perm::decide_exact(*e));
    }
    t.faults();
    t.check(true);
}

#[test]
fn data_measurements() {
    let mut t = Table::new("data.measurements", "data target | measurement read");
    for has in [false, true] {
        for u in UsageClass::ALL {
            t.row(&[&has, u], data::decide(has, *u));
        }
    }
    t.faults();
    t.check(true);
}

/// The rules the issue names, stated as assertions over the tables, so they hold whatever
/// the snapshot says.
#[test]
fn no_object_level_refusal_alone_fails_a_permission() {
    for s in SearchClass::ALL {
        for o in [
            ObjectClass::DeniedObject,
            ObjectClass::DeniedUnknown,
            ObjectClass::DeniedRole,
        ] {
            if *s == SearchClass::DeniedRole {
                continue; // the search is role-level evidence
            }
            let outcome = perm::decide_query_property(ListSays::Silent, *s, o);
            let status = checks::get("perm.can-query-property").unwrap().outcome[outcome].status;
            assert_ne!(
                status,
                crate::report::Status::Fail,
                "{s:?} {o:?} → {outcome}"
            );
        }
    }
    for u in [
        UsageClass::DeniedObject,
        UsageClass::DeniedUnknown,
        UsageClass::BlockedObject,
        UsageClass::BlockedRole,
        UsageClass::BlockedUnknown,
    ] {
        for l in [ListSays::Has, ListSays::Silent, ListSays::Fault] {
            let outcome = perm::decide_detailed_usage(l, u);
            let status =
                checks::get("perm.can-view-detailed-usage").unwrap().outcome[outcome].status;
            assert_ne!(
                status,
                crate::report::Status::Fail,
                "{l:?} {u:?} → {outcome}"
            );
        }
    }
}

/// The API is the authority: a role-level refusal fails the permission whatever the list says
/// (a stale list, a cache), so a smoke check cannot exit 0 on a call the integration needs.
#[test]
fn a_role_level_refusal_fails_a_permission_the_list_shows() {
    use crate::report::Status;
    let status = |id: &str, o: &str| checks::get(id).unwrap().outcome[o].status;
    for l in ListSays::ALL {
        for o in ObjectClass::ALL {
            if *o == ObjectClass::Visible {
                continue; // the property came back: the permission works
            }
            let outcome = perm::decide_query_property(*l, SearchClass::DeniedRole, *o);
            assert_eq!(
                status("perm.can-query-property", outcome),
                Status::Fail,
                "{l:?} {o:?} → {outcome}"
            );
        }
        let outcome = perm::decide_detailed_usage(*l, UsageClass::DeniedRole);
        assert_eq!(
            status("perm.can-view-detailed-usage", outcome),
            Status::Fail,
            "{l:?} → {outcome}"
        );
    }
}

#[test]
fn nothing_proves_a_permission_but_data_or_the_list() {
    use crate::report::Status;
    for l in [ListSays::Silent, ListSays::Fault] {
        for u in UsageClass::ALL {
            let outcome = perm::decide_detailed_usage(l, *u);
            let status =
                checks::get("perm.can-view-detailed-usage").unwrap().outcome[outcome].status;
            let proven = matches!(u, UsageClass::Read | UsageClass::OtherMeter);
            assert_eq!(status == Status::Pass, proven, "{l:?} {u:?} → {outcome}");
        }
    }
}

#[test]
fn a_data_target_asked_for_and_not_read_never_exits_zero() {
    use crate::report::Status;
    for u in UsageClass::ALL {
        let outcome = data::decide(true, *u);
        let status = checks::get("data.measurements").unwrap().outcome[outcome].status;
        if *u != UsageClass::Read {
            assert!(
                matches!(status, Status::Fail | Status::Error),
                "{u:?} → {outcome} ({status:?})"
            );
        }
    }
}
