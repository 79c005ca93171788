// A JobSet's success policy (pkg/controllers/success_policy.go @v0.12.0):
// the JobSet completes when the succeeded Jobs of the target replicated jobs
// (all when none are named) reach the expected number: 1 for operator Any,
// the sum of the targets' replicas for All. Pure functions; any thread.
#pragma once

#include <vector>

#include "fakes/jobset/child_jobs.hpp"
#include "sim/model/jobset.hpp"

namespace ptsim {

// REQUIRES: js.spec.success_policy set (defaulted).
int NumJobsExpectedToSucceed(const JobSet& js);
int NumJobsMatchingSuccessPolicy(const JobSet& js, const std::vector<BatchJobPtr>& succeeded);

}  // namespace ptsim
