#!/bin/sh
# Installs the Debian 12 packages ptsim needs to build, test and run, when any
# is missing. Run as root (or with sudo). Safe to run again: it does nothing
# when everything is present.
set -eu
# clang, lld and libclang-rt-14-dev (the sanitizer and libFuzzer runtimes,
# only recommended by clang) build the sanitizer and fuzzing trees of
# tools/test.sh and tools/fuzz.sh. libre2-dev (with pkg-config, which finds
# it) is the regular-expression engine for users' patterns: linear time and a
# bounded stack on any log line, where std::regex crashes on long lines.
packages="g++ clang lld libclang-rt-14-dev cmake ninja-build ccache pkg-config libre2-dev libboost-dev \
libboost-filesystem-dev libfmt-dev catch2 nlohmann-json3-dev libyaml-cpp-dev libcli11-dev python3 \
python3-torch chromium"
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
