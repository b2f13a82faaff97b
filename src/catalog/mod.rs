//! Domain facts, with no I/O: the well-known IDs and clouds of the cross-premises procedure, and
//! the cmdlets its scripts call (parameter sets, switches, aliases, allowed values, MSOnline →
//! Microsoft Graph equivalents).
//!
//! The PowerShell parser (`crate::powershell`) never uses this module: it knows the language, not
//! the domain (a test below holds it to that).

mod clouds;
mod cmdlets;
mod ids;

pub use clouds::{Cloud, CloudModule};
pub use cmdlets::{
    Cmdlet, Module, Parameter, ParameterKind, ParameterSet, Resolution, SetMember, cmdlet, cmdlets,
    common_parameters, did_you_mean, edit_distance_within, should_process_parameters,
    suggest_cmdlet,
};
pub use ids::{
    ACS_APP_ID, DEFAULT_GRAPH_MODULES, DEFAULT_MSONLINE_MODULE, DEFAULT_OAUTH_SERVER_IDENTITY,
    DEFAULT_PARTNER_APPLICATION_IDENTITY, EXCHANGE_ONLINE_APP_ID, SHAREPOINT_ONLINE_APP_ID,
    SKYPE_ONLINE_APP_ID, TrustLevel, WELL_KNOWN_APP_IDS, lync_spn,
};
