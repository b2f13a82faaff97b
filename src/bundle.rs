//! The bundle: the set of files `xprem generate` writes for one config, in memory, byte for byte.
//! Nothing here touches the disk; `output` does.

use sha2::{Digest, Sha256};

use crate::catalog::CloudModule;
use crate::model::Model;
pub use crate::output::File;
use crate::render::{RenderError, Renderer, windows_bytes};

/// One script of the bundle: its file, its template, and what an admin needs to know to run it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Script {
    pub file: &'static str,
    pub template: &'static str,
    /// Where it runs.
    pub runs: &'static str,
    /// The PowerShell it needs (its `#Requires` says the same).
    pub shell: &'static str,
    pub purpose: &'static str,
}

/// The scripts of a bundle whose cloud step is written for `module`, in the order an admin uses
/// them. `generate`'s summary and the documents read this table.
pub fn scripts(module: CloudModule) -> [Script; 5] {
    let (cloud_template, remove_template, cloud_shell) = match module {
        CloudModule::Graph => (
            "cloud/graph/configure.ps1.j2",
            "cloud/graph/remove-credential.ps1.j2",
            "Windows PowerShell 5.1 or PowerShell 7, Microsoft Graph PowerShell",
        ),
        CloudModule::Msonline => (
            "cloud/msonline/configure.ps1.j2",
            "cloud/msonline/remove-credential.ps1.j2",
            "Windows PowerShell 3.0 to 5.1 (not 7), the MSOnline module",
        ),
    };
    [
        Script {
            file: "1-Configure-OnPremises.ps1",
            template: "lync/onpremises.ps1.j2",
            runs: "a Front End server, in its Management Shell",
            shell: "Windows PowerShell 3.0 or later",
            purpose: "Step 1: trusts Office 365 and Exchange Online on premises",
        },
        Script {
            file: "2-Configure-Office365.ps1",
            template: cloud_template,
            runs: "any machine that reaches Office 365",
            shell: cloud_shell,
            purpose: "Step 2: uploads the certificate, adds the SPNs in Office 365",
        },
        Script {
            file: "Remove-Office365Credential.ps1",
            template: remove_template,
            runs: "the machine of step 2",
            shell: cloud_shell,
            purpose: "Undoes the certificate upload of step 2",
        },
        Script {
            file: "Verify-Bundle.ps1",
            template: "bundle/Verify-Bundle.ps1.j2",
            runs: "each machine, before the other scripts",
            shell: "Windows PowerShell 3.0 or later, or PowerShell 7",
            purpose: "Checks every file against SHA256SUMS",
        },
        Script {
            file: EXPORT_STATE,
            template: "state/export-state.ps1.j2",
            runs: "-Part OnPremises: a Front End server, in its Management Shell; -Part Cloud: the machine of step 2",
            shell: match module {
                CloudModule::Graph => {
                    "Windows PowerShell 3.0 or later on premises; 5.1 or PowerShell 7 with Microsoft Graph PowerShell for the cloud"
                }
                CloudModule::Msonline => {
                    "Windows PowerShell 3.0 or later on premises; Windows PowerShell 3.0 to 5.1 with MSOnline for the cloud"
                }
            },
            purpose: "Reads the current state (changes nothing) for xprem plan and xprem review",
        },
    ]
}

pub const README: &str = "README.txt";
/// The read-only script that captures the current state for `xprem plan` and `xprem review`.
pub const EXPORT_STATE: &str = "Export-State.ps1";
pub const SUMS: &str = "SHA256SUMS";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bundle {
    /// Sorted by name; `SHA256SUMS` is among them.
    pub files: Vec<File>,
}

impl Bundle {
    pub fn build(model: &Model) -> Result<Bundle, RenderError> {
        let renderer = Renderer::new();
        let mut files = Vec::new();
        for script in scripts(model.cloud_module_kind) {
            let text = format!(
                "{}{}",
                script_header(model),
                renderer.render(script.template, model)?
            );
            files.push(File {
                name: script.file.to_owned(),
                bytes: windows_bytes(&text),
            });
        }
        let readme = renderer.render("bundle/README.txt.j2", model)?;
        files.push(File {
            name: README.to_owned(),
            bytes: windows_bytes(&readme),
        });
        files.sort_by(|a, b| a.name.cmp(&b.name));

        // sha256sum's format, with LF line ends, so that `sha256sum -c SHA256SUMS` works too.
        let sums: String = files
            .iter()
            .map(|f| format!("{}  {}\n", hex::encode(Sha256::digest(&f.bytes)), f.name))
            .collect();
        files.push(File {
            name: SUMS.to_owned(),
            bytes: sums.into_bytes(),
        });
        files.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(Bundle { files })
    }

    pub fn file(&self, name: &str) -> Option<&File> {
        self.files.iter().find(|f| f.name == name)
    }

    /// SHA-256 of `SHA256SUMS`: one value that vouches for the whole bundle.
    pub fn digest(&self) -> String {
        self.file(SUMS)
            .map(|f| hex::encode(Sha256::digest(&f.bytes)))
            .unwrap_or_default()
    }
}

/// The first lines of every script. Built here rather than in a template because it prints values
/// as plain text in a comment: only xprem's own version and a hex digest, never a config value.
fn script_header(model: &Model) -> String {
    format!(
        "# Generated by xprem {} from a config with SHA-256 {}.\n# Do not edit: change the config and run `xprem generate` again.\n",
        model.xprem_version, model.config_sha256
    )
}
