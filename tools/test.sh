#!/bin/sh
# Installs what is missing, builds, and runs the test suite. This is exactly
# what CI runs (.ci/run). Three builds, each in its own directory, all through
# ccache:
#
#   gcc   ./build       gcc, the normal build (tools/build.sh): the whole suite
#   asan  ./build-asan  clang, AddressSanitizer + UndefinedBehaviorSanitizer +
#                       LeakSanitizer: the whole suite again
#                       (with the libFuzzer harnesses, PTSIM_FUZZ=ON)
#   fuzz  ./build-asan  every libFuzzer harness for PTSIM_FUZZ_SECONDS seconds
#                       (default 10; 0 skips), tools/fuzz.sh on the asan tree
#   tsan  ./build-tsan  clang, ThreadSanitizer: ptsim, ptsim-worker and the
#                       tests labelled `threads` (ptsim run -j, the only code
#                       that runs on several threads)
#
# Usage: tools/test.sh [gcc|asan|fuzz|tsan|all]...
# No argument: gcc only, what CI runs today (.ci/run). The sanitizer and fuzz
# phases join CI once the whole tree has been shown green under them
# (docs/reliability.md: what is shown, what is not, and the phase times on
# 2 cores). Any sanitizer report fails the test that triggered it. Ends with
# the wall time of each phase.
set -eu
cd "$(dirname "$0")/.."
phases="${*:-gcc}"
[ "$phases" != all ] || phases="gcc asan fuzz tsan"
jobs="$(nproc)"
timings=""
begin="$(date +%s)"

# Runs "$@" as the phase named $1 and records its wall time.
phase() {
  name="$1"
  shift
  start="$(date +%s)"
  echo "== ptsim test: $name" >&2
  "$@"
  timings="$timings$(printf '%-22s %5ss' "$name" "$(($(date +%s) - start))")
"
}

# A sanitizer error ends the process with status 86, never with a status a
# test expects (ptsim exits 1 and 2 on purpose). Leak detection is on.
ASAN_OPTIONS="detect_leaks=1:exitcode=86:check_initialization_order=1:strict_init_order=1"
UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:exitcode=86"
TSAN_OPTIONS="halt_on_error=1:exitcode=86:second_deadlock_stack=1"
export ASAN_OPTIONS UBSAN_OPTIONS TSAN_OPTIONS

configure_clang() {  # configure_clang DIR SANITIZERS [CMAKE ARGS...]
  dir="$1"
  sanitizers="$2"
  shift 2
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Sanitize -DCMAKE_CXX_COMPILER=clang++ \
    -DPTSIM_SANITIZE="$sanitizers" -DPTSIM_LINKER=lld "$@" >/dev/null
}

phase deps ./tools/install-deps.sh
for p in $phases; do
  case "$p" in
    gcc)
      phase "gcc build" ./tools/build.sh
      phase "gcc tests" ctest --test-dir build --output-on-failure -j"$jobs"
      ;;
    asan)
      phase "asan configure" configure_clang build-asan address,undefined -DPTSIM_FUZZ=ON
      phase "asan build" cmake --build build-asan -j"$jobs"
      phase "asan tests" ctest --test-dir build-asan --output-on-failure -j"$jobs"
      ;;
    fuzz)
      fuzz_seconds="${PTSIM_FUZZ_SECONDS:-10}"
      if [ "$fuzz_seconds" -gt 0 ]; then
        [ -f build-asan/CMakeCache.txt ] || configure_clang build-asan address,undefined -DPTSIM_FUZZ=ON
        phase "fuzz" env PTSIM_FUZZ_BUILD=build-asan ./tools/fuzz.sh "$fuzz_seconds"
      fi
      ;;
    tsan)
      phase "tsan configure" configure_clang build-tsan thread
      phase "tsan build" cmake --build build-tsan -j"$jobs" --target ptsim ptsim-worker threads_test
      phase "tsan tests" ctest --test-dir build-tsan --output-on-failure -j"$jobs" -L threads
      ;;
    *)
      echo "tools/test.sh: unknown phase \"$p\"; choose gcc, asan, fuzz or tsan" >&2
      exit 2
      ;;
  esac
done
printf 'ptsim test: wall time per phase\n%s%-22s %5ss\n' "$timings" total "$(($(date +%s) - begin))" >&2
