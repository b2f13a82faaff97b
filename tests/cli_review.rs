//! `xprem review`: the change-review document. Snapshots of both forms, the properties a change
//! board relies on (ten sections, bound to the bundle's bytes, self-contained HTML, escaped
//! values, nothing secret, same bytes for the same input), `--bundle`, refusals that write
//! nothing, and the end-to-end test in headless Chromium.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use crate::common::*;

const AS_OF: &str = "2026-11-26";

/// The ten sections: (id, heading).
const SECTIONS: [(&str, &str); 10] = [
    ("summary", "1. Summary"),
    ("scope", "2. Scope and impact"),
    ("plan", "3. The plan"),
    ("certificate", "4. The certificate"),
    ("prerequisites", "5. Prerequisites"),
    ("implementation", "6. Implementation"),
    ("verification", "7. Verification"),
    ("backout", "8. Back-out"),
    ("script-checks", "9. Script checks"),
    ("approvals", "10. Approvals"),
];

fn state(name: &str) -> String {
    root()
        .join("tests/fixtures/state")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

/// `xprem review CONFIG --as-of AS_OF --out OUT EXTRA...`, run in `dir`.
fn review(dir: &Path, config: &str, out: &str, extra: &[&str]) -> Output {
    let mut args = vec!["review", config, "--as-of", AS_OF, "--out", out];
    args.extend_from_slice(extra);
    xprem(dir, &args).env("NO_COLOR", "1").output().unwrap()
}

/// The sample review: the Fabrikam sample against states with conflicts on premises and the
/// cloud before the change, written as `name` in `dir`.
fn sample_review(dir: &Path, name: &str) -> String {
    let config = sample("fabrikam.json");
    let (on_premises, cloud) = (
        state("onpremises-conflicts.json"),
        state("cloud-before.json"),
    );
    let output = review(
        dir,
        config.to_str().unwrap(),
        name,
        &["--state", &on_premises, "--state", &cloud],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    fs::read_to_string(dir.join(name)).unwrap()
}

/// The paths of the repository replaced by placeholders, so that snapshots do not depend on
/// where the repository is.
fn portable(text: &str) -> String {
    text.replace(&root().to_string_lossy().into_owned(), "<repo>")
}

#[test]
fn the_html_and_markdown_documents_match_their_snapshots() {
    let dir = tempfile::tempdir().unwrap();
    insta::assert_snapshot!(
        "review_html",
        portable(&sample_review(dir.path(), "review.html"))
    );
    insta::assert_snapshot!(
        "review_md",
        portable(&sample_review(dir.path(), "review.md"))
    );
}

#[test]
fn both_forms_have_the_ten_sections_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let html = sample_review(dir.path(), "review.html");
    let md = sample_review(dir.path(), "review.md");
    let mut html_at = 0;
    let mut md_at = 0;
    for (id, heading) in SECTIONS {
        let found = html[html_at..]
            .find(&format!("<section id=\"{id}\">\n<h2>{heading}</h2>"))
            .unwrap_or_else(|| panic!("HTML section {heading} missing or out of order"));
        html_at += found + 1;
        let found = md[md_at..]
            .find(&format!("\n## {heading}\n"))
            .unwrap_or_else(|| panic!("Markdown section {heading} missing or out of order"));
        md_at += found + 1;
    }
    // The Markdown contents link to the anchors wikis give those headings.
    assert!(
        md.contains("[Scope and impact](#2-scope-and-impact)"),
        "{md}"
    );
}

#[test]
fn the_review_is_bound_to_the_bundles_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let html = sample_review(dir.path(), "review.html");
    let out = dir.path().join("bundle");
    let status = xprem(
        dir.path(),
        &[
            "generate",
            sample("fabrikam.json").to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--as-of",
            AS_OF,
        ],
    )
    .output()
    .unwrap();
    assert!(status.status.success());
    let sums = fs::read_to_string(out.join("SHA256SUMS")).unwrap();
    let mut scripts = 0;
    for line in sums.lines() {
        let (digest, name) = line.split_once("  ").unwrap();
        if name.ends_with(".ps1") {
            scripts += 1;
            // Section 6 (section 8 for the removal script) and section 9 name each script with
            // the SHA-256 SHA256SUMS lists.
            assert_eq!(
                html.matches(&format!("<code>{digest}</code>")).count(),
                2,
                "{name}"
            );
        }
    }
    assert_eq!(scripts, 5);
    let digest = hex::encode(Sha256::digest(fs::read(out.join("SHA256SUMS")).unwrap()));
    assert!(
        html.contains(&format!("<code>{digest}</code>")),
        "the digest of SHA256SUMS"
    );
    assert!(html.contains(&format!("the SHA-256 <code>{digest}</code>, and no other")));
}

