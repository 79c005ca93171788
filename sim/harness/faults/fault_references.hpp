// The checks of a fault that need the whole plan (CheckPlanReferences): its
// target names a pod, replica type and index, node, selector or job that the
// plan can create, a job fault has a job to edit, a node fault a node to hit.
// Each mistake is reported at the fault as `fault "<name>"`. Any thread.
#pragma once

#include "sim/core/diagnostics.hpp"
#include "sim/harness/fault_spec.hpp"
#include "sim/harness/plan_objects.hpp"

namespace ptsim {

void CheckFaultReferences(const FaultSpec& f, const PlanObjects& plan, Diagnostics* diagnostics);

}  // namespace ptsim
