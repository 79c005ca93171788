#!/usr/bin/env bash
# Soak test: runs the shipped scenarios again and again with `ptsim run -j N`
# for MINUTES minutes and watches for what only time reveals: descriptors or
# memory that ptsim keeps growing, processes left behind, run directories that
# pile up, and runs that fail under load although they pass alone.
#
#   tools/soak.sh MINUTES [-j N]        (N defaults to 2)
#
# Environment: PTSIM (default build/bin/ptsim), SOAK_DIR (default a new
# directory under /tmp, kept at the end), SOAK_TORCH=1 to include the
# real-PyTorch scenarios (slow), SOAK_STRICT_SYSTEM=1 to fail on growth of the
# machine-wide columns too (off by default: other users of the machine move them).
#
# Each iteration is one `ptsim run FILES... -j N -q --runs-dir $SOAK_DIR/runs`.
# Every iteration reuses the same runs directory: ptsim replaces a run's
# directory (it carries the .ptsim-run marker) rather than adding one, so the
# runs directory must stay the same size. A sampler reads /proc once a second.
# Per minute it prints one line. Iterations do the same work, so growth is
# judged between them: the script fails (exit 1) when, from the first
# iteration to the last, ptsim's peak descriptors grow by more than 8, its peak
# resident memory by more than 25% + 16 MiB, or the runs directory (measured
# after each iteration) by more than 10% + 1 MiB; when any process of a
# finished iteration is left (found by that ptsim's PTSIM_RUN=<pid>-... marker);
# when ptsim exits 2 or more; or when a run fails that passes when run alone.
set -u

usage() {
  echo "usage: tools/soak.sh MINUTES [-j N]" >&2
  exit 2
}
[ $# -ge 1 ] || usage
MINUTES=$1
shift
JOBS=2
while [ $# -gt 0 ]; do
  case "$1" in
    -j) [ $# -ge 2 ] || usage; JOBS=$2; shift 2 ;;
    -j*) JOBS=${1#-j}; shift ;;
    *) usage ;;
  esac
done
case "$MINUTES$JOBS" in *[!0-9]*) usage ;; esac
[ "$MINUTES" -ge 1 ] && [ "$JOBS" -ge 1 ] || usage

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PTSIM=${PTSIM:-$ROOT/build/bin/ptsim}
[ -x "$PTSIM" ] || { echo "soak: $PTSIM is not built (./tools/build.sh)" >&2; exit 2; }
SOAK_DIR=${SOAK_DIR:-$(mktemp -d /tmp/ptsim-soak-XXXXXX)}
mkdir -p "$SOAK_DIR"
RUNS=$SOAK_DIR/runs

