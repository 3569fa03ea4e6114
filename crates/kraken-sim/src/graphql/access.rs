//! Who is asking and what they may read: the `Authorization` header (its form, the token),
//! the role's permissions, and the data's owner. Decided once per request for the header and
//! token; per field for permissions and objects, so each refusal lands at its field's path.

use std::sync::Arc;

use async_graphql::dynamic::ResolverContext;
use axum::http::{HeaderMap, header};

use super::errors::kraken_error;
use crate::scenario::Permission;
use crate::state::Shared;
use crate::tokens::{self, TokenCheck};
use kraken_core::model::HeaderForm;

/// What the `Authorization` header is worth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Presented {
    /// A live token of this client.
    Client(String),
    /// Refused with this Kraken code, answered at every field that needs a viewer.
    Refused(&'static str),
    /// Refused by the gateway in front of the API with this HTTP status: no GraphQL answer.
    Gateway(u16),
}

/// Decide what the `Authorization` header is worth.
pub(crate) fn authenticate(shared: &Shared, headers: &HeaderMap) -> Presented {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Presented::Refused("KT-CT-1112");
    };
    let Ok(value) = value.to_str() else {
        return Presented::Refused("KT-CT-1143");
    };
    if value.trim().is_empty() {
        return Presented::Refused("KT-CT-1112");
    }
    let Some((form, token)) = HeaderForm::parse(value) else {
        return Presented::Refused("KT-CT-1143");
    };
    let api = &shared.scenario.api;
    if !api.header_forms.contains(&form) {
        return match api.refused_header_status {
            Some(status) => Presented::Gateway(status),
            None => Presented::Refused(api.refused_header_code.code()),
        };
    }
    match tokens::check_token(shared, token) {
        TokenCheck::Valid(id) => Presented::Client(id),
        TokenCheck::Refused(code) => Presented::Refused(code),
    }
}

/// A request's viewer, handed to every resolver.
pub(crate) struct Viewer {
    pub(crate) shared: Arc<Shared>,
    /// The client_id of a valid token, or the Kraken code that refused the header or token.
    pub(crate) auth: Result<String, &'static str>,
}

/// The viewer and its client_id, or the error that refused its token.
pub(super) fn viewer<'a>(
    ctx: &ResolverContext<'a>,
) -> async_graphql::Result<(&'a Viewer, &'a str)> {
    let v = ctx.ctx.data::<Viewer>()?;
    match &v.auth {
        Ok(id) => Ok((v, id.as_str())),
        Err(code) => Err(kraken_error(code)),
    }
}

/// Whether the viewer's role holds `permission`: `Ok(true)`, `Ok(false)` for a silent denial,
/// or the scenario's denial error.
pub(super) fn allowed(
    ctx: &ResolverContext<'_>,
    permission: Permission,
) -> async_graphql::Result<bool> {
    let (v, id) = viewer(ctx)?;
    let api = &v.shared.scenario.api;
    if v.shared.permissions(id).contains(&permission) {
        return Ok(true);
    }
    v.shared
        .role_denials
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    if api.silent_denial {
        Ok(false)
    } else {
        Err(kraken_error(api.denial_code.code()))
    }
}

/// Refuse a property outside the application's customers, whatever the role carries.
pub(super) fn owned(ctx: &ResolverContext<'_>, property: usize) -> async_graphql::Result<()> {
    let (v, _) = viewer(ctx)?;
    let customer = v
        .shared
        .scenario
        .properties
        .get(property)
        .is_some_and(|p| p.customer);
    if customer {
        Ok(())
    } else {
        Err(kraken_error(
            v.shared.scenario.api.object_denial_code.code(),
        ))
    }
}
