// `outcome: completed` / `timedOut`: how the run ended. Expecting it makes a
// run that reaches its timeout pass when the expectations hold.
#include <fmt/format.h>

#include "sim/harness/expectations/kinds.hpp"
#include "sim/harness/report_fields.hpp"

namespace ptsim::expectations {
namespace {

class Outcome final : public Expectation {
 public:
  std::string outcome;

  std::string Describe() const override { return fmt::format("the run's outcome is {}", outcome); }

  Verdict Check(const nlohmann::json& report) const override {
    Verdict v;
    v.expected = outcome;
    v.actual = StringField(report, "outcome");
    v.passed = StringField(report, "outcome") == outcome;
    return v;
  }

  bool JudgesOutcome() const override { return true; }
};

}  // namespace

std::unique_ptr<Expectation> DecodeOutcome(ExpectationInput& in) {
  auto e = std::make_unique<Outcome>();
  in.entry.String(in.key, &e->outcome);
  if (e->outcome != "completed" && e->outcome != "timedOut") {
    in.ctx.Error(in.value, in.path, "outcome is completed or timedOut");
  }
  return e;
}

}  // namespace ptsim::expectations
