//! What a reader of a script knows beyond its syntax: which parameter each `-Name` and each
//! argument binds to ([`binding`], with the cmdlet catalog), the literal values of variables
//! ([`values`]), the value of strings built from them ([`strings`]), and what a `@splat` passes
//! ([`splats`]). Lint, import and transpile share it.
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

pub mod binding;
pub mod splats;
pub mod strings;
pub mod values;

pub use binding::{Binding, BoundParameter, Positional, bind};
pub use splats::{Splat, SplatEntry, SplatSource};
pub use values::{Assigned, Known, Value, Values};

#[cfg(test)]
mod proptests;