# The shipped scenarios, as tests/scenarios/CMakeLists.txt lists them.
FILES=()
for f in "$ROOT"/scenarios/*.yaml "$ROOT"/scenarios/examples/*.yaml \
         "$ROOT"/scenarios/examples/*/scenario.yaml "$ROOT"/scenarios/manifests/*.yaml \
         "$ROOT"/scenarios/flyte/*.yaml "$ROOT"/scenarios/flyte/*.json; do
  [ -f "$f" ] && FILES+=("$f")
done
if [ "${SOAK_TORCH:-0}" = 1 ]; then
  for f in "$ROOT"/scenarios/pytorch/*.yaml; do [ -f "$f" ] && FILES+=("$f"); done
  while IFS= read -r f; do FILES+=("$f"); done \
    < <(find "$ROOT/scenarios/examples/pytorch" -name torch-scenario.yaml | sort)
fi

count_marker() {  # processes whose environment holds PTSIM_RUN=<pid>-
  local pid=$1 n=0 p
  for p in /proc/[0-9]*; do
    if { tr '\0' '\n' < "$p/environ"; } 2>/dev/null | grep -q "^PTSIM_RUN=$pid-"; then
      n=$((n + 1))
    fi
  done
  echo "$n"
}

echo "soak: ${#FILES[@]} files, -j $JOBS, $MINUTES minute(s), ptsim $PTSIM, in $SOAK_DIR"
printf '%6s %5s %6s %6s %9s %9s %9s %9s %8s %10s %10s\n' minute iters runs failed ptsim-fds \
  ptsim-MiB sys-fds sys-procs leftover runs-KiB runs-files
start=$(date +%s)
end=$((start + MINUTES * 60))
minute=1
runs=0 failed=0 peak_fds=0 peak_kib=0 leftover=0
runs_kib=- runs_files=-
iters=()  # per iteration: "peak-fds peak-KiB runs-KiB"
problems=()
iteration=0
sys_rows=()
finish_minute() {
  local sys_fds sys_procs
  sys_fds=$(cut -f1 /proc/sys/fs/file-nr)
  sys_procs=$(ls -d /proc/[0-9]* 2>/dev/null | wc -l)
  printf '%6s %5s %6s %6s %9s %9s %9s %9s %8s %10s %10s\n' "$minute" "${#iters[@]}" "$runs" \
    "$failed" "$peak_fds" $((peak_kib / 1024)) "$sys_fds" "$sys_procs" "$leftover" \
    "$runs_kib" "$runs_files"
  sys_rows+=("$sys_fds $sys_procs")
  minute=$((minute + 1))
  runs=0 failed=0 peak_fds=0 peak_kib=0 leftover=0
}

while [ "$(date +%s)" -lt "$end" ]; do
  iteration=$((iteration + 1))
  "$PTSIM" run "${FILES[@]}" -j "$JOBS" -q --no-timeline --runs-dir "$RUNS" \
    --json "$SOAK_DIR/iteration.json" > "$SOAK_DIR/iteration.out" 2>&1 &
  pid=$!
  it_fds=0 it_kib=0
  while kill -0 "$pid" 2>/dev/null; do
    fds=$(ls /proc/$pid/fd 2>/dev/null | wc -l)
    kib=$(awk '/^VmRSS:/ {print $2}' /proc/$pid/status 2>/dev/null)
    [ "${fds:-0}" -gt "$peak_fds" ] && peak_fds=$fds
    [ "${kib:-0}" -gt "$peak_kib" ] && peak_kib=$kib
    [ "${fds:-0}" -gt "$it_fds" ] && it_fds=$fds
    [ "${kib:-0}" -gt "$it_kib" ] && it_kib=$kib
    sleep 1
    if [ "$(date +%s)" -ge $((start + minute * 60)) ]; then finish_minute; fi
  done
  wait "$pid"
  status=$?
  sleep 0.5  # the orphan guard's sweep, if any, is over
  runs_kib=$(du -sk "$RUNS" 2>/dev/null | cut -f1)
  runs_files=$(find "$RUNS" 2>/dev/null | wc -l)
  iters+=("$it_fds $it_kib ${runs_kib:-0}")
  left=$(count_marker "$pid")
  leftover=$((leftover + left))
  [ "$left" -gt 0 ] && problems+=("iteration $iteration: $left process(es) of ptsim $pid left")
  if [ "$status" -ge 2 ]; then
    problems+=("iteration $iteration: ptsim exited $status (see $SOAK_DIR/iteration-$iteration.out)")
    cp "$SOAK_DIR/iteration.out" "$SOAK_DIR/iteration-$iteration.out"
  fi
  # Runs that failed: does each pass alone?
  while IFS=$'\t' read -r name source; do
    [ -n "$name" ] || continue
    failed=$((failed + 1))
    if "$PTSIM" run "$source" -q --no-timeline --runs-dir "$SOAK_DIR/alone" > "$SOAK_DIR/alone.out" 2>&1; then
      problems+=("iteration $iteration: $name failed under -j $JOBS but passes alone")
      cp "$SOAK_DIR/iteration.out" "$SOAK_DIR/iteration-$iteration.out"
    else
      echo "soak: note: $name fails alone too (not a soak finding)"
    fi
  done < <(python3 - "$SOAK_DIR/iteration.json" <<'PY'
import json, sys
try:
    report = json.load(open(sys.argv[1]))
except Exception:
    sys.exit(0)
for run in report.get("runs", [report]):
    if not run.get("passed", False):
        print(f"{run.get('name')}\t{run.get('source')}")
PY
)
  count=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(len(r.get("runs",[r])))' \
    "$SOAK_DIR/iteration.json" 2>/dev/null || echo 0)
  runs=$((runs + count))
done
[ "$runs" -gt 0 ] && finish_minute

# Growth: the last iteration against the first (the machine-wide columns: the
# last minute against the first).
if [ "${#iters[@]}" -ge 2 ]; then
  read -r f_fds f_kib f_rkib <<< "${iters[0]}"
  read -r l_fds l_kib l_rkib <<< "${iters[${#iters[@]}-1]}"
  [ "$l_fds" -gt $((f_fds + 8)) ] && problems+=("ptsim's peak descriptors grew from $f_fds to $l_fds")
  [ "$l_kib" -gt $((f_kib * 5 / 4 + 16384)) ] &&
    problems+=("ptsim's peak memory grew from $((f_kib / 1024)) to $((l_kib / 1024)) MiB")
  [ "$l_rkib" -gt $((f_rkib * 11 / 10 + 1024)) ] &&
    problems+=("the runs directory grew from $f_rkib to $l_rkib KiB")
  read -r f_sfds f_sprocs <<< "${sys_rows[0]}"
  read -r l_sfds l_sprocs <<< "${sys_rows[${#sys_rows[@]}-1]}"
  if [ "${SOAK_STRICT_SYSTEM:-0}" = 1 ]; then
    [ "$l_sfds" -gt $((f_sfds + 256)) ] && problems+=("system descriptors grew from $f_sfds to $l_sfds")
    [ "$l_sprocs" -gt $((f_sprocs + 32)) ] && problems+=("system processes grew from $f_sprocs to $l_sprocs")
  fi
fi
echo "soak: $iteration iteration(s); per iteration (peak fds, peak KiB, runs KiB): ${iters[*]/%/;}"
echo "soak: runs directory $RUNS"
if [ "${#problems[@]}" -gt 0 ]; then
  for p in "${problems[@]}"; do echo "soak: FAIL: $p"; done
  exit 1
fi
echo "soak: PASS: nothing grew, nothing was left, no run failed that passes alone"
