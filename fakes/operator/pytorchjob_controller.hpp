// The PyTorchJob controller of the Kubeflow training-operator, emulated
// (pkg/controller.v1/pytorch/pytorchjob_controller.go with the generic loop of
// pkg/controller.v1/common/{job,pod,service}.go; the rules, section by section,
// in docs/upstream/training-operator.md). It watches PyTorchJobs and the pods
// and services they control, reconciles through a controller-runtime-like work
// queue (deduplicated keys, RequeueAfter, rate-limited retries on error, a 10h
// resync), and writes only job status and the objects it owns. The reconcile
// code is a commented ladder mirroring the upstream functions, one reason per
// branch, in files named after upstream's (docs/ARCHITECTURE.md#the-operator).
//
// Version differences come from an OperatorProfile. Where a run passes through
// a known upstream bug, a Note is added with the upstream issue. Loop thread
// only.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "fakes/apiserver/api_server.hpp"
#include "fakes/operator/client_rate_limiter.hpp"
#include "fakes/operator/job_policies.hpp"
#include "fakes/operator/operator_profile.hpp"
#include "sim/core/diagnostics.hpp"
#include "sim/core/notes.hpp"
#include "sim/model/hpa.hpp"
#include "sim/model/pytorchjob.hpp"
#include "sim/model/service.hpp"

namespace ptsim {

class PyTorchJobController {
 public:
  struct Options {
    OperatorProfile profile;
    std::string init_container_image = "alpine:3.10";
    int init_container_max_tries = 100;
    // controller-runtime's default SyncPeriod: every job is reconciled again this often.
    Duration resync_period = std::chrono::hours(10);
    // Applies SetDefaults_PyTorchJob to a copy (sim/model/pytorchjob_defaults).
    std::function<PyTorchJob(const PyTorchJob&)> set_defaults;
    // v1.7.0 validates in the controller: returns the messages of
    // ValidateV1PyTorchJobSpec, empty when valid.
    std::function<std::vector<std::string>(const PyTorchJob&)> validate_in_controller;
  };

  PyTorchJobController(ApiServer& api, Notes& notes, Options options);
  PyTorchJobController(const PyTorchJobController&) = delete;
  PyTorchJobController& operator=(const PyTorchJobController&) = delete;

  const OperatorProfile& profile() const { return options_.profile; }
  std::uint64_t reconciles() const { return reconciles_; }
  // Whether the job's cleanup is complete: finished, its pods cleaned per
  // policy, and its TTL deletion done or impossible.
  bool Settled(const std::string& ns, const std::string& name) const;

 private:
  using Key = std::pair<std::string, std::string>;

  // The work queue (controller-runtime semantics on one thread).
  void Enqueue(const Key& key);
  void EnqueueAfter(const Key& key, Duration delay);
  void EnqueueRateLimited(const Key& key);
  void Process(const Key& key);
  void Resync();

  // Reconcile and the generic job loop.
  struct Outcome {
    std::optional<std::string> error;
    std::optional<Duration> requeue_after;
  };
  Outcome Reconcile(const Key& key);
  std::optional<std::string> ReconcileHpa(const PyTorchJob& job);
  std::optional<std::string> ReconcileJobs(const PyTorchJob& job, JobStatus status);
  std::optional<std::string> ReconcilePods(const PyTorchJob& job, JobStatus* status,
                                           const std::vector<PodPtr>& pods,
                                           const std::string& rtype, const ReplicaSpec& spec);
  std::optional<std::string> ReconcileServices(
      const PyTorchJob& job, const std::vector<std::shared_ptr<const Service>>& services,
      const std::string& rtype, const ReplicaSpec& spec);
  void UpdateJobStatus(const PyTorchJob& job, JobStatus* status);
  std::optional<std::string> CleanUpResources(const PyTorchJob& job, const JobStatus& status,
                                              const std::vector<PodPtr>& pods);
  std::optional<std::string> DeletePodsAndServices(const PyTorchJob& job, const JobStatus& status,
                                                   const std::vector<PodPtr>& pods);
  std::optional<std::string> CleanupJob(const PyTorchJob& job, const JobStatus& status);
  void WriteStatus(const PyTorchJob& job, const JobStatus& status);

  // Object control (pkg/controller.v1/control).
  std::optional<std::string> CreateNewPod(const PyTorchJob& job, const std::string& rtype,
                                          int index, const ReplicaSpec& spec);
  std::optional<std::string> CreateNewService(const PyTorchJob& job, const std::string& rtype,
                                              int index, const ReplicaSpec& spec);
  void DeletePod(const PyTorchJob& job, const std::string& ns, const std::string& name);
  void DeleteService(const PyTorchJob& job, const std::string& ns, const std::string& name);
  void RecordAbnormalPods(const PyTorchJob& job, const std::vector<PodPtr>& active);

  std::vector<PodPtr> PodsForJob(const PyTorchJob& job) const;
  std::vector<std::shared_ptr<const Service>> ServicesForJob(const PyTorchJob& job) const;
  void Event(const PyTorchJob& job, const std::string& type, const std::string& reason,
             const std::string& message);
  void Trace(const std::string& text);
  void WatchDeadline(const PyTorchJob& job, Time start);
  void NoteChurn(const PyTorchJob& job, const std::string& pod, int replicas);
  // A write of the loop of kubeflow/trainer#1709 may go now (a token taken);
  // false: none is free, and the job is requeued for when one is.
  bool ChurnWrite(const PyTorchJob& job);

  ApiServer& api_;
  Notes& notes_;
  Options options_;
  std::set<Key> queued_;
  std::map<Key, int> failures_;  // for the rate limiter
  std::map<Key, EventLoop::TimerId> delayed_;
  std::map<std::string, Time> created_;            // job uid -> when the create event was seen
  std::map<std::string, int> exit_code_restarts_;  // job uid -> ExitCode recreations
  std::map<std::string, EventLoop::TimerId> deadline_watches_;  // job uid -> note timer
  std::uint64_t reconciles_ = 0;
  ClientRateLimiter churn_limiter_;
};

}  // namespace ptsim
