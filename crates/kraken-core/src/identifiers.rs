//! Supply point identifiers: which kind a `--supply-point` value is, whether it is well formed
//! (checked before anything is sent), which market it belongs to by default, and which
//! utility filter reads that meter. One place for the rules, shared by the client, the
//! config and the simulator (which generates valid GB MPANs with the same check digit).

use crate::model::Preset;

/// Where a Kraken's supply points are, as far as its host tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Territory {
    Gb,
    Au,
    /// Any other Kraken, a custom host or the simulator.
    Other,
}

impl Territory {
    /// The territory of a market name (`GBR_ELECTRICITY`, `AUS_GAS`): its `TERRITORY_` prefix.
    pub fn of_market(market: &str) -> Territory {
        let m = market.trim().to_ascii_uppercase();
        if m.starts_with("GBR_") {
            Territory::Gb
        } else if m.starts_with("AUS_") {
            Territory::Au
        } else {
            Territory::Other
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Territory::Gb => "GB",
            Territory::Au => "Australian",
            Territory::Other => "other",
        }
    }

    /// The territory of a known Kraken's host.
    pub fn of_host(host: &str) -> Territory {
        match Preset::of_host(host).map(|(p, _)| p.name) {
            Some("octopus-gb" | "edf-gb" | "eonnext") => Territory::Gb,
            Some("origin") => Territory::Au,
            _ => Territory::Other,
        }
    }
}

/// The markets whose identifiers the tool knows: each takes one kind, described for people.
const MARKET_KINDS: [(&str, IdKind, &str); 4] = [
    ("GBR_ELECTRICITY", IdKind::Mpan, "the 13-digit MPAN core"),
    ("GBR_GAS", IdKind::Mprn, "the MPRN (6 to 10 digits)"),
    ("AUS_ELECTRICITY", IdKind::Nmi, "the NMI (10 characters)"),
    (
        "AUS_GAS",
        IdKind::Mirn,
        "the MIRN (10 digits, starting with 5)",
    ),
];

/// What kind of identifier a supply point value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    /// GB electricity: a 13-digit MPAN core with a check digit.
    Mpan,
    /// GB gas: a 6- to 10-digit MPRN.
    Mprn,
    /// AU electricity: a 10-character NMI.
    Nmi,
    /// AU gas: a 10-digit MIRN.
    Mirn,
    /// Any other territory's identifier, taken as given.
    Other,
}

impl IdKind {
    /// The kind of identifier `market` takes (`GBR_ELECTRICITY` → MPAN), for a market the
    /// tool knows.
    pub fn of_market(market: &str) -> Option<IdKind> {
        MARKET_KINDS
            .iter()
            .find(|(m, _, _)| *m == market)
            .map(|(_, kind, _)| *kind)
    }

    /// Whether `id` is a whole identifier of this kind as a Kraken keeps it, checksum
    /// included: an MPAN core with its check digit, an MPRN of 6 to 10 digits, an NMI (10
    /// characters, no I or O) or a MIRN (10 digits starting with 5) and its AEMO checksum
    /// digit. The simulator checks its scenarios' supply points with it.
    pub fn is_whole(self, id: &str) -> bool {
        let digits = !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit());
        let aemo = || {
            id.len() == 11
                && nmi_shape(&id[..10])
                && aemo_checksum(&id[..10])
                    .zip(id[10..].parse::<u32>().ok())
                    .is_some_and(|(a, b)| a == b)
        };
        match self {
            IdKind::Mpan => mpan_is_valid(id),
            IdKind::Mprn => digits && (6..=10).contains(&id.len()),
            IdKind::Nmi => id.is_ascii() && aemo() && au_kind(&id[..10]) == IdKind::Nmi,
            IdKind::Mirn => digits && aemo() && au_kind(&id[..10]) == IdKind::Mirn,
            IdKind::Other => !id.is_empty(),
        }
    }

    /// [`IdKind::is_whole`]'s form, for people.
    pub fn whole_form(self) -> &'static str {
        match self {
            IdKind::Mpan => "a 13-digit MPAN core with a valid check digit",
            IdKind::Mprn => "an MPRN of 6 to 10 digits",
            IdKind::Nmi => {
                "an NMI: 10 capital letters or digits (no I or O) and their checksum digit"
            }
            IdKind::Mirn => "a MIRN: 10 digits starting with 5 and their checksum digit",
            IdKind::Other => "an identifier",
        }
    }
}

