// `podsExist: [names]` / `podsDeleted: [names]`, `servicesExist` /
// `servicesDeleted`: at the end of the run these objects exist / were deleted
// (every object ever created with the name).
#include <fmt/format.h>

#include "sim/harness/expectations/kinds.hpp"
#include "sim/harness/expectations/report_pods.hpp"
#include "sim/harness/report_fields.hpp"

namespace ptsim::expectations {
namespace {

class ObjectPresence final : public Expectation {
 public:
  ObjectPresence(bool pods, bool exist) : pods_(pods), exist_(exist) {}
  std::vector<std::string> names;

  std::string Describe() const override {
    return fmt::format("{} {}: {}", pods_ ? "pods" : "services",
                       exist_ ? "exist at the end" : "were deleted", fmt::join(names, ", "));
  }

  Verdict Check(const nlohmann::json& report) const override {
    Verdict v;
    v.expected = names;
    nlohmann::json got = nlohmann::json::object();
    v.passed = true;
    for (const auto& name : names) {
      bool seen = false;
      bool exists = false;
      for (const auto& o : ReportList(report, pods_ ? "pods" : "services")) {
        if (StringField(o, "name") != name) continue;
        seen = true;
        exists = exists || !o.contains("deletedAt") || o["deletedAt"].is_null();
      }
      got[name] = !seen ? "never created" : (exists ? "exists" : "deleted");
      if (exist_ ? !exists : (!seen || exists)) v.passed = false;
    }
    v.actual = got;
    return v;
  }

  ReferenceProblems CheckReferences(const PlanFacts& plan) const override {
    ReferenceProblems out;
    for (const auto& n : names)
      CheckPodName(plan, n, &out);  // services share their pod's name
    return out;
  }

 private:
  bool pods_;   // pods, else services
  bool exist_;  // exist at the end, else were deleted
};

std::unique_ptr<Expectation> Decode(ExpectationInput& in, bool pods, bool exist) {
  auto e = std::make_unique<ObjectPresence>(pods, exist);
  in.entry.StringList(in.key, &e->names);
  return e;
}

}  // namespace

std::unique_ptr<Expectation> DecodePodsExist(ExpectationInput& in) {
  return Decode(in, true, true);
}
std::unique_ptr<Expectation> DecodePodsDeleted(ExpectationInput& in) {
  return Decode(in, true, false);
}
std::unique_ptr<Expectation> DecodeServicesExist(ExpectationInput& in) {
  return Decode(in, false, true);
}
std::unique_ptr<Expectation> DecodeServicesDeleted(ExpectationInput& in) {
  return Decode(in, false, false);
}

}  // namespace ptsim::expectations
