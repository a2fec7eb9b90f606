#!/usr/bin/env bash
# Runs the whole test suite, installing what it needs first. Extra arguments go to `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh liblz4-dev pkg-config etcd-server nginx openssl
# The core's internal invariant checks (_checkInvariants, frozen storage) are compiled in for tests.
export HOLLOW_INTERNAL_CHECKS=1
swift test "$@"
