#!/usr/bin/env bash
# The main job on the embedded default (files, no server): a producer on a schedule over the
# fixtures and a consumer that follows it. The producer's sources move from version 1 to 2 to 3
# of fixtures/catalog (adds, removes, changes, then a schema change that adds a field) while
# `hollow watch` prints each refresh; then the consumer-side commands read the result.
# Installs what it needs first. Usage: scripts/demo.sh [WORK_DIR]   (default: .demo)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh liblz4-dev pkg-config

echo "== building the hollow tool (swift build --product hollow)"
swift build --product hollow 2>&1 | tail -1
hollow="$(swift build --show-bin-path)/hollow"

work="${1:-.demo}"
rm -rf "$work" && mkdir -p "$work/store"
store="$work/store" source="$work/source"
fixtures=fixtures/catalog
cp -R "$fixtures/v1" "$fixtures/v2" "$fixtures/v3" "$work/"

publish() {  # points the scheduled producer's source directory at fixture version $1, in one step
    echo "== the sources are now version $1 of $fixtures"
    ln -sfn "v$1" "$work/source.next" && mv -T "$work/source.next" "$source"
}

wait_for_version() {  # waits until the log holds version $1
    for _ in $(seq 1 300); do
        "$hollow" history --store "$store" --json 2>/dev/null | grep -q "\"latestVersion\":$1" && return 0
        sleep 0.1
    done
    echo "version $1 was not announced in 30 s" >&2
    return 1
}

publish 1
echo "== a producer runs a cycle every 2s; a consumer watches the store"
"$hollow" produce --schema "$source/catalog.schema" --store "$store" --every 2s \
    --source "$source/movies.jsonl" "$source/theaters.csv" "$source/studios.tsv" \
    --min-records Movie=1 --max-change Movie=50 2> "$work/producer.log" > >(sed -u 's/^/[producer] /') &
producer=$!
wait_for_version 1
"$hollow" watch --store "$store" > >(sed -u 's/^/[consumer] /') &
watcher=$!
trap 'kill $producer $watcher 2>/dev/null || true' EXIT

sleep 1; publish 2; wait_for_version 2
sleep 1; publish 3; wait_for_version 3
sleep 1
kill -TERM $producer $watcher 2>/dev/null || true
wait $producer $watcher 2>/dev/null || true
trap - EXIT

echo
echo "== hollow history";                         "$hollow" history --store "$store"
echo; echo "== hollow get Movie 16";               "$hollow" get --store "$store" Movie 16
echo; echo "== hollow query Movie year=1960";      "$hollow" query --store "$store" Movie year=1960
echo; echo "== hollow diff 2 3 --type Theater";    "$hollow" diff --store "$store" 2 3 --type Theater
echo; echo "== hollow get --version 1 Movie 13";   "$hollow" get --store "$store" --version 1 Movie 13
echo; echo "== hollow inspect (first lines)";      "$hollow" inspect --store "$store" | sed -n 1,12p
echo
echo "The store is in $store: try \`$hollow --help\`."
