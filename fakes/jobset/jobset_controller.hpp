// The JobSet controller of kubernetes-sigs/jobset v0.12.0, emulated
// (pkg/controllers/jobset_controller.go Reconcile with failure_policy.go,
// success_policy.go, startup_policy.go, depends_on.go, ttl_after_finished.go;
// the rules in docs/jobset.md). It watches JobSets and the Jobs and Services
// they control, reconciles through a controller-runtime-like work queue
// (deduplicated keys, RequeueAfter, rate-limited retries on error) in virtual
// time, and writes only JobSet status and the objects it owns. A reconcile
// collects status changes and events; the status is written once at the end
// and the events are recorded only after that write. The RestartJob,
// InPlaceRestart and ElasticJobSet gates are off. Loop thread only.
//
// REQUIRES: JobSets are stored defaulted (SetDefaults_JobSet on create, as
// the mutating webhook does).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "fakes/apiserver/api_server.hpp"
#include "fakes/jobset/child_jobs.hpp"
#include "fakes/jobset/jobset_conditions.hpp"
#include "sim/model/jobset.hpp"

namespace ptsim {

inline constexpr const char* kJobSetControllerSource = "jobset-controller";

class JobSetController {
 public:
  explicit JobSetController(ApiServer& api);
  JobSetController(const JobSetController&) = delete;
  JobSetController& operator=(const JobSetController&) = delete;

  std::uint64_t reconciles() const { return reconciles_; }
  // Whether the JobSet is done with: gone, or finished with no Job left
  // active and no TTL deletion pending.
  bool Settled(const std::string& ns, const std::string& name) const;

 private:
  using Key = std::pair<std::string, std::string>;
  struct Outcome {
    std::optional<std::string> error;
    std::optional<Duration> requeue_after;
  };

  void Enqueue(const Key& key);
  void EnqueueAfter(const Key& key, Duration delay);
  void EnqueueRateLimited(const Key& key);
  void Process(const Key& key);

  Outcome Reconcile(const Key& key);
  Outcome ReconcileStatus(JobSet* js, StatusUpdate* update);
  std::vector<BatchJobPtr> OwnedJobs(const JobSet& js) const;
  void DeleteJobs(const std::vector<BatchJobPtr>& jobs);
  std::optional<std::string> CreateHeadlessService(const JobSet& js);
  std::optional<std::string> ReconcileReplicatedJobs(
      JobSet* js, const ChildJobs& owned, const std::vector<ReplicatedJobStatus>& statuses,
      StatusUpdate* update);
  void SuspendJobs(JobSet* js, const ChildJobs& owned, StatusUpdate* update);
  void ResumeJobsIfNecessary(JobSet* js, const ChildJobs& owned,
                             const std::vector<ReplicatedJobStatus>& statuses,
                             StatusUpdate* update);
  void ResumeJob(const JobSet& js, const BatchJob& job);
  void WriteStatus(const JobSet& js, const StatusUpdate& update);
  void Event(const JobSet& js, const std::string& type, const std::string& reason,
             const std::string& message);
  void Trace(const std::string& text);

  ApiServer& api_;
  std::set<Key> queued_;
  std::map<Key, int> failures_;
  std::map<Key, EventLoop::TimerId> delayed_;
  std::uint64_t reconciles_ = 0;
};

}  // namespace ptsim
