// Executes one RunPlan in a fresh Simulation and returns what happened.
//
// The run ends when everything it created has finished (pods Succeeded or
// Failed or deleted; jobs finished with their clean-pod policy and TTL
// applied), at the plan's timeout (virtual time), or when interrupted
// (run_to_end.hpp). Then every process still alive is terminated (SIGTERM,
// SIGKILL after 2s) and reported as such, and the JSON report is built
// (report_builder.hpp); every other report is a view of it. With
// handle_interrupts (and an InterruptCatcher installed), Ctrl-C
// (SIGINT/SIGTERM/SIGHUP) deletes every pod gracefully and says so, kills what
// is left after 0.8s (wall clock), and the report says "outcome":
// "interrupted"; a second one kills at once (run_interrupts.hpp).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <iosfwd>
#include <string>

#include "sim/harness/report_builder.hpp"
#include "sim/harness/run_plan.hpp"
#include "sim/harness/simulation.hpp"

namespace ptsim {

struct RunSettings {
  ProcessEnvironment processes;
  std::string run_dir;  // created (or emptied) for this run
  bool live = false;    // draw a live status line on `status_out`
  bool handle_interrupts = false;
  std::ostream* status_out = nullptr;
  std::ostream* timeline_out = nullptr;  // the human timeline, as it happens
  bool color = false;
};

struct RunResult {
  using Outcome = RunOutcome;
  Outcome outcome = Outcome::kCompleted;
  bool passed = false;
  double virtual_seconds = 0;
  double wall_seconds = 0;
  std::uint64_t trace_digest = 0;
  std::string trace;         // the rendered trace
  nlohmann::json report;     // the JSON report (docs/report.md)
  int interrupt_signal = 0;  // the first interrupt's signal, 0 when none
};

RunResult ExecuteRun(const RunPlan& plan, const RunSettings& settings);

}  // namespace ptsim
