// `fault: {name, fired?, min?, max?}`: the named fault of the scenario fired,
// at least once, `fired` times exactly, or a number of times within bounds.
#include <fmt/format.h>

#include <algorithm>

#include "sim/harness/expectations/count_bounds.hpp"
#include "sim/harness/expectations/kinds.hpp"
#include "sim/harness/expectations/report_pods.hpp"
#include "sim/harness/report_fields.hpp"

namespace ptsim::expectations {
namespace {

class Fault final : public Expectation {
 public:
  std::string name;
  CountBounds bounds;  // `fired` is `equals`

  std::string Describe() const override {
    return fmt::format("fault \"{}\" fired, count {}", name,
                       bounds.given() ? bounds.Describe() : ">= 1");
  }

  Verdict Check(const nlohmann::json& report) const override {
    Verdict v;
    v.expected = Describe();
    const nlohmann::json* fault = nullptr;
    for (const auto& f : ReportList(report, "faults")) {
      if (StringField(f, "name") == name) fault = &f;
    }
    if (!fault) {
      v.actual = "no fault with this name";
      return v;
    }
    const nlohmann::json& fired = ReportList(*fault, "fired");
    nlohmann::json got = nlohmann::json::array();
    for (const auto& f : fired) {
      got.push_back(fmt::format("at {:.3f}s on {}", f.value("time", 0.0),
                                f.value("targets", nlohmann::json()).dump()));
    }
    v.actual = got.empty() ? nlohmann::json("never fired") : got;
    const int count = static_cast<int>(fired.size());
    v.passed = bounds.given() ? bounds.Contains(count) : count > 0;
    return v;
  }

  ReferenceProblems CheckReferences(const PlanFacts& plan) const override {
    if (std::find(plan.faults.begin(), plan.faults.end(), name) != plan.faults.end()) return {};
    return {
        {"", fmt::format("no fault named \"{}\"; faults: {}", name,
                         plan.faults.empty() ? "none with a name"
                                             : fmt::format("{}", fmt::join(plan.faults, ", ")))}};
  }
};

}  // namespace

std::unique_ptr<Expectation> DecodeFault(ExpectationInput& in) {
  auto e = std::make_unique<Fault>();
  MapReader m(in.ctx, in.value, in.path);
  m.String("name", &e->name, true);
  std::optional<std::int32_t> fired;
  m.OptInt32("fired", &fired);
  if (fired) e->bounds.equals = *fired;
  ReadBounds(m, &e->bounds);
  return e;
}

}  // namespace ptsim::expectations
