#!/bin/sh
# Installs what is missing, builds, and runs the whole test suite with ctest.
# This is exactly what CI runs (.ci/run).
set -eu
cd "$(dirname "$0")/.."
./tools/install-deps.sh
./tools/build.sh
cd build && ctest --output-on-failure -j"$(nproc)"
