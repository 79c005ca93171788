#include "sim/harness/expectations/plan_facts.hpp"

#include <fmt/format.h>

#include "sim/harness/plan_objects.hpp"

namespace ptsim {

void CheckPodName(const PlanFacts& plan, const std::string& name, ReferenceProblems* out) {
  for (const auto& planned : plan.pods)
    if (MatchesPlannedPodName(planned, name)) return;
  out->push_back({"", fmt::format("no pod named \"{}\" can exist in this run; pods: {}", name,
                                  fmt::join(plan.pods, ", "))});
}

}  // namespace ptsim
