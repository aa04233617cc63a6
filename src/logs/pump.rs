//! The reader thread: decompress and frame fixed-size chunks, hand each [`Batch`] to the
//! calling thread over a bounded channel, and recycle the buffers it hands back. At most
//! [`MAX_BUFFERS`] chunks are alive at once, so memory is bounded by the chunk size (and the
//! record cap), never by the file size.

use super::frame::{FrameError, Framer, Rec};
use super::source::Options;
use std::io::{self, Read};
use std::sync::mpsc::{Receiver, SyncSender, channel, sync_channel};

/// One framed chunk.
pub struct Batch {
    pub buf: Vec<u8>,
    pub recs: Vec<Rec>,
    /// Bytes of `buf` consumed (the rest was carried into the next chunk).
    pub consumed: usize,
    /// Start line of a record that exceeded the cap and was skipped.
    pub overlong: Option<u64>,
    /// A structural error that ended framing of this file.
    pub error: Option<FrameError>,
}

/// Chunk buffers alive at once: one being filled, one queued, one being parsed, one spare.
const MAX_BUFFERS: usize = 4;

/// Runs the reader/framer thread and hands each batch to `consume` on the calling thread.
pub(crate) fn stream(
    reader: Box<dyn Read + Send>,
    framer: Box<dyn Framer>,
    opts: &Options,
    mut consume: impl FnMut(&Batch),
) -> io::Result<()> {
    let (tx, rx) = sync_channel::<Batch>(1);
    let (ret_tx, ret_rx) = channel::<Vec<u8>>();
    let chunk = opts.chunk_bytes.max(64);
    // Room for a record of exactly the cap plus its line end (`\r\n`): the buffer used to stop
    // at the cap itself, so a record exactly `--max-record-bytes` long never saw its newline and
    // was dropped as over-long for every cap at or above the chunk size.
    let max = opts.max_record_bytes.saturating_add(2).max(chunk);
    std::thread::scope(|s| {
        let producer = s.spawn(move || produce(reader, framer, tx, ret_rx, chunk, max));
        for batch in rx {
            consume(&batch);
            let _ = ret_tx.send(batch.buf);
        }
        producer
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("reader thread panicked")))
    })
}

fn produce(
    mut reader: Box<dyn Read + Send>,
    mut framer: Box<dyn Framer>,
    tx: SyncSender<Batch>,
    recycled: Receiver<Vec<u8>>,
    chunk: usize,
    max: usize,
) -> io::Result<()> {
    let mut cap = chunk;
    let mut buf: Vec<u8> = Vec::with_capacity(cap);
    let mut allocated = 1;
    let mut first = true;
    loop {
        let want = cap.saturating_sub(buf.len());
        let n = (&mut reader).take(want as u64).read_to_end(&mut buf)?;
        let eof = n < want;
        if std::mem::take(&mut first) && buf.starts_with(&[0xEF, 0xBB, 0xBF]) {
            // Windows tools write a UTF-8 byte-order mark; it is not part of the first record.
            buf.drain(..3);
        }
        let mut recs = Vec::new();
        let (mut consumed, mut error) = match framer.frame(&buf, eof, &mut recs) {
            Ok(c) => (c, None),
            Err(e) => (buf.len(), Some(e)),
        };
        let mut overlong = None;
        if error.is_none() && consumed == 0 && recs.is_empty() && !eof {
            if cap < max {
                // One record is bigger than a chunk: grow up to the record cap and read on.
                cap = (cap * 2).min(max);
                continue;
            }
            match framer.skip_overlong(&buf) {
                Ok((c, line)) => {
                    consumed = c;
                    overlong = Some(line);
                }
                Err(e) => {
                    consumed = buf.len();
                    error = Some(e);
                }
            }
        }
        if eof && error.is_none() && buf[consumed..].iter().any(|b| !b.is_ascii_whitespace()) {
            error = Some(FrameError {
                line: recs.last().map_or(0, |r| r.line + 1),
                message: "the file ends inside a record (truncated?)".into(),
            });
        }
        // Reuse the buffers the consumer hands back: fresh 8 MiB allocations cost page faults and
        // zeroing on every chunk, and a fixed pool also caps memory at MAX_BUFFERS chunks.
        let mut next = match recycled.try_recv() {
            Ok(b) => b,
            Err(_) if allocated < MAX_BUFFERS => {
                allocated += 1;
                Vec::new()
            }
            Err(_) => match recycled.recv() {
                Ok(b) => b,
                Err(_) => return Ok(()), // the consumer has gone
            },
        };
        next.clear();
        next.reserve(cap);
        next.extend_from_slice(&buf[consumed..]);
        let done = eof || error.is_some();
        let batch = Batch {
            buf,
            recs,
            consumed,
            overlong,
            error,
        };
        if tx.send(batch).is_err() {
            return Ok(());
        }
        if done {
            return Ok(());
        }
        buf = next;
        cap = cap.max(chunk);
    }
}
