// `duration: {min?, max?}`: the run's virtual duration is within bounds.
#include <fmt/format.h>

#include "sim/harness/expectations/kinds.hpp"
#include "sim/harness/expectations/time_window.hpp"

namespace ptsim::expectations {
namespace {

class RunDuration final : public Expectation {
 public:
  TimeWindow bounds;  // min as `after`, max as `before`

  std::string Describe() const override {
    return fmt::format("the run lasts {} of virtual time", bounds.Describe());
  }

  Verdict Check(const nlohmann::json& report) const override {
    Verdict v;
    v.expected = bounds.Describe();
    const double seconds = report.value("virtualSeconds", 0.0);
    v.actual = fmt::format("{:.3f}s", seconds);
    v.passed = bounds.Contains(seconds);
    return v;
  }
};

}  // namespace

std::unique_ptr<Expectation> DecodeDuration(ExpectationInput& in) {
  auto e = std::make_unique<RunDuration>();
  MapReader m(in.ctx, in.value, in.path);
  m.OptDuration("min", &e->bounds.after);
  m.OptDuration("max", &e->bounds.before);
  return e;
}

}  // namespace ptsim::expectations
