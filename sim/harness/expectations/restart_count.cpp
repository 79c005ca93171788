// `restartCount: {pod, container?, equals/min/max}`: the restartCount of the
// pod's containers; `{replicaType, equals/min/max}`: summed over the pods of
// that replica type. The newest pod of each name counts (a recreated pod
// starts again at 0).
#include <fmt/format.h>

#include <map>

#include "sim/harness/expectations/count_bounds.hpp"
#include "sim/harness/expectations/kinds.hpp"
#include "sim/harness/expectations/report_pods.hpp"
#include "sim/harness/report_fields.hpp"

namespace ptsim::expectations {
namespace {

class RestartCount final : public Expectation {
 public:
  std::string pod;  // either pod
  std::string container;
  std::string replica_type;  // or replicaType
  CountBounds bounds;

  std::string Describe() const override {
    if (!pod.empty()) {
      return fmt::format("restartCount of pod {}{} {}", pod,
                         container.empty() ? "" : "/" + container, bounds.Describe());
    }
    return fmt::format("total restartCount of {} pods {}", replica_type, bounds.Describe());
  }

  Verdict Check(const nlohmann::json& report) const override {
    Verdict v;
    v.expected = bounds.Describe();
    std::map<std::string, const nlohmann::json*> latest;
    for (const auto& p : ReportList(report, "pods")) {
      const bool match = !pod.empty() ? StringField(p, "name") == pod
                                      : StringField(p, "replicaType") == replica_type;
      if (match) latest[StringField(p, "name")] = &p;
    }
    int total = 0;
    for (const auto& [name, p] : latest) {
      for (const auto& c : ReportList(*p, "containers")) {
        if (!container.empty() && StringField(c, "name") != container) continue;
        total += c.value("restartCount", 0);
      }
    }
    v.actual = latest.empty() ? nlohmann::json("no such pod") : nlohmann::json(total);
    v.passed = !latest.empty() && bounds.Contains(total);
    return v;
  }

  ReferenceProblems CheckReferences(const PlanFacts& plan) const override {
    ReferenceProblems out;
    if (!pod.empty()) CheckPodName(plan, pod, &out);
    if (!replica_type.empty() && !plan.replica_types.count(replica_type))
      out.push_back({"", fmt::format("the job has no {} replicas", replica_type)});
    return out;
  }
};

}  // namespace

std::unique_ptr<Expectation> DecodeRestartCount(ExpectationInput& in) {
  auto e = std::make_unique<RestartCount>();
  MapReader m(in.ctx, in.value, in.path);
  m.String("pod", &e->pod);
  m.String("container", &e->container);
  m.String("replicaType", &e->replica_type);
  ReadBounds(m, &e->bounds);
  if (e->pod.empty() == e->replica_type.empty())
    in.ctx.Error(in.value, in.path, "give either pod or replicaType");
  if (!e->bounds.given()) in.ctx.Error(in.value, in.path, "give equals, min or max");
  return e;
}

}  // namespace ptsim::expectations
