// For the unit tests of the expectation kinds: decode one entry of a
// scenario's `expect:` list from YAML, check it against a report fixture in
// the shape of docs/report.md, and check what it names against a plan's facts.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "sim/harness/expectation.hpp"
#include "tests/support/temp_dir.hpp"

namespace ptsim::testing {

struct DecodedExpectation {
  ExpectationSpec spec;
  std::string errors;  // the rendered diagnostics, "" when it decoded cleanly
};

// Decodes `yaml`, one list item such as "finalCondition: {type: Succeeded}",
// at field path expect[0] of scenario.yaml.
DecodedExpectation DecodeOne(const std::string& yaml);

// Decodes `yaml` (REQUIREs that it decodes cleanly) and checks it against `report`.
ExpectationResult Check(const std::string& yaml, const nlohmann::json& report);

// The reference errors of `yaml` (decoded cleanly) in a plan with `facts`, one per line.
std::string ReferenceErrors(const std::string& yaml, const PlanFacts& facts);

// A report of a finished run of the PyTorchJob "job" (Master 1, Worker 1):
// the master failed once and succeeded, worker-0 was recreated, a fault
// fired, and the job was deleted by its TTL at 70s. Its logs and files are
// written under `dir`, its run directory.
nlohmann::json JobReport(const TempDir& dir);

// The facts of the plan JobReport comes from.
PlanFacts JobPlanFacts();

}  // namespace ptsim::testing
