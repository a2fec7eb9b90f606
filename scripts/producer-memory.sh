#!/usr/bin/env bash
# The memory of a scheduled producer on real data (docs/PERFORMANCE.md, "A write state that keeps
# its records in their storage"): `hollow produce --every` over PyPI's package list, three cycles
# (the file; a copy with every hundredth row's version changed; the file again). For each cycle it
# prints the peak of the producer's resident set while the cycle ran (VmRSS of /proc/PID/status,
# sampled every few milliseconds), the resident set 1 s after the cycle, and its `stages:` line.
#
#     scripts/producer-memory.sh [HOLLOW_BINARY] [TSV]
#
# HOLLOW_BINARY defaults to a release build of this checkout (built when missing); TSV to the
# env skill's PyPI list. Linux only (/proc). Leaves nothing running.
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-.build/release/hollow}
source_tsv=${2:-/work/.library/env/packages/pypi.tsv}
if [[ ! -x $binary ]]; then swift build -c release --product hollow >&2; fi
[[ -r $source_tsv ]] || { echo "no PyPI list at $source_tsv" >&2; exit 2; }

work=$(mktemp -d)
producer=
cleanup() {
    if [[ -n $producer ]]; then kill "$producer" 2>/dev/null || true; wait "$producer" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

printf 'type Project key(name) { name: string  version: string  month: string  rank: int?  summary: string }\n' > "$work/pypi.schema"
cp "$source_tsv" "$work/a.tsv"
awk -F'\t' 'BEGIN{OFS="\t"} NR>1 && NR%100==0 {$2=$2".post1"} {print}' "$source_tsv" > "$work/b.tsv"
ln -sfn a.tsv "$work/source.tsv"
mkdir "$work/store"

"$binary" produce --every 6s --schema "$work/pypi.schema" --store "$work/store" \
    --source Project="$work/source.tsv" --column Project.rank=rank_among_15000_most_downloaded > "$work/out" 2>&1 &
producer=$!

cycle=0
peak=0
while kill -0 "$producer" 2>/dev/null && (( cycle < 3 )); do
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$producer/status" 2>/dev/null || echo 0)
    (( rss > peak )) && peak=$rss
    done_cycles=$(grep -c 'stages:' "$work/out" || true)
    if (( done_cycles > cycle )); then
        cycle=$done_cycles
        sleep 1
        after=$(awk '/VmRSS/ {print $2}' "/proc/$producer/status")
        echo "cycle $cycle: peak $((peak / 1024)) MiB, after $((after / 1024)) MiB; $(grep 'stages:' "$work/out" | tail -1 | sed 's/.*stages: //')"
        peak=0
        case $cycle in
            1) ln -sfn b.tsv "$work/source.tsv" ;;
            2) ln -sfn a.tsv "$work/source.tsv" ;;
        esac
    fi
    sleep 0.002
done
if (( cycle < 3 )); then
    echo "the producer stopped after $cycle cycles:" >&2
    tail -20 "$work/out" >&2
    exit 1
fi
