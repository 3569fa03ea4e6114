//! Which checks a run performs: `--only` and `--skip` (ids or groups), or a set the guide
//! names; always in report order.

use super::{CheckGroup, CheckId, ids, ids_and_groups};

/// Which checks a run performs.
#[derive(Debug, Clone)]
pub struct Selection {
    selected: Vec<CheckId>,
}

impl Selection {
    /// From `--only` and `--skip`: ids or groups (`auth`, `perm.`). Unknown ids are an error
    /// listing the valid ones.
    pub fn new(only: &[String], skip: &[String]) -> Result<Selection, String> {
        let check = |list: &[String], flag: &str| -> Result<Vec<CheckId>, String> {
            let mut out = Vec::new();
            for raw in list.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
                let group = CheckGroup::parse(raw.trim_end_matches('.'));
                let chosen: Vec<CheckId> = CheckId::ALL
                    .into_iter()
                    .filter(|id| *id == raw || Some(id.group()) == group)
                    .collect();
                if chosen.is_empty() {
                    return Err(format!(
                        "{flag}: unknown check id '{raw}'{}; valid ids: {}",
                        crate::suggest::did_you_mean(raw, ids_and_groups()),
                        ids().join(", ")
                    ));
                }
                out.extend(chosen);
            }
            Ok(out)
        };
        let only = check(only, "--only")?;
        let skip = check(skip, "--skip")?;
        let selected = CheckId::ALL
            .into_iter()
            .filter(|id| (only.is_empty() || only.contains(id)) && !skip.contains(id))
            .collect();
        Ok(Selection { selected })
    }

    /// Exactly these checks, in report order.
    pub fn of(ids: &[CheckId]) -> Selection {
        Selection {
            selected: CheckId::ALL
                .into_iter()
                .filter(|id| ids.contains(id))
                .collect(),
        }
    }

    /// Every check.
    pub fn everything() -> Selection {
        Selection {
            selected: CheckId::ALL.to_vec(),
        }
    }

    pub fn has(&self, id: CheckId) -> bool {
        self.selected.contains(&id)
    }

    pub fn any(&self, ids: &[CheckId]) -> bool {
        ids.iter().any(|id| self.has(*id))
    }

    pub fn ids(&self) -> &[CheckId] {
        &self.selected
    }
}
