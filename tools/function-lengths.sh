#!/bin/sh
# Prints the longest C++ functions (lines from signature to closing brace, as
# universal-ctags counts them) under the given directories, longest first,
# and a per-directory summary: count, median and maximum.
#
# Usage: tools/function-lengths.sh [-n TOP] [DIR...]   (default: sim fakes tools, top 15)
# Needs universal-ctags (Debian package universal-ctags; a development tool,
# not installed by tools/install-deps.sh: apt-get install universal-ctags).
set -eu
cd "$(dirname "$0")/.."
top=15
if [ "${1:-}" = "-n" ]; then
  top="$2"
  shift 2
fi
dirs="${*:-sim fakes tools}"
# shellcheck disable=SC2086
find $dirs -name '*.cpp' -o -name '*.hpp' | sort |
  ctags -L - --c++-kinds=f --fields=+ne -f - 2>/dev/null |
  awk -F'\t' '{
      line = ""; end = "";
      for (i = 4; i <= NF; i++) {
        if ($i ~ /^line:/) line = substr($i, 6);
        if ($i ~ /^end:/) end = substr($i, 5);
      }
      if (line != "" && end != "") printf "%d\t%s:%s\t%s\n", end - line + 1, $2, line, $1;
    }' | sort -k1,1nr -k2,2 >/tmp/ptsim-function-lengths.$$
echo "Longest functions:"
head -n "$top" /tmp/ptsim-function-lengths.$$ | awk -F'\t' '{ printf "  %5d  %-55s %s\n", $1, $2, $3 }'
echo
echo "Per directory (functions, median lines, max lines):"
awk -F'\t' '{ split($2, p, "/"); d = p[1] "/" p[2]; print d "\t" $1 }' /tmp/ptsim-function-lengths.$$ |
  sort -k1,1 -k2,2n |
  awk -F'\t' '
    function flush() { if (n) printf "  %-22s %5d %6d %6d\n", dir, n, v[int((n + 1) / 2)], v[n] }
    $1 != dir { flush(); dir = $1; n = 0 }
    { v[++n] = $2 }
    END { flush() }'
rm -f /tmp/ptsim-function-lengths.$$
