//! Which rules run: `--select` and `--ignore` on the command line, and the same keys in an
//! optional `.xprem.toml` (found by walking up from each file's folder). The command line wins:
//! `--select` replaces the file's selection, `--ignore` adds to what is ignored.
//!
//! ```toml
//! # .xprem.toml
//! [lint]
//! select = ["all"]            # codes, group names (`credentials`), or "all"; the default
//! ignore = ["undefined-variable", "encoding"]
//! ```

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::Deserialize;

use super::registry::{self, RULES};
use super::rule::Group;

/// The name of the settings file.
pub const FILE_NAME: &str = ".xprem.toml";

/// The rules that run, as one flag per entry of [`RULES`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    enabled: Vec<bool>,
}

/// A `--select`/`--ignore` value that names no rule or group.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{written}` is not a rule code or group{}", hint(.suggestion))]
pub struct UnknownSelector {
    pub written: String,
    pub suggestion: Option<String>,
}

fn hint(suggestion: &Option<String>) -> String {
    match suggestion {
        Some(s) => format!(" (did you mean `{s}`?)"),
        None => String::new(),
    }
}

impl Default for Selection {
    fn default() -> Self {
        Selection::all()
    }
}

impl Selection {
    /// Every rule.
    pub fn all() -> Selection {
        Selection {
            enabled: vec![true; RULES.len()],
        }
    }

    /// `select` (every rule when `None`) minus `ignore`.
    pub fn new(select: Option<&[String]>, ignore: &[String]) -> Result<Selection, UnknownSelector> {
        let mut enabled = vec![select.is_none(); RULES.len()];
        for s in select.unwrap_or_default() {
            for i in matching(s)? {
                enabled[i] = true;
            }
        }
        for s in ignore {
            for i in matching(s)? {
                enabled[i] = false;
            }
        }
        Ok(Selection { enabled })
    }

    /// The selection of a settings file, overridden by the command line's.
    pub fn layered(
        file: Option<&LintSettings>,
        select: Option<&[String]>,
        ignore: &[String],
    ) -> Result<Selection, UnknownSelector> {
        match (file, select) {
            (_, Some(select)) => Selection::new(Some(select), ignore),
            (None, None) => Selection::new(None, ignore),
            (Some(file), None) => {
                let mut ignored = file.ignore.clone();
                ignored.extend(ignore.iter().cloned());
                Selection::new(file.select.as_deref(), &ignored)
            }
        }
    }

    pub fn enabled(&self, code: &str) -> bool {
        RULES
            .iter()
            .position(|r| r.code == code)
            .is_some_and(|i| self.enabled[i])
    }
}

/// The indexes of the rules a selector names: a code, a group, or `all`.
fn matching(selector: &str) -> Result<Vec<usize>, UnknownSelector> {
    let s = selector.trim();
    if s.eq_ignore_ascii_case("all") {
        return Ok((0..RULES.len()).collect());
    }
    if let Some(group) = Group::ALL.iter().find(|g| g.name().eq_ignore_ascii_case(s)) {
        return Ok(RULES
            .iter()
            .enumerate()
            .filter(|(_, r)| r.group == *group)
            .map(|(i, _)| i)
            .collect());
    }
    if let Some(i) = RULES.iter().position(|r| r.code.eq_ignore_ascii_case(s)) {
        return Ok(vec![i]);
    }
    let names = RULES
        .iter()
        .map(|r| r.code)
        .chain(Group::ALL.iter().map(|g| g.name()));
    Err(UnknownSelector {
        written: s.to_owned(),
        suggestion: crate::catalog::did_you_mean(s, names)
            .map(str::to_owned)
            .or_else(|| registry::suggest(s).map(str::to_owned)),
    })
}

/// The `[lint]` table of a settings file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LintSettings {
    pub select: Option<Vec<String>>,
    #[serde(default)]
    pub ignore: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SettingsFile {
    #[serde(default)]
    lint: LintSettings,
}

/// A settings file that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    #[error("{}: cannot read the lint settings: {reason}. Check that you may read it, or remove it.", path.display())]
    Read { path: PathBuf, reason: String },
    #[error("{}:{line}:{column}: the lint settings are not valid: {reason}. The file takes a `[lint]` table with `select` and `ignore`, each a list of rule codes or group names (`xprem rules` lists them).", path.display())]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        reason: String,
    },
    #[error("{}: {source}. `xprem rules` lists the codes and groups; correct or remove it.", path.display())]
    Selector {
        path: PathBuf,
        source: UnknownSelector,
    },
}

