//! Writes a synthetic provisioning data set: `cargo run --release --example provision_gen -- N DIR`.
//!
//! Produces `users.ndjson` (Kinde export), `users-page.json` (API page), `users-import.csv`,
//! `entra-users.csv` (directory), `events.ndjson` and `conn.toml` for N people. Deterministic: the
//! same N gives the same bytes (see `examples/support/provision_synth.rs`).

#[path = "support/provision_synth.rs"]
mod synth;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

type Writer = fn(u64, &mut dyn Write) -> std::io::Result<()>;

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(n), Some(dir)) = (args.get(1).and_then(|n| n.parse::<u64>().ok()), args.get(2))
    else {
        eprintln!("usage: provision_gen N DIR");
        std::process::exit(2);
    };
    let dir = Path::new(dir);
    std::fs::create_dir_all(dir)?;
    let files: [(&str, Writer); 5] = [
        ("users.ndjson", synth::write_export),
        ("users-page.json", synth::write_api_page),
        ("users-import.csv", synth::write_import_csv),
        ("entra-users.csv", synth::write_entra_csv),
        ("events.ndjson", synth::write_events),
    ];
    for (name, write) in files {
        let mut w = BufWriter::with_capacity(1 << 20, File::create(dir.join(name))?);
        write(n, &mut w)?;
        w.flush()?;
    }
    std::fs::write(dir.join("conn.toml"), synth::conn_toml())
}
