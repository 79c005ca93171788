#!/bin/sh
# Builds ptsim's libFuzzer harnesses (tests/fuzz) into ./build-fuzz with clang
# (-DPTSIM_FUZZ=ON: libFuzzer, AddressSanitizer, UndefinedBehaviorSanitizer),
# writes their seed corpora from the repository, and runs every harness for
# SECONDS each (default 60), one after the other:
#
#   tools/fuzz.sh [SECONDS] [TARGET...]     e.g. tools/fuzz.sh 20, tools/fuzz.sh 600 run_file
#   tools/fuzz.sh --no-build [SECONDS] [TARGET...]
#                                           run the harnesses already built, build nothing
#   tools/fuzz.sh --available               exit 0 when clang's libFuzzer is installed
#
# PTSIM_FUZZ_BUILD=DIR uses DIR, an already configured tree with PTSIM_FUZZ=ON
# (tools/test.sh's ASan tree), instead of configuring ./build-fuzz. With
# --no-build, DIR only needs bin/fuzz_<target> and fuzz-corpus/ (copies of
# them let a long campaign run while the tree they came from is rebuilt).
#
# Each harness runs in libFuzzer's fork mode and keeps going after a crash,
# a timeout (10 s) or running out of memory (2 GiB): every finding lands in
# build-fuzz/fuzz-artifacts/<target>/, the grown corpus in
# build-fuzz/fuzz-work/<target>/, the log in build-fuzz/fuzz-logs/<target>.log.
# A table gives executions, coverage (cov, ft) and findings per harness; the
# exit status is 1 when any harness found something. To keep a finding as a
# regression test, copy it to tests/fuzz/regressions/<target>/ (replayed by
# `ctest -R '^fuzz/'`) and fix the bug.
set -eu
cd "$(dirname "$0")/.."
root=$(pwd)

available() {
  command -v clang++ >/dev/null 2>&1 || return 1
  probe=$(mktemp -d)
  printf 'extern "C" int LLVMFuzzerTestOneInput(const char*, unsigned long) { return 0; }\n' \
    >"$probe/p.cpp"
  if clang++ -fsanitize=fuzzer "$probe/p.cpp" -o "$probe/p" >/dev/null 2>&1; then
    rm -rf "$probe"
    return 0
  fi
  rm -rf "$probe"
  return 1
}

if [ "${1:-}" = "--available" ]; then
  available
  exit $?
fi
if ! available; then
  echo "fuzz.sh: clang++ with libFuzzer is needed (Debian: apt-get install clang libclang-rt-14-dev)" >&2
  exit 2
fi
build=1
if [ "${1:-}" = "--no-build" ]; then
  build=0
  shift
fi
seconds=60
case "${1:-}" in
  ''|*[!0-9]*) ;;
  *) seconds=$1; shift ;;
esac
all="yaml_stream pod_manifest pytorchjob_manifest job_manifest jobset_manifest trainjob_manifest \
run_file fault_flag container_script flyte_task_file flyte_template torchrun_args go_duration quantity label_selector"
targets="${*:-$all}"

out="${PTSIM_FUZZ_BUILD:-build-fuzz}"
case "$out" in
  /*) out_abs="$out" ;;
  *) out_abs="$root/$out" ;;
esac
if [ "$build" -eq 1 ]; then
  if [ -z "${PTSIM_FUZZ_BUILD:-}" ]; then
    cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DCMAKE_CXX_COMPILER=clang++ -DPTSIM_FUZZ=ON -DBUILD_TESTING=OFF >/dev/null
  fi
  cmake --build "$out" --target fuzz_all -j"$(nproc)"
fi

mkdir -p "$out/fuzz-logs" "$out/fuzz-artifacts" "$out/fuzz-work"
# Scratch files of the run_file harness live here, and go with it.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT INT TERM
found=0
printf '%-20s %8s %12s %8s %8s %14s %9s\n' TARGET SECONDS EXECS COV FT CORPUS FINDINGS
for t in $targets; do
  bin="$out/bin/fuzz_$t"
  if [ ! -x "$bin" ]; then
    echo "fuzz.sh: no harness named $t; harnesses: $all" >&2
    exit 2
  fi
  mkdir -p "$out/fuzz-work/$t" "$out/fuzz-artifacts/$t"
  before=$(find "$out/fuzz-artifacts/$t" -type f | wc -l)
  log="$out/fuzz-logs/$t.log"
  # stdin from /dev/null: a harness must never wait for a terminal.
  TMPDIR="$scratch" "$bin" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=32768 \
    -artifact_prefix="$out_abs/fuzz-artifacts/$t/" \
    "$out/fuzz-work/$t" "$out/fuzz-corpus/$t" </dev/null >"$log" 2>&1 || true
  after=$(find "$out/fuzz-artifacts/$t" -type f | wc -l)
  stats=$(grep -E '^#[0-9]+: cov:' "$log" | tail -n 1 || true)
  execs=$(printf '%s' "$stats" | sed -n 's/^#\([0-9]*\):.*/\1/p')
  cov=$(printf '%s' "$stats" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
  ft=$(printf '%s' "$stats" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
  # The grown corpus: inputs and their size (the seeds are not counted).
  files=$(find "$out/fuzz-work/$t" -type f | wc -l)
  kib=$(du -sk "$out/fuzz-work/$t" | cut -f1)
  new=$((after - before))
  [ "$new" -eq 0 ] || found=1
  printf '%-20s %8s %12s %8s %8s %14s %9s\n' "$t" "$seconds" "${execs:-?}" "${cov:-?}" "${ft:-?}" \
    "$files/${kib}K" "$new"
done
if [ "$found" -ne 0 ]; then
  echo "fuzz.sh: findings are in $out/fuzz-artifacts/ (logs in $out/fuzz-logs/)" >&2
  exit 1
fi
