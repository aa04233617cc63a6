//! Format detection and record framing: detect on the head, then feed the bytes to every framer
//! in chunks of a fuzzed size, carrying tails like the reader thread, with a fuzzed record cap.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sso_doctor::logs::detect;
use sso_doctor::logs::frame::{Framer, JsonStream, Ndjson, XmlEvents};

fn run(framer: &mut dyn Framer, input: &[u8], step: usize, cap: usize) {
    let mut buf = Vec::new();
    let mut pos = 0;
    loop {
        let take = step.min(input.len() - pos);
        buf.extend_from_slice(&input[pos..pos + take]);
        pos += take;
        let eof = pos == input.len();
        let mut recs = Vec::new();
        let used = match framer.frame(&buf, eof, &mut recs) {
            Ok(u) => u,
            Err(_) => return,
        };
        assert!(used <= buf.len(), "framer consumed more than the buffer");
        for r in &recs {
            assert!(
                r.start <= r.end && r.end <= buf.len(),
                "record out of bounds"
            );
        }
        let mut used = used;
        if used == 0 && recs.is_empty() && !eof && buf.len() >= cap {
            match framer.skip_overlong(&buf) {
                Ok((u, _line)) => used = u,
                Err(_) => return,
            }
        }
        buf.drain(..used);
        if eof {
            return;
        }
    }
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let step = usize::from(data[0]) + 1;
    let cap = usize::from(data[1]) * 4 + 8;
    let body = &data[2..];
    let _ = detect::detect(body, true);
    let _ = detect::detect(&body[..body.len().min(64)], body.len() <= 64);
    run(&mut Ndjson::default(), body, step, cap);
    run(&mut JsonStream::default(), body, step, cap);
    run(&mut XmlEvents::default(), body, step, cap);
});
