#!/usr/bin/env bash
# The soak (issue 13): `scripts/soak.sh [cycles]` (default 10000) runs a producer and a consumer on
# files, each in a process of its own (Benchmarks' HollowSoak), over a small dataset changed by 1%
# each cycle, samples both processes from /proc, and checks:
#   - resident memory of each, after warm-up (the first 10% of cycles), within 10% (max / min);
#   - open descriptors of each do not grow: over the samples after warm-up, the fewest open in the
#     second half no more than in the first, and the most no more than 3 above (a cycle or a
#     refresh holds a log or blob file open for a moment);
#   - the blobs' disk use is bounded by the cleaner (max in the second half of the run no more than
#     the max in the first half, plus 10% and one snapshot);
#   - every consumer refresh after the first load is by deltas, with no failure, and the last
#     version equals the producer's dataset (checked afterwards by `HollowSoak verify`);
#   - no producer cycle failed.
# Exits non-zero and says which check failed. About 10 minutes for 10,000 cycles (a cycle every
# 60 ms) on 2 cores; 13 when other builds share them. Figures and findings: docs/PERFORMANCE.md, "Soak".
#
# Settings (environment): SOAK_RECORDS (movies, 3000), SOAK_EVERY_MS (a cycle every, 60),
# SOAK_CHANGE_PERCENT (1), SOAK_SEED (the catalog's), SOAK_SAMPLE_SECONDS (2), SOAK_DIR (a new
# temporary directory; the samples, summaries and store are left there).
set -euo pipefail
cd "$(dirname "$0")/.."

cycles="${1:-10000}"
records="${SOAK_RECORDS:-3000}"
every_ms="${SOAK_EVERY_MS:-60}"
change_percent="${SOAK_CHANGE_PERCENT:-1}"
seed="${SOAK_SEED:-0x486F6C6C6F77}"   # CatalogParameters' default
sample_seconds="${SOAK_SAMPLE_SECONDS:-2}"
work="${SOAK_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/hollow-soak.XXXXXX")}"
store="$work/store"
samples="$work/samples.csv"

echo "soak: building HollowSoak (release)"
(cd Benchmarks && swift build -c release --product HollowSoak 2>&1 | tail -1)
soak="$(cd Benchmarks && swift build -c release --show-bin-path)/HollowSoak"

mkdir -p "$store"
echo "soak: $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "soak: cycles $cycles, records $records movies ($((records / 5 > 50 ? records / 5 : 50)) people), change $change_percent%," \
     "a cycle every $every_ms ms, seed $seed, snapshotEvery and snapshotsToKeep: the producer's defaults, samples every $sample_seconds s"
echo "soak: results in $work"

# glibc raises its mmap threshold as large blocks are freed, so that the producer's snapshot
# buffers come to be carved from the heap, which then grows in steps (about 10% over 10,000 cycles
# with the heap in use flat). A fixed threshold, as a service would set, keeps them mmapped:
# SOAK_MALLOC_MMAP_THRESHOLD=default runs with glibc's own behaviour (docs/PERFORMANCE.md, Soak).
if [ "${SOAK_MALLOC_MMAP_THRESHOLD:-65536}" != default ]; then export MALLOC_MMAP_THRESHOLD_="${SOAK_MALLOC_MMAP_THRESHOLD:-65536}"; fi
echo "soak: MALLOC_MMAP_THRESHOLD_=${MALLOC_MMAP_THRESHOLD_:-the glibc default (dynamic)}"
"$soak" consume --store "$store" --until-version "$cycles" >"$work/consume.json" 2>"$work/consume.log" &
consumer=$!
"$soak" produce --store "$store" --cycles "$cycles" --records "$records" --change-percent "$change_percent" \
    --every "$every_ms" --seed "$seed" >"$work/produce.json" 2>"$work/produce.log" &
producer=$!
trap 'kill "$producer" "$consumer" 2>/dev/null || true' EXIT

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || true; }
fd_count() { if [ -d "/proc/$1/fd" ]; then ls "/proc/$1/fd" 2>/dev/null | wc -l; fi; }
alive() { kill -0 "$1" 2>/dev/null && [ "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" != Z ]; }
last_version() {
    [ -f "$store/announcements.jsonl" ] || { echo 0; return; }
    tail -c 4000 "$store/announcements.jsonl" | grep -o '"version":[0-9]*' | tail -1 | cut -d: -f2 || echo 0
}

