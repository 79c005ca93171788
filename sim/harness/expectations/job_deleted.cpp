// `jobDeleted: true` / `{after?, before?}` / `false`: the job was (not)
// deleted, by its TTL or otherwise, within the window (virtual time since the
// run began).
#include <fmt/format.h>

#include "sim/harness/expectations/kinds.hpp"
#include "sim/harness/expectations/subject.hpp"
#include "sim/harness/expectations/time_window.hpp"

namespace ptsim::expectations {
namespace {

class JobDeleted final : public JobExpectation {
 public:
  bool deleted = true;  // false: `jobDeleted: false`
  TimeWindow window;

  std::string Describe() const override {
    if (!deleted) return job.Describe() + " is not deleted";
    const std::string range = window.Describe();
    return job.Describe() + " is deleted" + (range.empty() ? "" : " " + range);
  }

  Verdict Check(const nlohmann::json& report) const override {
    Verdict v;
    const std::string range = window.Describe();
    v.expected = !deleted ? "not deleted" : (range.empty() ? "deleted" : "deleted " + range);
    const nlohmann::json* found = FindJob(report, job);
    const std::optional<double> at = found ? JobDeletedAt(*found) : std::nullopt;
    if (!at) {
      v.actual = "not deleted";
      v.passed = !deleted;
      return v;
    }
    v.actual = fmt::format("deleted at {:.3f}s", *at);
    v.passed = deleted && window.Contains(*at);
    return v;
  }
};

}  // namespace

std::unique_ptr<Expectation> DecodeJobDeleted(ExpectationInput& in) {
  auto e = std::make_unique<JobDeleted>();
  e->job = in.job;
  if (in.value.IsScalar()) {
    bool b = true;
    if (ReadBool(in.ctx, in.value, in.path, &b) && !b) e->deleted = false;
  } else {
    MapReader m(in.ctx, in.value, in.path);
    m.OptDuration("after", &e->window.after);
    m.OptDuration("before", &e->window.before);
  }
  return e;
}

}  // namespace ptsim::expectations
