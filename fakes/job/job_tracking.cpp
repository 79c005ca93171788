// Status tracking of the Job controller (pkg/controller/job/job_controller.go
// trackJobStatusAndRemoveFinalizers, flushUncountedAndRemoveFinalizers,
// enactJobFinished, recordJobFinished): newly finished pods are first
// recorded in status.uncountedTerminatedPods, then their finalizers are
// removed, then they move into succeeded/failed. A Job that failed or met its
// success criteria gets the interim FailureTarget/SuccessCriteriaMet
// condition, and Failed/Complete only once nothing is uncounted or terminating.
#include <fmt/format.h>

#include <algorithm>

#include "fakes/job/indexed_job_utils.hpp"
#include "fakes/job/job_conditions.hpp"
#include "fakes/job/job_controller.hpp"
#include "fakes/job/pod_failure_policy.hpp"

namespace ptsim {

void JobController::RemoveTrackingFinalizer(const Pod& pod) {
  api_.collection<Pod>().Mutate(pod.metadata.namespace_, pod.metadata.name, [](Pod& p) {
    std::erase(p.metadata.finalizers, std::string(kJobTrackingFinalizer));
  });
}

void JobController::TrackStatus(SyncContext& ctx, std::int32_t active) {
  BatchJob& job = ctx.job;
  const Time now = api_.loop().Now();
  const bool indexed = job.spec.completion_mode.value_or("NonIndexed") == "Indexed";
  const PodFailurePolicy* policy =
      job.spec.pod_failure_policy ? &*job.spec.pod_failure_policy : nullptr;
  UncountedTerminatedPods uncounted =
      job.status.uncounted_terminated_pods.value_or(UncountedTerminatedPods{});
  std::vector<PodPtr> release;  // pods whose finalizer goes
  for (const auto& p : ctx.new_succeeded) {
    uncounted.succeeded.push_back(p->metadata.uid);
    release.push_back(p);
  }
  for (const auto& p : ctx.new_failed) {
    // An Ignore-matched failure is not counted, only released.
    if (MatchPodFailurePolicy(policy, *p).count_failed) uncounted.failed.push_back(p->metadata.uid);
    release.push_back(p);
  }
  // The interim condition is written before the finalizers are removed.
  if (ctx.finished && ctx.finished->type == "FailureTarget") {
    if (!FindJobCondition(job.status.conditions, "FailureTarget")) {
      job.status.conditions.push_back(*ctx.finished);
    }
    ctx.finished =
        NewJobCondition("Failed", "True", ctx.finished->reason, ctx.finished->message, now);
  } else if (ctx.finished && ctx.finished->type == "SuccessCriteriaMet") {
    if (!FindJobCondition(job.status.conditions, "SuccessCriteriaMet")) {
      job.status.conditions.push_back(*ctx.finished);
    }
    ctx.finished =
        NewJobCondition("Complete", "True", ctx.finished->reason, ctx.finished->message, now);
  }
  job.status.active = active;
  job.status.ready = std::max(ctx.ready, 0);
  job.status.terminating = ctx.terminating;
  if (indexed) {
    job.status.completed_indexes = FormatIndexes(ctx.succeeded_indexes);
    if (job.spec.backoff_limit_per_index)
      job.status.failed_indexes = FormatIndexes(ctx.failed_indexes);
  }
  const bool has_uncounted = !uncounted.succeeded.empty() || !uncounted.failed.empty();
  auto write = [&] {
    api_.collection<BatchJob>().Mutate(job.metadata.namespace_, job.metadata.name,
                                       [&](BatchJob& stored) { stored.status = job.status; });
  };
  if (has_uncounted) {
    // 1. Record the pods as uncounted, 2. release them, 3. count them.
    job.status.uncounted_terminated_pods = uncounted;
    write();
    for (const auto& p : release)
      RemoveTrackingFinalizer(*p);
    if (!indexed) job.status.succeeded += static_cast<std::int32_t>(uncounted.succeeded.size());
    job.status.failed += static_cast<std::int32_t>(uncounted.failed.size());
  } else {
    for (const auto& p : release)
      RemoveTrackingFinalizer(*p);
  }
  if (indexed) job.status.succeeded = static_cast<std::int32_t>(ctx.succeeded_indexes.size());
  job.status.uncounted_terminated_pods = UncountedTerminatedPods{};
  backoff_[job.metadata.uid] = ctx.backoff;
  // enactJobFinished: terminal only when no pod is left terminating.
  bool finished = false;
  if (ctx.finished && ctx.terminating == 0) {
    EnsureJobConditionStatus(&job.status.conditions, ctx.finished->type, "True",
                             ctx.finished->reason, ctx.finished->message, now);
    if (ctx.finished->type == "Complete") job.status.completion_time = now;
    finished = true;
  }
  auto stored = api_.collection<BatchJob>().Get(job.metadata.namespace_, job.metadata.name);
  if (stored && !(stored->status == job.status)) write();
  if (finished) {
    if (ctx.finished->type == "Complete") {
      Event(job, "Normal", "Completed", "Job completed");
    } else {
      Event(job, "Warning", ctx.finished->reason, ctx.finished->message);
    }
  }
}

}  // namespace ptsim