/// Reads a settings file and checks its selectors.
pub fn read(path: &Path) -> Result<LintSettings, SettingsError> {
    let text = std::fs::read_to_string(path).map_err(|e| SettingsError::Read {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    let file: SettingsFile = toml::from_str(&text).map_err(|e| {
        let (line, column) = e
            .span()
            .map(|s| crate::powershell::LineIndex::new(&text).line_col(&text, s.start))
            .unwrap_or((1, 1));
        SettingsError::Invalid {
            path: path.to_path_buf(),
            line,
            column,
            reason: e.message().trim_end_matches('.').to_owned(),
        }
    })?;
    for s in file.lint.select.iter().flatten().chain(&file.lint.ignore) {
        matching(s).map_err(|source| SettingsError::Selector {
            path: path.to_path_buf(),
            source,
        })?;
    }
    Ok(file.lint)
}

/// Finds and reads the settings file that applies to each folder, once per folder.
#[derive(Debug, Default)]
pub struct Finder {
    /// Per folder: the settings file that applies (the nearest one above), read.
    found: Mutex<HashMap<PathBuf, Option<(PathBuf, LintSettings)>>>,
}

impl Finder {
    /// The settings for a file in `dir`: the nearest `.xprem.toml` in it or above it.
    pub fn for_dir(&self, dir: &Path) -> Result<Option<(PathBuf, LintSettings)>, SettingsError> {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
        if let Some(hit) = self.lock().get(&absolute) {
            return Ok(hit.clone());
        }
        let candidate = absolute.join(FILE_NAME);
        let found = if candidate.is_file() {
            Some((candidate.clone(), read(&candidate)?))
        } else {
            match absolute.parent() {
                Some(parent) if parent != absolute => self.for_dir(parent)?,
                _ => None,
            }
        };
        self.lock().insert(absolute, found.clone());
        Ok(found)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, Option<(PathBuf, LintSettings)>>> {
        self.found.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn select_and_ignore_take_codes_groups_and_all() {
        let s = Selection::new(Some(&strings(&["syntax"])), &[]).unwrap();
        assert!(s.enabled("syntax-error"));
        assert!(!s.enabled("unused-suppression"));
        let s = Selection::new(None, &strings(&["suppressions"])).unwrap();
        assert!(s.enabled("syntax-error"));
        assert!(!s.enabled("unused-suppression"));
        let s = Selection::new(Some(&strings(&["ALL"])), &strings(&["Syntax-Error"])).unwrap();
        assert!(!s.enabled("syntax-error"));
        let err = Selection::new(Some(&strings(&["unused-supression"])), &[]).unwrap_err();
        assert_eq!(err.suggestion.as_deref(), Some("unused-suppression"));
    }

    #[test]
    fn the_command_line_wins_over_the_file() {
        let file = LintSettings {
            select: Some(strings(&["suppressions"])),
            ignore: strings(&["unused-suppression"]),
        };
        let s = Selection::layered(Some(&file), None, &[]).unwrap();
        assert!(s.enabled("invalid-suppression") && !s.enabled("unused-suppression"));
        assert!(!s.enabled("syntax-error"));
        let s =
            Selection::layered(Some(&file), Some(&strings(&["unused-suppression"])), &[]).unwrap();
        assert!(s.enabled("unused-suppression") && !s.enabled("invalid-suppression"));
        let s = Selection::layered(Some(&file), None, &strings(&["invalid-suppression"])).unwrap();
        assert!(!s.enabled("invalid-suppression"));
    }

    #[test]
    fn settings_files_are_found_upwards_and_checked() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("a/b");
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(
            dir.path().join(FILE_NAME),
            "[lint]\nignore = [\"syntax\"]\n",
        )
        .unwrap();
        let finder = Finder::default();
        let (path, settings) = finder.for_dir(&sub).unwrap().unwrap();
        assert_eq!(
            path,
            std::path::absolute(dir.path().join(FILE_NAME)).unwrap()
        );
        assert_eq!(settings.ignore, strings(&["syntax"]));
        std::fs::write(sub.join(FILE_NAME), "[lint]\nignor = []\n").unwrap();
        let err = Finder::default().for_dir(&sub).unwrap_err();
        assert!(
            matches!(
                err,
                SettingsError::Invalid {
                    line: 2,
                    column: 1,
                    ..
                }
            ),
            "{err}"
        );
        std::fs::write(sub.join(FILE_NAME), "[lint]\nignore = [\"credentails\"]\n").unwrap();
        let err = Finder::default().for_dir(&sub).unwrap_err().to_string();
        assert!(err.contains("did you mean `credentials`"), "{err}");
    }
}
