// Which pods a fault's target (FaultTarget) names, and the random subset a
// chaos mode keeps (`mode: one`, `fixed`, `fixed-percent`,
// `random-max-percent`, like Chaos Mesh's selector modes). Pure functions of
// their arguments; the draws come from the Random the caller passes (one per
// fault, forked from the run's seed), so a seed always picks the same targets.
#pragma once

#include <string>
#include <vector>

#include "sim/core/random.hpp"
#include "sim/harness/fault_spec.hpp"
#include "sim/model/pod.hpp"

namespace ptsim {

// A pod, container or node a fault acts on. Container faults name the
// container (empty: the pod's app containers); node faults name the node.
struct FaultHit {
  std::string ns;
  std::string pod;
  std::string container;
  std::string node;
};

// Whether `pod` is one the target names: its namespace, and its name, replica
// type and index (by the operator's labels), labels, or node.
bool TargetMatchesPod(const FaultTarget& target, const Pod& pod);

// Keeps the subset of `hits` the target's mode picks, drawn from `rng`, in
// pod-name order; `mode: all` keeps every hit and draws nothing.
void PickByMode(const FaultTarget& target, Random& rng, std::vector<FaultHit>* hits);

}  // namespace ptsim
