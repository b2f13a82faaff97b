//! The config file: typed model, loading (JSON or TOML), the structural and meaning checks, and
//! the JSON Schema.

use std::fmt;
use std::path::{Path, PathBuf};

use time::OffsetDateTime;

use crate::cert::Certificate;
use crate::diagnostic::{Diagnostic, Severity};

mod file;
pub(crate) mod locate;
pub(crate) mod path;
pub(crate) mod source;
mod structure;
pub mod validate;

pub use file::{CertificateSource, Config, Credential, Graph, MsOnline, OnPremises, Tenant};
pub use source::{Format, Source};

/// A config that cannot be checked at all, or that has errors.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{}: the config file does not end in .json or .toml, so xprem cannot tell its format. Rename it, or start from `xprem init xprem.toml`.", path.display())]
    UnknownFormat { path: PathBuf },
    #[error("{}: cannot read the config file: {}. Check the path{}.", path.display(), io_reason(source), if source.kind() == std::io::ErrorKind::NotFound { ", or create one with `xprem init`" } else { " and that you may read it" })]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: is a folder, not a config file. Give the path of the .json or .toml file.", path.display())]
    IsDirectory { path: PathBuf },
    #[error("{}: the file is {bytes} bytes, far more than a config; is it the right file? Configs are limited to 1 MiB.", path.display())]
    TooLarge { path: PathBuf, bytes: u64 },
    #[error("{}: the config is not text xprem can read: {detail}. Save it as UTF-8.", path.display())]
    Encoding { path: PathBuf, detail: String },
    #[error("{}: the config file is empty. Start from the sample that `xprem init` writes.", path.display())]
    Empty { path: PathBuf },
    #[error("{}:{line}:{column}: malformed {}: {message}. Fix the syntax at that place (`xprem init` writes a correct sample).", path.display(), format.name())]
    Syntax {
        path: PathBuf,
        /// The file's text, and the byte offset of the error in it.
        text: String,
        offset: usize,
        format: Format,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{}:{}: the key \"{key}\" is given twice in the same place ({field}), here and at {}; JSON readers disagree on which one counts, so xprem takes neither. Keep one of them.", path.display(), source::position(text, *offset), source::position(text, *first))]
    DuplicateKey {
        path: PathBuf,
        text: String,
        /// Byte offsets of the second key and of the first.
        offset: usize,
        first: usize,
        field: String,
        key: String,
    },
    #[error("{}", Invalid { path, problems })]
    Invalid {
        path: PathBuf,
        /// The config's text, which the problems' spans index into.
        text: String,
        problems: Vec<Diagnostic>,
    },
}

impl ConfigError {
    /// The file's text, when the error is at a place in it.
    pub fn text(&self) -> Option<&str> {
        match self {
            ConfigError::Syntax { text, .. } | ConfigError::DuplicateKey { text, .. } => Some(text),
            _ => None,
        }
    }

    /// The byte offset of the error in [`ConfigError::text`].
    pub fn offset(&self) -> Option<usize> {
        match self {
            ConfigError::Syntax { offset, .. } | ConfigError::DuplicateKey { offset, .. } => {
                Some(*offset)
            }
            _ => None,
        }
    }
}

fn io_reason(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => err.to_string(),
    }
}

struct Invalid<'a> {
    path: &'a Path,
    problems: &'a [Diagnostic],
}

impl fmt::Display for Invalid<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let errors = self
            .problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .count();
        write!(
            f,
            "{}: the config has {errors} {}; nothing was written.",
            self.path.display(),
            plural(errors, "error", "errors")
        )
    }
}

pub fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// The JSON Schema of the config file.
pub fn schema() -> schemars::Schema {
    schemars::schema_for!(Config)
}

