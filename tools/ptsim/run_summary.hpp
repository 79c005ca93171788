// What `ptsim run` prints after a run: each job's condition history, the
// Flyte task, the pod table, the faults that fired, each expectation with want
// and got, the notes, and a one-line verdict. With -q only a failed run
// prints, and only its failed expectations and verdict. Pure functions of the
// JSON report (docs/report.md), like every other view; any thread.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace ptsim::cli {

// The expectations, "  ok  " or "  FAIL" each, with want and got when they
// failed; with `failed_only`, only those that failed.
std::string ExpectationLines(const nlohmann::json& report, bool failed_only);

// "PASS: <name> in 0.4s virtual, 0.43s wall (seed 1, run dir DIR)".
std::string Verdict(const nlohmann::json& report);

// The first job's last condition, "Succeeded=True", or "-" (the runs table
// and --repeat).
std::string FinalCondition(const nlohmann::json& report);

// Everything above, in that order.
std::string RunSummary(const nlohmann::json& report);

}  // namespace ptsim::cli
