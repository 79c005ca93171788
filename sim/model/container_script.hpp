// Scripted containers: containers with no process that live only in virtual
// time, for fast deterministic runs and for scale.
//
// A script is a list of incarnations separated by `|`; incarnation N is used
// for the container's Nth start (restartCount N) and the last one repeats.
// Each incarnation is a list of steps separated by `,` or `;`:
//   run 30s | sleep 30s        stay alive for that long
//   log <text>                 write a log line ("quotes" optional)
//   steps <N> every <D>        write "step 1" ... "step N", one every D (N at
//                              most kMaxScriptSteps)
//   exit <code>                end with that exit code
//   signal <SIG> | kill <SIG>  die by a signal (exit code 128+n)
//   oom                        be OOM-killed (exit 137, reason OOMKilled)
//   forever | hang             never end by itself
// Durations may not be negative. An incarnation that runs out of steps exits
// 0. Example:
//   "run 30s, exit 1 | run 10s, exit 0"  fails once, then succeeds.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sim/core/diagnostics.hpp"
#include "sim/core/time.hpp"

namespace ptsim {

// The most steps one `steps` line may log, so that a script cannot keep ptsim
// busy for hours of wall time on one virtual second.
inline constexpr int kMaxScriptSteps = 100'000;

struct ScriptStep {
  enum class Kind { kRun, kLog, kSteps, kExit, kSignal, kOom, kForever };
  Kind kind = Kind::kRun;
  Duration duration{0};  // kRun; the interval for kSteps
  std::string text;      // kLog
  int value = 0;         // exit code, signal number, or step count
};

struct ScriptIncarnation {
  std::vector<ScriptStep> steps;
};

struct ContainerScript {
  std::string source;
  std::vector<ScriptIncarnation> incarnations;

  // REQUIRES: !incarnations.empty().
  const ScriptIncarnation& ForRestart(int restart_count) const;
};

// Errors name the offending step; `where` locates the text for diagnostics.
Result<ContainerScript> ParseContainerScript(std::string_view text, const SourceLocation& where,
                                             const std::string& object);

}  // namespace ptsim
