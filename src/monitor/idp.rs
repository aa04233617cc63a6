//! The IdP side of the monitor: sign-in events from any log `logs` reads, folded into state per
//! person (bounded: a count, the first success, the latest successes, the latest failure), never
//! kept per record. Events come from the logs pipeline's normalised NDJSON, read back line by line
//! as it is written.

use crate::logs::cause::Source;
use crate::logs::ingest::{self, Input, Options};
use crate::time::Millis;
use std::borrow::Cow;
use std::io::Write;

/// Success times kept per person for the window join (the latest ones, plus the first).
const KEEP_SUCCESSES: usize = 64;

/// One person's IdP sign-ins.
#[derive(Debug, Clone, Default)]
pub struct IdpPerson {
    pub successes: u64,
    pub failures: u64,
    /// Earliest success: time and evidence.
    pub first_success: Option<(Millis, String)>,
    /// Latest success times (at most [`KEEP_SUCCESSES`]).
    pub recent_successes: Vec<Millis>,
    /// Latest failure: time, source, code, cause, evidence.
    pub last_failure: Option<(Millis, Source, String, String, String)>,
}

impl IdpPerson {
    /// The success times to join on, earliest first.
    pub fn success_times(&self) -> Vec<Millis> {
        let mut t: Vec<Millis> = self.recent_successes.clone();
        if let Some((f, _)) = &self.first_success {
            t.push(*f);
        }
        t.sort_unstable();
        t.dedup();
        t
    }
}

/// Everything read from the IdP logs.
#[derive(Debug, Default)]
pub struct IdpSide {
    /// By the user as the IdP log writes it. Hash-keyed for speed; never iterated in hash
    /// order (the join sorts the keys).
    pub people: foldhash::HashMap<String, IdpPerson>,
    /// Records without a user or a time (counted, not joined).
    pub without_user: u64,
    pub events: u64,
    pub errors: Vec<String>,
    pub ignored: Vec<String>,
    pub malformed: u64,
    pub malformed_first: Vec<String>,
}

struct Sink<'a> {
    side: &'a mut IdpSide,
    file: String,
    pending: Vec<u8>,
    since: Option<Millis>,
    until: Option<Millis>,
}

/// One normalised event as the logs pipeline writes it (only the keys the join reads; strings
/// borrowed from the line unless escaped).
#[derive(serde::Deserialize)]
struct Line<'a> {
    #[serde(borrow)]
    time: Option<Cow<'a, str>>,
    #[serde(borrow)]
    source: Option<Cow<'a, str>>,
    #[serde(borrow)]
    user: Option<Cow<'a, str>>,
    #[serde(borrow)]
    outcome: Option<Cow<'a, str>>,
    #[serde(borrow)]
    error_code: Option<Cow<'a, str>>,
    #[serde(borrow)]
    cause: Option<Cow<'a, str>>,
    #[serde(borrow)]
    correlation_id: Option<Cow<'a, str>>,
}

impl Sink<'_> {
    fn take_line(&mut self, line: &[u8]) {
        let Ok(v) = serde_json::from_slice::<Line>(line) else {
            return;
        };
        let source = match v
            .source
            .as_deref()
            .and_then(|x| Source::ALL.into_iter().find(|s| s.as_str() == x))
        {
            Some(Source::Kinde) | None => return,
            Some(src) => src,
        };
        let time = v.time.as_deref().and_then(crate::time::parse_millis);
        if let Some(t) = time
            && (self.since.is_some_and(|x| t < x) || self.until.is_some_and(|x| t > x))
        {
            return;
        }
        self.side.events += 1;
        let (Some(user), Some(time)) = (v.user.as_deref(), time) else {
            self.side.without_user += 1;
            return;
        };
        let evidence = || {
            format!(
                "{} {} {}{}",
                self.file,
                source.as_str(),
                crate::time::format(time),
                v.correlation_id
                    .as_deref()
                    .map(|c| format!(" correlation {c}"))
                    .unwrap_or_default()
            )
        };
        if !self.side.people.contains_key(user) {
            self.side
                .people
                .insert(user.to_string(), IdpPerson::default());
        }
        let p = self.side.people.get_mut(user).expect("inserted");
        match v.outcome.as_deref() {
            Some("success") => {
                p.successes += 1;
                if p.first_success.as_ref().is_none_or(|(f, _)| time < *f) {
                    p.first_success = Some((time, evidence()));
                }
                p.recent_successes.push(time);
                if p.recent_successes.len() > 2 * KEEP_SUCCESSES {
                    p.recent_successes.sort_unstable();
                    p.recent_successes.drain(..KEEP_SUCCESSES);
                }
            }
            Some("failure") => {
                p.failures += 1;
                if p.last_failure.as_ref().is_none_or(|f| time >= f.0) {
                    p.last_failure = Some((
                        time,
                        source,
                        v.error_code.as_deref().unwrap_or("").to_string(),
                        v.cause.as_deref().unwrap_or("unknown").to_string(),
                        evidence(),
                    ));
                }
            }
            _ => {}
        }
    }
}

impl Write for Sink<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut pending = std::mem::take(&mut self.pending);
        pending.extend_from_slice(buf);
        let mut start = 0;
        while let Some(i) = memchr::memchr(b'\n', &pending[start..]) {
            self.take_line(&pending[start..start + i]);
            start += i + 1;
        }
        pending.drain(..start);
        self.pending = pending;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Reads IdP log files (each through the logs pipeline) into per-person state.
pub fn read(files: &[Input], since: Option<Millis>, until: Option<Millis>) -> IdpSide {
    let mut side = IdpSide::default();
    let opts = Options::default();
    for f in files {
        let file = f.path.display().to_string();
        let mut sink = Sink {
            side: &mut side,
            file,
            pending: Vec::new(),
            since,
            until,
        };
        let out = ingest::analyze(std::slice::from_ref(f), &opts, Some(&mut sink));
        let rest = std::mem::take(&mut sink.pending);
        if !rest.is_empty() {
            sink.take_line(&rest);
        }
        side.errors.extend(out.errors);
        side.ignored.extend(out.ignored);
        side.malformed += out.aggregate.malformed_count;
        for m in out.aggregate.malformed.iter().take(5) {
            if side.malformed_first.len() < 10 {
                side.malformed_first
                    .push(format!("{}:{}: {}", m.file, m.line, m.error));
            }
        }
    }
    side
}
