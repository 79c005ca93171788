// Why a process could not be started, said plainly. Starting one takes about
// eight descriptors at once (the output pipe, Boost.Process's exec-error pipe,
// the shim's handshake pipe, /dev/null, the log file); when ptsim is at its
// limit of open files (`ulimit -n`), the failure surfaces as whichever call ran
// out first, sometimes in the child ("dup2() failed"). SpawnFailure checks for
// that cause and names it. Loop thread; no state.
#pragma once

#include <string>

namespace ptsim {

// The descriptors one spawn needs at the same time.
constexpr int kDescriptorsPerSpawn = 8;

// "cannot start <exe>: <what>", or, when ptsim cannot open kDescriptorsPerSpawn
// more descriptors now: "cannot start <exe>: too many open files (EMFILE):
// ptsim is at its limit of N open files (ulimit -n) ...".
std::string SpawnFailure(const std::string& exe, const std::string& what);

}  // namespace ptsim
