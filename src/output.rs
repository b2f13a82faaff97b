//! Writing outputs so that nothing is lost and nothing is half-written: a folder's files are
//! written into a temporary folder beside it and moved into place at the end; an existing output
//! is replaced only with `--force`, only once the new one is complete, and only when it is a
//! previous output of the same kind (a folder that holds nothing but the files its manifest
//! lists, unchanged): `--force` never deletes a file the user put there.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// One file of an output folder: its name in the folder and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// What may be in the way of an output folder, and what must never be inside it.
#[derive(Debug, Clone)]
pub struct FolderGuard<'a> {
    /// The manifest file (`SHA256SUMS`, in `sha256sum` format) that marks a folder as a previous
    /// output: `--force` replaces a folder only if it holds this file and nothing but the files
    /// it lists, each with the listed SHA-256.
    pub manifest: &'a str,
    /// Inputs of the run (the config, the certificate): an output folder that contains one is
    /// refused, with or without `--force`.
    pub inputs: &'a [(&'a str, PathBuf)],
}

/// How many names an error message lists before it says "and N more".
const NAMES_SHOWN: usize = 10;

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("{}: already exists. Nothing was written. Use --force to replace it, or choose another folder with --out.", path.display())]
    Exists { path: PathBuf },
    #[error("{}: already exists. Nothing was written. Use --force to replace it, or give another path.", path.display())]
    FileExists { path: PathBuf },
    #[error("{}: is not a previous xprem bundle: {reason}. --force replaces only a folder that xprem wrote (its {manifest} and the files it lists, unchanged), so nothing was written and nothing was removed. Move those files elsewhere, or choose another folder with --out.", path.display())]
    NotAPreviousOutput {
        path: PathBuf,
        manifest: String,
        reason: String,
    },
    #[error("{}: the output folder contains the {what} {} that this run reads, so it would be deleted or mixed with the bundle. Nothing was written. Choose an output folder that does not contain it, for example --out {}.", path.display(), input.display(), suggestion.display())]
    InputInside {
        path: PathBuf,
        what: String,
        input: PathBuf,
        suggestion: PathBuf,
    },
    #[error("{}: already exists and is not a folder. Nothing was written. Choose another folder with --out.", path.display())]
    NotAFolder { path: PathBuf },
    #[error("{}: is a folder. Nothing was written. Give the path of a file.", path.display())]
    IsAFolder { path: PathBuf },
    #[error("{}: cannot write there: {source}. Nothing was written. Check that the folder exists and that you may write to it, or choose another place with --out.", path.display())]
    NotWritable { path: PathBuf, source: io::Error },
    #[error("{}: writing failed: {source}. Nothing was written.", path.display())]
    Write { path: PathBuf, source: io::Error },
    #[error("{}: could not be replaced: {source}. The previous contents are unchanged.", path.display())]
    Replace { path: PathBuf, source: io::Error },
}

/// Writes `files` as the folder `out`.
pub fn write_folder(
    out: &Path,
    files: &[File],
    force: bool,
    guard: &FolderGuard,
) -> Result<(), OutputError> {
    check_inputs_outside(out, guard)?;
    let existing = match fs::symlink_metadata(out) {
        Ok(meta) if meta.is_dir() => true,
        Ok(_) => {
            return Err(OutputError::NotAFolder {
                path: out.to_path_buf(),
            });
        }
        Err(_) => false,
    };
    if existing && !force {
        return Err(OutputError::Exists {
            path: out.to_path_buf(),
        });
    }
    if existing {
        check_previous_output(out, guard.manifest)?;
    }
    let parent = parent_of(out);
    let created = create_parents(&parent)?;
    let result = write_folder_in(out, &parent, files, existing);
    if result.is_err() {
        remove_created(&created);
    }
    result
}

