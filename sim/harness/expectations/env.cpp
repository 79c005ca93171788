// `env: {pod, container?, name, value?, declared?}`: a container of the
// newest pod of that name saw this environment variable with this value (as
// the process saw it, names and ports resolved), or declared it so in the pod
// spec with `declared: true`; no `value` means unset.
#include <fmt/format.h>

#include "sim/harness/expectations/kinds.hpp"
#include "sim/harness/expectations/report_pods.hpp"
#include "sim/harness/report_fields.hpp"

namespace ptsim::expectations {
namespace {

class Env final : public Expectation {
 public:
  std::string pod;
  std::string container;
  std::string name;
  std::optional<std::string> value;  // nullopt: unset
  bool resolved = true;              // as the process saw it, else as declared

  std::string Describe() const override {
    return fmt::format("{} of {}/{} {} {}", name, pod, container.empty() ? "*" : container,
                       resolved ? "is (as the process saw it)" : "is declared as",
                       value ? "\"" + *value + "\"" : "unset");
  }

  Verdict Check(const nlohmann::json& report) const override {
    Verdict v;
    v.expected = value ? nlohmann::json(*value) : nlohmann::json("unset");
    const auto pods = PodsNamed(report, pod);
    if (pods.empty()) {
      v.actual = "no such pod";
      return v;
    }
    const std::optional<std::string> got = ValueIn(*pods.back());
    v.actual = got ? nlohmann::json(*got) : nlohmann::json("unset");
    v.passed = got == value;
    return v;
  }

  ReferenceProblems CheckReferences(const PlanFacts& plan) const override {
    ReferenceProblems out;
    CheckPodName(plan, pod, &out);
    return out;
  }

 private:
  // The variable's value in `p`: the last container (of those named) that has it.
  std::optional<std::string> ValueIn(const nlohmann::json& p) const {
    std::optional<std::string> out;
    for (const char* list : {"initContainers", "containers"}) {
      for (const auto& c : ReportList(p, list)) {
        if (!container.empty() && StringField(c, "name") != container) continue;
        if (resolved) {
          if (c.contains("resolvedEnv") && c["resolvedEnv"].is_object() &&
              c["resolvedEnv"].contains(name) && c["resolvedEnv"][name].is_string())
            out = c["resolvedEnv"][name].get<std::string>();
          continue;
        }
        for (const auto& e : ReportList(c, "env")) {
          if (StringField(e, "name") == name && e.contains("value") && e["value"].is_string())
            out = e["value"].get<std::string>();
        }
      }
    }
    return out;
  }
};

}  // namespace

std::unique_ptr<Expectation> DecodeEnv(ExpectationInput& in) {
  auto e = std::make_unique<Env>();
  MapReader m(in.ctx, in.value, in.path);
  m.String("pod", &e->pod, true);
  m.String("container", &e->container);
  m.String("name", &e->name, true);
  YAML::Node v = m.Get("value");
  if (!IsAbsent(v)) {
    std::string s;
    if (ReadString(in.ctx, v, m.FieldPath("value"), &s)) e->value = s;
  }
  std::optional<bool> declared;
  m.OptBool("declared", &declared);
  e->resolved = !declared.value_or(false);
  return e;
}

}  // namespace ptsim::expectations
