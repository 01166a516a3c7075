#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Builds nfvswitch into build/ and runs every test (unit and integration).
# Integration tests that need root (network namespaces) are skipped when
# not run as root. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build.sh
meson test -C build --print-errorlogs "$@"
