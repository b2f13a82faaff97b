//! `xprem lint PATH...`: check scripts with the domain's rules and report what they find.
//!
//! Files are linted in parallel; the report is in the order of the paths given (a folder's files
//! in name order). Each file's rules come from `--select`/`--ignore` and the nearest
//! `.xprem.toml`. `--fix` applies the safe fixes (all of them, in rounds, until none is left)
//! and writes each changed file atomically in its own encoding; `--diff` prints what `--fix`
//! would change and writes nothing. A path that cannot be read is reported in its place; the
//! others are still linted, and the exit code is 2.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{Outcome, eprint_diagnostics, print_stdout};
use crate::cli::{AsOf, ReportFormat};
use crate::diagnostic::{Applicability, Diagnostic, Severity, fix};
use crate::error::Error;
use crate::lint::{self, Options, Selection, settings};
use crate::model::Model;
use crate::powershell::{self, TextEncoding};
use crate::report::{self, FileReport, RuleText};
use crate::script_files::{self, Input};

/// The lowest severity that makes the exit code 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    /// Exit 0 whatever is found (input errors still exit 2).
    Never,
}

impl FailOn {
    fn fails(self, severity: Severity) -> bool {
        match self {
            FailOn::Error => severity == Severity::Error,
            FailOn::Warning => severity <= Severity::Warning,
            FailOn::Info => true,
            FailOn::Never => false,
        }
    }
}

#[derive(Debug, clap::Args)]
#[command(after_help = LINT_EXIT_CODES)]
pub struct Args {
    /// Script files, folders (searched recursively for *.ps1, *.psm1 and *.psd1, honouring
    /// .gitignore), or `-` for standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    #[command(flatten)]
    pub format: ReportFormat,

    /// The lowest severity that makes the exit code 1.
    #[arg(long, value_enum, value_name = "SEVERITY", default_value_t = FailOn::Warning)]
    pub fail_on: FailOn,

    /// Run only these rules: codes, group names (`credentials`), or `all`; comma-separated or
    /// repeated. Replaces the `select` of `.xprem.toml`.
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub select: Option<Vec<String>>,

    /// Do not run these rules (codes or group names); added to the `ignore` of `.xprem.toml`.
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub ignore: Vec<String>,

    /// Apply the safe fixes and rewrite the files (atomically, keeping their encoding, byte order
    /// mark and line endings); report what is left. With `-`, print the fixed script.
    #[arg(long, conflicts_with = "diff")]
    pub fix: bool,

    /// Print the changes the safe fixes would make, as a unified diff; write nothing.
    #[arg(long)]
    pub diff: bool,

    /// Also check the scripts against this xprem config: its tenant, SPNs and certificate.
    #[arg(long, value_name = "CONFIG")]
    pub config: Option<PathBuf>,

    #[command(flatten)]
    pub as_of: AsOf,

    /// Never show a progress bar (one is shown on a terminal when many files are linted).
    #[arg(long)]
    pub no_progress: bool,
}

const LINT_EXIT_CODES: &str = "Exit codes:\n  \
0  nothing found at or above --fail-on (default: warning)\n  \
1  findings at or above --fail-on (with --diff: fixes to apply)\n  \
2  usage or input error: bad arguments, a file that cannot be read (the others are still linted), bad .xprem.toml or --config";

/// The files that makes a progress bar worth drawing.
const PROGRESS_FROM: usize = 20;
/// Rounds of fixes at most (a fix can only be applied once the one it overlaps is in).
const FIX_ROUNDS: usize = 8;

/// One file's result.
struct Linted {
    path: PathBuf,
    text: Option<String>,
    diagnostics: Vec<Diagnostic>,
    unreadable: bool,
    /// The fixed text, when the safe fixes changed it.
    fixed: Option<String>,
    /// Why the fixes were not written.
    fix_refused: Option<String>,
    encoding: Option<TextEncoding>,
}

