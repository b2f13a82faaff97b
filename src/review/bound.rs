//! `review --bundle DIR`: binds the review to a bundle already written. The folder must be
//! exactly what its `SHA256SUMS` lists, and byte for byte the bundle this xprem generates from
//! the config: then every SHA-256 the review prints is the SHA-256 of a file that will run.

use std::fs;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::ReviewError;
use crate::bundle::{Bundle, SUMS};

/// Checks `dir` against its `SHA256SUMS` and against `expected`.
pub fn check(dir: &Path, expected: &Bundle) -> Result<(), ReviewError> {
    let sums_path = dir.join(SUMS);
    let sums = fs::read(&sums_path).map_err(|source| ReviewError::BundleUnreadable {
        path: sums_path.clone(),
        source,
    })?;
    let listed = crate::output::parse_manifest(&sums);
    let mut mismatched = Vec::new();
    for (digest, name) in &listed {
        match fs::read(dir.join(name)) {
            Ok(bytes) if hex::encode(Sha256::digest(&bytes)).eq_ignore_ascii_case(digest) => {}
            Ok(_) => mismatched.push(format!("{name} (changed)")),
            Err(_) => mismatched.push(format!("{name} (missing)")),
        }
    }
    let entries = fs::read_dir(dir).map_err(|source| ReviewError::BundleUnreadable {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut unlisted = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name != SUMS && !listed.iter().any(|(_, listed)| *listed == name) {
            unlisted.push(name);
        }
    }
    unlisted.sort();
    if !mismatched.is_empty() || !unlisted.is_empty() {
        return Err(ReviewError::SumsMismatch {
            dir: dir.to_path_buf(),
            mismatched,
            unlisted,
        });
    }
    let mut differing: Vec<String> = Vec::new();
    for file in &expected.files {
        match fs::read(dir.join(&file.name)) {
            Ok(bytes) if bytes == file.bytes => {}
            _ => differing.push(file.name.clone()),
        }
    }
    for (_, name) in &listed {
        if expected.file(name).is_none() {
            differing.push(name.clone());
        }
    }
    differing.sort();
    differing.dedup();
    if !differing.is_empty() {
        return Err(ReviewError::NotThisBundle {
            dir: dir.to_path_buf(),
            differing,
        });
    }
    Ok(())
}

/// Whether `out` lies inside `dir` (after resolving links and `..`): a review written there
/// would be a file its SHA256SUMS does not list.
pub fn inside(out: &Path, dir: &Path) -> bool {
    let Ok(dir) = fs::canonicalize(dir) else {
        return false;
    };
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::canonicalize(parent)
        .map(|p: PathBuf| p.starts_with(&dir))
        .unwrap_or(false)
}