echo "seconds,version,producer_rss_kb,producer_fds,consumer_rss_kb,consumer_fds,blob_bytes,blob_files,log_bytes" >"$samples"
started=$(date +%s)
producer_done_at=""
while alive "$producer" || alive "$consumer"; do
    now=$(date +%s)
    p_rss="" p_fds="" c_rss="" c_fds=""
    if alive "$producer"; then p_rss=$(rss_kb "$producer"); p_fds=$(fd_count "$producer"); fi
    if alive "$consumer"; then c_rss=$(rss_kb "$consumer"); c_fds=$(fd_count "$consumer"); fi
    blob_bytes=$(du -sb "$store/blobs" 2>/dev/null | cut -f1 || true)
    blob_files=$(ls "$store/blobs" 2>/dev/null | wc -l || true)
    log_bytes=$(stat -c %s "$store/announcements.jsonl" 2>/dev/null || echo 0)
    echo "$((now - started)),$(last_version),$p_rss,$p_fds,$c_rss,$c_fds,${blob_bytes:-0},$blob_files,$log_bytes" >>"$samples"
    if ! alive "$producer"; then
        producer_done_at="${producer_done_at:-$now}"
        # A consumer still short of the last version a minute after the producer ended is stuck.
        if alive "$consumer" && [ $((now - producer_done_at)) -gt 60 ]; then
            echo "soak: the consumer did not reach version $cycles within 60 s of the producer's end; stopping it"
            kill "$consumer" 2>/dev/null || true
        fi
    fi
    sleep "$sample_seconds"
done
producer_status=0; wait "$producer" || producer_status=$?
consumer_status=0; wait "$consumer" || consumer_status=$?
trap - EXIT
duration=$(($(date +%s) - started))
verify_status=0
"$soak" verify --store "$store" --records "$records" --seed "$seed" --change-percent "$change_percent" \
    >"$work/verify.json" 2>"$work/verify.log" || verify_status=$?
"$soak" log-cost --store "$store" >"$work/log-cost.json" 2>>"$work/verify.log" || true

# A field of a one-line JSON summary: a number, a string or an object, as written.
field() { grep -o "\"$2\":\(\"[^\"]*\"\|{[^}]*}\|[^,}]*\)" "$1" | head -1 | cut -d: -f2- || true; }

echo
echo "producer: $(cat "$work/produce.json" 2>/dev/null || echo "no summary (exit $producer_status)")"
echo "consumer: $(cat "$work/consume.json" 2>/dev/null || echo "no summary (exit $consumer_status)")"
echo "verify: $(cat "$work/verify.json" 2>/dev/null || echo "no summary (exit $verify_status)")"
echo "log cost: $(cat "$work/log-cost.json" 2>/dev/null || echo "none")"
echo

failures=()
warm_up=$((cycles / 10))
# Figures of a column over the samples after warm-up: first, last, min, max, max/min, the min and
# the max of the first half of those samples, and of the second half.
figures() {
    awk -F, -v column="$1" -v warm="$warm_up" '
        NR > 1 && $2 >= warm && $column != "" { values[n++] = $column }
        END {
            if (n == 0) { print "none"; exit }
            min = values[0]; max = values[0]
            for (i = 0; i < n; i++) {
                if (values[i] < min) min = values[i]; if (values[i] > max) max = values[i]
                half = (i < n / 2) ? 1 : 2
                if (!(half in low) || values[i] < low[half]) low[half] = values[i]
                if (!(half in high) || values[i] > high[half]) high[half] = values[i]
            }
            if (!(2 in low)) { low[2] = low[1]; high[2] = high[1] }
            printf "%d %d %d %d %.3f %d %d %d %d %d\n", values[0], values[n - 1], min, max, (min > 0 ? max / min : 0), low[1], high[1], low[2], high[2], n
        }' "$samples"
}

for process in producer consumer; do
    if [ "$process" = producer ]; then rss_column=3; fd_column=4; summary="$work/produce.json"; else rss_column=5; fd_column=6; summary="$work/consume.json"; fi
    heap_warm=$(field "$summary" heapBytesAfterWarmUp); heap_end=$(field "$summary" heapBytesAtEnd)
    heap_note=""
    if [ -n "$heap_warm" ] && [ -n "$heap_end" ]; then
        # Heap in use (malloc's own count): growth here is memory held, not fragmentation.
        heap_per_version=$(( (heap_end - heap_warm) / (cycles - warm_up > 0 ? cycles - warm_up : 1) ))
        heap_note="; heap in use grew $heap_per_version bytes a version"
        echo "$process heap in use: $((heap_warm / 1024)) KB after warm-up, $((heap_end / 1024)) KB at the end ($heap_per_version bytes a version)"
    fi
    read -r first last min max ratio _ _ _ _ count <<<"$(figures $rss_column)"
    if [ "$first" = none ]; then failures+=("$process: no samples after warm-up"); continue; fi
    echo "$process RSS after warm-up (cycle $warm_up on, $count samples): first $first KB, last $last KB, min $min KB, max $max KB, max/min $ratio"
    awk -v r="$ratio" 'BEGIN { exit !(r <= 1.10) }' || failures+=("$process: resident memory after warm-up varies by more than 10% (max/min $ratio$heap_note)")
    read -r first last min max _ low1 high1 low2 high2 _ <<<"$(figures $fd_column)"
    echo "$process FDs after warm-up: first $first, last $last, min $min, max $max (first half $low1 to $high1, second half $low2 to $high2)"
    [ "$low2" -le "$low1" ] && [ "$high2" -le $((high1 + 3)) ] \
        || failures+=("$process: open descriptors grew after warm-up ($low1 to $high1, then $low2 to $high2)")