/// Everything the checks found out about a config file.
#[derive(Debug)]
pub struct Checked {
    pub source: Source,
    /// The typed config, when the file has no errors.
    pub config: Option<Config>,
    /// The certificate, when it could be read.
    pub certificate: Option<Certificate>,
    /// The certificate file's path, resolved against the config's folder.
    pub certificate_path: Option<PathBuf>,
    /// The credential window (start, end), when it could be worked out.
    pub credential: Option<(OffsetDateTime, OffsetDateTime)>,
    /// Every problem, errors and warnings, in the order of the file.
    pub problems: Vec<Diagnostic>,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(|p| p.severity == Severity::Error)
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.problems
            .iter()
            .filter(|p| p.severity == Severity::Warning)
    }

    /// The checked parts, or every problem as one error.
    pub fn into_valid(self) -> Result<Valid, ConfigError> {
        match (
            self.config,
            self.certificate,
            self.certificate_path,
            self.credential,
        ) {
            (Some(config), Some(certificate), Some(certificate_path), Some(credential))
                if !self.problems.iter().any(|p| p.severity == Severity::Error) =>
            {
                Ok(Valid {
                    source: self.source,
                    config,
                    certificate,
                    certificate_path,
                    credential,
                    warnings: self.problems,
                })
            }
            _ => Err(ConfigError::Invalid {
                path: self.source.path,
                text: self.source.text,
                problems: self.problems,
            }),
        }
    }
}

/// A config with no errors, and what was read along with it.
#[derive(Debug)]
pub struct Valid {
    pub source: Source,
    pub config: Config,
    pub certificate: Certificate,
    pub certificate_path: PathBuf,
    pub credential: (OffsetDateTime, OffsetDateTime),
    /// Warnings only.
    pub warnings: Vec<Diagnostic>,
}

/// Reads and checks a config file. `Err` means the file could not be checked at all (unreadable,
/// malformed); problems in its content are in `Checked::problems`. `as_of` is the date the
/// certificate and credential checks run at.
pub fn check(path: &Path, as_of: OffsetDateTime) -> Result<Checked, ConfigError> {
    check_with(path, as_of, &Overrides::default())
}

/// Values given on the command line for one run, in place of the config's.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `generate --cloud-module`.
    pub cloud_module: Option<crate::catalog::CloudModule>,
}

/// [`check`], with some fields set from the command line: they are checked (and warned about)
/// exactly as if the config said them.
pub fn check_with(
    path: &Path,
    as_of: OffsetDateTime,
    overrides: &Overrides,
) -> Result<Checked, ConfigError> {
    let source = Source::read(path)?;
    let mut value = source.parse()?;
    if let (Some(module), serde_json::Value::Object(map)) = (overrides.cloud_module, &mut value) {
        map.insert(
            "cloud_module".to_owned(),
            serde_json::Value::String(module.name().to_owned()),
        );
    }
    let schema = serde_json::to_value(schema()).expect("a generated schema is always valid JSON");
    let mut problems = structure::check(&value, &schema);
    let config_dir = path.parent().unwrap_or_else(|| Path::new("."));
    let meaning = validate::check(&value, config_dir, as_of);
    problems.extend(meaning.problems);
    path::sort_by_document_order(&mut problems, &value);
    // Every problem about a field is also shown at its line and column in the file.
    let located = match source.format {
        Format::Json => locate::json_locations(&source.text).unwrap_or_default(),
        Format::Toml => locate::toml_locations(&source.text).unwrap_or_default(),
    };
    locate::attach_spans(&mut problems, &located, &source.text);

    let config = if problems.iter().any(|p| p.severity == Severity::Error) {
        None
    } else {
        match serde_json::from_value::<Config>(value) {
            Ok(config) => Some(config),
            Err(err) => {
                // The structural check follows the same schema, so this means the two disagree: a
                // bug, reported as a problem rather than a panic.
                problems.push(Diagnostic::error(
                    "config-unreadable",
                    "(top level)",
                    format!("the config could not be read: {err}."),
                    "report this to the xprem maintainers with the config.",
                ));
                None
            }
        }
    };
    Ok(Checked {
        source,
        config,
        certificate: meaning.certificate,
        certificate_path: meaning.certificate_path,
        credential: meaning.credential,
        problems,
    })
}
