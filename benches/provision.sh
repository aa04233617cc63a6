#!/usr/bin/env bash
# End-to-end figure for issue 5: a 1,000,000-user Kinde export against a 1,000,000-row Entra
# directory export. Generates the data once (deterministic), then runs the release binary under
# /usr/bin/time -v and prints wall time and peak RSS. Target: < 5 s and < 1 GB on 2 cores.
#
#   benches/provision.sh [N] [DIR]      (defaults: 1000000, target/bench-provision)
set -euo pipefail
N="${1:-1000000}"
DIR="${2:-target/bench-provision}"
cargo build --release --quiet --bin sso-doctor --example provision_gen
if [ ! -s "$DIR/users.ndjson" ] || [ "$(cat "$DIR/.n" 2>/dev/null)" != "$N" ]; then
  ./target/release/examples/provision_gen "$N" "$DIR"
  echo "$N" > "$DIR/.n"
fi
ls -l "$DIR"/users.ndjson "$DIR"/entra-users.csv
for format in text json; do
  echo "== --format $format"
  set +e
  /usr/bin/time -v ./target/release/sso-doctor simulate --config "$DIR/conn.toml" \
    --users "$DIR/users.ndjson" --directory "$DIR/entra-users.csv" \
    --organization org_5e1f00c0de1 --format "$format" > "$DIR/report.$format" 2> "$DIR/time.$format"
  code=$?
  set -e
  echo "exit code $code (1 = predicted failures, expected)"
  grep -E "Elapsed \(wall clock\)|Maximum resident set size|Percent of CPU" "$DIR/time.$format"
done
