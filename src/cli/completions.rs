//! `sso-doctor completions SHELL` (clap_complete) and `sso-doctor man` (clap_mangen): generated from
//! the same clap definitions as the parser, so they never drift from the flags.

use super::{Cli, EXIT_OK};
use clap::{Args, CommandFactory, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
    Elvish,
}

/// Print a shell completion script
///
/// bash: `sso-doctor completions bash > ~/.local/share/bash-completion/completions/sso-doctor`;
/// zsh: `sso-doctor completions zsh > "${fpath[1]}/_sso-doctor"`;
/// fish: `sso-doctor completions fish > ~/.config/fish/completions/sso-doctor.fish`;
/// PowerShell: `sso-doctor completions powershell >> $PROFILE`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    #[arg(value_enum)]
    pub shell: Shell,
    /// Write to FILE (replaced atomically) instead of standard output
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Print the manual page (roff)
///
/// `sso-doctor man > sso-doctor.1 && man ./sso-doctor.1`, or install it under
/// `~/.local/share/man/man1/`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write to FILE (replaced atomically) instead of standard output
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

fn finish(output: Option<&std::path::Path>, bytes: Vec<u8>) -> i32 {
    let text = String::from_utf8_lossy(&bytes);
    match super::args::write_report(output, &text) {
        Ok(()) => EXIT_OK,
        Err(e) => super::fail(&e),
    }
}

pub fn run_completions(args: CompletionsArgs) -> i32 {
    use clap_complete::Shell as S;
    let shell = match args.shell {
        Shell::Bash => S::Bash,
        Shell::Zsh => S::Zsh,
        Shell::Fish => S::Fish,
        Shell::Powershell => S::PowerShell,
        Shell::Elvish => S::Elvish,
    };
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "sso-doctor", &mut buf);
    finish(args.output.as_deref(), buf)
}

pub fn run_man(args: ManArgs) -> i32 {
    let cmd = Cli::command();
    let mut buf = Vec::new();
    let man = clap_mangen::Man::new(cmd.clone());
    if let Err(e) = man.render(&mut buf) {
        return super::fail(&format!("cannot render the manual page: {e}"));
    }
    // One section per subcommand, with its own flags, after the main page.
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = sub.get_name().to_string();
        let page = clap_mangen::Man::new(sub.clone().bin_name(format!("sso-doctor {name}")));
        buf.extend_from_slice(format!(".SH \"SSO-DOCTOR {}\"\n", name.to_uppercase()).as_bytes());
        if let Err(e) = page
            .render_synopsis_section(&mut buf)
            .and_then(|_| page.render_description_section(&mut buf))
        {
            return super::fail(&format!("cannot render the manual page: {e}"));
        }
        if let Err(e) = page.render_options_section(&mut buf) {
            return super::fail(&format!("cannot render the manual page: {e}"));
        }
    }
    finish(args.output.as_deref(), buf)
}
