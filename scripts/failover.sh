#!/usr/bin/env bash
# A long failover drill: `scripts/failover.sh 300` kills or pauses the leading producer 300 times
# (on a lease file and on etcd) and checks the chain of versions afterwards. Default: 300.
set -euo pipefail
cd "$(dirname "$0")/.."
HOLLOW_FAILOVER_KILLS="${1:-300}" exec scripts/test.sh --filter FailoverTests
