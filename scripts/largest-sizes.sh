#!/usr/bin/env bash
# The tests of the largest sizes the format holds (docs/LIMITS.md): a type whose pool holds
# 2^31 - 1 bytes, written and read back by snapshot, delta and reverse delta, and one byte more
# refused. About 19 GB of memory and 3 minutes (debug build); run alone, not beside the suite:
#   scripts/largest-sizes.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh liblz4-dev pkg-config
swift build --build-tests
HOLLOW_LARGE_TESTS=1 /usr/bin/time -v swift test --skip-build --filter LargestSizeTests 2>&1 | tee .build/largest-sizes.log |
    grep -E "✔|✘|passed|failed|Maximum resident|Elapsed"