pub fn run(args: &Args) -> Result<Outcome, Error> {
    // Bad selectors on the command line stop the run before anything is read.
    Selection::layered(None, args.select.as_deref(), &args.ignore)
        .map_err(|e| Error::Usage(format!("{e}. `xprem rules` lists the codes and groups.")))?;
    let model = match &args.config {
        Some(path) => {
            let valid = crate::config::check_with(path, args.as_of.moment(), &Default::default())?
                .into_valid()?;
            Some(Model::new(&valid))
        }
        None => None,
    };
    let inputs = script_files::collect(&args.paths);
    let stdin_count = inputs.iter().filter(|i| matches!(i, Input::Stdin)).count();
    if stdin_count > 1 {
        return Err(Error::Usage(
            "`-` (standard input) is given more than once".into(),
        ));
    }
    // The settings of every file's folder, read before anything is linted or written: a bad
    // `.xprem.toml` stops the run with nothing changed.
    let finder = settings::Finder::default();
    let mut selections = Vec::with_capacity(inputs.len());
    for input in &inputs {
        let dir = match input {
            Input::File(p) => p.parent().map(Path::to_path_buf).unwrap_or_default(),
            Input::Stdin | Input::Unlistable(..) => PathBuf::from("."),
        };
        let found = finder
            .for_dir(&dir)
            .map_err(|e| Error::Usage(e.to_string()))?;
        let selection = Selection::layered(
            found.as_ref().map(|(_, s)| s),
            args.select.as_deref(),
            &args.ignore,
        )
        .map_err(|e| Error::Usage(e.to_string()))?;
        selections.push(selection);
    }
    let stdin_text = if stdin_count == 1 {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|source| Error::Read {
                path: PathBuf::from("-"),
                source,
            })?;
        Some(bytes)
    } else {
        None
    };

    let progress = progress_bar(inputs.len(), args.no_progress);
    let as_of = args.as_of.moment();
    let results: Vec<Linted> = inputs
        .into_par_iter()
        .zip(selections)
        .map(|(input, selection)| {
            let options = Options {
                selection,
                as_of,
                config: model.as_ref(),
            };
            let linted = lint_input(
                input,
                stdin_text.as_deref(),
                &options,
                args.fix || args.diff,
            );
            progress.inc(1);
            linted
        })
        .collect();
    progress.finish_and_clear();

    if args.diff {
        return print_diffs(&results);
    }
    if args.fix {
        write_fixes(&results)?;
    }
    let files: Vec<FileReport<'_>> = results
        .iter()
        .filter(|r| !r.diagnostics.is_empty())
        .map(|r| FileReport {
            path: &r.path,
            text: r.fixed.as_deref().or(r.text.as_deref()),
            diagnostics: &r.diagnostics,
            encoding: r.encoding,
        })
        .collect();
    let stdin_fixed = args.fix && results.iter().any(|r| r.path.as_os_str() == "-");
    let format = args.format.format;
    let rendered = if format == report::Format::Human {
        report::render_human(&files, report::colours_on_stdout() && !stdin_fixed)
    } else {
        report::render_described(format, &files, &describe)
    };
    if stdin_fixed {
        // Standard output carries the fixed script; the findings go to standard error.
        for r in &results {
            eprint_diagnostics(
                &r.path,
                r.fixed.as_deref().or(r.text.as_deref()),
                &r.diagnostics,
            );
        }
    } else {
        print_stdout(&rendered)?;
    }
    summary(&results, args.fix);
    if results.iter().any(|r| r.unreadable) {
        return Err(Error::Reported);
    }
    let fails = results
        .iter()
        .flat_map(|r| &r.diagnostics)
        .any(|d| args.fail_on.fails(d.severity));
    Ok(if fails {
        Outcome::Problems
    } else {
        Outcome::Success
    })
}

/// The SARIF description of a rule.
fn describe(code: &str) -> Option<RuleText> {
    let rule = lint::rule(code)?;
    Some(RuleText {
        short: rule.summary,
        full: rule.section("What it does").unwrap_or(rule.summary),
        // (The documentation's lines are wrapped; SARIF viewers wrap text themselves.)
        help: rule.doc,
    })
}

fn progress_bar(files: usize, disabled: bool) -> indicatif::ProgressBar {
    use std::io::IsTerminal as _;
    if disabled || files < PROGRESS_FROM || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(files as u64),
        indicatif::ProgressDrawTarget::stderr(),
    );
    if let Ok(style) = indicatif::ProgressStyle::with_template("linting {bar:40} {pos}/{len} files")
    {
        bar.set_style(style);
    }
    bar
}

