#!/usr/bin/env bash
# The load test of the example service (docs/PERFORMANCE.md): wrk looks movies up by id at random
# on Examples/CatalogService, quiet and then while a version is announced every second, in rounds.
# Release builds of the service and the tool; the versions are produced before the measurement.
# `scripts/catalog-load.sh [MOVIES=100000] [SECONDS=30] [ROUNDS=2] [CONNECTIONS=16]`; the test
# suite runs a short one (CatalogLoadTests).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh liblz4-dev pkg-config wrk
swift build -c release --product hollow
swift build -c release --product CatalogService
export HOLLOW_PRODUCTS="$PWD/.build/release"
export HOLLOW_LOAD_MOVIES="${1:-100000}" HOLLOW_LOAD_SECONDS="${2:-30}" HOLLOW_LOAD_ROUNDS="${3:-2}" HOLLOW_LOAD_CONNECTIONS="${4:-16}"
exec scripts/test.sh --filter CatalogLoadTests/lookupsAreAnsweredWhileVersionsArrive
