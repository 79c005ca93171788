// The kubeflow.org/v1 PyTorchJob as a JobKind (job_kind.hpp): decoded by
// pytorchjob_codec and checked by the webhook of the emulated release, run by
// the training-operator emulation (fakes/operator), patched by faults through
// the CRD schema and the webhook's update validation. Stateless; loop thread
// for what touches a Simulation.
#pragma once

#include "sim/harness/job_kind.hpp"

namespace ptsim {

const JobKind& PyTorchJobKind();

}  // namespace ptsim
