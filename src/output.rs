//! Writing outputs so that nothing is lost and nothing is half-written: a folder's files are
//! written into a temporary folder beside it and moved into place at the end; an existing output
//! is replaced only with `--force`, and only once the new one is complete.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::bundle::File;

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("{}: already exists. Nothing was written. Use --force to replace it, or choose another folder with --out.", path.display())]
    Exists { path: PathBuf },
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
pub fn write_folder(out: &Path, files: &[File], force: bool) -> Result<(), OutputError> {
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

/// Writes one file atomically: a temporary file beside it, renamed into place.
pub fn write_file(path: &Path, bytes: &[u8], force: bool) -> Result<(), OutputError> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => {
            return Err(OutputError::IsAFolder {
                path: path.to_path_buf(),
            });
        }
        Ok(_) if !force => {
            return Err(OutputError::Exists {
                path: path.to_path_buf(),
            });
        }
        _ => {}
    }
    let parent = parent_of(path);
    let created = create_parents(&parent)?;
    let result = (|| {
        let mut temp = tempfile::Builder::new()
            .prefix(".xprem-")
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
                OutputError::Exists {
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

    fn files() -> Vec<File> {
        vec![File {
            name: "a.txt".into(),
            bytes: b"new".to_vec(),
        }]
    }

    #[test]
    fn writes_a_new_folder_and_refuses_to_overwrite_without_force() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("deep/er/out");
        write_folder(&out, &files(), false).unwrap();
        assert_eq!(fs::read(out.join("a.txt")).unwrap(), b"new");
        let err = write_folder(&out, &files(), false).unwrap_err();
        assert!(matches!(err, OutputError::Exists { .. }));
    }

    #[test]
    fn force_replaces_the_whole_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("old.txt"), b"old").unwrap();
        write_folder(&out, &files(), true).unwrap();
        assert!(!out.join("old.txt").exists());
        assert_eq!(fs::read(out.join("a.txt")).unwrap(), b"new");
        // No temporary folders are left beside it.
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("out")]);
    }

    #[test]
    fn a_file_in_the_way_is_refused_even_with_force() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        fs::write(&out, b"x").unwrap();
        assert!(matches!(
            write_folder(&out, &files(), true).unwrap_err(),
            OutputError::NotAFolder { .. }
        ));
        assert_eq!(fs::read(&out).unwrap(), b"x");
    }

    #[test]
    fn single_files_are_not_overwritten_without_force() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.toml");
        write_file(&path, b"one", false).unwrap();
        assert!(matches!(
            write_file(&path, b"two", false).unwrap_err(),
            OutputError::Exists { .. }
        ));
        write_file(&path, b"two", true).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
    }
}