#[test]
fn the_html_is_self_contained() {
    let dir = tempfile::tempdir().unwrap();
    let html = sample_review(dir.path(), "review.html");
    let lower = html.to_ascii_lowercase();
    for forbidden in [
        "<script",
        "<link",
        "<img",
        "<iframe",
        "<object",
        "<embed",
        "@import",
        "url(",
        "@font-face",
        " src=",
        "http-equiv=\"refresh\"",
    ] {
        assert!(!lower.contains(forbidden), "the HTML holds {forbidden}");
    }
    // Every link is within the document.
    for (at, _) in lower.match_indices("href=\"") {
        assert!(lower[at + 6..].starts_with('#'), "{}", &html[at..at + 40]);
    }
    // And the browser is told to make no request at all.
    assert!(
        html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';")
    );
    assert!(html.contains("@page { size: A4;"));
}

#[test]
fn values_are_escaped_in_both_forms() {
    let dir = tempfile::tempdir().unwrap();
    let config = write(
        dir.path(),
        "nasty.json",
        config_json(
            serde_json::json!({"tenant": {"name": "<script>alert(1)</script> & \"Fab|rikam\" *x* [l](javascript:x)"}}),
        ),
    );
    let output = review(dir.path(), config.to_str().unwrap(), "r.html", &[]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let html = fs::read_to_string(dir.path().join("r.html")).unwrap();
    assert!(!html.contains("<script>"), "raw markup in the HTML");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt; &amp; &quot;Fab|rikam&quot;"),
        "{html}"
    );
    let output = review(dir.path(), config.to_str().unwrap(), "r.md", &[]);
    assert!(output.status.success());
    let md = fs::read_to_string(dir.path().join("r.md")).unwrap();
    assert!(
        !md.contains("<script>") && !md.contains("[l](javascript"),
        "raw markup in the Markdown"
    );
    assert!(md.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; \"Fab\\|rikam\" \\*x\\* \\[l\\](javascript:x)"), "{md}");
    // A table row keeps its cells: the escaped | does not start a new one.
    let row = md.lines().find(|l| l.starts_with("| Tenant |")).unwrap();
    let cell_breaks = row
        .char_indices()
        .filter(|(i, c)| *c == '|' && !row[..*i].ends_with('\\'))
        .count();
    assert_eq!(cell_breaks, 3, "{row}");
}

#[test]
fn nothing_secret_is_written() {
    let dir = tempfile::tempdir().unwrap();
    // A hand-made state that carries key values: they must not travel into the document.
    let mut cloud: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(state("cloud-before.json")).unwrap()).unwrap();
    let secret_key = "MIIDazCCAlOgAwIBAgIUSECRETKEYVALUEdonotprint0123456789";
    cloud["cloud"]["service_principals"][0]["key_credentials"][0]["key"] = secret_key.into();
    cloud["cloud"]["service_principals"][0]["key_credentials"][0]["secret_text"] = "hunter2".into();
    let cloud_path = write(
        dir.path(),
        "cloud.json",
        serde_json::to_string(&cloud).unwrap(),
    );
    let config = sample("fabrikam.json");
    for out in ["r.html", "r.md"] {
        let output = review(
            dir.path(),
            config.to_str().unwrap(),
            out,
            &["--state", cloud_path.to_str().unwrap()],
        );
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let text = fs::read_to_string(dir.path().join(out)).unwrap();
        assert!(
            !text.contains(secret_key) && !text.contains("hunter2"),
            "{out}"
        );
        // Nor the certificate itself: only its description and thumbprints.
        let certificate = fs::read_to_string(sample("certs/oauth.cer")).unwrap();
        for line in certificate
            .lines()
            .filter(|l| !l.starts_with("-----") && l.len() > 20)
        {
            assert!(
                !text.contains(line.trim()),
                "{out} holds the certificate body"
            );
        }
    }
}

