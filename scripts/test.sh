#!/usr/bin/env bash
# Runs the whole test suite, installing what it needs first. Extra arguments go to `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh liblz4-dev pkg-config etcd-server nginx openssl iproute2 chromium wrk
# moto's server mode: the S3-compatible server the HollowS3 tests start (docs/S3.md). Installed
# for python3 when missing; a Python that refuses pip installs (PEP 668) gets a venv of our own.
moto_venv=.build/moto-venv
if [ -x "$moto_venv/bin/python3" ]; then
    export HOLLOW_MOTO_PYTHON="$PWD/$moto_venv/bin/python3"
elif ! python3 -c 'import moto.server' >/dev/null 2>&1; then
    command -v python3 >/dev/null || scripts/install-deps.sh python3 python3-pip python3-venv
    echo "installing moto[server]"
    if ! python3 -m pip install --quiet "moto[server]"; then
        python3 -m venv "$moto_venv" && "$moto_venv/bin/pip" install --quiet "moto[server]"
        export HOLLOW_MOTO_PYTHON="$PWD/$moto_venv/bin/python3"
    fi
fi
# The core's internal invariant checks (_checkInvariants, frozen storage) are compiled in for tests.
export HOLLOW_INTERNAL_CHECKS=1
swift test "$@"
