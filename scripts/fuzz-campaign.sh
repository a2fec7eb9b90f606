#!/usr/bin/env bash
# Fuzz campaigns of the readers of outside bytes (docs/FUZZING.md):
#   scripts/fuzz-campaign.sh [--asan] [--runs N] TARGET...
# builds HollowFuzz with libFuzzer (release; --asan adds AddressSanitizer, about five times slower)
# and runs each TARGET (blob, image, jsonl, csv, tsv, schema, log-line) for N executions (default 10^7),
# one after the other, growing .build-fuzz/corpus-TARGET from the seeds in fixtures/fuzz-corpus/.
# Logs: BUILD/campaign-TARGET.log; findings: BUILD/artifacts-TARGET/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh liblz4-dev pkg-config
runs=10000000 asan=0
while [ $# -gt 0 ]; do
    case "$1" in
        --asan) asan=1; shift ;;
        --runs) runs="$2"; shift 2 ;;
        -*) echo "unknown option $1" >&2; exit 64 ;;
        *) break ;;
    esac
done
[ $# -gt 0 ] || { echo "usage: scripts/fuzz-campaign.sh [--asan] [--runs N] TARGET..." >&2; exit 64; }
if [ "$asan" = 1 ]; then
    build=.build-fuzz sanitizers=fuzzer,address
else
    build=.build-fuzz-fast sanitizers=fuzzer
fi
swift build -c release --product HollowFuzz --sanitize=fuzzer -Xswiftc -sanitize=$sanitizers \
    -Xswiftc -DFUZZING --scratch-path "$build"
for target in "$@"; do
    [ -d "fixtures/fuzz-corpus/$target" ] || { echo "no target $target (fixtures/fuzz-corpus/)" >&2; exit 64; }
    max_len=4096
    [ "$target" = log-line ] && max_len=1024
    [ "$target" = blob ] && max_len=65536
    [ "$target" = image ] && max_len=16384
    mkdir -p ".build-fuzz/corpus-$target" "$build/artifacts-$target"
    log="$build/campaign-$target.log"
    echo "=== $target start $(date -Is) commit $(git rev-parse --short HEAD) runs $runs" >> "$log"
    status=0
    HOLLOW_FUZZ_TARGET=$target SWIFT_BACKTRACE=enable=no "$build/release/HollowFuzz" -runs="$runs" -max_len=$max_len \
        -rss_limit_mb=4096 -timeout=10 -print_final_stats=1 -dict="fixtures/fuzz-dict/$target.dict" \
        -artifact_prefix="$build/artifacts-$target/" ".build-fuzz/corpus-$target" "fixtures/fuzz-corpus/$target" >> "$log" 2>&1 || status=$?
    echo "=== $target end $(date -Is) exit $status" >> "$log"
    grep -E "^Done|^stat::number_of_executed_units" "$log" | tail -2
    [ "$status" = 0 ] || { echo "$target: a finding, see $log and $build/artifacts-$target/" >&2; exit 1; }
done