#[test]
fn without_a_state_the_review_does_not_claim_that_nothing_is_destructive() {
    let dir = tempfile::tempdir().unwrap();
    let config = sample("fabrikam.json");
    for out in ["r.html", "r.md"] {
        let output = review(dir.path(), config.to_str().unwrap(), out, &[]);
        assert!(output.status.success());
        let text = fs::read_to_string(dir.path().join(out)).unwrap();
        assert!(!text.contains("No destructive change:"), "{out}");
        assert!(
            text.contains("No destructive change is known, but 7 object(s) are unknown"),
            "{out}"
        );
    }
    let (on_premises, cloud) = (state("onpremises-after.json"), state("cloud-after.json"));
    let output = review(
        dir.path(),
        config.to_str().unwrap(),
        "done.html",
        &["--state", &on_premises, &cloud],
    );
    assert!(output.status.success());
    let text = fs::read_to_string(dir.path().join("done.html")).unwrap();
    assert!(
        text.contains("No destructive change:</strong>") && text.contains("No changes:</strong>")
    );
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["review.html", "review.md"] {
        let a = sample_review(dir.path(), &format!("a-{name}"));
        let b = sample_review(dir.path(), &format!("b-{name}"));
        assert_eq!(a, b, "{name}");
    }
}

#[test]
fn every_script_of_the_bundle_is_checked_and_clean() {
    let dir = tempfile::tempdir().unwrap();
    let html = sample_review(dir.path(), "review.html");
    let section = &html[html.find("<section id=\"script-checks\">").unwrap()
        ..html.find("<section id=\"approvals\">").unwrap()];
    for name in [
        "1-Configure-OnPremises.ps1",
        "2-Configure-Office365.ps1",
        "Export-State.ps1",
        "Remove-Office365Credential.ps1",
        "Verify-Bundle.ps1",
    ] {
        assert!(section.contains(&format!("<code>{name}</code>")), "{name}");
    }
    assert_eq!(section.matches(">clean</span>").count(), 5, "{section}");
}

