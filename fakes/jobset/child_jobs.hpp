// A JobSet's child Jobs, classified as the JobSet controller classifies them
// (pkg/controllers/jobset_controller.go @v0.12.0 getChildJobs): `previous`
// (restart-attempt label below status.restarts, to be deleted), else active,
// successful or failed by the Job's Complete=True or Failed=True condition.
// Plain data and pure functions; any thread.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/model/batch_job.hpp"
#include "sim/model/jobset.hpp"

namespace ptsim {

using BatchJobPtr = std::shared_ptr<const BatchJob>;

struct ChildJobs {
  std::vector<BatchJobPtr> active;
  std::vector<BatchJobPtr> successful;
  std::vector<BatchJobPtr> failed;
  std::vector<BatchJobPtr> previous;
};

// JobFinished: "Complete" or "Failed" when that condition is True, else "".
std::string JobFinishedType(const BatchJob& job);

// `owned`: the Jobs whose controller is the JobSet (by UID). A Job whose
// restart-attempt label is missing or not a number is `previous` and the
// error is returned (upstream's reconcile then fails and retries).
ChildJobs ClassifyChildJobs(const JobSet& js, const std::vector<BatchJobPtr>& owned,
                            std::string* error);

// The Job's True Failed condition, or null (findJobFailureCondition).
const BatchJobCondition* FindJobFailureCondition(const BatchJob& job);

// The earliest-failed Job by its Failed condition's transition time
// (findFirstFailedJob); null when none.
BatchJobPtr FindFirstFailedJob(const std::vector<BatchJobPtr>& failed);

// `message (first failed job: <job>)` (messageWithFirstFailedJob).
std::string MessageWithFirstFailedJob(const std::string& message, const std::string& job);

}  // namespace ptsim
