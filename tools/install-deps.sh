#!/bin/sh
# Installs the Debian 12 packages ptsim needs to build, test and run, when any
# is missing (clang and libclang-rt-14-dev, clang's libFuzzer runtime, are for
# the fuzzing step of tools/test.sh: tools/fuzz.sh). Run as root (or with sudo). Safe to run again: it does nothing
# when everything is present.
set -eu
packages="g++ cmake ninja-build ccache libboost-dev libboost-filesystem-dev libfmt-dev catch2 \
nlohmann-json3-dev libyaml-cpp-dev libcli11-dev python3 python3-torch chromium \
clang libclang-rt-14-dev"
missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -z "$missing" ]; then
  exit 0
fi
echo "ptsim: installing:$missing" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
