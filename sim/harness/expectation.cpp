#include "sim/harness/expectation.hpp"

#include <fmt/format.h>

namespace ptsim {

ExpectationResult Evaluate(const ExpectationSpec& spec, const nlohmann::json& report) {
  ExpectationResult r;
  if (!spec.expectation) return r;
  r.description = spec.expectation->Describe();
  Verdict v = spec.expectation->Check(report);
  r.passed = v.passed;
  r.expected = std::move(v.expected);
  r.actual = std::move(v.actual);
  return r;
}

bool JudgesOutcome(const std::vector<ExpectationSpec>& expectations) {
  for (const auto& e : expectations) {
    if (e.expectation && e.expectation->JudgesOutcome()) return true;
  }
  return false;
}

void CheckExpectationReferences(const std::vector<ExpectationSpec>& expectations,
                                const PlanFacts& plan, Diagnostics* diagnostics) {
  for (const auto& e : expectations) {
    if (!e.expectation) continue;
    const std::string object = fmt::format("expectation \"{}\"", e.expectation->Describe());
    for (auto& problem : e.expectation->CheckReferences(plan))
      diagnostics->Error(e.where, object, problem.field, std::move(problem.message));
  }
}

}  // namespace ptsim
