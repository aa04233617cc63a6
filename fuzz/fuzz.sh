#!/usr/bin/env bash
# Runs the cargo-fuzz targets in fuzz/ for a given number of seconds each, two at a time at most.
#
#   fuzz/fuzz.sh TARGET|all SECONDS [JOBS]
#
# Seeds each target's corpus (fuzz/corpus/TARGET, not committed) from fixtures/ and from
# fixtures/regressions/TARGET/, runs under `nice`, keeps going after a crash (fork mode), and
# writes crashing inputs to fuzz/artifacts/TARGET/. A summary line per target goes to
# fuzz/runs.log: target, seconds, execs, crash/oom/timeout artifacts.
#
# The machine only has stable Rust: RUSTC_BOOTSTRAP=1 lets `cargo fuzz` pass its -Z flags.
set -euo pipefail

usage() {
    echo "usage: $0 TARGET|all SECONDS [JOBS<=2]" >&2
    exit 2
}
[[ $# -ge 2 ]] || usage
target=$1
seconds=$2
jobs=${3:-2}
[[ $seconds =~ ^[0-9]+$ ]] || usage
[[ $jobs =~ ^[12]$ ]] || usage

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export RUSTC_BOOTSTRAP=1

all_targets=(decode saml_pipeline xml_dsig logs_entra logs_okta logs_google logs_adfs
    logs_kinde logs_detect_frame logs_partial settings expectation users_snapshot directory)

if [[ $target == all ]]; then
    targets=("${all_targets[@]}")
else
    found=
    for t in "${all_targets[@]}"; do [[ $t == "$target" ]] && found=1; done
    [[ -n $found ]] || { echo "unknown target $target (one of: ${all_targets[*]})" >&2; exit 2; }
    targets=("$target")
fi

command -v cargo-fuzz >/dev/null || { echo "cargo-fuzz missing: cargo install cargo-fuzz" >&2; exit 1; }

# -a: overflow checks and debug assertions on, so arithmetic overflow is a crash too. Built once
# up front; the runs below use the binaries directly, so editing src/ during a run changes nothing.
# FUZZ_TARGET_DIR picks the cargo target directory (default fuzz/target). The binaries are then
# copied to fuzz/bin/REV/, so rebuilding while a run is going does not swap them under it.
target_dir=${FUZZ_TARGET_DIR:-$root/fuzz/target}
if [[ ${#targets[@]} -eq 1 ]]; then
    nice -n 10 cargo fuzz build -a --target-dir "$target_dir" "${targets[0]}"
else
    nice -n 10 cargo fuzz build -a --target-dir "$target_dir"
fi
# The commit the binaries were built from (with "+dirty" when src/ had uncommitted changes).
build_rev=$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src fuzz || echo +dirty)
bin_dir=$root/fuzz/bin/$build_rev
mkdir -p "$bin_dir"
for t in "${targets[@]}"; do
    cp "$target_dir/$(rustc -vV | sed -n 's/^host: //p')/release/$t" "$bin_dir/"
done
export bin_dir build_rev

# Copies each file to DIR, optionally with a prefix of raw bytes (selector bytes some targets
# read first); NDJSON files also give one seed per line (first 40 lines).
seed() {
    local dir=$1 prefix=$2
    shift 2
    local f i=0
    for f in "$@"; do
        [[ -f $f ]] || continue
        i=$((i + 1))
        { printf "$prefix"; cat "$f"; } >"$dir/seed-$i-$(basename "$f")"
        if [[ $f == *.ndjson ]]; then
            local n=0
            while IFS= read -r line && [[ $n -lt 40 ]]; do
                n=$((n + 1))
                { printf "$prefix"; printf '%s' "$line"; } >"$dir/seed-$i-line$n"
            done <"$f"
        fi
    done
}

seed_target() {
    local t=$1 dir=fuzz/corpus/$1
    mkdir -p "$dir"
    shopt -s nullglob globstar
    local saml=(fixtures/saml/*.{xml,b64,txt,html,json,har,gz,bin} fixtures/dsig/*.xml)
    case $t in
        decode) seed "$dir" "" "${saml[@]}" ;;
        saml_pipeline)
            seed "$dir" '\x01\x01' "${saml[@]}"
            seed "$dir" '\x0d\x01' fixtures/dsig/*.xml
            seed "$dir" '\x00\x00' fixtures/saml/form-*.*
            ;;
        xml_dsig) seed "$dir" "" fixtures/dsig/*.xml fixtures/saml/*.xml ;;
        settings) seed "$dir" "" fixtures/**/*.toml ;;
        expectation) seed "$dir" "" fixtures/**/*.expect.toml ;;
        users_snapshot)
            seed "$dir" '\x00' fixtures/provision/**/users-page.json
            seed "$dir" '\x01' fixtures/provision/**/users*.ndjson fixtures/logs/kinde/users-export.ndjson
            seed "$dir" '\x02' fixtures/provision/**/users-import.csv
            ;;
        directory)
            seed "$dir" '\x00' fixtures/provision/**/entra-users.csv
            seed "$dir" '\x0c' fixtures/provision/**/entra-users.csv
            seed "$dir" '\x01' fixtures/provision/**/events.ndjson
            ;;
        logs_entra) seed "$dir" "" fixtures/logs/entra/* fixtures/logs/malformed/* ;;
        logs_okta) seed "$dir" "" fixtures/logs/okta/* ;;
        logs_google) seed "$dir" "" fixtures/logs/google/* ;;
        logs_adfs) seed "$dir" "" fixtures/logs/adfs/* ;;
        logs_kinde) seed "$dir" "" fixtures/logs/kinde/* ;;
        logs_detect_frame) seed "$dir" '\x07\x10' fixtures/logs/*/* ;;
        logs_partial)
            local f bin=target/release/sso-doctor
            [[ -x $bin ]] || bin=target/debug/sso-doctor
            for f in fixtures/logs/*/*.{ndjson,json,csv,xml}; do
                "$bin" logs --partial "$f" >"$dir/seed-partial-$(basename "$f")" 2>/dev/null || true
            done
            ;;
    esac
    if [[ -d fixtures/regressions/$t ]]; then
        cp fixtures/regressions/"$t"/* "$dir"/ 2>/dev/null || true
    fi
}

run_one() {
    local t=$1 secs=$2
    seed_target "$t"
    mkdir -p fuzz/artifacts/"$t" fuzz/logs
    local log=fuzz/logs/$t.log
    # fork=1 with ignore_*: one worker process, restarted after a crash/OOM/timeout, so a run
    # lasts the full time and collects every distinct failure. 2 GB RSS, 10 s per input.
    nice -n 10 "$bin_dir/$t" fuzz/corpus/"$t" \
        -max_total_time="$secs" -fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1 \
        -rss_limit_mb=2048 -malloc_limit_mb=2048 -timeout=10 -max_len=65536 \
        -artifact_prefix=fuzz/artifacts/"$t"/ >"$log" 2>&1 || true
    local execs
    execs=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#')
    local crashes ooms timeouts
    crashes=$(find fuzz/artifacts/"$t" -name 'crash-*' | wc -l)
    ooms=$(find fuzz/artifacts/"$t" -name 'oom-*' | wc -l)
    timeouts=$(find fuzz/artifacts/"$t" -name 'timeout-*' | wc -l)
    printf '%s\t%s\t%s\tseconds=%s\texecs=%s\tcrash=%s\toom=%s\ttimeout=%s\n' \
        "$(date -u +%FT%TZ)" "$t" "$build_rev" "$secs" "${execs:-0}" \
        "$crashes" "$ooms" "$timeouts" | tee -a fuzz/runs.log
}

export -f run_one seed_target seed
printf '%s\n' "${targets[@]}" | xargs -P "$jobs" -I{} bash -c 'run_one "$1" "$2"' _ {} "$seconds"
