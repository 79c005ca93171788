#include "sim/harness/expectations/report_pods.hpp"

#include <fmt/format.h>

#include <utility>

#include "sim/harness/plan_objects.hpp"
#include "sim/harness/report_fields.hpp"

namespace ptsim {

using nlohmann::json;

const json& ReportList(const json& report, const char* key) {
  static const json kEmpty = json::array();
  return report.contains(key) && report[key].is_array() ? report[key] : kEmpty;
}

std::vector<const json*> PodsNamed(const json& report, const std::string& name) {
  std::vector<const json*> out;
  for (const auto& p : ReportList(report, "pods")) {
    if (MatchesPlannedPodName(name, StringField(p, "name"))) out.push_back(&p);
  }
  return out;
}

std::string AttemptSelection::Describe(bool last_by_default) const {
  if (any) return "any run";
  if (attempt) return fmt::format("run {}", *attempt);
  return last_by_default ? "the last run" : "any run";
}

void ReadAttempt(MapReader& m, AttemptSelection* out) {
  YAML::Node n = m.Get("attempt");
  if (IsAbsent(n)) return;
  if (n.IsScalar() && n.Scalar() == "any") {
    out->any = true;
    return;
  }
  if (n.IsScalar() && n.Scalar() == "last") return;
  std::int32_t v = 0;
  if (!ReadInt32(m.ctx(), n, m.FieldPath("attempt"), &v)) return;
  if (v < 0) {
    m.ctx().Error(n, m.FieldPath("attempt"),
                  "attempt is a restartCount (0 for the first run), `last` or `any`");
    return;
  }
  out->attempt = v;
}

std::vector<const json*> ContainerRuns(const json& report, const ContainerRef& ref,
                                       const AttemptSelection& sel, bool last_by_default,
                                       std::string* why) {
  std::vector<const json*> pods = PodsNamed(report, ref.pod);
  std::vector<const json*> out;
  if (pods.empty()) {
    *why = "no such pod";
    return out;
  }
  if (!sel.any) pods = {pods.back()};
  bool container_seen = false;
  for (const json* p : pods) {
    for (const auto& [list, init] :
         {std::pair{"initContainers", true}, std::pair{"containers", false}}) {
      for (const auto& c : ReportList(*p, list)) {
        if (ref.container.empty() ? init : StringField(c, "name") != ref.container) continue;
        container_seen = true;
        const json& runs = ReportList(c, "runs");
        if (sel.any || (!sel.attempt && !last_by_default)) {
          for (const auto& r : runs)
            out.push_back(&r);
        } else if (sel.attempt) {
          for (const auto& r : runs) {
            if (r.contains("restartCount") && r["restartCount"] == *sel.attempt) out.push_back(&r);
          }
        } else if (!runs.empty()) {
          out.push_back(&runs.back());
        }
        if (ref.container.empty()) break;  // the first app container
      }
    }
  }
  if (!container_seen)
    *why = "no such container";
  else if (out.empty())
    *why = "no such attempt";
  return out;
}

}  // namespace ptsim
