//! Every file the tool writes goes through here (issue 22, items 4 and 5).
//!
//! * **An output is never one of the inputs.** Before anything is opened for writing, each output
//!   path is compared with each input by device and inode, after following symbolic links, so a
//!   symlink or a hard link to an input, or a file found by walking an input folder, is caught the
//!   same way as the input's own name. The run stops with exit 2 and a message naming both, in the
//!   words of GNU `cp` ("are the same file"); the input stays byte-identical. Standard input is
//!   compared too (`logs - -o in.ndjson < in.ndjson`).
//! * **A crash leaves the old file or the whole new one.** Output is written to a temporary file in
//!   the target's own directory and renamed over the target (`rename(2)` is atomic within one file
//!   system), through `tempfile`'s `persist`. A process killed mid-write leaves a stray
//!   `.sso-doctor-*` temporary file at worst, never a half-written target. A symlinked target is
//!   resolved first, so the file the link points to is replaced and the link stays a link.
//! * **`-` is standard output.** A closed pipe (`| head`) ends the write quietly: the reader has what
//!   it wanted, and that is not an error of the input.

use std::fs::{self, File, Permissions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The identity of a file: device and inode (on Windows, the path after canonicalisation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileId(Id);

#[cfg(unix)]
type Id = (u64, u64);
#[cfg(not(unix))]
type Id = PathBuf;

#[cfg(unix)]
fn id_of(meta: &fs::Metadata, _path: &Path) -> Id {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

#[cfg(not(unix))]
fn id_of(_meta: &fs::Metadata, path: &Path) -> Id {
    fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// `-` names standard input or standard output.
pub fn is_dash(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// The identity of an existing file, following symlinks; `None` when it does not exist (yet).
/// For `-`, the file behind standard input, when it is one.
pub fn identity(path: &Path) -> Option<FileId> {
    if is_dash(path) {
        return stdin_identity();
    }
    let meta = fs::metadata(path).ok()?;
    Some(FileId(id_of(&meta, path)))
}

#[cfg(unix)]
fn stdin_identity() -> Option<FileId> {
    use std::os::fd::AsFd;
    let fd = io::stdin().as_fd().try_clone_to_owned().ok()?;
    let file = File::from(fd);
    let meta = file.metadata().ok()?;
    meta.is_file().then(|| FileId(id_of(&meta, Path::new("-"))))
}

#[cfg(not(unix))]
fn stdin_identity() -> Option<FileId> {
    None
}

/// An output that would overwrite an input, or two outputs that are one file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{output_role} {output} and {input_role} {input} are the same file; refusing to overwrite it (write to another path)"
)]
pub struct SameFile {
    pub output_role: String,
    pub output: String,
    pub input_role: String,
    pub input: String,
}

/// The files a run reads and the files it will write, checked before anything is opened for
/// writing.
#[derive(Debug, Default)]
pub struct Plan {
    inputs: Vec<(String, String, FileId)>,
    outputs: Vec<(String, String, Option<FileId>)>,
}

impl Plan {
    pub fn new() -> Plan {
        Plan::default()
    }

    /// Records an input (`role` says what it is: "input", "settings file", "partial"…). Inputs that
    /// do not exist are left to the reader to report.
    pub fn input(&mut self, role: &str, path: &Path) -> &mut Plan {
        if let Some(id) = identity(path) {
            self.inputs.push((role.to_string(), shown(path), id));
        }
        self
    }

    /// Records an output; `-` (standard output) is never a file and is skipped.
    pub fn output(&mut self, role: &str, path: &Path) -> &mut Plan {
        if !is_dash(path) {
            self.outputs
                .push((role.to_string(), shown(path), identity(path)));
        }
        self
    }

    /// Fails on the first output that is an input, or that another output also writes.
    pub fn check(&self) -> Result<(), SameFile> {
        for (i, (orole, opath, oid)) in self.outputs.iter().enumerate() {
            let Some(oid) = oid else { continue };
            if let Some((irole, ipath, _)) = self.inputs.iter().find(|(_, _, id)| id == oid) {
                return Err(SameFile {
                    output_role: orole.clone(),
                    output: opath.clone(),
                    input_role: irole.clone(),
                    input: ipath.clone(),
                });
            }
            if let Some((r2, p2, _)) = self.outputs[..i]
                .iter()
                .find(|(_, _, id)| id.as_ref() == Some(oid))
            {
                return Err(SameFile {
                    output_role: orole.clone(),
                    output: opath.clone(),
                    input_role: r2.clone(),
                    input: p2.clone(),
                });
            }
        }
        // Two outputs that do not exist yet but are spelt alike (`-o r.json --events r.json`).
        for (i, (orole, opath, oid)) in self.outputs.iter().enumerate() {
            if oid.is_some() {
                continue;
            }
            if let Some((r2, p2, _)) = self.outputs[..i].iter().find(|(_, p, _)| p == opath) {
                return Err(SameFile {
                    output_role: orole.clone(),
                    output: opath.clone(),
                    input_role: r2.clone(),
                    input: p2.clone(),
                });
            }
        }
        Ok(())
    }
}

fn shown(path: &Path) -> String {
    if is_dash(path) {
        "standard input".into()
    } else {
        path.display().to_string()
    }
}

/// A file being written: bytes go to a temporary file beside the target, and [`Output::commit`]
/// renames it into place. Dropped without `commit`, the temporary file is removed and the target
/// is untouched.
pub struct Output {
    inner: Sink,
}

enum Sink {
    /// Standard output; `true` once the reader has gone (later writes are dropped).
    Stdout(io::StdoutLock<'static>, bool),
    File {
        tmp: tempfile::NamedTempFile,
        target: PathBuf,
    },
}

impl Output {
    /// Opens `path` for writing (`-` is standard output).
    pub fn create(path: &Path) -> io::Result<Output> {
        if is_dash(path) {
            return Ok(Output {
                inner: Sink::Stdout(io::stdout().lock(), false),
            });
        }
        // Replace what a symlink points to, not the link itself.
        let target = match fs::symlink_metadata(path) {
            Ok(m) if m.file_type().is_symlink() => fs::canonicalize(path)?,
            _ => path.to_path_buf(),
        };
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let mut builder = tempfile::Builder::new();
        builder.prefix(".sso-doctor-").suffix(".tmp");
        let perms = fs::metadata(&target)
            .map(|m| m.permissions())
            .unwrap_or_else(|_| default_permissions());
        builder.permissions(perms);
        let tmp = builder.tempfile_in(&dir)?;
        Ok(Output {
            inner: Sink::File { tmp, target },
        })
    }

    /// Flushes and renames the temporary file over the target. A closed standard output is not an
    /// error (see [`quiet_pipe`]).
    pub fn commit(self) -> io::Result<()> {
        match self.inner {
            Sink::Stdout(mut s, closed) => {
                if closed {
                    Ok(())
                } else {
                    quiet_pipe(s.flush())
                }
            }
            Sink::File { mut tmp, target } => {
                tmp.flush()?;
                tmp.as_file().sync_all()?;
                tmp.persist(&target).map(|_| ()).map_err(|e| e.error)
            }
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.inner {
            Sink::Stdout(_, true) => Ok(buf.len()),
            Sink::Stdout(s, closed) => match s.write(buf) {
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                    *closed = true;
                    Ok(buf.len())
                }
                other => other,
            },
            Sink::File { tmp, .. } => tmp.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match &mut self.inner {
            Sink::Stdout(_, true) => Ok(()),
            Sink::Stdout(s, closed) => match s.flush() {
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                    *closed = true;
                    Ok(())
                }
                other => other,
            },
            Sink::File { tmp, .. } => tmp.flush(),
        }
    }
}

#[cfg(unix)]
fn default_permissions() -> Permissions {
    use std::os::unix::fs::PermissionsExt;
    // The process umask still applies when the temporary file is created.
    Permissions::from_mode(0o644)
}

#[cfg(not(unix))]
fn default_permissions() -> Permissions {
    tempfile::tempfile()
        .and_then(|f| f.metadata())
        .map(|m| m.permissions())
        .expect("a temporary file")
}

/// Writes `bytes` to `path` atomically (`-` is standard output).
pub fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut out = Output::create(path)?;
    match out.write_all(bytes) {
        Ok(()) => out.commit(),
        Err(e) => quiet_pipe(Err(e)),
    }
}

/// Whether this output is standard output.
impl Output {
    pub fn is_stdout(&self) -> bool {
        matches!(self.inner, Sink::Stdout(..))
    }
}

/// Treats a closed pipe as success: the reader stopped reading (`| head`), which is not a failure
/// of the run.
pub fn quiet_pipe(r: io::Result<()>) -> io::Result<()> {
    match r {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// Prints to standard output; a closed pipe is quiet, any other failure is returned.
pub fn print(text: &str) -> io::Result<()> {
    let mut out = io::stdout().lock();
    quiet_pipe(out.write_all(text.as_bytes()).and_then(|_| out.flush()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_file_is_found_through_symlinks_and_hard_links() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in.ndjson");
        fs::write(&input, b"{}\n").unwrap();
        let hard = dir.path().join("hard.ndjson");
        fs::hard_link(&input, &hard).unwrap();
        let mut plan = Plan::new();
        plan.input("input", &input).output("report (-o)", &hard);
        let err = plan.check().unwrap_err();
        assert!(err.to_string().contains("are the same file"), "{err}");
        assert!(err.to_string().contains("in.ndjson"), "{err}");
        #[cfg(unix)]
        {
            let link = dir.path().join("link.ndjson");
            std::os::unix::fs::symlink(&input, &link).unwrap();
            let mut plan = Plan::new();
            plan.input("input", &input).output("events file", &link);
            assert!(plan.check().is_err());
        }
        let mut plan = Plan::new();
        plan.input("input", &input)
            .output("report", &dir.path().join("new.json"));
        assert_eq!(plan.check(), Ok(()));
    }

    #[test]
    fn two_outputs_on_one_path_are_refused() {
        let mut plan = Plan::new();
        plan.output("report", Path::new("r.json"))
            .output("events file", Path::new("r.json"));
        assert!(plan.check().is_err());
        let mut plan = Plan::new();
        plan.output("report", Path::new("-"))
            .output("events file", Path::new("-"));
        assert_eq!(plan.check(), Ok(()));
    }

    #[test]
    fn writes_replace_the_target_whole_and_keep_symlinks() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.json");
        fs::write(&target, b"old").unwrap();
        write(&target, b"new contents").unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"new contents");
        // An unfinished write leaves the old file.
        {
            let mut out = Output::create(&target).unwrap();
            out.write_all(b"half").unwrap();
        }
        assert_eq!(fs::read(&target).unwrap(), b"new contents");
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "the temporary file is removed");
        #[cfg(unix)]
        {
            let link = dir.path().join("link.json");
            std::os::unix::fs::symlink(&target, &link).unwrap();
            write(&link, b"through the link").unwrap();
            assert!(
                fs::symlink_metadata(&link)
                    .unwrap()
                    .file_type()
                    .is_symlink()
            );
            assert_eq!(fs::read(&target).unwrap(), b"through the link");
        }
    }

    #[test]
    fn broken_pipe_is_quiet_and_other_errors_are_not() {
        let pipe = io::Error::new(io::ErrorKind::BrokenPipe, "closed");
        assert!(quiet_pipe(Err(pipe)).is_ok());
        let other = io::Error::other("disk full");
        assert!(quiet_pipe(Err(other)).is_err());
    }
}
