//! The script files a command reads: the files named, and under each folder named the
//! `*.ps1`, `*.psm1` and `*.psd1` files, recursively, in name order, honouring `.gitignore`,
//! `.ignore` and git's exclude files (also outside a git repository) and skipping `.git`. A path
//! that cannot be listed is kept in its place, so the command reports it there and goes on.

use std::path::{Path, PathBuf};

/// A path to read, or one that could not be listed.
#[derive(Debug)]
pub enum Input {
    File(PathBuf),
    /// `-`: standard input.
    Stdin,
    Unlistable(PathBuf, std::io::Error),
}

/// The extensions of PowerShell scripts, modules and data files.
pub const EXTENSIONS: [&str; 3] = ["ps1", "psm1", "psd1"];

/// Whether `path` names a PowerShell file by its extension (any case).
pub fn is_script(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// The inputs for `paths`, in order: a file as given (whatever its extension), a folder's
/// scripts in name order, `-` as standard input.
pub fn collect(paths: &[PathBuf]) -> Vec<Input> {
    let mut inputs = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        match std::fs::metadata(path) {
            Err(err) => inputs.push(Input::Unlistable(path.clone(), err)),
            Ok(meta) if !meta.is_dir() => inputs.push(Input::File(path.clone())),
            Ok(_) => walk(path, &mut inputs),
        }
    }
    inputs
}

fn walk(root: &Path, inputs: &mut Vec<Input>) {
    let walker = ignore::WalkBuilder::new(root)
        .hidden(false)
        .require_git(false)
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry(|e| e.file_name() != ".git")
        .build();
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_some_and(|t| t.is_file()) && is_script(e.path()) => {
                inputs.push(Input::File(e.into_path()));
            }
            Ok(_) => {}
            Err(err) => {
                let path = error_path(&err).unwrap_or_else(|| root.to_path_buf());
                let io = err
                    .io_error()
                    .map(|e| std::io::Error::new(e.kind(), e.to_string()))
                    .unwrap_or_else(|| std::io::Error::other(err.to_string()));
                inputs.push(Input::Unlistable(path, io));
            }
        }
    }
}

fn error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(inputs: &[Input], root: &Path) -> Vec<String> {
        inputs
            .iter()
            .map(|i| match i {
                Input::File(p) => p.strip_prefix(root).unwrap().display().to_string(),
                Input::Stdin => "-".into(),
                Input::Unlistable(p, _) => format!("!{}", p.display()),
            })
            .collect()
    }

    #[test]
    fn folders_give_their_scripts_in_name_order_honouring_gitignore() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for f in [
            "b.ps1",
            "a.PSM1",
            "c.txt",
            "sub/z.psd1",
            "sub/skip.ps1",
            ".hidden/h.ps1",
            ".git/x.ps1",
            "out/o.ps1",
        ] {
            let p = root.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "").unwrap();
        }
        std::fs::write(root.join(".gitignore"), "out/\nsub/skip.ps1\n").unwrap();
        let inputs = collect(&[root.to_path_buf()]);
        assert_eq!(
            names(&inputs, root),
            [".hidden/h.ps1", "a.PSM1", "b.ps1", "sub/z.psd1"]
        );
        let inputs = collect(&[
            root.join("c.txt"),
            PathBuf::from("-"),
            root.join("nope.ps1"),
        ]);
        let shown = names(&inputs, root);
        assert_eq!(shown[..2], ["c.txt".to_string(), "-".to_string()]);
        assert!(matches!(inputs[2], Input::Unlistable(..)));
    }
}
