// `event: {reason, object?, message?, equals/min/max?}`: an event with this
// reason (on `Pod/name` or `PyTorchJob/name`, its message matching) was
// recorded, at least once or a number of times within bounds (the counts of
// aggregated events add up).
#include <fmt/format.h>

#include "sim/harness/expectations/count_bounds.hpp"
#include "sim/harness/expectations/kinds.hpp"
#include "sim/harness/expectations/regex_field.hpp"
#include "sim/harness/expectations/report_pods.hpp"
#include "sim/harness/report_fields.hpp"

namespace ptsim::expectations {
namespace {

class Event final : public Expectation {
 public:
  std::string reason;
  std::string object;
  RegexField message;
  CountBounds bounds;

  std::string Describe() const override {
    std::string d = fmt::format("an event with reason {}", reason);
    if (!object.empty()) d += " on " + object;
    if (!message.text.empty()) d += fmt::format(" and a message matching /{}/", message.text);
    if (bounds.given()) d += fmt::format(", count {}", bounds.Describe());
    return d;
  }

  Verdict Check(const nlohmann::json& report) const override {
    Verdict v;
    v.expected = Describe();
    int count = 0;
    nlohmann::json seen = nlohmann::json::array();
    for (const auto& e : ReportList(report, "events")) {
      if (StringField(e, "reason") != reason) continue;
      if (!object.empty() && StringField(e, "object") != object) continue;
      seen.push_back(fmt::format("{} {}: {}", StringField(e, "object"), StringField(e, "reason"),
                                 StringField(e, "message")));
      if (message.re && !message.Search(StringField(e, "message"))) continue;
      count += e.value("count", 0);
    }
    v.actual = seen.empty() ? nlohmann::json("no such event") : seen;
    v.passed = bounds.given() ? bounds.Contains(count) : count > 0;
    return v;
  }
};

}  // namespace

std::unique_ptr<Expectation> DecodeEvent(ExpectationInput& in) {
  auto e = std::make_unique<Event>();
  MapReader m(in.ctx, in.value, in.path);
  m.String("reason", &e->reason, true);
  m.String("object", &e->object);
  ReadRegex(m, "message", &e->message);
  ReadBounds(m, &e->bounds);
  return e;
}

}  // namespace ptsim::expectations
