#!/usr/bin/env bash
# End-to-end speed check for `sso-doctor logs` (a benchmark, not a test).
#
#   benches/logs.sh [SIZE_MB] [RSS_MB]
#
# 1. Generates SIZE_MB (default 1024) of synthetic Entra Graph signIn NDJSON with
#    examples/gen_entra.rs (deterministic).
# 2. Times sso-doctor and jq computing the same failures-by-error-code counts (jq does the counting
#    itself with `reduce`), checks the two count objects are identical, prints the ratio.
# 3. Times gzip input against plain `zcat`.
# 4. Measures peak RSS on an RSS_MB (default 2048) file (the NDJSON concatenated with itself).
# Wall-clock figures depend on what else runs on the machine; CPU seconds (user+sys) are printed
# too because they are steadier on a shared box.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB=${1:-1024}
RSS_MB=${2:-2048}
DIR=${BENCH_DIR:-target/logs-bench}
mkdir -p "$DIR"
command -v jq >/dev/null || { echo "jq is required (apt-get install jq)" >&2; exit 2; }

cargo build --release --quiet --bin sso-doctor --example gen_entra
BIN=target/release/sso-doctor
GEN=target/release/examples/gen_entra
DATA="$DIR/signins-${SIZE_MB}m.ndjson"
if [ ! -s "$DATA" ]; then
  echo "generating $SIZE_MB MB of Graph signIn NDJSON..."
  "$GEN" $((SIZE_MB * 1024 * 1024)) > "$DATA"
fi
BYTES=$(stat -c %s "$DATA")
MB=$(echo "scale=1; $BYTES / 1048576" | bc)

# Runs a command under /usr/bin/time; leaves "wall user sys maxrss_kb" in $DIR/last.time.
timed() { /usr/bin/time -f "%e %U %S %M" -o "$DIR/last.time" "$@"; }
read_time() { read -r WALL USER SYS RSS < "$DIR/last.time"; CPU=$(echo "$USER + $SYS" | bc); }
rate() { echo "scale=0; $MB / $1" | bc; }

cat "$DATA" > /dev/null # warm the page cache so both tools read from memory

timed "$BIN" logs --format json --fail-on never --no-progress "$DATA" > "$DIR/sso.json"
read_time; SSO_WALL=$WALL; SSO_CPU=$CPU; SSO_RSS=$RSS
jq -S '.by_error_code' "$DIR/sso.json" > "$DIR/sso-codes.json"

INTERRUPTS='50140,50074,50058,50072,50125,50158,50199,90095'
timed jq -n -S "reduce (inputs | .status.errorCode | select(. != 0 and (IN($INTERRUPTS) | not))) as \$c ({}; .[\$c | tostring] += 1)" "$DATA" > "$DIR/jq-codes.json"
read_time; JQ_WALL=$WALL; JQ_CPU=$CPU

if cmp -s "$DIR/sso-codes.json" "$DIR/jq-codes.json"; then AGREE=yes; else AGREE=NO; diff "$DIR/sso-codes.json" "$DIR/jq-codes.json" | head; fi

echo
echo "input: $MB MB, $(jq .events_total "$DIR/sso.json") events, $(jq .failures_total "$DIR/sso.json") failures"
echo "sso-doctor: ${SSO_WALL}s wall ($(rate "$SSO_WALL") MB/s), ${SSO_CPU}s CPU ($(rate "$SSO_CPU") MB/s per CPU-second), peak RSS $((SSO_RSS / 1024)) MB"
echo "jq:         ${JQ_WALL}s wall ($(rate "$JQ_WALL") MB/s), ${JQ_CPU}s CPU"
echo "counts agree: $AGREE"
echo "speed-up vs jq: $(echo "scale=1; $JQ_WALL / $SSO_WALL" | bc)x wall, $(echo "scale=1; $JQ_CPU / $SSO_CPU" | bc)x CPU"

GZ="$DATA.gz"
[ -s "$GZ" ] || gzip -1 -c "$DATA" > "$GZ"
timed sh -c "zcat '$GZ' > /dev/null"
read_time; Z_WALL=$WALL
timed "$BIN" logs --format json --fail-on never --no-progress "$GZ" > "$DIR/sso-gz.json"
read_time; G_WALL=$WALL
cmp -s <(jq -S .by_error_code "$DIR/sso-gz.json") "$DIR/sso-codes.json" && GZ_AGREE=yes || GZ_AGREE=NO
echo "gzip: zcat ${Z_WALL}s ($(rate "$Z_WALL") MB/s of output), sso-doctor on .gz ${G_WALL}s ($(rate "$G_WALL") MB/s), same counts: $GZ_AGREE"

BIG="$DIR/signins-${RSS_MB}m.ndjson"
if [ ! -s "$BIG" ]; then
  while [ "$(stat -c %s "$BIG" 2>/dev/null || echo 0)" -lt $((RSS_MB * 1024 * 1024)) ]; do cat "$DATA" >> "$BIG"; done
fi
timed "$BIN" logs --format json --fail-on never --no-progress "$BIG" > /dev/null
read_time
echo "peak RSS on $(( $(stat -c %s "$BIG") / 1048576 )) MB: $((RSS / 1024)) MB (${WALL}s wall)"
