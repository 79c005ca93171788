// The arguments of fault actions (FaultArgument): the field each one sets, how
// messages describe it, and how `--fault` writes its value. Immutable; any
// thread.
#pragma once

#include <string>
#include <string_view>

#include "sim/harness/faults/fault_action.hpp"

namespace ptsim {

struct FaultArgumentInfo {
  std::string_view field;    // the scenario's field, e.g. "exitCode"
  std::string_view noun;     // for messages, e.g. "exit code"
  std::string_view what;     // for messages, e.g. "the new number of replicas"
  std::string_view example;  // a value, e.g. "4"
};

// The argument's field and words; for kNone, those of `message`, which
// `--fault ACTION:ARG` sets for an action without an argument.
const FaultArgumentInfo& ArgumentInfo(FaultArgument argument);

// The field `--fault ACTION:ARG` sets for `action`: its argument's, or
// "message" when it takes none.
std::string_view ArgumentField(const FaultAction& action);

// The value of `action`'s argument in `f` as `--fault` writes it ("SIGTERM",
// "3", "30s", a message); "" when it has none to write.
std::string FormatArgument(const FaultAction& action, const FaultSpec& f);

}  // namespace ptsim
