// `podPhase: {pod, phase}`: the final phase of the newest pod of that name.
#include <fmt/format.h>

#include "sim/harness/expectations/kinds.hpp"
#include "sim/harness/expectations/report_pods.hpp"
#include "sim/harness/report_fields.hpp"

namespace ptsim::expectations {
namespace {

class PodPhase final : public Expectation {
 public:
  std::string pod;
  std::string phase;

  std::string Describe() const override {
    return fmt::format("pod {} ends in phase {}", pod, phase);
  }

  Verdict Check(const nlohmann::json& report) const override {
    Verdict v;
    v.expected = phase;
    const auto pods = PodsNamed(report, pod);
    const std::string got = pods.empty() ? "" : StringField(*pods.back(), "phase");
    v.actual = pods.empty() ? nlohmann::json("no such pod") : nlohmann::json(got);
    v.passed = !pods.empty() && got == phase;
    return v;
  }

  ReferenceProblems CheckReferences(const PlanFacts& plan) const override {
    ReferenceProblems out;
    CheckPodName(plan, pod, &out);
    return out;
  }
};

}  // namespace

std::unique_ptr<Expectation> DecodePodPhase(ExpectationInput& in) {
  auto e = std::make_unique<PodPhase>();
  MapReader m(in.ctx, in.value, in.path);
  m.String("pod", &e->pod, true);
  m.String("phase", &e->phase, true);
  return e;
}

}  // namespace ptsim::expectations