fn write_folder_in(
    out: &Path,
    parent: &Path,
    files: &[File],
    existing: bool,
) -> Result<(), OutputError> {
    let staging = temp_builder(".xprem-new-")
        .tempdir_in(parent)
        .map_err(|source| OutputError::NotWritable {
            path: parent.to_path_buf(),
            source,
        })?;
    for file in files {
        let path = staging.path().join(&file.name);
        write_synced(&path, &file.bytes).map_err(|source| OutputError::Write {
            path: out.join(&file.name),
            source,
        })?;
    }

    if !existing {
        return fs::rename(staging.path(), out)
            .map(|()| {
                // The folder now lives at `out`; the guard must not delete it.
                let _ = staging.keep();
            })
            .map_err(|source| OutputError::Write {
                path: out.to_path_buf(),
                source,
            });
    }

    // Replace: move the old folder aside, move the new one in, then delete the old one. If the
    // second move fails, the old folder goes back.
    let aside = temp_builder(".xprem-old-")
        .tempdir_in(parent)
        .map_err(|source| OutputError::NotWritable {
            path: parent.to_path_buf(),
            source,
        })?;
    let aside_path = aside.path().to_path_buf();
    // Renaming onto an existing folder is not portable: free the reserved name first.
    drop(aside);
    fs::rename(out, &aside_path).map_err(|source| OutputError::Replace {
        path: out.to_path_buf(),
        source,
    })?;
    if let Err(source) = fs::rename(staging.path(), out) {
        let _ = fs::rename(&aside_path, out);
        return Err(OutputError::Replace {
            path: out.to_path_buf(),
            source,
        });
    }
    let _ = staging.keep();
    let _ = fs::remove_dir_all(&aside_path);
    Ok(())
}

/// Replaces an existing file's bytes atomically, keeping its permissions: what `lint --fix`
/// does to a script. The file is either the old one or the new one, never a mix.
pub fn replace_file(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let permissions = fs::metadata(path)
        .map_err(|source| OutputError::Write {
            path: path.to_path_buf(),
            source,
        })?
        .permissions();
    let parent = parent_of(path);
    let mut temp = tempfile::Builder::new()
        .prefix(".xprem-")
        .tempfile_in(&parent)
        .map_err(|source| OutputError::NotWritable {
            path: parent.clone(),
            source,
        })?;
    temp.write_all(bytes)
        .and_then(|()| temp.as_file().set_permissions(permissions))
        .and_then(|()| temp.as_file().sync_all())
        .map_err(|source| OutputError::Write {
            path: path.to_path_buf(),
            source,
        })?;
    temp.persist(path).map_err(|err| OutputError::Write {
        path: path.to_path_buf(),
        source: err.error,
    })?;
    Ok(())
}

/// Writes one file atomically: a temporary file beside it, renamed into place.
pub fn write_file(path: &Path, bytes: &[u8], force: bool) -> Result<(), OutputError> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => {
            return Err(OutputError::IsAFolder {
                path: path.to_path_buf(),
            });
        }
        Ok(_) if !force => {
            return Err(OutputError::FileExists {
                path: path.to_path_buf(),
            });
        }
        _ => {}
    }
    let parent = parent_of(path);
    let created = create_parents(&parent)?;
    let result = (|| {
        let mut builder = tempfile::Builder::new();
        builder.prefix(".xprem-");
        #[cfg(unix)]
        {
            // The file becomes the output: give it the permissions a plain create would (the
            // process umask still applies), not tempfile's owner-only default.
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(fs::Permissions::from_mode(0o666));
        }
        let mut temp = builder
            .tempfile_in(&parent)
            .map_err(|source| OutputError::NotWritable {
                path: parent.clone(),
                source,
            })?;
        temp.write_all(bytes)
            .and_then(|()| temp.as_file().sync_all())
            .map_err(|source| OutputError::Write {
                path: path.to_path_buf(),
                source,
            })?;
        let persisted = if force {
            temp.persist(path).map(|_| ())
        } else {
            temp.persist_noclobber(path).map(|_| ())
        };
        persisted.map_err(|err| {
            if err.error.kind() == io::ErrorKind::AlreadyExists {
                OutputError::FileExists {
                    path: path.to_path_buf(),
                }
            } else {
                OutputError::Write {
                    path: path.to_path_buf(),
                    source: err.error,
                }
            }
        })
    })();
    if result.is_err() {
        remove_created(&created);
    }
    result
}