done

read -r blob_first_half blob_second_half blob_min blob_max files_min files_max <<<"$(awk -F, '
    NR > 1 { rows[n] = $7; files[n] = $8; n++ }
    END {
        min = rows[0]; max = rows[0]; fmin = files[0]; fmax = files[0]
        for (i = 0; i < n; i++) {
            if (i < n / 2) { if (rows[i] > a) a = rows[i] } else if (rows[i] > b) b = rows[i]
            if (rows[i] < min) min = rows[i]; if (rows[i] > max) max = rows[i]
            if (files[i] < fmin) fmin = files[i]; if (files[i] > fmax) fmax = files[i]
        }
        print a + 0, b + 0, min + 0, max + 0, fmin + 0, fmax + 0
    }' "$samples")"
log_end=$(tail -1 "$samples" | cut -d, -f9)
snapshot_bytes=$(find "$store/blobs" -name 'snapshot-*' -printf '%s\n' | sort -n | tail -1)
echo "blobs on disk: min $blob_min bytes, max $blob_max bytes ($files_min to $files_max files); max of the first half of the run $blob_first_half, of the second $blob_second_half; a snapshot $snapshot_bytes bytes"
echo "announcement log: $log_end bytes at the end (trimmed with the blobs by the producer's cleaner)"
# Slack: one snapshot (a new one is stored before the cleaner deletes the oldest, and the samples
# of one half may miss that moment) and 10% (the dataset's ids, and so its bit widths, grow).
awk -v a="$blob_first_half" -v b="$blob_second_half" -v s="${snapshot_bytes:-0}" 'BEGIN { exit !(b <= a * 1.10 + s) }' \
    || failures+=("disk: the blobs grew ($blob_first_half bytes at most in the first half of the run, $blob_second_half in the second; a snapshot is $snapshot_bytes)")

[ "$producer_status" -eq 0 ] || failures+=("producer: exit status $producer_status, $(field "$work/produce.json" failedCycles) failed cycles, first: $(field "$work/produce.json" firstFailure)")
[ "$consumer_status" -eq 0 ] || failures+=("consumer: exit status $consumer_status")
[ "$(field "$work/consume.json" lastVersion)" = "$cycles" ] || failures+=("consumer: ended on version $(field "$work/consume.json" lastVersion), not $cycles")
[ "$(field "$work/consume.json" snapshotLoadsAfterFirst)" = 0 ] || failures+=("consumer: $(field "$work/consume.json" snapshotLoadsAfterFirst) refreshes after the first loaded a snapshot")
[ "$(field "$work/consume.json" failures)" = 0 ] || failures+=("consumer: $(field "$work/consume.json" failures) failed refreshes, first: $(field "$work/consume.json" firstFailure)")
[ "$(field "$work/consume.json" lookupMismatches)" = 0 ] || failures+=("consumer: $(field "$work/consume.json" lookupMismatches) index lookups disagreed with the records")
[ "$verify_status" -eq 0 ] && [ "$(field "$work/verify.json" lastStateAgainstProducerDataset)" = '"equal"' ] \
    || failures+=("verify: the last version against the producer's dataset: $(field "$work/verify.json" lastStateAgainstProducerDataset) (exit $verify_status)")

echo "refreshes: $(field "$work/consume.json" refreshes) ($(field "$work/consume.json" byKind)), first load $(field "$work/consume.json" firstLoad)," \
     "$(field "$work/consume.json" deltasApplied) deltas applied, at most $(field "$work/consume.json" mostDeltasInOneRefresh) in one refresh"
echo "duration: $duration s for $cycles cycles; samples in $samples"
if [ ${#failures[@]} -gt 0 ]; then
    echo
    for failure in "${failures[@]}"; do echo "FAILED: $failure"; done
    exit 1
fi
echo "soak: every check passed"
