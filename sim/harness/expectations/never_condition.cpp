// `neverCondition: Restarting` / `{type, status?, reason?, message?, after?,
// before?}`: no condition in the job's history matches.
#include <fmt/format.h>

#include "sim/harness/expectations/condition_pattern.hpp"
#include "sim/harness/expectations/kinds.hpp"
#include "sim/harness/expectations/subject.hpp"

namespace ptsim::expectations {
namespace {

class NeverCondition final : public JobExpectation {
 public:
  ConditionPattern condition;

  std::string Describe() const override {
    return fmt::format("{} never has condition {}", job.Describe(), condition.Describe());
  }

  Verdict Check(const nlohmann::json& report) const override {
    Verdict v;
    v.expected = "never " + condition.Describe();
    nlohmann::json seen = nlohmann::json::array();
    if (const nlohmann::json* found = FindJob(report, job)) {
      for (const auto& c : JobConditionHistory(*found)) {
        if (!condition.Matches(c)) continue;
        const double at = c.contains("time") && c["time"].is_number() ? c["time"].get<double>() : 0;
        seen.push_back(fmt::format("{} at {:.3f}s", ConditionBrief(c), at));
      }
    }
    v.actual = seen.empty() ? nlohmann::json("never") : seen;
    v.passed = seen.empty();
    return v;
  }
};

}  // namespace

std::unique_ptr<Expectation> DecodeNeverCondition(ExpectationInput& in) {
  auto e = std::make_unique<NeverCondition>();
  e->job = in.job;
  e->condition = ReadConditionPattern(in.ctx, in.value, in.path);
  return e;
}

}  // namespace ptsim::expectations
