#!/usr/bin/env bash
# Runs the whole test suite, installing what it needs first. Extra arguments go to `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh liblz4-dev pkg-config etcd-server
swift test "$@"