fn lint_input(input: Input, stdin: Option<&[u8]>, options: &Options<'_>, fixing: bool) -> Linted {
    let (path, bytes) = match input {
        Input::Unlistable(path, err) => return unreadable(path, &err),
        Input::Stdin => (PathBuf::from("-"), stdin.unwrap_or_default().to_vec()),
        Input::File(path) => match std::fs::read(&path) {
            Ok(bytes) => (path, bytes),
            Err(err) => return unreadable(path, &err),
        },
    };
    let decoded = powershell::decode(&bytes);
    if decoded.lossy {
        // Unpaired UTF-16 surrogates: the text read is not the file's, so nothing said about it
        // (or written back by --fix) could be trusted.
        return Linted {
            path,
            text: None,
            diagnostics: vec![Diagnostic::new(
                super::parse::UNREADABLE,
                Severity::Error,
                format!(
                    "cannot decode it: it reads as {} but holds bytes that are not valid in it.",
                    decoded.encoding.describe()
                ),
                "save it again as UTF-8 (with a byte order mark for Windows PowerShell 5.1) or UTF-16 with a byte order mark.",
            )],
            unreadable: true,
            fixed: None,
            fix_refused: None,
            encoding: None,
        };
    }
    let mut diagnostics = lint::lint(&path, &decoded.text, Some(decoded.encoding), options);
    let mut fixed = None;
    let mut fix_refused = None;
    if fixing {
        let mut text = decoded.text.clone();
        for _ in 0..FIX_ROUNDS {
            let safe: Vec<_> = diagnostics
                .iter()
                .filter_map(|d| d.fix.as_ref())
                .filter(|f| f.applicability == Applicability::Safe)
                .collect();
            if safe.is_empty() {
                break;
            }
            let next = match fix::apply(&text, safe) {
                Ok((next, _)) => next,
                Err(e) => {
                    fix_refused = Some(format!("two fixes overlap ({e}); nothing was changed"));
                    break;
                }
            };
            if next == text {
                break;
            }
            text = next;
            diagnostics = lint::lint(&path, &text, Some(decoded.encoding), options);
        }
        if text != decoded.text {
            if powershell::parse(&decoded.text).is_ok() && powershell::parse(&text).is_err() {
                fix_refused =
                    Some("the fixed script would not parse; nothing was changed".to_owned());
                diagnostics = lint::lint(&path, &decoded.text, Some(decoded.encoding), options);
            } else {
                fixed = Some(text);
            }
        }
    }
    Linted {
        path,
        text: Some(decoded.text),
        diagnostics,
        unreadable: false,
        fixed,
        fix_refused,
        encoding: Some(decoded.encoding),
    }
}

fn unreadable(path: PathBuf, err: &std::io::Error) -> Linted {
    Linted {
        path,
        text: None,
        diagnostics: vec![super::parse::unreadable_diagnostic(err)],
        unreadable: true,
        fixed: None,
        fix_refused: None,
        encoding: None,
    }
}

/// `--diff`: the unified diff of every file the fixes change; exit 1 when there is one.
fn print_diffs(results: &[Linted]) -> Result<Outcome, Error> {
    let mut out = String::new();
    let mut changed = 0;
    for r in results {
        if let (Some(before), Some(after)) = (&r.text, &r.fixed) {
            changed += 1;
            let name = r.path.display().to_string();
            let diff = similar::TextDiff::from_lines(before.as_str(), after.as_str());
            out.push_str(
                &diff
                    .unified_diff()
                    .context_radius(3)
                    .header(&format!("a/{name}"), &format!("b/{name}"))
                    .to_string(),
            );
        }
        if let Some(reason) = &r.fix_refused {
            eprintln!("xprem: {}: {reason}", r.path.display());
        }
    }
    print_stdout(&out)?;
    eprintln!(
        "xprem: the safe fixes would change {changed} file{}",
        if changed == 1 { "" } else { "s" }
    );
    if results.iter().any(|r| r.unreadable) {
        return Err(Error::Reported);
    }
    Ok(if changed > 0 {
        Outcome::Problems
    } else {
        Outcome::Success
    })
}

/// `--fix`: writes each fixed file atomically in its encoding, or the fixed standard input to
/// standard output.
fn write_fixes(results: &[Linted]) -> Result<(), Error> {
    for r in results {
        if let Some(reason) = &r.fix_refused {
            eprintln!("xprem: {}: {reason}", r.path.display());
        }
        let (Some(fixed), Some(encoding)) = (&r.fixed, r.encoding) else {
            continue;
        };
        if r.path.as_os_str() == "-" {
            print_stdout(fixed)?;
            continue;
        }
        let bytes = powershell::decode::encode(fixed, encoding).ok_or_else(|| {
            Error::Usage(format!(
                "{}: the fixed script cannot be written in {}; nothing was changed in it",
                r.path.display(),
                encoding.describe()
            ))
        })?;
        crate::output::replace_file(&r.path, &bytes)?;
    }
    Ok(())
}

fn summary(results: &[Linted], fixing: bool) {
    if results.len() < 2 && !fixing {
        return;
    }
    let counts = crate::diagnostic::Counts::of(results.iter().flat_map(|r| &r.diagnostics));
    let read = results.iter().filter(|r| !r.unreadable).count();
    let unreadable = results.len() - read;
    let fixed = results.iter().filter(|r| r.fixed.is_some()).count();
    let mut line = format!(
        "xprem: linted {read} file{}: {} error{}, {} warning{}, {} info",
        if read == 1 { "" } else { "s" },
        counts.errors,
        if counts.errors == 1 { "" } else { "s" },
        counts.warnings,
        if counts.warnings == 1 { "" } else { "s" },
        counts.infos,
    );
    if fixing {
        line.push_str(&format!(
            "; fixed {fixed} file{}",
            if fixed == 1 { "" } else { "s" }
        ));
    }
    if unreadable > 0 {
        line.push_str(&format!("; {unreadable} could not be read"));
    }
    eprintln!("{line}");
}
