// JobController.ReconcileJobs and the clean-up of a finished job
// (training-operator pkg/controller.v1/common/job.go; RecordAbnormalPods from
// pkg/core/job.go).

#include "fakes/operator/pytorchjob_controller.hpp"

#include <fmt/format.h>
#include <algorithm>

#include "fakes/operator/job_conditions.hpp"

namespace ptsim {

std::optional<std::string> PyTorchJobController::ReconcileJobs(const PyTorchJob& job,
                                                               JobStatus status) {
  const RunPolicy& policy = job.spec.run_policy;
  const ReplicaSpecs& replicas = *job.spec.pytorch_replica_specs;
  const std::string& name = job.metadata.name;
  const OperatorProfile& profile = options_.profile;
  const Time now = api_.loop().Now();
  const std::vector<PodPtr> pods = PodsForJob(job);
  const auto services = ServicesForJob(job);
  const JobStatus old = status;

  // 1. A finished job: clean up by cleanPodPolicy and the TTL, nothing else.
  if (IsFinished(status)) {
    if (auto err = CleanUpResources(job, status, pods)) return err;
    // A succeeded job reports still-active replicas as succeeded.
    if (IsSucceeded(status)) {
      for (auto& [rtype, rs] : status.replica_statuses) {
        rs.succeeded += rs.active;
        rs.active = 0;
      }
    }
    if (old != status) WriteStatus(job, status);
    return std::nullopt;
  }

  // 2. A suspended job: delete everything, whatever the cleanPodPolicy.
  if (IsJobSuspended(&policy)) {
    if (auto err = CleanUpResources(job, status, pods)) return err;
    for (auto& [rtype, rs] : status.replica_statuses)
      rs.active = 0;
    const std::string msg = fmt::format("PyTorchJob {} is suspended.", name);
    if (IsRunning(status))
      UpdateJobConditions(&status, "Running", "False", JobReason("Suspended"), msg, now);
    if (!IsSuspended(status)) {
      UpdateJobConditions(&status, "Suspended", "True", JobReason("Suspended"), msg, now);
    }
    Event(job, "Normal", JobReason("Suspended"), msg);
    if (old != status) WriteStatus(job, status);
    return std::nullopt;
  }

  // 3. Resumed: Suspended turns False and startTime restarts now.
  if (IsSuspended(status)) {
    const std::string msg = fmt::format("PyTorchJob {} is resumed.", name);
    UpdateJobConditions(&status, "Suspended", "False", JobReason("Resumed"), msg, now);
    status.start_time = now;
    Event(job, "Normal", JobReason("Resumed"), msg);
    // Upstream schedules nothing here; note a deadline that passes unchecked.
    if (policy.active_deadline_seconds && !profile.deadline_timer) WatchDeadline(job, now);
  }

  // 4. backoffLimit and activeDeadlineSeconds. The work queue's NumRequeues is
  //    always 0 (FakeWorkQueue), so exceedsBackoffLimit only matters for
  //    backoffLimit <= 0.
  const std::vector<PodPtr> active_pods = FilterActivePods(pods);
  RecordAbnormalPods(job, active_pods);
  const std::int32_t active = static_cast<std::int32_t>(active_pods.size());
  std::int32_t failed = 0;
  for (const auto& p : pods)
    failed += p->status.phase == "Failed" ? 1 : 0;
  const std::int32_t total = GetTotalReplicas(replicas);
  std::int32_t prev_failed = 0;
  for (const auto& [rtype, rs] : status.replica_statuses)
    prev_failed += rs.failed;
  bool exceeds_backoff = false;
  bool past_backoff = false;
  if (policy.backoff_limit) {
    const bool new_failure = failed > prev_failed;
    const int previous_retry = 0;
    exceeds_backoff = new_failure && active != total && previous_retry + 1 > *policy.backoff_limit;
    const int extra = profile.exit_code_counts_backoff ? exit_code_restarts_[job.metadata.uid] : 0;
    past_backoff = PastBackoffLimit(policy, replicas, pods, extra);
  }
  std::string failure_message;
  if (exceeds_backoff || past_backoff) {
    failure_message =
        fmt::format("Job {} has failed because it has reached the specified backoff limit", name);
  } else if (PastActiveDeadline(policy, status, now)) {
    failure_message =
        fmt::format("Job {} has failed because it was active longer than specified deadline", name);
  }
  if (!failure_message.empty()) {
    if (!status.completion_time) status.completion_time = now;
    if (profile.clean_pod_policy_on_limit_failure) {
      // v1.9.4 (PR #3420): the Failed condition first, so the cleanup sees a
      // finished job and honours cleanPodPolicy.
      Event(job, "Normal", JobReason("Failed"), failure_message);
      UpdateJobConditions(&status, "Failed", "True", JobReason("Failed"), failure_message, now);
      if (auto err = DeletePodsAndServices(job, status, pods)) return err;
    } else {
      // Up to v1.9.3 the pods go first, while the job is not yet finished:
      // cleanPodPolicy is ignored (kubeflow/trainer#3419).
      if (PodsToClean(policy, false, pods).size() != PodsToClean(policy, true, pods).size()) {
        notes_.Add(
            now,
            fmt::format("PyTorchJob {} failed by its {} and every pod was deleted although "
                        "cleanPodPolicy is {}: up to v1.9.3 this path ignores the policy "
                        "(fixed in v1.9.4)",
                        name,
                        exceeds_backoff || past_backoff ? "backoffLimit" : "activeDeadlineSeconds",
                        policy.clean_pod_policy.value_or("None")),
            "kubeflow/trainer#3419");
      }
      if (auto err = DeletePodsAndServices(job, status, pods)) return err;
    }
    if (auto err = CleanupJob(job, status)) return err;
    if (!profile.clean_pod_policy_on_limit_failure) {
      Event(job, "Normal", JobReason("Failed"), failure_message);
      UpdateJobConditions(&status, "Failed", "True", JobReason("Failed"), failure_message, now);
    }
    Trace(fmt::format("{}/{}: {}", job.metadata.namespace_, name, failure_message));
    WriteStatus(job, status);
    return std::nullopt;
  }

  // 5. Diff pods and services against the replica specs (gang scheduling is
  //    off, as in the operator's default configuration).
  for (const auto& [rtype, spec] : replicas) {
    if (auto err = ReconcilePods(job, &status, pods, rtype, spec)) return err;
    if (auto err = ReconcileServices(job, services, rtype, spec)) return err;
  }
  UpdateJobStatus(job, &status);
  if (old != status) WriteStatus(job, status);
  // The `fixed` profile wakes the job when its deadline passes, from whatever
  // startTime is now (also after a resume), as batch/v1 Job's controller does;
  // upstream relies on the no-op FakeWorkQueue.AddAfter (kubeflow/trainer#3358).
  if (profile.deadline_timer && policy.active_deadline_seconds && status.start_time &&
      !IsFinished(status)) {
    const Time deadline =
        *status.start_time + std::chrono::seconds(*policy.active_deadline_seconds);
    EnqueueAfter({job.metadata.namespace_, name}, std::max(deadline - now, Duration{0}));
  }
  return std::nullopt;
}

std::optional<std::string> PyTorchJobController::CleanUpResources(const PyTorchJob& job,
                                                                  const JobStatus& status,
                                                                  const std::vector<PodPtr>& pods) {
  if (auto err = DeletePodsAndServices(job, status, pods)) return err;
  // v1.8.1+ skips the TTL while suspended.
  if (options_.profile.ttl_skips_suspended && IsJobSuspended(&job.spec.run_policy)) {
    return std::nullopt;
  }
  return CleanupJob(job, status);
}

std::optional<std::string> PyTorchJobController::DeletePodsAndServices(
    const PyTorchJob& job, const JobStatus& status, const std::vector<PodPtr>& pods) {
  for (const auto& pod : PodsToClean(job.spec.run_policy, IsFinished(status), pods)) {
    DeletePod(job, pod->metadata.namespace_, pod->metadata.name);
    // Pod and service share a name.
    DeleteService(job, pod->metadata.namespace_, pod->metadata.name);
  }
  return std::nullopt;
}

// CleanupJob: the TTL after completion.
std::optional<std::string> PyTorchJobController::CleanupJob(const PyTorchJob& job,
                                                            const JobStatus& status) {
  const auto& ttl = job.spec.run_policy.ttl_seconds_after_finished;
  if (!ttl) return std::nullopt;
  if (!status.completion_time) {
    notes_.AddOnce(api_.loop().Now(),
                   fmt::format("PyTorchJob {} has ttlSecondsAfterFinished but no completionTime, "
                               "so the operator can never delete it (it fails every reconcile "
                               "with \"job completion time is nil, cannot cleanup\")",
                               job.metadata.name),
                   "docs/upstream/training-operator.md#no-completiontime-on-exitcode-failures");
    return std::string("job completion time is nil, cannot cleanup");
  }
  const Time now = api_.loop().Now();
  const Time expire = *status.completion_time + std::chrono::seconds(*ttl);
  if (now > expire) {
    api_.collection<PyTorchJob>().Delete(job.metadata.namespace_, job.metadata.name);
    // sic: the reason is SuccessfulDeletePod (pytorchjob_controller.go DeleteJob).
    Event(job, "Normal", "SuccessfulDeletePod", fmt::format("Deleted job: {}", job.metadata.name));
    Trace(fmt::format("TTL: delete PyTorchJob {}/{}", job.metadata.namespace_, job.metadata.name));
  }
  // Otherwise jc.WorkQueue.AddAfter: a no-op on the FakeWorkQueue; the
  // RequeueAfter of Reconcile brings the job back.
  return std::nullopt;
}

// pkg/core/job.go RecordAbnormalPods: warnings for active pods that look unwell.
void PyTorchJobController::RecordAbnormalPods(const PyTorchJob& job,
                                              const std::vector<PodPtr>& active) {
  for (const auto& pod : active) {
    auto record = [&](const ContainerStatus& s) {
      if (s.state.terminated && s.state.terminated->exit_code != 0) {
        Event(job, "Warning", s.state.terminated->reason,
              fmt::format("Error pod {} container {} exitCode: {} terminated message: {}",
                          pod->metadata.name, s.name, s.state.terminated->exit_code,
                          s.state.terminated->message));
      }
      if (s.state.waiting && !s.state.waiting->message.empty()) {
        Event(job, "Warning", s.state.waiting->reason,
              fmt::format("Error pod {} container {} waiting message: {}", pod->metadata.name,
                          s.name, s.state.waiting->message));
      }
    };
    if (!pod->status.container_statuses.empty()) {
      for (const auto& s : pod->status.container_statuses)
        record(s);
      continue;
    }
    if (!pod->status.init_container_statuses.empty()) {
      for (const auto& s : pod->status.init_container_statuses)
        record(s);
      continue;
    }
    if (pod->status.conditions.empty()) continue;
    const PodCondition* latest = &pod->status.conditions.front();
    for (const auto& c : pod->status.conditions) {
      if (c.last_transition_time > latest->last_transition_time) latest = &c;
    }
    if (latest->status == "True") continue;
    Event(job, "Warning", latest->reason,
          fmt::format("Error pod {} condition message: {}", pod->metadata.name, latest->message));
  }
}

}  // namespace ptsim
