// Builders for the JobSet tests (the counterparts of upstream's
// pkg/util/testing wrappers): a JobSet with replicated jobs, a child Job with
// labels and a finished condition.
#pragma once

#include <memory>
#include <string>

#include "fakes/jobset/child_jobs.hpp"
#include "sim/model/jobset.hpp"

namespace ptsim::testing {

// A replicated job with one container `test` (image bash:latest).
ReplicatedJob MakeReplicatedJob(const std::string& name, std::int32_t replicas);
// A JobSet named `name` in `ns` with uid `<name>-uid`.
JobSet MakeJobSet(const std::string& name, const std::string& ns);
// A Job of replicated job `rjob` (label), restart attempt `attempt`.
BatchJob MakeJob(const std::string& name, const std::string& rjob, int attempt = 0);
// `job` with a True `type` (Complete or Failed) condition at `at`.
BatchJobPtr Finished(BatchJob job, const std::string& type, Time at, const std::string& reason = "",
                     const std::string& message = "");
BatchJobPtr Ptr(BatchJob job);

}  // namespace ptsim::testing
