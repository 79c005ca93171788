// `conditions: [Created, Running, {type: Failed, reason: PyTorchJobFailed}]`:
// the job's condition history has these conditions in this order, gaps
// allowed (condition_pattern.hpp for the forms of one).
#include <fmt/format.h>

#include "sim/harness/expectations/condition_pattern.hpp"
#include "sim/harness/expectations/kinds.hpp"
#include "sim/harness/expectations/subject.hpp"

namespace ptsim::expectations {
namespace {

class Conditions final : public JobExpectation {
 public:
  std::vector<ConditionPattern> sequence;

  std::string Describe() const override {
    return fmt::format("{}'s conditions include, in order: {}", job.Describe(),
                       fmt::join(Parts(), " -> "));
  }

  Verdict Check(const nlohmann::json& report) const override {
    Verdict v;
    v.expected = Parts();
    nlohmann::json got = nlohmann::json::array();
    std::size_t next = 0;
    if (const nlohmann::json* found = FindJob(report, job)) {
      for (const auto& c : JobConditionHistory(*found)) {
        got.push_back(ConditionBrief(c));
        if (next < sequence.size() && sequence[next].Matches(c)) ++next;
      }
    }
    v.actual = got;
    v.passed = next == sequence.size();
    return v;
  }

 private:
  std::vector<std::string> Parts() const {
    std::vector<std::string> parts;
    for (const auto& c : sequence)
      parts.push_back(c.Describe());
    return parts;
  }
};

}  // namespace

std::unique_ptr<Expectation> DecodeConditions(ExpectationInput& in) {
  auto e = std::make_unique<Conditions>();
  e->job = in.job;
  if (!in.value.IsSequence() || in.value.size() == 0) {
    in.ctx.Error(in.value, in.path,
                 "expected a non-empty list of conditions, e.g. [Created, Running, Succeeded]");
    return e;
  }
  for (std::size_t i = 0; i < in.value.size(); ++i)
    e->sequence.push_back(ReadConditionPattern(in.ctx, in.value[i], IndexPath(in.path, i)));
  return e;
}

}  // namespace ptsim::expectations
