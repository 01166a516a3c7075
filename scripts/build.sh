#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Installs the dependencies and builds nfvswitch into build/ (or $BUILD_DIR).
# Extra arguments go to "meson setup" on the first run.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
BUILD_DIR=${BUILD_DIR:-build}
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
    meson setup "$BUILD_DIR" -Dwerror=true "$@" >/dev/null
fi
ninja -C "$BUILD_DIR" >/dev/null
