#!/bin/sh
# Runs its arguments as a command when Debian's PyTorch is usable, and otherwise
# exits 77, which the scenarios' CMakeLists.txt declares as ctest's
# SKIP_RETURN_CODE. The scenarios in scenarios/pytorch/ run real PyTorch with
# /usr/bin/python3 (python3-torch; tools/install-deps.sh installs it).
if ! /usr/bin/python3 -c "import torch, torch.distributed as d; assert d.is_gloo_available()" \
    >/dev/null 2>&1; then
  echo "SKIPPED: /usr/bin/python3 cannot import torch with gloo (Debian package python3-torch," \
       "installed by tools/install-deps.sh), and this test runs real PyTorch training processes."
  exit 77
fi
exec "$@"
