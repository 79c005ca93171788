// Signal names for --crash-signal: "SIGKILL", "KILL", "kill" and "9" all name
// the same signal. Only signals whose default action ends the process are
// accepted (a crash must end the process); SIGSTOP, SIGCHLD and the like are
// rejected with a message that says why. Pure functions; any thread.
#pragma once

#include <string>
#include <string_view>

#include "tools/ptsim-worker/result.hpp"

namespace ptsim::worker {

// The number of a signal given by name (with or without "SIG", any case) or
// by number.
Result<int> ParseCrashSignal(std::string_view text);

// "SIGKILL" for 9; "signal 40" for a signal without a name here.
std::string SignalName(int signal);

}  // namespace ptsim::worker
