// The expectations about a Flyte task (docs/flyte.md): `flytePhase: PHASE`,
// the task's final phase, and `flyte: {...}`, its outcome or one attempt's
// (decoded, described and checked by flyte_expectation.hpp). Both are errors
// before the run in a run without a Flyte task.
#include <fmt/format.h>

#include "sim/harness/expectations/kinds.hpp"
#include "sim/harness/flyte_expectation.hpp"
#include "sim/harness/report_fields.hpp"

namespace ptsim::expectations {
namespace {

void CheckFlyteTask(const PlanFacts& plan, ReferenceProblems* out) {
  if (!plan.flyte) out->push_back({"", "this run has no Flyte task"});
}

class FlytePhase final : public Expectation {
 public:
  std::string phase;

  std::string Describe() const override {
    return fmt::format("the Flyte task ends in phase {}", phase);
  }

  Verdict Check(const nlohmann::json& report) const override {
    Verdict v;
    v.expected = phase;
    const bool has = report.contains("flyte") && report["flyte"].is_object();
    v.actual = has ? nlohmann::json(StringField(report["flyte"], "phase"))
                   : nlohmann::json("not a Flyte task");
    v.passed = has && StringField(report["flyte"], "phase") == phase;
    return v;
  }

  ReferenceProblems CheckReferences(const PlanFacts& plan) const override {
    ReferenceProblems out;
    CheckFlyteTask(plan, &out);
    return out;
  }
};

class Flyte final : public Expectation {
 public:
  FlyteExpectation expectation;

  std::string Describe() const override { return DescribeFlyteExpectation(expectation); }

  Verdict Check(const nlohmann::json& report) const override {
    FlyteCheck c = EvaluateFlyteExpectation(expectation, report);
    return {c.passed, std::move(c.expected), std::move(c.actual)};
  }

  ReferenceProblems CheckReferences(const PlanFacts& plan) const override {
    ReferenceProblems out;
    CheckFlyteTask(plan, &out);
    return out;
  }
};

}  // namespace

std::unique_ptr<Expectation> DecodeFlytePhase(ExpectationInput& in) {
  auto e = std::make_unique<FlytePhase>();
  in.entry.String(in.key, &e->phase);
  return e;
}

std::unique_ptr<Expectation> DecodeFlyte(ExpectationInput& in) {
  auto e = std::make_unique<Flyte>();
  MapReader m(in.ctx, in.value, in.path);
  DecodeFlyteExpectation(m, &e->expectation);
  return e;
}

}  // namespace ptsim::expectations
