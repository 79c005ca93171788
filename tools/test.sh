#!/bin/sh
# Installs what is missing, builds, and runs the whole test suite with ctest.
# This is exactly what CI runs (.ci/run).
set -eu
cd "$(dirname "$0")/.."
./tools/install-deps.sh
./tools/build.sh
(cd build && ctest --output-on-failure -j"$(nproc)")

# A separate step: a short fuzzing run of every harness (tools/fuzz.sh), only
# where clang's libFuzzer runtime exists. PTSIM_FUZZ_SECONDS sets the seconds
# per harness (default 20; 0 skips the step).
fuzz_seconds="${PTSIM_FUZZ_SECONDS:-20}"
if [ "$fuzz_seconds" -gt 0 ] && ./tools/fuzz.sh --available; then
  ./tools/fuzz.sh "$fuzz_seconds"
fi
