// The families of fault actions, each in its own file, in the order the docs
// list them. A new action is a type in its family's file (or a new family's)
// and one line in that family's list. For fault_action.cpp only.
#pragma once

#include <vector>

#include "sim/harness/faults/fault_action.hpp"

namespace ptsim {

std::vector<const FaultAction*> ContainerFaultActions();  // container_faults.cpp
std::vector<const FaultAction*> PodFaultActions();        // pod_faults.cpp
std::vector<const FaultAction*> NodeFaultActions();       // node_faults.cpp
std::vector<const FaultAction*> ImagePullFaultActions();  // image_pull_faults.cpp
std::vector<const FaultAction*> JobFaultActions();        // job_faults.cpp

}  // namespace ptsim
