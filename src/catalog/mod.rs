//! Domain facts, with no I/O: the well-known IDs and clouds of the cross-premises procedure.

mod clouds;
mod ids;

pub use clouds::{Cloud, CloudModule};
pub use ids::{
    ACS_APP_ID, DEFAULT_GRAPH_MODULES, DEFAULT_MSONLINE_MODULE, DEFAULT_OAUTH_SERVER_IDENTITY,
    DEFAULT_PARTNER_APPLICATION_IDENTITY, EXCHANGE_ONLINE_APP_ID, SHAREPOINT_ONLINE_APP_ID,
    SKYPE_ONLINE_APP_ID, TrustLevel, WELL_KNOWN_APP_IDS, lync_spn,
};
