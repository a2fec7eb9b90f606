#!/usr/bin/env bash
# The fleet drill (docs/DEPLOYMENT.md): a leader and a standby producer on a three-member etcd with
# TLS and authentication, blobs on S3 (moto) and then behind nginx, 20 consumer processes, 100
# versions at about one a second, the leader killed 5 times and an etcd member twice.
# `scripts/fleet.sh [CONSUMERS] [VERSIONS] [LEADER_KILLS] [MEMBER_KILLS]`; the test suite runs a short one.
set -euo pipefail
cd "$(dirname "$0")/.."
export HOLLOW_FLEET_CONSUMERS="${1:-20}" HOLLOW_FLEET_VERSIONS="${2:-100}"
export HOLLOW_FLEET_LEADER_KILLS="${3:-5}" HOLLOW_FLEET_MEMBER_KILLS="${4:-2}"
exec scripts/test.sh --filter FleetTests
