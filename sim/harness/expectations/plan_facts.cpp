#include "sim/harness/expectations/plan_facts.hpp"

#include <fmt/format.h>

namespace ptsim {

void CheckPodName(const PlanFacts& plan, const std::string& name, ReferenceProblems* out) {
  if (plan.pods.count(name)) return;
  out->push_back({"", fmt::format("no pod named \"{}\" can exist in this run; pods: {}", name,
                                  fmt::join(plan.pods, ", "))});
}

}  // namespace ptsim
