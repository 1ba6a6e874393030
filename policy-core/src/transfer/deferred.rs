//! A transfer decision put off until the upstream is known.

use alloc::string::String;

use super::region::Subject;
use crate::consent::ConsentCookie;
use crate::law::Date;

/// The request-phase inputs of a decision, kept so that the decision can be taken again once
/// the upstream's locality is known ([`super::TransferPolicy::decide_deferred`]).
///
/// Made by [`super::TransferPolicy::decide_request_or_defer`]; it owns copies of what the
/// request headers said (subject regions, GPC, consent cookie, audience), because Envoy does
/// not let a filter read the request headers in the response phase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deferred {
    pub(crate) subject: Subject,
    pub(crate) gpc: bool,
    pub(crate) consent: Option<ConsentCookie>,
    pub(crate) audience: Option<String>,
    pub(crate) audience_header: String,
    pub(crate) profile: Option<String>,
    pub(crate) at: Date,
}
