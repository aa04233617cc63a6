//! Issue 22 item 1: cost of namespace resolution in the XML reader against the number of
//! bindings in scope. Generates the hostile shape (elements nested `depth` deep, each declaring
//! 255 prefixes of its own, then wide leaves whose names and attributes use prefixes declared at
//! the outermost level) at 1×, 2× and 4× size and prints the parse time and the growth factor per
//! doubling. Linear work doubles; the goal is ≤ 3× per doubling. At 4× the document is the 11 MB,
//! 30,600-binding case that took about 95 s when `resolve` scanned every binding in scope.
//!
//!   cargo bench --bench xml_scaling            (a plain benchmark binary, no timing assertion)

use sso_doctor::limits::Limits;
use sso_doctor::xml::Document;
use std::hint::black_box;
use std::time::{Duration, Instant};

const PREFIXES: usize = 255;

/// `30 × scale` nested elements with 255 distinct prefixes each and `25,000 × scale` leaves.
fn hostile(scale: usize) -> String {
    let depth = 30 * scale;
    let leaves = 25_000 * scale;
    let mut xml = String::with_capacity(110 * leaves + depth * PREFIXES * 32);
    for level in 0..depth {
        xml.push_str(&format!("<n{level}x0:e"));
        for i in 0..PREFIXES {
            xml.push_str(&format!(
                " xmlns:n{level}x{i}=\"urn:example.com:{level}:{i}\""
            ));
        }
        xml.push('>');
    }
    for leaf in 0..leaves {
        let (a, b, c) = (
            leaf % PREFIXES,
            (leaf * 7 + 1) % PREFIXES,
            (leaf * 13 + 2) % PREFIXES,
        );
        xml.push_str(&format!(
            "<n0x{a}:leaf n0x{b}:k=\"{leaf}\" n0x{c}:v=\"value\" n1x{a}:w=\"w\" other=\"plain\"/>"
        ));
    }
    for level in (0..depth).rev() {
        xml.push_str(&format!("</n{level}x0:e>"));
    }
    xml
}

/// Fastest of a few runs (the least disturbed by the other jobs on the machine).
fn time_parse(xml: &str, limits: &Limits) -> Duration {
    (0..3)
        .map(|_| {
            let start = Instant::now();
            let doc = Document::parse(black_box(xml), limits).expect("the hostile case parses");
            black_box(doc.nodes.len());
            start.elapsed()
        })
        .min()
        .expect("three runs")
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument, if any, is ignored.
    let limits = Limits::default();
    let mut previous: Option<Duration> = None;
    let mut worst: f64 = 0.0;
    println!("xml namespace scaling: nested elements × 255 prefixes each, wide leaves");
    for scale in [1, 2, 4] {
        let xml = hostile(scale);
        let t = time_parse(&xml, &limits);
        let growth = previous.map(|p| t.as_secs_f64() / p.as_secs_f64());
        if let Some(g) = growth {
            worst = worst.max(g);
        }
        println!(
            "  {scale}x: {:>6.2} MB, {:>6} bindings in scope, parse {:>9.2} ms{}",
            xml.len() as f64 / 1e6,
            30 * scale * PREFIXES,
            t.as_secs_f64() * 1e3,
            growth.map_or(String::new(), |g| format!(", growth {g:.2}x per doubling")),
        );
        previous = Some(t);
    }
    println!(
        "  worst growth per doubling: {worst:.2}x (goal <= 3x): {}",
        if worst <= 3.0 { "ok" } else { "OVER GOAL" }
    );
}
