//! The closed vocabulary verdicts are decided in. Every answer of a run is classified once into
//! one of these (by `view`), and each check's decision is a total function from classes to one
//! of its outcomes (by `judge`). Each enum lists `ALL` its values, so the decision tables can
//! enumerate every combination without a server.

macro_rules! classes {
    ($($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident,)* })*) => {
        $(
            $(#[$meta])*
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
            pub enum $name { $($(#[$vmeta])* $variant,)* }

            impl $name {
                /// Every value, for the decision tables.
                #[allow(dead_code)]
                pub const ALL: &'static [$name] = &[$($name::$variant,)*];
            }
        )*
    };
}

classes! {
    /// One token request's answer.
    pub enum TokenClass {
        /// HTTP 200 with an access token.
        Issued,
        /// 401/400 `invalid_client`.
        InvalidClient,
        /// 400 `unauthorized_client`: authenticated, but not allowed this grant.
        UnauthorizedClient,
        /// Another OAuth error body (`invalid_request`, `invalid_grant`, ...).
        OtherOAuth,
        /// A redirect, 404 or 405: not a token endpoint.
        NotOAuth,
        /// An answer, but not an OAuth one (a 5xx page, say).
        Unexpected,
        /// No answer: network, timeout, TLS.
        Fault,
        /// Not asked (its check was not selected).
        NotSent,
    }

    /// Whether the fault that left a check undecided would pass on another run.
    pub enum FaultKind {
        /// A timeout, a dropped connection, an HTTP 5xx or 429, a rate limit, an internal
        /// error: running again decides it.
        Transient,
        /// An answer that cannot be read and would come back the same: not GraphQL (a web
        /// page, a 404), a malformed envelope, null without an error, a TLS failure, a body
        /// over the size limit.
        Lasting,
    }

    /// How a check that depends on another stands when that one did not come through.
    pub enum Link {
        /// Came through: dependents run.
        Usable,
        /// Proved the setup wrong.
        Failed,
        /// Could not be decided.
        Undecided,
    }

    /// What the API made of the token in one header form.
    pub enum FormClass {
        /// Judged past the token: data, or a refusal about the data.
        Accepted,
        /// The token is stale (expired, keys rotated, invalidated).
        StaleToken,
        /// The header is not taken as a credential (a code, or HTTP 401/403 from a gateway).
        HeaderRefused,
        /// The token comes from another Kraken or environment.
        WrongKraken,
        /// The API cannot verify tokens right now.
        ServerSide,
        /// Refused with no remedy to try.
        Refused,
        /// Nothing in the answers tells: faults, rate limits, schema errors, malformed answers.
        Undecided,
        /// Not sent in this form.
        NotTried,
    }

    /// Whether a fresh token was fetched after a stale one.
    pub enum RefetchClass {
        /// No probe said the token was stale.
        NotNeeded,
        /// A new token was fetched and the probes repeated.
        Fetched,
        /// The token endpoint gave no new token.
        Failed,
    }

    /// What the permission list says about one of the two required permissions.
    pub enum ListSays {
        /// Listed.
        Has,
        /// The list names the other required permission, not this one.
        Lacks,
        /// The list names permissions, neither of the two required.
        Neither,
        /// No evidence: empty, unrecognised names, field absent, denied, null, not asked.
        Silent,
        /// The viewer probe got no readable answer.
        Fault,
    }

    /// The permission list as `perm.exact` judges it.
    pub enum ExactClass {
        /// Only the required permissions (or fewer), and no other name.
        Exact,
        /// A known permission beyond the two, or a name the tool does not know beside both
        /// (or more unknown names than required permissions missing): step 12 says exactly.
        Extra,
        /// A required permission is not named, and each name the tool does not know may be
        /// one spelled another way.
        Unrecognized,
        /// An empty list: proves nothing.
        Empty,
        /// This Kraken's schema has no such field (introspection or a validation error).
        FieldMissing,
        /// Denied, null, disabled: not listed for this application.
        Unavailable,
        /// Not asked, though the check was selected.
        NotAsked,
        /// No readable answer.
        Fault,
    }

    /// A property search, the role-level evidence for CAN_QUERY_PROPERTY.
    pub enum SearchClass {
        /// At least one property came back.
        Found,
        /// Ran without a refusal and found nothing.
        Empty,
        /// Refused for the role (a denial at the search itself).
        DeniedRole,
        /// Refused for the identifier searched (a code about the data provided).
        DeniedObject,
        /// A service condition: search unavailable, not enabled, disabled.
        Unavailable,
        /// This Kraken's schema lacks the search.
        Missing,
        /// No readable answer.
        Fault,
        /// Not sent.
        NotSent,
    }

    /// One object read by its identifier (`property(id:)`): evidence tied to that object.
    pub enum ObjectClass {
        /// The object came back.
        Visible,
        /// Null without an error, or NOT_FOUND.
        Absent,
        /// Refused with a code about roles and permissions.
        DeniedRole,
        /// Refused with a code about this data or supply point.
        DeniedObject,
        /// Refused with a code the registry does not explain.
        DeniedUnknown,
        /// A service condition.
        Unavailable,
        /// This Kraken's schema lacks the field or argument.
        Missing,
        /// No readable answer.
        Fault,
        /// Not sent.
        NotSent,
    }

    /// The measurement read of the data target, on the result that matches it.
    pub enum UsageClass {
        /// A measurement came back.
        Read,
        /// A measurement came back, of another meter than the one asked for (the Kraken did
        /// not apply the meter filter): it proves the permission, not the read of that meter.
        OtherMeter,
        /// No measurement and no error.
        Empty,
        /// No readings in the period (KT-CT-4711).
        NoReadings,
        /// `measurements` refused with a roles/permissions code while its object answered.
        DeniedRole,
        /// `measurements` refused with a code about this data or supply point.
        DeniedObject,
        /// `measurements` refused with a code the registry does not explain.
        DeniedUnknown,
        /// The object above `measurements` was refused with a roles/permissions code.
        BlockedRole,
        /// The object above `measurements` was refused for this data or supply point.
        BlockedObject,
        /// The object above `measurements` was refused with an unexplained code.
        BlockedUnknown,
        /// The property or supply point does not exist on this Kraken.
        ObjectAbsent,
        /// The readings API is not configured (KT-CT-4722).
        NotConfigured,
        /// A service condition: a disabled field, search unavailable.
        Unavailable,
        /// This Kraken's schema lacks what the read needs.
        Missing,
        /// The Kraken refused an input (an invalid market name).
        InputRejected,
        /// No readable answer.
        Fault,
        /// Not sent (no data target, or nothing to send it with).
        NotSent,
    }

    /// A secret-less token request of `auth.confidential`.
    pub enum RefusalClass {
        /// Refused with `invalid_client`, as a confidential client must be.
        Refused,
        /// A token was issued.
        Issued,
        /// The public-client probe was processed (400 `unauthorized_client`, `invalid_grant`,
        /// `invalid_request`): the client is public.
        Processed,
        /// Another answer.
        Unexpected,
        /// No answer.
        Fault,
        /// Not sent.
        NotSent,
    }

    /// Whether the client proved it holds its secret (a token, or `unauthorized_client`).
    pub enum Authenticated {
        Yes,
        /// The auth server refused it: wrong secret, unknown client.
        No,
        /// Unknown: no clear answer.
        Unknown,
    }

    /// One client-authentication method of `auth.methods`.
    pub enum MethodClass {
        Works,
        Refused,
        Unknown,
    }

    /// `expires_in` of the token.
    pub enum LifetimeClass {
        /// No `expires_in`, and no JWT `exp` to tell the lifetime instead.
        Missing,
        /// `expires_in` neither a number nor a numeric string.
        Unreadable,
        /// Zero or negative.
        Dead,
        /// Under five minutes.
        Short,
        Normal,
        /// Over a day.
        Long,
    }

    /// What a JWT's `exp` says beside `expires_in`.
    pub enum ExpClass {
        /// Not a JWT.
        Opaque,
        NoExp,
        Agrees,
        Disagrees,
    }

    /// This machine's clock against the auth server's `Date`.
    pub enum SkewClass {
        /// No `Date` header.
        Unknown,
        Small,
        Large,
    }
}

impl FaultKind {
    /// The fault of several probes: lasting if any one is.
    pub fn of(kinds: impl IntoIterator<Item = FaultKind>) -> FaultKind {
        kinds.into_iter().max().unwrap_or(FaultKind::Transient)
    }
}
