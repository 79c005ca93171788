// What `ptsim run` prints after a run: the faults that fired, each
// expectation with want and got, the notes, and a one-line verdict. With -q
// only a failed run prints, and only its failed expectations and verdict.
// Pure functions of the JSON report (docs/report.md); any thread.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace ptsim::cli {

// The expectations, "  ok  " or "  FAIL" each, with want and got when they
// failed; with `failed_only`, only those that failed.
std::string ExpectationLines(const nlohmann::json& report, bool failed_only);

// "PASS: <name> in 0.4s virtual, 0.43s wall (seed 1, run dir DIR)".
std::string Verdict(const nlohmann::json& report, bool passed, const std::string& name,
                    std::uint64_t seed, const std::string& run_dir);

// Faults fired, expectations, notes and the verdict.
std::string RunSummary(const nlohmann::json& report, bool passed, const std::string& name,
                       std::uint64_t seed, const std::string& run_dir);

}  // namespace ptsim::cli