/// Refuses an output folder that holds (at any depth) one of the run's inputs. Paths are compared
/// after resolving links and `..`, so `--out .` next to the config is caught too.
fn check_inputs_outside(out: &Path, guard: &FolderGuard) -> Result<(), OutputError> {
    let Ok(out_real) = fs::canonicalize(out) else {
        // A folder that does not exist yet holds nothing.
        return Ok(());
    };
    for (what, input) in guard.inputs {
        if let Ok(input_real) = fs::canonicalize(input)
            && input_real.starts_with(&out_real)
        {
            let name = out_real
                .file_name()
                .map(|n| format!("{}-bundle", n.to_string_lossy()))
                .unwrap_or_else(|| "bundle".to_owned());
            return Err(OutputError::InputInside {
                path: out.to_path_buf(),
                what: (*what).to_owned(),
                input: input.clone(),
                suggestion: out_real
                    .parent()
                    .map_or_else(|| PathBuf::from(&name), |p| p.join(&name)),
            });
        }
    }
    Ok(())
}

/// Accepts `out` for replacement only when it is a previous output: it holds `manifest`, and every
/// other entry is a plain file that the manifest lists, with the SHA-256 it lists. Anything else
/// (a file of the user's, a sub-folder, a link, a script edited since) would be lost by the
/// replacement, so it is refused and named.
fn check_previous_output(out: &Path, manifest: &str) -> Result<(), OutputError> {
    let refuse = |reason: String| OutputError::NotAPreviousOutput {
        path: out.to_path_buf(),
        manifest: manifest.to_owned(),
        reason,
    };
    let entries = fs::read_dir(out).map_err(|source| OutputError::Replace {
        path: out.to_path_buf(),
        source,
    })?;
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| OutputError::Replace {
            path: out.to_path_buf(),
            source,
        })?;
        let kind = entry.file_type().map_err(|source| OutputError::Replace {
            path: out.to_path_buf(),
            source,
        })?;
        let name = entry.file_name().to_string_lossy().into_owned();
        names.push((name, kind));
    }
    names.sort_by(|a, b| a.0.cmp(&b.0));
    if names.is_empty() {
        // An empty folder holds nothing to lose.
        return Ok(());
    }
    let listed = match fs::read(out.join(manifest)) {
        Ok(bytes) => parse_manifest(&bytes),
        Err(_) => {
            return Err(refuse(format!(
                "it has no {manifest}, and it holds {}",
                name_list(names.iter().map(|(n, k)| shown_name(n, k)))
            )));
        }
    };
    let mut foreign = Vec::new();
    let mut changed = Vec::new();
    for (name, kind) in &names {
        if name == manifest && kind.is_file() {
            continue;
        }
        match listed.iter().find(|(_, listed_name)| listed_name == name) {
            Some((digest, _)) if kind.is_file() => {
                let actual = fs::read(out.join(name))
                    .map(|bytes| hex::encode(Sha256::digest(bytes)))
                    .unwrap_or_default();
                if !actual.eq_ignore_ascii_case(digest) {
                    changed.push(name.clone());
                }
            }
            _ => foreign.push(shown_name(name, kind)),
        }
    }
    let mut reasons = Vec::new();
    if !foreign.is_empty() {
        reasons.push(format!(
            "it holds {} that {manifest} does not list",
            name_list(foreign.into_iter())
        ));
    }
    if !changed.is_empty() {
        reasons.push(format!(
            "{} changed since xprem wrote {}",
            name_list(changed.into_iter()),
            if reasons.is_empty() {
                "it"
            } else {
                "the bundle"
            }
        ));
    }
    if reasons.is_empty() {
        Ok(())
    } else {
        Err(refuse(reasons.join("; and ")))
    }
}

