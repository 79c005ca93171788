// The Kubernetes Job controller (kube-controller-manager's
// pkg/controller/job/job_controller.go, 1.33–1.35 with JobSuccessPolicy,
// JobBackoffLimitPerIndex, JobPodReplacementPolicy and JobManagedBy on),
// emulated. It watches batch/v1 Jobs and the pods they control, and syncs a
// Job through a deduplicating work queue in virtual time: it creates pods
// (Indexed or NonIndexed, each with the batch.kubernetes.io/job-tracking
// finalizer), counts finished pods through status.uncountedTerminatedPods
// before removing their finalizers, applies the backoff, podFailurePolicy,
// successPolicy, backoffLimitPerIndex, activeDeadlineSeconds and suspend,
// and writes the interim FailureTarget / SuccessCriteriaMet condition first
// and Failed / Complete only once no pod is terminating. docs/batch-job.md
// says what is modelled. Loop thread only.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "fakes/apiserver/api_server.hpp"
#include "fakes/job/backoff.hpp"
#include "sim/model/batch_job.hpp"
#include "sim/model/job_indexes.hpp"

namespace ptsim {

class JobController {
 public:
  struct Options {
    Duration default_backoff = kDefaultJobPodFailureBackOff;
    Duration max_backoff = kMaxJobPodFailureBackOff;
  };

  JobController(ApiServer& api, Options options);
  explicit JobController(ApiServer& api) : JobController(api, Options{}) {}
  JobController(const JobController&) = delete;
  JobController& operator=(const JobController&) = delete;

  std::uint64_t syncs() const { return syncs_; }

 private:
  using Key = std::pair<std::string, std::string>;
  using PodPtr = std::shared_ptr<const Pod>;

  // What one sync knows (upstream's syncJobCtx).
  struct SyncContext {
    BatchJob job;  // the copy whose status is written
    std::vector<PodPtr> pods;
    std::vector<PodPtr> active_pods;
    std::vector<PodPtr> new_succeeded;
    std::vector<PodPtr> new_failed;  // every newly failed pod, Ignore-matched ones included
    std::int32_t succeeded = 0;
    std::int32_t failed = 0;
    std::int32_t terminating = 0;
    std::int32_t ready = 0;
    std::set<std::int32_t> succeeded_indexes;
    std::set<std::int32_t> failed_indexes;
    std::optional<BatchJobCondition> finished;
    BackoffRecord backoff;
  };

  void Enqueue(const Key& key);
  void EnqueueAfter(const Key& key, Duration delay);
  void SyncJob(const Key& key);

  // job_controller.cpp: the sync ladder.
  void DecideFinished(SyncContext& ctx);
  void CalculateIndexes(SyncContext& ctx);
  // job_pods.cpp: manageJob and pod control.
  std::int32_t ManageJob(SyncContext& ctx, std::int32_t active);
  std::int32_t DeleteActivePods(SyncContext& ctx, bool remove_finalizers,
                                const std::vector<PodPtr>& pods);
  void CreatePod(const BatchJob& job, std::optional<std::int32_t> index, const SyncContext& ctx);
  // job_tracking.cpp: trackJobStatusAndRemoveFinalizers and enactJobFinished.
  void TrackStatus(SyncContext& ctx, std::int32_t active);
  void RemoveTrackingFinalizer(const Pod& pod);
  bool IsPodFailed(const Pod& pod, const BatchJob& job) const;
  std::vector<PodPtr> PodsForJob(const BatchJob& job) const;
  void Event(const BatchJob& job, const std::string& type, const std::string& reason,
             const std::string& message);

  ApiServer& api_;
  Options options_;
  std::set<Key> queued_;
  std::map<Key, EventLoop::TimerId> delayed_;
  std::map<std::string, BackoffRecord> backoff_;  // by job uid
  std::uint64_t syncs_ = 0;
};

}  // namespace ptsim