/// The utility a filter reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Utility {
    Electricity,
    Gas,
}

/// A supply point identifier, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupplyPointId {
    /// As sent: trimmed, spaces removed, a checksum character dropped where one was given.
    pub value: String,
    pub kind: IdKind,
}

const MPAN_WEIGHTS: [u32; 12] = [3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43];

/// The check digit of a GB MPAN core's first twelve digits.
pub fn mpan_check_digit(first12: &str) -> Option<u32> {
    if first12.len() != 12 {
        return None;
    }
    let mut sum = 0;
    for (c, w) in first12.chars().zip(MPAN_WEIGHTS) {
        sum += c.to_digit(10)? * w;
    }
    Some(sum % 11 % 10)
}

/// Whether `mpan` is a 13-digit MPAN core whose last digit is the right check digit.
pub fn mpan_is_valid(mpan: &str) -> bool {
    if mpan.len() != 13 || !mpan.is_ascii() {
        return false;
    }
    let (first, last) = mpan.split_at(12);
    matches!(
        (mpan_check_digit(first), last.chars().next().and_then(|c| c.to_digit(10))),
        (Some(expected), Some(got)) if expected == got
    )
}

/// The AEMO checksum of a 10-character NMI or MIRN: from the right, every second character's
/// ASCII value doubled (starting with the last), the digits of all values summed, and the
/// distance to the next multiple of ten.
pub fn aemo_checksum(id10: &str) -> Option<u32> {
    if id10.len() != 10 || !id10.is_ascii() {
        return None;
    }
    let mut sum = 0;
    for (i, b) in id10.bytes().rev().enumerate() {
        let mut v = u32::from(b.to_ascii_uppercase());
        if i % 2 == 0 {
            v *= 2;
        }
        while v > 0 {
            sum += v % 10;
            v /= 10;
        }
    }
    Some((10 - sum % 10) % 10)
}

/// NMI characters: digits and capital letters other than I and O.
fn nmi_shape(s: &str) -> bool {
    s.len() == 10
        && s.chars()
            .all(|c| c.is_ascii_digit() || (c.is_ascii_uppercase() && c != 'I' && c != 'O'))
}

impl SupplyPointId {
    /// Check a `--supply-point` value for the Kraken at `territory`. An error says what is
    /// wrong (a usage error: nothing is sent).
    pub fn parse(raw: &str, territory: Territory) -> Result<SupplyPointId, String> {
        let value: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
        let digits = value.chars().all(|c| c.is_ascii_digit());
        let id = |value: &str, kind| {
            Ok(SupplyPointId {
                value: value.to_string(),
                kind,
            })
        };
        if digits && value.len() == 13 {
            let expected = mpan_check_digit(&value[..12]).unwrap_or(0);
            return if mpan_is_valid(&value) {
                id(&value, IdKind::Mpan)
            } else {
                Err(format!(
                    "--supply-point {raw}: not a valid GB MPAN (the check digit of {} is {expected}, \
                     not {}); copy the 13-digit core from the bill or the meter",
                    &value[..12],
                    &value[12..]
                ))
            };
        }
        let upper = value.to_ascii_uppercase();
        let has_letter = upper.chars().any(|c| c.is_ascii_alphabetic());
        let au =
            territory == Territory::Au || (has_letter && nmi_shape(&upper[..upper.len().min(10)]));
        if au && upper.len() == 11 && nmi_shape(&upper[..10]) {
            let (core, given) = upper.split_at(10);
            let expected = aemo_checksum(core).unwrap_or(0);
            if given.chars().next().and_then(|c| c.to_digit(10)) != Some(expected) {
                return Err(format!(
                    "--supply-point {raw}: the checksum of {core} is {expected}, not {given}; \
                     give the 10-character NMI or MIRN"
                ));
            }
            return id(core, au_kind(core));
        }
        if au && nmi_shape(&upper) {
            return id(&upper, au_kind(&upper));
        }
        if territory == Territory::Gb && digits && (6..=10).contains(&value.len()) {
            return id(&value, IdKind::Mprn);
        }
        if territory == Territory::Gb {
            return Err(format!(
                "--supply-point {raw}: not a GB MPAN (13 digits) or MPRN (6 to 10 digits)"
            ));
        }
        id(&value, IdKind::Other)
    }

