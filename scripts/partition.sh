#!/usr/bin/env bash
# The partition drill (docs/DEPLOYMENT.md): consumers on test hosts of their own (network
# namespaces; run as root), their links cut for 30 s while versions are announced.
# `scripts/partition.sh [SECONDS] [CONSUMERS]`; the test suite runs a short one.
set -euo pipefail
cd "$(dirname "$0")/.."
export HOLLOW_PARTITION_SECONDS="${1:-30}" HOLLOW_PARTITION_CONSUMERS="${2:-3}"
exec scripts/test.sh --filter PartitionTests
