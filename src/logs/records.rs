//! Per-record dispatch: each detected JSON kind or AD FS XML event to its source parser, the
//! Kinde users snapshot loader, and the count of an input in which nothing was recognised.

use super::agg::{Aggregate, FileSummary, Filter, Malformed};
use super::cause::Source;
use super::detect::{Format, JsonKind, Layout};
use super::frame::{Framer, JsonStream, Ndjson};
use super::pump::{Batch, stream};
use super::source::{Options, Partial, overlong};
use super::{adfs, adfs_json, entra, google, kinde, okta};
use std::collections::HashMap;
use std::io::{self, Read};

/// Per-file counts returned by the users loader.
pub(crate) struct UsersSummary {
    records: u64,
    malformed: Vec<(u64, String)>,
}

impl UsersSummary {
    pub(crate) fn with_name(self, name: &str, format: Format) -> Aggregate {
        let mut agg = Aggregate {
            skipped: self.records,
            ..Aggregate::default()
        };
        let count = self.malformed.len() as u64;
        for (line, error) in self.malformed {
            agg.add_malformed(Malformed {
                file: name.to_string(),
                line,
                error,
            });
        }
        agg.files.push(FileSummary::new(
            name,
            format.name(),
            0,
            self.records,
            count,
        ));
        agg
    }
}

pub(crate) fn framer_for(layout: Layout) -> Box<dyn Framer> {
    match layout {
        Layout::Ndjson => Box::new(Ndjson::default()),
        Layout::Stream => Box::new(JsonStream::default()),
    }
}

pub(crate) fn load_users(
    reader: Box<dyn Read + Send>,
    layout: Layout,
    opts: &Options,
    users: &mut HashMap<String, String>,
) -> io::Result<UsersSummary> {
    let mut summary = UsersSummary {
        records: 0,
        malformed: Vec::new(),
    };

    stream(reader, framer_for(layout), opts, |batch| {
        for r in &batch.recs {
            summary.records += 1;
            if let Err(e) = kinde::add_user(&batch.buf[r.start..r.end], users) {
                summary.malformed.push((r.line, e));
            }
        }
        push_frame_problems(batch, opts, |line, e| summary.malformed.push((line, e)));
    })?;
    Ok(summary)
}

pub(crate) fn push_frame_problems(batch: &Batch, opts: &Options, mut f: impl FnMut(u64, String)) {
    if let Some(line) = batch.overlong {
        f(line, overlong(opts.max_record_bytes));
    }
    if let Some(e) = &batch.error {
        f(e.line, e.message.clone());
    }
}

/// Parses one JSON record of a known kind into `p`.
pub(crate) fn handle_json(
    kind: JsonKind,
    bytes: &[u8],
    users: &HashMap<String, String>,
    p: &mut Partial,
    f: &Filter,
) -> Result<(), String> {
    match kind {
        JsonKind::Entra => p.push(&entra::parse_json(bytes)?, f),
        JsonKind::Okta => {
            for read in okta::parse_record(bytes)? {
                match read {
                    okta::Read::Event(e) => p.push(&e, f),
                    okta::Read::Skipped(t) => p.agg.add_skipped(Source::Okta, &t),
                }
            }
        }
        JsonKind::Google => {
            let events = google::parse_json(bytes)?;
            if events.is_empty() {
                p.agg.skipped += 1;
            }
            events.iter().for_each(|e| p.push(e, f));
        }
        JsonKind::KindeEvents => match kinde::parse_json(bytes, users)? {
            Some(e) => p.push(&e, f),
            None => p.agg.skipped += 1,
        },
        JsonKind::KindeUsers => p.agg.skipped += 1,
        JsonKind::EntraTables => entra::tables::for_each_row(bytes, |e| p.push(e, f))?,
        JsonKind::KindeJwt => {
            let payload = kinde::jwt_payload(bytes)?;
            match kinde::parse_json(&payload, users)? {
                Some(e) => p.push(&e, f),
                None => p.agg.skipped += 1,
            }
        }
        JsonKind::Adfs => match adfs_json::raw_from_json(bytes)?.and_then(adfs::build) {
            Some(e) => p.push(&e, f),
            None => p.agg.skipped += 1,
        },
    }
    Ok(())
}

pub(crate) fn handle_adfs_xml(bytes: &[u8], p: &mut Partial, f: &Filter) -> Result<(), String> {
    match adfs::build(adfs::raw_from_xml(bytes)?) {
        Some(e) => p.push(&e, f),
        None => p.agg.skipped += 1,
    }
    Ok(())
}

/// Reads an input in which no record was recognised (a map step's slice of bad lines, kept
/// under `--partial` instead of failing the job): every non-blank line counts as malformed, so
/// merging the slices of a file still counts what one run over the whole file counts, and the
/// source is marked `unrecognised` so `merge` can warn (or fail with `--strict`).
pub(crate) fn count_unrecognised(
    reader: Box<dyn Read + Send>,
    name: &str,
    why: &str,
    opts: &Options,
) -> io::Result<Aggregate> {
    let mut agg = Aggregate::default();
    let short = why.split("; formats tried").next().unwrap_or(why);
    let message = format!("no recognisable record in this input ({short})");
    let add = |agg: &mut Aggregate, line: u64, error: String| {
        agg.add_malformed(Malformed {
            file: name.to_string(),
            line,
            error,
        })
    };
    stream(reader, Box::new(Ndjson::default()), opts, |batch| {
        for r in &batch.recs {
            add(&mut agg, r.line, message.clone());
        }
        if let Some(line) = batch.overlong {
            add(&mut agg, line, overlong(opts.max_record_bytes));
        }
    })?;
    let mut summary = FileSummary::new(name, "unrecognised".into(), 0, 0, agg.malformed_count);
    summary.unrecognised = 1;
    agg.files.push(summary);
    Ok(agg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logs::detect;
    use crate::logs::frame::XmlEvents;
    use proptest::prelude::*;
    use std::path::Path;

    fn all_parsers(bytes: &[u8]) {
        let users = HashMap::new();
        let mut p = Partial::new(true);
        let f = Filter::default();
        for kind in [
            JsonKind::Entra,
            JsonKind::Okta,
            JsonKind::Google,
            JsonKind::KindeEvents,
        ] {
            let _ = handle_json(kind, bytes, &users, &mut p, &f);
        }
        let _ = handle_adfs_xml(bytes, &mut p, &f);
        let _ = detect::detect(bytes, true);
        let mut out = Vec::new();
        for mut framer in [
            framer_for(Layout::Ndjson),
            framer_for(Layout::Stream),
            Box::new(XmlEvents::default()) as Box<dyn Framer>,
        ] {
            let _ = framer.frame(bytes, true, &mut out);
            let _ = framer.frame(bytes, false, &mut out);
        }
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            all_parsers(&bytes);
        }

        #[test]
        fn json_like_text_never_panics(text in r#"[\[\]{}":,a-z0-9\\ \n<>/.-]{0,300}"#) {
            all_parsers(text.as_bytes());
        }
    }

    #[test]
    fn mangled_fixture_records_never_panic() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/logs");
        for file in [
            "entra/graph-beta.ndjson",
            "okta/system-log.ndjson",
            "google/saml-activities.ndjson",
            "adfs/wevtutil.xml",
            "kinde/webhooks.json",
        ] {
            let text = std::fs::read(root.join(file)).unwrap();
            for cut in (0..text.len().min(3000)).step_by(7) {
                all_parsers(&text[..cut]);
                all_parsers(&text[cut..]);
            }
        }
    }
}
