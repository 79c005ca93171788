#!/bin/sh
# Quick start: install what is missing, build, and run the quick-start scenario.
set -eu
cd "$(dirname "$0")/.."
./tools/install-deps.sh
./tools/build.sh
./build/bin/ptsim run scenarios/quickstart.yaml
