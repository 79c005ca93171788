#include <fmt/format.h>

#include "fakes/process/process_runner.hpp"
#include "sim/core/signals.hpp"

namespace ptsim {

std::string ProcessExit::Describe() const {
  std::string out = kind == Kind::kExited
                        ? fmt::format("exit code {}", value)
                        : fmt::format("signal {} (exit code {})", SignalName(value), ExitCode());
  if (oom_killed) out += ", OOM-killed";
  return out;
}

}  // namespace ptsim
