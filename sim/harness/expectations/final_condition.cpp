// `finalCondition: {type, status?, reason?, message?}`: the job's last
// condition (the State column of `kubectl get pytorchjob`) matches; `message`
// is a regular expression searched in its message.
#include <fmt/format.h>

#include "sim/harness/expectations/condition_pattern.hpp"
#include "sim/harness/expectations/kinds.hpp"
#include "sim/harness/expectations/subject.hpp"
#include "sim/harness/report_fields.hpp"

namespace ptsim::expectations {
namespace {

class FinalCondition final : public JobExpectation {
 public:
  ConditionPattern condition;  // type, status, reason
  RegexField message;

  std::string Describe() const override {
    std::string d = fmt::format("{} ends with condition {}", job.Describe(), condition.Describe());
    if (!message.text.empty()) d += fmt::format(" and a message matching /{}/", message.text);
    return d;
  }

  Verdict Check(const nlohmann::json& report) const override {
    Verdict v;
    v.expected = condition.Describe() +
                 (message.text.empty() ? "" : fmt::format(", message /{}/", message.text));
    const nlohmann::json* found = FindJob(report, job);
    if (!found || JobConditions(*found).empty()) {
      v.actual = "no conditions";
      return v;
    }
    const nlohmann::json& last = JobConditions(*found).back();
    v.actual =
        fmt::format("{}, message \"{}\"", ConditionBrief(last), StringField(last, "message"));
    v.passed =
        condition.Matches(last) && (!message.re || message.Search(StringField(last, "message")));
    return v;
  }
};

}  // namespace

std::unique_ptr<Expectation> DecodeFinalCondition(ExpectationInput& in) {
  auto e = std::make_unique<FinalCondition>();
  e->job = in.job;
  MapReader m(in.ctx, in.value, in.path);
  m.String("type", &e->condition.type, true);
  m.String("status", &e->condition.status);
  m.String("reason", &e->condition.reason);
  ReadRegex(m, "message", &e->message);
  if (const std::string why = UnknownConditionType(e->condition.type); !why.empty()) {
    in.ctx.Error(in.value, in.path + ".type", why);
  }
  return e;
}

}  // namespace ptsim::expectations
