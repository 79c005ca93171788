// POSIX signal names and numbers ("SIGKILL" <-> 9), for scripts, faults and
// reports. Accepts "SIGKILL", "KILL", "kill" and "9".
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ptsim {

std::optional<int> ParseSignal(std::string_view text);
// "SIGKILL" for 9; "SIG<n>" for numbers without a name.
std::string SignalName(int signal);

}  // namespace ptsim
