//! Finding and opening inputs: expand files and directories (sorted, hidden entries skipped,
//! symlink loops walked once), open files and standard input (gzip detected by magic bytes), and
//! sniff each one's format from its first bytes without losing them.

use super::detect::{self, Format, SNIFF_BYTES};
use super::source::Input;
use flate2::read::MultiGzDecoder;
use std::collections::HashSet;
use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// Expands files and directories (walked recursively in sorted order; hidden entries skipped).
pub fn expand(paths: &[PathBuf]) -> Result<Vec<Input>, String> {
    let mut out = Vec::new();
    for p in paths {
        if is_stdin(p) {
            out.push(Input {
                path: p.clone(),
                explicit: true,
            });
            continue;
        }
        let meta = std::fs::metadata(p).map_err(|e| format!("{}: {e}", p.display()))?;
        if meta.is_dir() {
            walk(p, &mut out).map_err(|e| format!("{}: {e}", p.display()))?;
        } else {
            out.push(Input {
                path: p.clone(),
                explicit: true,
            });
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<Input>) -> io::Result<()> {
    walk_once(dir, out, &mut HashSet::new())
}

/// Walks `dir` unless it was walked already: a symlink loop (`logs/a/back -> logs`) was followed
/// until the path grew too long, reading the same files dozens of times into the counts.
fn walk_once(dir: &Path, out: &mut Vec<Input>, seen: &mut HashSet<PathBuf>) -> io::Result<()> {
    if !seen.insert(std::fs::canonicalize(dir)?) {
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            !p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk_once(&p, out, seen)?;
        } else if p.is_file() {
            out.push(Input {
                path: p,
                explicit: false,
            });
        }
    }
    Ok(())
}

/// Opens a file, transparently gunzipping when it starts with the gzip magic bytes.
pub fn open(path: &Path) -> io::Result<Box<dyn Read + Send>> {
    let mut f = File::open(path)?;
    let mut magic = [0u8; 2];
    let n = f.read(&mut magic)?;
    f.seek(SeekFrom::Start(0))?;
    if n == 2 && magic == [0x1f, 0x8b] {
        Ok(Box::new(MultiGzDecoder::new(BufReader::with_capacity(
            1 << 20,
            f,
        ))))
    } else {
        Ok(Box::new(f))
    }
}

/// `-` names standard input (the map step under Hadoop streaming or Spark's `pipe`).
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Opens standard input, gunzipping when it starts with the gzip magic bytes.
pub(crate) fn open_stdin() -> io::Result<Box<dyn Read + Send>> {
    let mut stdin = io::stdin();
    let mut magic = Vec::with_capacity(2);
    // `take(2).read_to_end` keeps reading until two bytes or end of input, even from a pipe
    // that delivers one byte at a time.
    (&mut stdin).take(2).read_to_end(&mut magic)?;
    let gz = magic == [0x1f, 0x8b];
    let chained = io::Cursor::new(magic).chain(BufReader::with_capacity(1 << 20, stdin));
    Ok(if gz {
        Box::new(MultiGzDecoder::new(chained))
    } else {
        Box::new(chained)
    })
}

/// Reads the first bytes of `reader`, detects the format, and returns a reader that still
/// yields every byte that matters.
///
/// Leading whitespace is skipped before sniffing, however long: an NDJSON or JSON-array export
/// after 256 KiB of blank lines is legal, and sniffing only the blanks called it `empty` (0
/// events, success). The skipped newlines are replayed (without their spaces) so line numbers
/// in malformed-record reports stay those of the file; memory stays one sniff buffer.
pub(crate) fn sniff_reader(
    mut reader: Box<dyn Read + Send>,
) -> io::Result<(Result<Format, String>, Box<dyn Read + Send>)> {
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    let mut newlines = 0u64;
    let whole = loop {
        head.clear();
        (&mut reader)
            .take(SNIFF_BYTES as u64)
            .read_to_end(&mut head)?;
        let whole = head.len() < SNIFF_BYTES;
        match head.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(0) => break whole,
            Some(first) => {
                newlines += memchr::memchr_iter(b'\n', &head[..first]).count() as u64;
                head.drain(..first);
                if whole {
                    break true;
                }
                // Top the head up to a full sniff buffer again.
                (&mut reader).take(first as u64).read_to_end(&mut head)?;
                break head.len() < SNIFF_BYTES;
            }
            None => {
                newlines += memchr::memchr_iter(b'\n', &head).count() as u64;
                if whole {
                    head.clear();
                    break true;
                }
            }
        }
    };
    let format = detect::detect(&head, whole);
    let replay = io::repeat(b'\n').take(newlines);
    Ok((
        format,
        Box::new(replay.chain(io::Cursor::new(head)).chain(reader)),
    ))
}

pub(crate) fn sniff(path: &Path) -> io::Result<Result<Format, String>> {
    Ok(sniff_reader(open(path)?)?.0)
}
