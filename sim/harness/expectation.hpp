// Expectations: what must be true when a scenario's run ends
// (docs/scenarios.md#expectations). Each kind is one class implementing
// Expectation, in its own file under expectations/, decoded from its scenario
// key by the table in expectations/registry.cpp. It is checked against the
// run's JSON report, the same data a user reads, and yields want vs got; a
// failed expectation makes `ptsim run` exit 1. An Expectation is immutable
// once decoded and may be checked from any thread.
#pragma once

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

#include "sim/core/diagnostics.hpp"
#include "sim/harness/expectations/plan_facts.hpp"

namespace ptsim {

// Want vs got of one expectation.
struct Verdict {
  bool passed = false;
  nlohmann::json expected;
  nlohmann::json actual;
};

class Expectation {
 public:
  virtual ~Expectation() = default;
  // One line for reports and summaries, e.g. "pod p ends in phase Succeeded".
  virtual std::string Describe() const = 0;
  // Checks the run's report (docs/report.md). REQUIRES: it decoded without
  // errors (an invalid JSON pointer or regular expression is never checked).
  virtual Verdict Check(const nlohmann::json& report) const = 0;
  // What the expectation names that the plan cannot create; checked before the run.
  virtual ReferenceProblems CheckReferences(const PlanFacts& /*plan*/) const { return {}; }
  // True when the expectation itself judges how the run ended (`outcome`): a
  // run that reaches its timeout is then not failed for that alone.
  virtual bool JudgesOutcome() const { return false; }
};

// One entry of a scenario's `expect:` list.
struct ExpectationSpec {
  SourceLocation where;
  std::shared_ptr<const Expectation> expectation;  // null only in a plan with errors
};

// An `expectations[]` entry of the report (docs/report.md).
struct ExpectationResult {
  std::string description;
  bool passed = false;
  nlohmann::json expected;
  nlohmann::json actual;
};

// The report's entry for `spec`: its description and Check's verdict.
// REQUIRES: the plan decoded without errors (a plan with errors never runs).
ExpectationResult Evaluate(const ExpectationSpec& spec, const nlohmann::json& report);
// Whether the run's outcome is judged by an expectation (see JudgesOutcome).
bool JudgesOutcome(const std::vector<ExpectationSpec>& expectations);

// Every expectation's reference problems, as errors at the expectation
// (`expectation "<description>"`).
void CheckExpectationReferences(const std::vector<ExpectationSpec>& expectations,
                                const PlanFacts& plan, Diagnostics* diagnostics);

}  // namespace ptsim
