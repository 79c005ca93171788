// The batch/v1 Job as a JobKind (job_kind.hpp): decoded by batch_job_codec,
// defaulted and validated as kube-apiserver does on create, run by the
// emulated Job controller (fakes/job) and deleted by the TTL-after-finished
// controller, suspended and resumed by job faults through spec.suspend.
// Stateless; loop thread for what touches a Simulation.
#pragma once

#include "sim/harness/job_kind.hpp"

namespace ptsim {

const JobKind& BatchJobKind();

}  // namespace ptsim
