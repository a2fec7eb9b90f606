#!/usr/bin/env bash
# Builds the DocC documentation of HollowCore and Hollow (their catalogs in Sources/*/*.docc and the
# doc comments of their public symbols) with swift-docc-plugin, any warning an error.
# Usage: scripts/docs.sh [TARGET...]   (default: HollowCore Hollow)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh liblz4-dev pkg-config
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(HollowCore Hollow)
for target in "${targets[@]}"; do
    swift package generate-documentation --target "$target" --warnings-as-errors
done
for target in "${targets[@]}"; do
    echo "$target: $PWD/.build/plugins/Swift-DocC/outputs/$target.doccarchive"
done
