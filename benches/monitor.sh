#!/usr/bin/env bash
# Monitor benchmark: 1 GB of Entra sign-in NDJSON + 200,000 Kinde events + a 100,000-user snapshot
# (issue target: under 10 s and 1 GB peak RSS on 2 cores). Usage: bash benches/monitor.sh [IDP_MB]
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-1024}
dir=target/monitor-bench-$mb
cargo build --release --quiet --example monitor_gen
cargo build --release --quiet
[ -d "$dir" ] || target/release/examples/monitor_gen "$dir" "$mb" 100000 200000
ls -la "$dir/logs"
/usr/bin/time -f "monitor: %e s wall, %M KB peak RSS" target/release/sso-doctor monitor \
  -c "$dir/conn.toml" --users "$dir/users-before.ndjson" --format json "$dir/logs" > "$dir/report.json" || true
python3 -c "import json; d=json.load(open('$dir/report.json')); print('people', d['summary']['people'], d['summary']['observed'])"