    /// Check a data target's supply point the same way wherever the Kraken came from (a
    /// preset or a custom URL): against the market given, else the territory of the Kraken's
    /// host. A market of one territory on a Kraken of another, or an identifier of another
    /// kind than the market's (an MPRN with GBR_ELECTRICITY), is refused before anything is
    /// sent.
    pub fn for_target(
        raw: &str,
        market: Option<&str>,
        host_territory: Territory,
    ) -> Result<SupplyPointId, String> {
        let market = market.map(|m| m.trim().to_ascii_uppercase());
        let territory = match market.as_deref().map(Territory::of_market) {
            Some(t) if t != Territory::Other => {
                if host_territory != Territory::Other && host_territory != t {
                    return Err(format!(
                        "--market-name {} is a {} market, but this Kraken is {}: give one of \
                         its markets ({}), or the API URL of a {} Kraken",
                        market.as_deref().unwrap_or(""),
                        t.describe(),
                        host_territory.describe(),
                        host_territory.markets().join(", "),
                        t.describe()
                    ));
                }
                t
            }
            _ => host_territory,
        };
        let id = SupplyPointId::parse(raw, territory)?;
        let Some(market) = market else {
            return Ok(id);
        };
        let expected = MARKET_KINDS.iter().find(|(m, _, _)| *m == market);
        match expected {
            Some((_, kind, what)) if *kind != id.kind => {
                let other = MARKET_KINDS
                    .iter()
                    .find(|(_, k, _)| *k == id.kind)
                    .map(|(m, _, _)| format!(", or --market-name {m} for this {}", id.kind_name()))
                    .unwrap_or_default();
                Err(format!(
                    "--supply-point {raw}: with --market-name {market}, give {what}{other}"
                ))
            }
            _ => Ok(id),
        }
    }

    fn kind_name(&self) -> &'static str {
        match self.kind {
            IdKind::Mpan => "MPAN",
            IdKind::Mprn => "MPRN",
            IdKind::Nmi => "NMI",
            IdKind::Mirn => "MIRN",
            IdKind::Other => "supply point",
        }
    }

    /// The market of this kind of identifier, where the shared facts name one.
    pub fn default_market(&self) -> Option<&'static str> {
        match self.kind {
            IdKind::Mpan => Some("GBR_ELECTRICITY"),
            IdKind::Mprn => Some("GBR_GAS"),
            IdKind::Nmi | IdKind::Mirn | IdKind::Other => None,
        }
    }

    /// The utility to filter measurements by: the market's word first, then the kind.
    pub fn utility(&self, market: Option<&str>) -> Option<Utility> {
        let market = market.unwrap_or("").to_ascii_uppercase();
        if market.contains("GAS") {
            return Some(Utility::Gas);
        }
        if market.contains("ELECTRICITY") {
            return Some(Utility::Electricity);
        }
        match self.kind {
            IdKind::Mpan | IdKind::Nmi => Some(Utility::Electricity),
            IdKind::Mprn | IdKind::Mirn => Some(Utility::Gas),
            IdKind::Other => None,
        }
    }

    /// `MPAN 1200012345679`, for people.
    pub fn describe(&self) -> String {
        format!("{} {}", self.kind_name(), self.value)
    }
}

impl Territory {
    /// The markets of this territory's Krakens, electricity first.
    pub fn markets(self) -> &'static [&'static str] {
        match self {
            Territory::Gb => &["GBR_ELECTRICITY", "GBR_GAS"],
            Territory::Au => &["AUS_ELECTRICITY", "AUS_GAS"],
            Territory::Other => &[],
        }
    }
}

/// AU gas MIRNs start with 5; the rest are NMIs.
fn au_kind(core: &str) -> IdKind {
    if core.starts_with('5') && core.chars().all(|c| c.is_ascii_digit()) {
        IdKind::Mirn
    } else {
        IdKind::Nmi
    }
}

#[cfg(test)]
mod tests;
