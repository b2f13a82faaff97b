//! What a reader of a script knows beyond its syntax. Lint, import and transpile share it.
//!
//! * The language: which parameter each `-Name` and each argument binds to ([`binding`], with
//!   the cmdlet catalog), the literal values of variables ([`values`]), the value of strings
//!   built from them ([`strings`]) or partly known ([`template`]), what a `@splat` passes
//!   ([`splats`]), the variables an expression reads ([`variables`]), what a script checks before
//!   it acts ([`guards`]). [`Analysis`] holds one script read once, for every reader.
//! * The domain: dates and how PowerShell reads them ([`dates`]), the key credentials a script
//!   creates ([`credentials`]), certificates written in it ([`certificates`]), writes of whole
//!   SPN and key lists ([`lists`]), the Skype for Business Online principal and its SPNs
//!   ([`principals`]), the authorization server's metadata URLs and the clouds
//!   ([`auth_server`]), GUIDs and well-known IDs ([`ids`]).
//!
//! Nothing here is an error: an unknown parameter or an argument no parameter takes is a fact of
//! the [`Binding`], for the linter to turn into a finding. Everything here is conservative: a
//! value that is not certain is unknown (`None`).
//!
//! ```
//! use xprem::powershell::parse;
//! use xprem::semantic::{Values, bind};
//! let text = "$app = @{ ApplicationTrustLevel = 'Full' }\n\
//!             New-CsPartnerApplication microsoft.exchange -UseOAuthServer @app";
//! let script = parse(text).unwrap();
//! let values = Values::new(&script, text);
//! let binding = bind(script.commands()[0], &values);
//! assert_eq!(binding.positionals[0].parameter.map(|p| p.name.as_str()), Some("Identity"));
//! let level = binding.parameter("ApplicationTrustLevel").unwrap();
//! assert!(level.from_splat);
//! assert_eq!(values.string_value(level.value.unwrap()).as_deref(), Some("Full"));
//! ```

pub mod analysis;
pub mod auth_server;
pub mod binding;
pub mod certificates;
pub mod credentials;
pub mod dates;
pub mod guards;
pub mod ids;
pub mod lists;
pub mod principals;
pub mod splats;
pub mod strings;
pub mod template;
pub mod values;
pub mod variables;

pub use analysis::{Analysis, CommandUse};
pub use binding::{Binding, BoundParameter, Positional, bind};
pub use splats::{Splat, SplatEntry, SplatSource};
pub use values::{Assigned, Known, Value, Values};

#[cfg(test)]
mod proptests;