fn generate(dir: &Path, config: &Path, out: &Path, extra: &[&str]) {
    let mut args = vec![
        "generate",
        config.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--as-of",
        AS_OF,
    ];
    args.extend_from_slice(extra);
    let output = xprem(dir, &args).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn bundle_binds_to_a_written_bundle_and_refuses_one_that_is_not_it() {
    let dir = tempfile::tempdir().unwrap();
    let config = sample("fabrikam.json");
    let bundle = dir.path().join("bundle");
    generate(dir.path(), &config, &bundle, &[]);
    let config_arg = config.to_str().unwrap();
    let output = review(dir.path(), config_arg, "ok.html", &["--bundle", "bundle"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let html = fs::read_to_string(dir.path().join("ok.html")).unwrap();
    assert!(
        html.contains("the bundle in bundle, checked file by file against its SHA256SUMS"),
        "{html}"
    );

    let refused = |args: &[&str], out: &str, words: &str| {
        let output = review(dir.path(), config_arg, out, args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&output.stderr);
        assert!(
            err.contains(words) && err.contains("Nothing was written."),
            "{args:?}: {err}"
        );
        assert!(!dir.path().join(out).exists(), "{out} was written");
    };
    // The review must not become a file of the bundle that SHA256SUMS does not list.
    refused(
        &["--bundle", "bundle"],
        "bundle/review.html",
        "inside the bundle folder",
    );
    // A file changed since xprem wrote it.
    let script = bundle.join("2-Configure-Office365.ps1");
    let original = fs::read(&script).unwrap();
    let mut edited = original.clone();
    edited.extend_from_slice(b"Write-Host 'added'\r\n");
    fs::write(&script, &edited).unwrap();
    refused(
        &["--bundle", "bundle"],
        "r1.html",
        "does not match its SHA256SUMS: 2-Configure-Office365.ps1 (changed)",
    );
    fs::write(&script, &original).unwrap();
    // A file that SHA256SUMS does not list would travel unreviewed.
    fs::write(bundle.join("extra.ps1"), "Remove-Item C:\\ -Recurse").unwrap();
    refused(
        &["--bundle", "bundle"],
        "r2.html",
        "it also holds extra.ps1, which SHA256SUMS does not list",
    );
    fs::remove_file(bundle.join("extra.ps1")).unwrap();
    // A consistent bundle of another config, or of another cloud module.
    let other = dir.path().join("other");
    generate(dir.path(), &sample("fabrikam-lookup.toml"), &other, &[]);
    refused(
        &["--bundle", "other"],
        "r3.html",
        "is not the bundle this config gives",
    );
    let msonline = dir.path().join("msonline");
    generate(
        dir.path(),
        &config,
        &msonline,
        &["--cloud-module", "msonline"],
    );
    refused(
        &["--bundle", "msonline"],
        "r4.html",
        "another --cloud-module",
    );
    let output = review(
        dir.path(),
        config_arg,
        "r5.html",
        &["--bundle", "msonline", "--cloud-module", "msonline"],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // No bundle there at all.
    refused(
        &["--bundle", "missing"],
        "r6.html",
        "cannot read the bundle",
    );
}

#[test]
fn bad_input_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let config = sample("fabrikam.json");
    let config = config.to_str().unwrap();
    for bad in [
        "cloud-other-tenant.json",
        "truncated.json",
        "unknown-version.json",
        "not-json.json",
    ] {
        let output = review(dir.path(), config, "r.html", &["--state", &state(bad)]);
        assert_eq!(output.status.code(), Some(2), "{bad}");
        let err = String::from_utf8_lossy(&output.stderr);
        assert!(err.contains(bad) && err.contains("Fix: "), "{bad}: {err}");
        assert_eq!(entries(dir.path()), Vec::<String>::new(), "{bad}");
    }
    let output = review(dir.path(), config, "review.pdf", &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("ending in .html or .md"));
    // An existing file is replaced only with --force.
    fs::write(dir.path().join("r.html"), "mine").unwrap();
    let output = review(dir.path(), config, "r.html", &[]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        fs::read_to_string(dir.path().join("r.html")).unwrap(),
        "mine"
    );
    let output = review(dir.path(), config, "r.html", &["--force"]);
    assert!(output.status.success());
    assert!(
        fs::read_to_string(dir.path().join("r.html"))
            .unwrap()
            .starts_with("<!DOCTYPE html>")
    );
    assert_eq!(entries(dir.path()), vec!["r.html"]);
}

// ---------------------------------------------------------------------------------------------
// The end-to-end test in a real browser.
// ---------------------------------------------------------------------------------------------

/// The browser: `XPREM_CHROMIUM`, or the first of Debian's `chromium` and its other names on
/// the PATH.
fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("XPREM_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    for name in [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ] {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

/// Runs the browser headless on `page` with `mode` (`--dump-dom`, `--screenshot=...`,
/// `--print-to-pdf=...`), in its own profile, with every host name unresolvable (nothing can be
/// fetched, whatever the page asks), and returns (stdout, the page's console messages).
fn run_browser(
    browser: &Path,
    page: &Path,
    mode: &[String],
    profile: &Path,
) -> (String, Vec<String>) {
    let mut command = Command::new(browser);
    command
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--window-size=1200,1800",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(mode)
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let child = command
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", browser.display()));
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = sender.send(child.wait_with_output());
    });
    let output = receiver
        .recv_timeout(Duration::from_secs(120))
        .expect("the browser finishes within 120 s")
        .unwrap();
    assert!(
        output.status.success(),
        "{}: {}",
        browser.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    // Chromium logs every console message of the page (errors, CSP violations, failed loads)
    // as `INFO:CONSOLE...`; the document has no script, so there must be none.
    let console = String::from_utf8_lossy(&output.stderr)
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(str::to_owned)
        .collect();
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        console,
    )
}

/// What a screenshot shows: its size, the share of pixels that are not (nearly) white, and how
/// many pixels have the document's accent colour (proof that its CSS applied).
fn screenshot_facts(png_path: &Path) -> (u32, u32, f64, usize) {
    let decoder = png::Decoder::new(std::io::BufReader::new(fs::File::open(png_path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buffer = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buffer).unwrap();
    let channels = info.color_type.samples();
    assert!(
        info.bit_depth == png::BitDepth::Eight && channels >= 3,
        "{info:?}"
    );
    let pixels = buffer[..info.buffer_size()].chunks(channels);
    let (mut inked, mut accent, mut total) = (0usize, 0usize, 0usize);
    for p in pixels {
        total += 1;
        let (r, g, b) = (i32::from(p[0]), i32::from(p[1]), i32::from(p[2]));
        if r < 235 || g < 235 || b < 235 {
            inked += 1;
        }
        // --accent: #0b4f8a.
        if (r - 0x0b).abs() < 24 && (g - 0x4f).abs() < 24 && (b - 0x8a).abs() < 24 {
            accent += 1;
        }
    }
    (info.width, info.height, inked as f64 / total as f64, accent)
}

/// The pages of a PDF (Chromium writes one `/Type /Page` object per page) and their media boxes.
fn pdf_facts(pdf: &[u8]) -> (usize, Vec<(f64, f64)>) {
    let text = String::from_utf8_lossy(pdf);
    let pages = text
        .match_indices("/Type /Page")
        .filter(|(at, _)| !text[at + 11..].starts_with('s'))
        .count();
    let boxes = text
        .match_indices("/MediaBox [")
        .filter_map(|(at, _)| {
            let rest = &text[at + 11..];
            let numbers: Vec<f64> = rest[..rest.find(']')?]
                .split_whitespace()
                .filter_map(|n| n.parse().ok())
                .collect();
            (numbers.len() == 4).then(|| (numbers[2] - numbers[0], numbers[3] - numbers[1]))
        })
        .collect();
    (pages, boxes)
}

struct Rendered {
    dom: String,
    console: Vec<String>,
    screenshot: (u32, u32, f64, usize),
    pdf_pages: usize,
    pdf_boxes: Vec<(f64, f64)>,
    seconds: f64,
}

fn render(browser: &Path, page: &Path, work: &Path) -> Rendered {
    let started = Instant::now();
    let profile = work.join("profile");
    let (dom, mut console) = run_browser(browser, page, &["--dump-dom".to_owned()], &profile);
    let png_path = work.join("screenshot.png");
    let (_, more) = run_browser(
        browser,
        page,
        &[format!("--screenshot={}", png_path.display())],
        &profile,
    );
    console.extend(more);
    let pdf_path = work.join("document.pdf");
    let (_, more) = run_browser(
        browser,
        page,
        &[format!("--print-to-pdf={}", pdf_path.display())],
        &profile,
    );
    console.extend(more);
    let pdf = fs::read(&pdf_path).unwrap();
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
    let (pdf_pages, pdf_boxes) = pdf_facts(&pdf);
    Rendered {
        dom,
        console,
        screenshot: screenshot_facts(&png_path),
        pdf_pages,
        pdf_boxes,
        seconds: started.elapsed().as_secs_f64(),
    }
}

#[test]
fn the_html_review_renders_in_headless_chromium() {
    let Some(browser) = chromium() else {
        if std::env::var_os("XPREM_SKIP_BROWSER_TEST").is_some() && std::env::var_os("CI").is_none()
        {
            eprintln!(
                "the_html_review_renders_in_headless_chromium: SKIPPED (XPREM_SKIP_BROWSER_TEST is set)"
            );
            return;
        }
        panic!(
            "headless Chromium is needed for this test and was not found. Install Debian's package (sudo apt-get install -y chromium; .ci/run does it), or point XPREM_CHROMIUM at a Chromium or Chrome binary. To skip it on a machine without a browser (never in CI), set XPREM_SKIP_BROWSER_TEST=1."
        );
    };
    let dir = tempfile::tempdir().unwrap();
    sample_review(dir.path(), "review.html");
    let page = dir.path().join("review.html");
    let rendered = render(&browser, &page, dir.path());
    eprintln!(
        "headless Chromium: {:.1} s for the DOM, the screenshot and the PDF ({} pages)",
        rendered.seconds, rendered.pdf_pages
    );
    // Keep what the browser made for people to look at.
    let keep = root().join("target/browser-test");
    fs::create_dir_all(&keep).unwrap();
    for name in ["screenshot.png", "document.pdf", "review.html"] {
        fs::copy(dir.path().join(name), keep.join(name)).unwrap();
    }

    assert!(
        rendered.console.is_empty(),
        "console messages: {:#?}",
        rendered.console
    );
    for (id, heading) in SECTIONS {
        assert!(
            rendered.dom.contains(&format!("<section id=\"{id}\">"))
                && rendered.dom.contains(&format!("<h2>{heading}</h2>")),
            "the rendered page lacks {heading}"
        );
    }
    let (width, height, inked, accent) = rendered.screenshot;
    assert_eq!((width, height), (1200, 1800));
    assert!(
        inked > 0.05,
        "the screenshot is blank ({:.1}% of pixels inked)",
        inked * 100.0
    );
    assert!(
        accent > 500,
        "the document's colours did not apply ({accent} accent pixels)"
    );
    assert!(rendered.pdf_pages >= 5, "{} PDF pages", rendered.pdf_pages);
    assert_eq!(rendered.pdf_boxes.len(), rendered.pdf_pages);
    for (w, h) in &rendered.pdf_boxes {
        // A4 is 595.28 x 841.89 points; Chromium rounds to its own units.
        assert!(
            (w - 595.3).abs() < 2.0 && (h - 841.9).abs() < 2.0,
            "page of {w} x {h} points is not A4"
        );
    }

    // The checks can fail: a page with a script error and a request, and a blank page.
    let bad = write(
        dir.path(),
        "bad.html",
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>t</title></head><body><img src=\"http://example.invalid/x.png\"><script>console.error('boom')</script></body></html>",
    );
    let work = dir.path().join("bad");
    fs::create_dir_all(&work).unwrap();
    let rendered = render(&browser, &bad, &work);
    assert!(
        rendered.console.iter().any(|l| l.contains("boom")),
        "{:#?}",
        rendered.console
    );
    assert!(
        rendered.screenshot.2 < 0.05,
        "a blank page counts as inked: {}",
        rendered.screenshot.2
    );
}

#[test]
fn back_out_commands_hold_the_state_values_as_literals() {
    let dir = tempfile::tempdir().unwrap();
    let mut on_premises: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(state("onpremises-conflicts.json")).unwrap())
            .unwrap();
    let hostile = "https://x.example/'; Remove-Item C:\\ -Recurse; '";
    on_premises["on_premises"]["oauth_servers"][0]["metadata_url"] = hostile.into();
    let path = write(
        dir.path(),
        "onprem.json",
        serde_json::to_string(&on_premises).unwrap(),
    );
    let config = sample("fabrikam.json");
    let output = review(
        dir.path(),
        config.to_str().unwrap(),
        "r.md",
        &["--state", path.to_str().unwrap()],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let md = fs::read_to_string(dir.path().join("r.md")).unwrap();
    let backout = &md[md.find("## 8. Back-out").unwrap()..md.find("## 9. Script checks").unwrap()];
    let commands: Vec<&str> = backout
        .lines()
        .filter_map(|l| l.strip_prefix("    "))
        .filter(|l| !l.starts_with('#'))
        .collect();
    assert!(commands.len() >= 4, "{commands:?}");
    for line in &commands {
        let script = xprem::powershell::parse(line).unwrap_or_else(|e| panic!("{line}: {e}"));
        assert_eq!(
            script.commands().len(),
            1,
            "{line} runs more than one command"
        );
    }
    let set = commands
        .iter()
        .find(|l| l.starts_with("Set-CsOAuthServer"))
        .unwrap();
    let script = xprem::powershell::parse(set).unwrap();
    let values = xprem::semantic::Values::new(&script, set);
    let bound = xprem::semantic::bind(script.commands()[0], &values);
    let url = bound
        .value("MetadataUrl")
        .and_then(|v| values.string_value(v));
    assert_eq!(url.as_deref(), Some(hostile));
}