/// The `(digest, name)` pairs of a `sha256sum`-format manifest; lines of another form are skipped
/// (so the files they would name count as foreign).
pub(crate) fn parse_manifest(bytes: &[u8]) -> Vec<(String, String)> {
    String::from_utf8_lossy(bytes)
        .lines()
        .filter_map(|line| {
            let (digest, name) = line.split_once("  ").or_else(|| line.split_once(" *"))?;
            (digest.len() == 64 && digest.bytes().all(|b| b.is_ascii_hexdigit()))
                .then(|| (digest.to_owned(), name.trim_end_matches('\r').to_owned()))
        })
        .collect()
}

fn shown_name(name: &str, kind: &fs::FileType) -> String {
    if kind.is_dir() {
        format!("{name}/")
    } else if kind.is_symlink() {
        format!("{name} (a link)")
    } else {
        name.to_owned()
    }
}

/// `a, b and c`, or `a, b, ... and 12 more`.
fn name_list(names: impl Iterator<Item = String>) -> String {
    let names: Vec<String> = names.collect();
    let shown = &names[..names.len().min(NAMES_SHOWN)];
    let rest = names.len() - shown.len();
    let mut text = shown.join(", ");
    if rest > 0 {
        text.push_str(&format!(" and {rest} more"));
    }
    text
}

fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Creates the missing folders above the output and returns them, deepest last, so that a
/// failed run can remove them again.
fn create_parents(parent: &Path) -> Result<Vec<PathBuf>, OutputError> {
    let mut missing: Vec<PathBuf> = parent
        .ancestors()
        .take_while(|p| !p.as_os_str().is_empty() && !p.exists())
        .map(Path::to_path_buf)
        .collect();
    missing.reverse();
    for dir in &missing {
        if let Err(source) = fs::create_dir(dir) {
            remove_created(&missing);
            return Err(OutputError::NotWritable {
                path: dir.clone(),
                source,
            });
        }
    }
    Ok(missing)
}

fn remove_created(created: &[PathBuf]) {
    for dir in created.iter().rev() {
        // Only empty folders: never delete anything xprem did not create.
        let _ = fs::remove_dir(dir);
    }
}

fn temp_builder(prefix: &str) -> tempfile::Builder<'_, '_> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(prefix);
    #[cfg(unix)]
    {
        // The folder becomes the output: give it the permissions a plain mkdir would (the
        // process umask still applies), not tempfile's owner-only default.
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o777));
    }
    builder
}

