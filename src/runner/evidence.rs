//! What a run gathered, as it came back: every token answer, the schema introspection, every
//! GraphQL exchange with its header form and attempt, and the token re-fetch. Gathering fills
//! it and decides nothing; judging reads it and sends nothing. A test can build one by hand.

use serde_json::Value;
use url::Url;

use super::DataTarget;
use super::schema::SchemaKnowledge;
use crate::checks::CheckId;
use crate::kraken::http::Failure;
use crate::kraken::model::HeaderForm;
use crate::kraken::token::TokenReply;

/// One token request: the answer, or why none came.
pub type TokenExchange = Result<TokenReply, Failure>;

/// One GraphQL request: an envelope, an answer that is not one, or no answer.
pub type GqlExchange = crate::kraken::graphql::GqlResult;

/// Which probe an exchange belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ProbeKey {
    /// The schema introspection of round one (sent without a token).
    Schema,
    /// `thirdPartyViewer`: the permission list.
    Viewer,
    /// A property search with no object behind it: role-level evidence for the search.
    Search,
    /// The data target's read: its object and its measurements.
    Read,
    /// `supplyPoint(externalIdentifier, marketName)`: where the supply point is.
    Locate,
}

impl ProbeKey {
    /// The probes of round two.
    pub const ALL: [ProbeKey; 4] = [
        ProbeKey::Viewer,
        ProbeKey::Search,
        ProbeKey::Read,
        ProbeKey::Locate,
    ];
}

/// Which token request of round one an answer belongs to (its slot in [`TokenEvidence`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenAsk {
    /// The documented request: `client_secret_post`.
    Documented,
    /// The same with HTTP Basic.
    Basic,
    /// No secret at all.
    NoSecret,
    /// A random wrong secret.
    WrongSecret,
    /// `grant_type=authorization_code` with the client id only.
    PublicProbe,
}

impl TokenAsk {
    /// Every token request, in sending order.
    pub const ALL: [TokenAsk; 5] = [
        TokenAsk::Documented,
        TokenAsk::Basic,
        TokenAsk::NoSecret,
        TokenAsk::WrongSecret,
        TokenAsk::PublicProbe,
    ];
}

/// One GraphQL document to send, with its variables.
#[derive(Debug, Clone, PartialEq)]
pub struct ProbePlan {
    pub key: ProbeKey,
    /// The document's name in its check's TOML (`read-supply-point`).
    pub name: String,
    pub document: String,
    pub variables: Value,
}

impl ProbePlan {
    /// Whether this read finds its object by a property search (the supply point reads): then
    /// it is the role-level search too, and its results are judged one by one.
    pub fn reads_by_search(&self) -> bool {
        self.key == ProbeKey::Read && self.name.starts_with("read-supply-point")
    }
}

/// One GraphQL exchange of the run.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub plan: ProbePlan,
    pub form: HeaderForm,
    /// 0 with the first token, 1 with the token fetched again.
    pub attempt: u8,
    pub result: GqlExchange,
}

/// The token requests of round one.
#[derive(Debug, Clone, Default)]
pub struct TokenEvidence {
    /// The documented request: `client_secret_post`.
    pub documented: Option<TokenExchange>,
    /// The same with HTTP Basic.
    pub basic: Option<TokenExchange>,
    /// No secret at all.
    pub no_secret: Option<TokenExchange>,
    /// A random wrong secret.
    pub wrong_secret: Option<TokenExchange>,
    /// `grant_type=authorization_code` with the client id only.
    pub public_probe: Option<TokenExchange>,
}

impl TokenEvidence {
    /// The slot of one token request.
    pub fn slot(&mut self, ask: TokenAsk) -> &mut Option<TokenExchange> {
        match ask {
            TokenAsk::Documented => &mut self.documented,
            TokenAsk::Basic => &mut self.basic,
            TokenAsk::NoSecret => &mut self.no_secret,
            TokenAsk::WrongSecret => &mut self.wrong_secret,
            TokenAsk::PublicProbe => &mut self.public_probe,
        }
    }
}

/// A token fetched again after the API called the first one stale.
#[derive(Debug, Clone)]
pub struct Refetch {
    /// How long after the first token was issued the API refused it.
    pub after_ms: u128,
    /// The code that refused it.
    pub code: String,
    pub result: TokenExchange,
}

/// Everything a run saw.
#[derive(Debug, Clone)]
pub struct Evidence {
    pub token_url: Url,
    pub graphql_url: Url,
    pub client_id: String,
    pub data: DataTarget,
    /// The selected check ids, in report order.
    pub selected: Vec<CheckId>,
    pub tokens: TokenEvidence,
    /// What introspection said about the schema.
    pub schema: SchemaKnowledge,
    /// The introspection exchange itself (no token), for the logs.
    pub introspection: Option<Exchange>,
    /// Every GraphQL exchange, in the order sent.
    pub exchanges: Vec<Exchange>,
    pub refetch: Option<Refetch>,
    /// The header form the final probes went out in.
    pub final_form: HeaderForm,
    /// The attempt of the final probes.
    pub final_attempt: u8,
    /// Why no probe was sent, when none was.
    pub api_not_sent: Option<String>,
    /// What was trimmed from the credentials as given, or looks unlike a Kraken's (never a
    /// secret): shown in `auth.token`'s evidence.
    pub credential_notes: Vec<String>,
    /// Whether form-encoding changes the client id or secret, so that HTTP Basic carries them
    /// encoded (RFC 6749 §2.3.1) and a server that does not decode them refuses it.
    pub basic_encoding_matters: bool,
}

impl Evidence {
    /// Evidence of a run that has not sent anything yet.
    pub fn new(
        token_url: Url,
        graphql_url: Url,
        client_id: String,
        data: DataTarget,
        selected: Vec<CheckId>,
    ) -> Evidence {
        Evidence {
            token_url,
            graphql_url,
            client_id,
            data,
            selected,
            tokens: TokenEvidence::default(),
            schema: SchemaKnowledge::NotAsked,
            introspection: None,
            exchanges: Vec::new(),
            refetch: None,
            final_form: HeaderForm::Bare,
            final_attempt: 0,
            api_not_sent: None,
            credential_notes: Vec::new(),
            basic_encoding_matters: false,
        }
    }

    pub fn is_selected(&self, id: CheckId) -> bool {
        self.selected.contains(&id)
    }

    /// The exchange of this probe in the final set, if it was sent.
    pub fn final_exchange(&self, key: ProbeKey) -> Option<&Exchange> {
        self.exchanges.iter().rev().find(|e| {
            e.plan.key == key && e.form == self.final_form && e.attempt == self.final_attempt
        })
    }

    /// The exchanges of one form and attempt, in the order sent.
    pub fn exchanges_of(&self, form: HeaderForm, attempt: u8) -> impl Iterator<Item = &Exchange> {
        self.exchanges
            .iter()
            .filter(move |e| e.form == form && e.attempt == attempt)
    }

    /// The issued token the API was given: the documented one, else the Basic one.
    pub fn issued(&self) -> Option<&crate::kraken::token::IssuedToken> {
        [&self.tokens.documented, &self.tokens.basic]
            .into_iter()
            .find_map(|r| match r {
                Some(Ok(TokenReply {
                    outcome: crate::kraken::token::TokenOutcome::Issued(t),
                    ..
                })) => Some(t),
                _ => None,
            })
    }
}
