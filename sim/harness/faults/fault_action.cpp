#include "sim/harness/faults/fault_action.hpp"

#include "sim/harness/faults/fault_argument.hpp"
#include "sim/harness/faults/fault_families.hpp"

namespace ptsim {

std::vector<FaultTargetKind> FaultAction::target_kinds() const {
  using K = FaultTargetKind;
  switch (scope()) {
    case FaultScope::kNodes:  // a node, or the nodes of pods: never "every pod"
      return {K::kNode, K::kPod, K::kReplicaType, K::kSelector};
    case FaultScope::kJob:
      return {K::kJob};
    default:
      return {K::kEveryPod, K::kPod, K::kReplicaType, K::kSelector, K::kNode};
  }
}

std::string FaultAction::Describe(const FaultSpec& f) const {
  const std::string arg = FormatArgument(*this, f);
  return arg.empty() ? std::string(name()) : std::string(name()) + ":" + arg;
}

const std::vector<const FaultAction*>& FaultActions() {
  static const std::vector<const FaultAction*> actions = [] {
    std::vector<const FaultAction*> all;
    for (auto family : {ContainerFaultActions, PodFaultActions, NodeFaultActions,
                        ImagePullFaultActions, JobFaultActions}) {
      for (const FaultAction* action : family())
        all.push_back(action);
    }
    return all;
  }();
  return actions;
}

const FaultAction* FindFaultAction(std::string_view name) {
  for (const FaultAction* action : FaultActions()) {
    if (action->name() == name) return action;
  }
  return nullptr;
}

const FaultAction& DefaultFaultAction() {
  return *FindFaultAction("kill");
}

std::string FaultActionNames(bool (*pick)(const FaultAction&)) {
  std::vector<std::string_view> names;
  for (const FaultAction* action : FaultActions()) {
    if (pick == nullptr || pick(*action)) names.push_back(action->name());
  }
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " and " : ", ";
    out += names[i];
  }
  return out;
}

}  // namespace ptsim
