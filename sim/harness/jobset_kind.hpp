// The jobset.x-k8s.io/v1alpha2 JobSet as a JobKind (job_kind.hpp): decoded
// by jobset_codec, defaulted and checked as the JobSet webhooks do
// (jobset_defaults, jobset_validation), run by the JobSet controller
// emulation (fakes/jobset) with the batch/v1 Job controller below it,
// suspended and resumed by faults through the webhook's update validation.
// Stateless; loop thread for what touches a Simulation.
#pragma once

#include "sim/harness/job_kind.hpp"

namespace ptsim {

const JobKind& JobSetKind();

}  // namespace ptsim
