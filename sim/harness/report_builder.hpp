// BuildReport makes the JSON report of one run (docs/report.md) from what the
// run recorded: the plan, the RunRecorder, the notes, the API server's nodes
// and events, the faults' and the Flyte driver's reports, how the run ended
// and its times. Expectations are evaluated against that JSON
// (AddExpectationResults), and every view — the text summary, the pod table,
// JUnit, HTML — reads that JSON only. The caller owns everything a RunRecord
// points to; BuildReport only reads it. Loop thread (it reads the recorder).
// REQUIRES: the run has ended (RunRecorder::MarkSurvivors has been called).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/notes.hpp"
#include "sim/harness/run_plan.hpp"
#include "sim/harness/run_recorder.hpp"
#include "sim/model/event.hpp"
#include "sim/model/node.hpp"

namespace ptsim {

enum class RunOutcome { kCompleted, kTimedOut, kInterrupted };

// Everything a finished run leaves for its report.
struct RunRecord {
  const RunPlan* plan = nullptr;
  const RunRecorder* recorder = nullptr;
  std::vector<Note> notes;
  std::vector<std::shared_ptr<const Node>> nodes;  // at the end of the run
  const std::vector<Event>* events = nullptr;
  nlohmann::json faults = nlohmann::json::array();  // FaultInjector::Report()
  nlohmann::json flyte;                             // FlyteRun::Report(); null without a task
  // The spec a driver submitted for a job (a Flyte attempt, whatever its
  // number), or null; empty: no driver.
  std::function<nlohmann::json(const std::string& ns, const std::string& name)> submitted_spec;
  RunOutcome outcome = RunOutcome::kCompleted;
  int interrupt_signal = 0;  // 0 when not interrupted
  Time end{};                // virtual time at the end of the run
  double wall_seconds = 0;
  std::uint64_t trace_digest = 0;
  std::string run_dir;
};

// The report, without its expectations: `passed` says whether the run ended
// as it should (completed, or timed out where an `outcome` expectation asks
// for it) with every log whole.
nlohmann::json BuildReport(const RunRecord& run);

// Evaluates `expectations` against `report`, lists them under
// "expectations" and folds them into "passed".
void AddExpectationResults(const std::vector<ExpectationSpec>& expectations,
                           nlohmann::json* report);

}  // namespace ptsim
