// What an action gets when its fault fires (FaultAction::Fire): the run, the
// puller that carries image-pull faults, the fault, and what the injector
// resolved the target to. Lives for one firing; what an action schedules for
// later may keep `sim` and `puller`, which live as long as the run. Loop thread
// only.
#pragma once

#include <vector>

#include "sim/harness/fault_spec.hpp"
#include "sim/harness/faults/fault_targets.hpp"
#include "sim/harness/faulty_image_puller.hpp"
#include "sim/harness/simulation.hpp"

namespace ptsim {

struct FaultFiring {
  Simulation& sim;
  FaultyImagePuller& puller;
  const FaultSpec& spec;
  // Pods (container faults: containers) or, for node faults, nodes. Job
  // faults find their jobs themselves.
  std::vector<FaultHit> hits;
};

}  // namespace ptsim
