// JobController.ReconcilePods (training-operator pkg/controller.v1/common/pod.go):
// one replica type's pods, created, restarted or failed by its restart policy.

#include "fakes/operator/pytorchjob_controller.hpp"

#include <fmt/format.h>

#include "fakes/operator/job_conditions.hpp"
#include "fakes/operator/job_naming.hpp"
#include "sim/model/label_selector.hpp"

namespace ptsim {
namespace {

std::string Quote(const std::string& s) {
  return "\"" + s + "\"";
}  // Go %q for plain names

}  // namespace

std::optional<std::string> PyTorchJobController::ReconcilePods(const PyTorchJob& job,
                                                               JobStatus* status,
                                                               const std::vector<PodPtr>& all_pods,
                                                               const std::string& rtype,
                                                               const ReplicaSpec& spec) {
  const std::string rt = ToLower(rtype);
  const std::vector<PodPtr> pods = FilterPodsForReplicaType(all_pods, rt);
  const int num_replicas = spec.replicas.value_or(1);
  // initializeReplicaStatuses: the counts are recomputed from scratch.
  status->replica_statuses[rtype] = ReplicaStatus{};
  // GetPodSlices: size = max(highest index + 1, replicas), at least 1.
  const int size = CalculatePodSliceSize(pods, num_replicas);
  std::vector<std::vector<PodPtr>> slices(static_cast<std::size_t>(size));
  for (const auto& p : pods) {
    const auto index = ReplicaIndex(p->metadata.labels);
    if (index && *index >= 0 && *index < size)
      slices[static_cast<std::size_t>(*index)].push_back(p);
  }
  const Time now = api_.loop().Now();
  for (int index = 0; index < size; ++index) {
    const auto& slice = slices[static_cast<std::size_t>(index)];
    if (slice.size() > 1) {
      Trace(fmt::format("We have too many pods for {} {}", rt, index));
      continue;
    }
    if (slice.empty()) {
      if (index < num_replicas) {
        if (auto err = CreateNewPod(job, rtype, index, spec)) return err;
      } else if (options_.profile.zero_replicas_churn) {
        // Upstream creates a pod for every empty slot, even one at or beyond
        // `replicas` (a slot below a higher surviving index, or slot 0 when
        // replicas is 0), and deletes it again on the next reconcile: the
        // create/delete loop of kubeflow/trainer#1709, which ends only when
        // the job finishes. Its writes are paced by the client's rate limit.
        NoteChurn(job, GenGeneralName(job.metadata.name, rtype, index), num_replicas);
        if (ChurnWrite(job)) {
          if (auto err = CreateNewPod(job, rtype, index, spec)) return err;
        }
      } else {
        // v1.9+ rejects replicas 0 at the webhook; the fixed profile leaves
        // such a slot empty (a gap below a surviving higher index) and says so.
        NoteChurn(job, GenGeneralName(job.metadata.name, rtype, index), num_replicas);
      }
      continue;
    }
    const Pod& pod = *slice.front();
    // Scale down: the index is out of range.
    if (index >= num_replicas && (!options_.profile.zero_replicas_churn ||
                                  pod.metadata.deletion_timestamp || ChurnWrite(job))) {
      DeletePod(job, pod.metadata.namespace_, pod.metadata.name);
    }
    // The exit code of the pytorch container, or the 0xbeef sentinel.
    std::int32_t exit_code = 0xbeef;
    for (const auto& s : pod.status.container_statuses) {
      if (s.name == kPyTorchJobDefaultContainerName && s.state.terminated) {
        exit_code = s.state.terminated->exit_code;
        Event(job, "Normal", "ExitedWithCode",
              fmt::format("Pod: {}.{} exited with code {}", pod.metadata.namespace_,
                          pod.metadata.name, exit_code));
      }
    }
    if (pod.status.phase == "Failed") {
      const bool retryable = spec.restart_policy == "ExitCode" && IsRetryableExitCode(exit_code);
      if (retryable || spec.restart_policy == "OnFailure" || spec.restart_policy == "Always") {
        // The restart branch: delete the pod; the next reconcile recreates it.
        DeletePod(job, pod.metadata.namespace_, pod.metadata.name);
        const std::string msg = fmt::format("job {} is restarting because {} replica(s) failed.",
                                            job.metadata.name, rtype);
        Event(job, "Warning", JobReason("Restarting"), msg);
        UpdateJobConditions(status, "Restarting", "True", JobReason("Restarting"), msg, now);
        if (spec.restart_policy == "ExitCode") {
          ++exit_code_restarts_[job.metadata.uid];
          if (job.spec.run_policy.backoff_limit && !options_.profile.exit_code_counts_backoff) {
            notes_.AddOnce(now,
                           fmt::format("PyTorchJob {}: pods recreated under restartPolicy ExitCode "
                                       "are not counted toward backoffLimit {}, so retryable "
                                       "failures are retried forever",
                                       job.metadata.name, *job.spec.run_policy.backoff_limit),
                           "kubeflow/trainer#2045");
          }
        }
      } else if (spec.restart_policy == "ExitCode") {
        if (options_.profile.exit_code_permanent_fails_job) {
          // The permanent branch (v1.8+): a non-retryable exit code fails the job.
          const std::string msg = fmt::format("job {} is failing because {} replica(s) failed.",
                                              Quote(job.metadata.name), Quote(rtype));
          Event(job, "Warning", JobReason("Failed"), msg);
          UpdateJobConditions(status, "Failed", "True", JobReason("Failed"), msg, now);
          if (options_.profile.exit_code_sets_completion) {
            if (!status->completion_time) status->completion_time = now;
          }
        } else {
          notes_.AddOnce(now,
                         fmt::format("PyTorchJob {}: {} exited with the non-retryable code {} "
                                     "under restartPolicy ExitCode, but v1.7 has no branch for it: "
                                     "the job stays Restarting forever",
                                     job.metadata.name, pod.metadata.name, exit_code),
                         "kubeflow/trainer#2044");
        }
      }
    }
    // updateJobReplicaStatuses
    ReplicaStatus& rs = status->replica_statuses[rtype];
    if (pod.status.phase == "Running") {
      if (pod.metadata.deletion_timestamp) {
        rs.failed++;  // terminating pods count as failed
      } else {
        rs.active++;
      }
    } else if (pod.status.phase == "Succeeded") {
      rs.succeeded++;
    } else if (pod.status.phase == "Failed") {
      rs.failed++;
    }
  }
  return std::nullopt;
}

std::vector<PodPtr> PyTorchJobController::PodsForJob(const PyTorchJob& job) const {
  std::vector<PodPtr> out;
  for (const auto& p : api_.collection<Pod>().List(
           job.metadata.namespace_, LabelSelector::FromLabels(GenLabels(job.metadata.name)))) {
    if (p->metadata.IsControlledBy(job.metadata.uid)) out.push_back(p);
  }
  return out;
}

}  // namespace ptsim
