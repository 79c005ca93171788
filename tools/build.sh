#!/bin/sh
# Configures and builds ptsim into ./build (Release with debug info, ccache
# when present). Incremental: a second run only rebuilds what changed.
set -eu
cd "$(dirname "$0")/.."
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