fn write_synced(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = fs::File::create(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = "SUMS";

    fn guard<'a>(inputs: &'a [(&'a str, PathBuf)]) -> FolderGuard<'a> {
        FolderGuard {
            manifest: MANIFEST,
            inputs,
        }
    }

    fn files() -> Vec<File> {
        let a = b"new".to_vec();
        let sums = format!("{}  a.txt\n", hex::encode(Sha256::digest(&a)));
        vec![
            File {
                name: "a.txt".into(),
                bytes: a,
            },
            File {
                name: MANIFEST.into(),
                bytes: sums.into_bytes(),
            },
        ]
    }

    #[test]
    fn writes_a_new_folder_and_refuses_to_overwrite_without_force() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("deep/er/out");
        write_folder(&out, &files(), false, &guard(&[])).unwrap();
        assert_eq!(fs::read(out.join("a.txt")).unwrap(), b"new");
        let err = write_folder(&out, &files(), false, &guard(&[])).unwrap_err();
        assert!(matches!(err, OutputError::Exists { .. }));
    }

    #[test]
    fn force_replaces_a_previous_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        write_folder(&out, &files(), false, &guard(&[])).unwrap();
        // A previous output that listed a file this one no longer has: it goes too.
        let old = b"old".to_vec();
        fs::write(out.join("gone.txt"), &old).unwrap();
        let mut sums = fs::read_to_string(out.join(MANIFEST)).unwrap();
        sums.push_str(&format!(
            "{}  gone.txt\n",
            hex::encode(Sha256::digest(&old))
        ));
        fs::write(out.join(MANIFEST), sums).unwrap();
        write_folder(&out, &files(), true, &guard(&[])).unwrap();
        assert!(!out.join("gone.txt").exists());
        assert_eq!(fs::read(out.join("a.txt")).unwrap(), b"new");
        // No temporary folders are left beside it.
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("out")]);
    }

    #[test]
    fn force_never_replaces_a_folder_with_files_of_the_users() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        // No manifest at all: a folder of the user's (like --out ~).
        fs::create_dir(&out).unwrap();
        fs::write(out.join("notes.txt"), b"mine").unwrap();
        fs::create_dir(out.join("photos")).unwrap();
        let err = write_folder(&out, &files(), true, &guard(&[])).unwrap_err();
        let text = err.to_string();
        assert!(matches!(err, OutputError::NotAPreviousOutput { .. }));
        assert!(
            text.contains("no SUMS") && text.contains("notes.txt, photos/"),
            "{text}"
        );
        assert_eq!(fs::read(out.join("notes.txt")).unwrap(), b"mine");

        // A previous output with a file added, and one edited since.
        let out = dir.path().join("bundle");
        write_folder(&out, &files(), false, &guard(&[])).unwrap();
        fs::write(out.join("extra.ps1"), b"mine").unwrap();
        fs::write(out.join("a.txt"), b"edited").unwrap();
        let text = write_folder(&out, &files(), true, &guard(&[]))
            .unwrap_err()
            .to_string();
        assert!(text.contains("extra.ps1 that SUMS does not list"), "{text}");
        assert!(text.contains("a.txt changed since"), "{text}");
        assert_eq!(fs::read(out.join("extra.ps1")).unwrap(), b"mine");
        assert_eq!(fs::read(out.join("a.txt")).unwrap(), b"edited");
    }

    #[test]
    fn long_lists_of_files_are_cut() {
        let names = (0..25).map(|i| format!("f{i}"));
        assert_eq!(
            name_list(names),
            "f0, f1, f2, f3, f4, f5, f6, f7, f8, f9 and 15 more"
        );
    }

    #[test]
    fn an_input_inside_the_output_folder_is_refused_even_with_force() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        write_folder(&out, &files(), false, &guard(&[])).unwrap();
        fs::create_dir(out.join("certs")).unwrap();
        let cert = out.join("certs/oauth.cer");
        fs::write(&cert, b"cert").unwrap();
        let inputs = [("certificate", cert.clone())];
        let err = write_folder(&out, &files(), true, &guard(&inputs)).unwrap_err();
        assert!(matches!(err, OutputError::InputInside { .. }), "{err}");
        assert!(err.to_string().contains("certificate"), "{err}");
        // Through another spelling of the same folder, too.
        let inputs = [("config file", out.join("certs/../certs/oauth.cer"))];
        let dotted = out.join("certs/..");
        assert!(matches!(
            write_folder(&dotted, &files(), true, &guard(&inputs)).unwrap_err(),
            OutputError::InputInside { .. }
        ));
        assert_eq!(fs::read(&cert).unwrap(), b"cert");
    }

    #[test]
    fn a_file_in_the_way_is_refused_even_with_force() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        fs::write(&out, b"x").unwrap();
        assert!(matches!(
            write_folder(&out, &files(), true, &guard(&[])).unwrap_err(),
            OutputError::NotAFolder { .. }
        ));
        assert_eq!(fs::read(&out).unwrap(), b"x");
    }

    #[test]
    fn single_files_are_not_overwritten_without_force() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.toml");
        write_file(&path, b"one", false).unwrap();
        let err = write_file(&path, b"two", false).unwrap_err();
        assert!(matches!(err, OutputError::FileExists { .. }));
        // The advice names only flags that the file-writing commands have.
        assert!(!err.to_string().contains("--out"), "{err}");
        write_file(&path, b"two", true).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
    }

    #[cfg(unix)]
    #[test]
    fn a_written_file_has_the_permissions_of_a_plain_create() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("plain");
        fs::write(&plain, b"x").unwrap();
        let written = dir.path().join("written");
        write_file(&written, b"x", false).unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&written), mode(&plain));
    }
}
