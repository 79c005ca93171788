#include "fakes/operator/pytorchjob_controller.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "fakes/operator/job_conditions.hpp"
#include "fakes/operator/job_naming.hpp"
#include "fakes/operator/pod_env.hpp"
#include "sim/model/label_selector.hpp"

namespace ptsim {
namespace {

bool SameStatus(const JobStatus& a, const JobStatus& b) {
  return a == b;
}

std::string Quote(const std::string& s) {
  return "\"" + s + "\"";
}  // Go %q for plain names

}  // namespace

PyTorchJobController::PyTorchJobController(ApiServer& api, Notes& notes, Options options)
    : api_(api), notes_(notes), options_(std::move(options)) {
  // SetupWithManager: watch jobs (with the create predicate), and the pods and
  // services whose controller owner is a PyTorchJob.
  api_.collection<PyTorchJob>().Watch([this](const WatchEvent<PyTorchJob>& e) {
    const Key key{e.object->metadata.namespace_, e.object->metadata.name};
    if (e.type == WatchEventType::kAdded) {
      // onOwnerCreateFunc adds the Created condition to the informer's copy;
      // it is persisted by the first status write.
      created_.emplace(e.object->metadata.uid, api_.loop().Now());
    }
    if (e.type == WatchEventType::kDeleted) {
      created_.erase(e.object->metadata.uid);
      return;
    }
    Enqueue(key);
  });
  auto owner_key = [](const ObjectMeta& m) -> std::optional<Key> {
    const OwnerReference* ref = m.ControllerRef();
    if (ref == nullptr || ref->kind != PyTorchJob::kKind) return std::nullopt;
    return Key{m.namespace_, ref->name};
  };
  api_.collection<Pod>().Watch([this, owner_key](const WatchEvent<Pod>& e) {
    if (auto key = owner_key(e.object->metadata)) Enqueue(*key);
  });
  api_.collection<Service>().Watch([this, owner_key](const WatchEvent<Service>& e) {
    if (auto key = owner_key(e.object->metadata)) Enqueue(*key);
  });
  api_.loop().After(options_.resync_period, [this] { Resync(); });
}

// ---------------------------------------------------------------------------
// The work queue: a key is queued at most once; a reconcile's result decides
// what happens next (controller-runtime reconcileHandler).

void PyTorchJobController::Enqueue(const Key& key) {
  if (!queued_.insert(key).second) return;
  api_.loop().Post([this, key] {
    queued_.erase(key);
    Process(key);
  });
}

// workqueue.AddAfter: a key waits at most once; a new AddAfter only moves its
// ready time earlier (client-go util/workqueue/delaying_queue.go insert).
void PyTorchJobController::EnqueueAfter(const Key& key, Duration delay) {
  if (delay <= Duration{0}) {
    Enqueue(key);
    return;
  }
  auto& timer = delayed_[key];
  const Time at = api_.loop().Now() + delay;
  if (timer && timer.at <= at) return;
  api_.loop().Cancel(timer);
  timer = api_.loop().At(at, [this, key] {
    delayed_.erase(key);
    Enqueue(key);
  });
}

void PyTorchJobController::EnqueueRateLimited(const Key& key) {
  // workqueue.DefaultControllerRateLimiter: 5ms * 2^failures, at most 1000s.
  const int n = failures_[key]++;
  Duration delay = std::chrono::milliseconds(5) * (std::int64_t{1} << std::min(n, 30));
  delay = std::min<Duration>(delay, std::chrono::seconds(1000));
  EnqueueAfter(key, delay);
}

void PyTorchJobController::Resync() {
  for (const auto& job : api_.collection<PyTorchJob>().List()) {
    Enqueue({job->metadata.namespace_, job->metadata.name});
  }
  api_.loop().After(options_.resync_period, [this] { Resync(); });
}

void PyTorchJobController::Process(const Key& key) {
  ++reconciles_;
  const Outcome out = Reconcile(key);
  if (out.error) {
    Trace(fmt::format("reconcile {}/{} failed: {}", key.first, key.second, *out.error));
    EnqueueRateLimited(key);
    return;
  }
  if (out.requeue_after) {
    if (*out.requeue_after > Duration{0}) {
      failures_.erase(key);
      EnqueueAfter(key, *out.requeue_after);
    } else {
      EnqueueRateLimited(key);  // Requeue: true with RequeueAfter 0
    }
    return;
  }
  failures_.erase(key);
}

// ---------------------------------------------------------------------------
// PyTorchJobReconciler.Reconcile

PyTorchJobController::Outcome PyTorchJobController::Reconcile(const Key& key) {
  auto stored = api_.collection<PyTorchJob>().Get(key.first, key.second);
  // The job is gone: nothing to do (client.IgnoreNotFound).
  if (!stored) return {};
  PyTorchJob job = *stored;
  const OperatorProfile& profile = options_.profile;

  // v1.9+: a job managed by another controller (managedBy set to anything but
  // kubeflow.org/training-operator, even "") is skipped entirely.
  if (profile.managed_by && job.spec.run_policy.managed_by &&
      *job.spec.run_policy.managed_by != kKubeflowJobsController) {
    Trace(fmt::format("skip {}/{}: managed by {}", key.first, key.second,
                      *job.spec.run_policy.managed_by));
    return {};
  }
  // The informer copy carries the Created condition added at creation.
  if (auto c = created_.find(job.metadata.uid);
      c != created_.end() && !HasCondition(job.status, "Created")) {
    UpdateJobConditions(&job.status, "Created", "True", JobReason("Created"),
                        fmt::format("PyTorchJob {} is created.", job.metadata.name), c->second);
  }
  // v1.7.0 validated in the controller: an invalid job gets a Warning event
  // and nothing else. Reconcile returns the validation error, so the key is
  // requeued with the rate limiter's back-off and the event repeats
  // (pytorchjob_controller.go Reconcile @v1.7.0: `return ctrl.Result{}, err`).
  if (!profile.webhook && options_.validate_in_controller) {
    auto problems = options_.validate_in_controller(job);
    if (!problems.empty()) {
      for (const auto& p : problems) {
        Event(job, "Warning", "PyTorchJobFailedValidation",
              fmt::format("PyTorchJob failed validation because {}", p));
      }
      return {problems.front(), std::nullopt};
    }
  }
  // A job being deleted is not reconciled.
  if (job.metadata.deletion_timestamp) return {};

  // Defaults are applied in memory only (r.Scheme.Default); the stored spec
  // never changes.
  const JobStatus status_at_start = job.status;
  JobStatus status = job.status;
  PyTorchJob defaulted = options_.set_defaults ? options_.set_defaults(job) : job;
  defaulted.status = status;

  if (auto err = ReconcileHpa(defaulted)) return {err, std::nullopt};
  if (auto err = ReconcileJobs(defaulted, status)) return {err, std::nullopt};

  // The TTL timer: computed from the status as read at the start.
  auto t = DurationUntilExpireTime(defaulted.spec.run_policy, status_at_start, api_.loop().Now());
  if (!t) return {std::string("job completion time is nil, cannot cleanup"), std::nullopt};
  if (*t >= Duration{0}) return {std::nullopt, *t};
  return {};
}

// ---------------------------------------------------------------------------
// ReconcileHPA (pkg/controller.v1/pytorch/hpa.go)

std::optional<std::string> PyTorchJobController::ReconcileHpa(const PyTorchJob& job) {
  const auto& e = job.spec.elastic_policy;
  if (!e || !e->metrics) return std::nullopt;  // "No ElasicPolicy or Metric is specified"
  auto& hpas = api_.collection<HorizontalPodAutoscaler>();
  const bool suspended = IsJobSuspended(&job.spec.run_policy);
  HorizontalPodAutoscaler desired;
  desired.metadata.name = job.metadata.name;
  desired.metadata.namespace_ = job.metadata.namespace_;
  desired.metadata.owner_references.push_back(GenOwnerReference(job));
  desired.spec.scale_target_ref = {PyTorchJob::kKind, job.metadata.name, PyTorchJob::kApiVersion};
  desired.spec.min_replicas = e->min_replicas;
  desired.spec.max_replicas = e->max_replicas.value_or(0);
  desired.spec.metrics = *e->metrics;
  auto current = hpas.Get(job.metadata.namespace_, job.metadata.name);
  if (!current) {
    if (!suspended) {
      hpas.Create(desired);
      Trace(fmt::format("create HorizontalPodAutoscaler {}/{}", job.metadata.namespace_,
                        job.metadata.name));
    }
    return std::nullopt;
  }
  if (suspended) {
    hpas.Delete(job.metadata.namespace_, job.metadata.name);
    return std::nullopt;
  }
  const auto& s = current->spec;
  if (s.min_replicas != desired.spec.min_replicas || s.max_replicas != desired.spec.max_replicas ||
      s.metrics != desired.spec.metrics) {
    hpas.Mutate(job.metadata.namespace_, job.metadata.name,
                [&](HorizontalPodAutoscaler& h) { h.spec = desired.spec; });
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------
// JobController.ReconcileJobs (pkg/controller.v1/common/job.go)

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
    if (!SameStatus(old, status)) WriteStatus(job, status);
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
    if (!SameStatus(old, status)) WriteStatus(job, status);
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
  if (!SameStatus(old, status)) WriteStatus(job, status);
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

// ---------------------------------------------------------------------------
// ReconcilePods (pkg/controller.v1/common/pod.go)

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

std::optional<std::string> PyTorchJobController::ReconcileServices(
    const PyTorchJob& job, const std::vector<std::shared_ptr<const Service>>& all,
    const std::string& rtype, const ReplicaSpec& spec) {
  const std::string rt = ToLower(rtype);
  const int num_replicas = spec.replicas.value_or(1);
  const auto services = FilterForReplicaType(all, rt);
  // GetServiceSlices: the same slot rule as pods.
  const int size = CalculateSliceSize(services, num_replicas);
  std::map<int, std::vector<std::shared_ptr<const Service>>> slices;
  for (const auto& s : services) {
    if (auto index = ReplicaIndex(s->metadata.labels)) slices[*index].push_back(s);
  }
  for (int index = 0; index < size; ++index) {
    auto it = slices.find(index);
    if (it != slices.end() && it->second.size() > 1) {
      Trace(fmt::format("We have too many services for {} {}", rtype, index));
    } else if (it == slices.end() || it->second.empty()) {
      // As for pods: a service for every empty slot, in the loop of #1709.
      if (index < num_replicas || (options_.profile.zero_replicas_churn && ChurnWrite(job))) {
        if (auto err = CreateNewService(job, rtype, index, spec)) return err;
      }
    } else if (index >= num_replicas &&
               (!options_.profile.zero_replicas_churn || ChurnWrite(job))) {
      DeleteService(job, it->second.front()->metadata.namespace_,
                    it->second.front()->metadata.name);
    }
  }
  return std::nullopt;
}

void PyTorchJobController::NoteChurn(const PyTorchJob& job, const std::string& pod, int replicas) {
  const std::string text =
      options_.profile.zero_replicas_churn
          ? fmt::format(
                "PyTorchJob {}: the operator creates pod {} (and its service) although "
                "its replica type has {} replica(s), deletes it at its next reconcile "
                "and creates it again, over and over until the job finishes; ptsim runs "
                "this loop at the operator's client rate limit (20 writes/s, burst 30)",
                job.metadata.name, pod, replicas)
          : fmt::format(
                "PyTorchJob {}: the operator would create pod {} although its replica "
                "type has {} replica(s), and delete it again on the next reconcile, "
                "over and over; ptsim does not create it",
                job.metadata.name, pod, replicas);
  notes_.AddOnce(api_.loop().Now(), text, "kubeflow/trainer#1709");
}

bool PyTorchJobController::ChurnWrite(const PyTorchJob& job) {
  const auto wait = churn_limiter_.TryTake(api_.loop().Now());
  if (!wait) return true;
  // The call would block in the client until a token is free: the reconcile
  // comes back then.
  EnqueueAfter({job.metadata.namespace_, job.metadata.name}, *wait);
  return false;
}

// ---------------------------------------------------------------------------
// PyTorchJobReconciler.UpdateJobStatus
// (docs/upstream/training-operator.md#success-and-failure-rules). Replica types
// are visited in sorted order (Master before Worker) where upstream uses Go's
// random map order.

void PyTorchJobController::UpdateJobStatus(const PyTorchJob& job, JobStatus* status) {
  const ReplicaSpecs& replicas = *job.spec.pytorch_replica_specs;
  const std::string& name = job.metadata.name;
  const Time now = api_.loop().Now();
  if (!status->start_time) {
    status->start_time = now;
    // r.WorkQueue.AddAfter(job, activeDeadlineSeconds): a no-op on the
    // FakeWorkQueue; the `fixed` profile enforces the deadline on time (see
    // the end of ReconcileJobs).
    if (job.spec.run_policy.active_deadline_seconds && !options_.profile.deadline_timer) {
      WatchDeadline(job, now);
    }
  }
  const bool has_master = ContainsMasterSpec(replicas);
  for (const auto& [rtype, spec] : replicas) {
    ReplicaStatus& rs = status->replica_statuses[rtype];
    rs.selector = ReplicaSelector(name, rtype);
    const std::int32_t succeeded = rs.succeeded;
    const std::int32_t running = rs.active;
    const std::int32_t failed = rs.failed;
    const std::int32_t num = spec.replicas.value_or(1);
    const std::int32_t expected = num - succeeded;
    // Part A: success and running.
    if (has_master) {
      if (rtype == kReplicaTypeMaster) {
        if (running > 0) {
          UpdateJobConditions(status, "Running", "True", JobReason("Running"),
                              fmt::format("PyTorchJob {} is running.", name), now);
        }
        if (expected == 0) {
          const std::string msg = fmt::format("PyTorchJob {} is successfully completed.", name);
          Event(job, "Normal", JobReason("Succeeded"), msg);
          if (!status->completion_time) status->completion_time = now;
          UpdateJobConditions(status, "Succeeded", "True", JobReason("Succeeded"), msg, now);
          auto worker = status->replica_statuses.find(kReplicaTypeWorker);
          if (worker != status->replica_statuses.end() && worker->second.active > 0 &&
              job.spec.run_policy.clean_pod_policy.value_or("None") == "None") {
            notes_.AddOnce(
                now,
                fmt::format("PyTorchJob {} succeeded because its Master did; {} worker "
                            "pod(s) still running are left running (cleanPodPolicy None) "
                            "and reported as succeeded",
                            name, worker->second.active),
                "docs/upstream/training-operator.md#master-success-ignores-workers");
          }
          return;  // the early exit: later replica types are skipped
        }
      }
    } else if (rtype == kReplicaTypeWorker) {
      if (expected == 0 || (job.spec.elastic_policy && succeeded > 0)) {
        const std::string msg =
            fmt::format("PyTorchJob {}/{} successfully completed.", job.metadata.namespace_, name);
        Event(job, "Normal", JobReason("Succeeded"), msg);
        if (!status->completion_time) status->completion_time = now;
        UpdateJobConditions(status, "Succeeded", "True", JobReason("Succeeded"), msg, now);
      } else if (running > 0) {
        UpdateJobConditions(
            status, "Running", "True", JobReason("Running"),
            fmt::format("PyTorchJob {}/{} is running.", job.metadata.namespace_, name), now);
      }
    }
    // Part B: failures.
    if (failed > 0 && num > succeeded + running) {
      if (spec.restart_policy != "Never") {
        const std::string msg = fmt::format(
            "PyTorchJob {} is restarting because {} {} replica(s) failed.", name, failed, rtype);
        Event(job, "Warning", JobReason("Restarting"), msg);
        UpdateJobConditions(status, "Restarting", "True", JobReason("Restarting"), msg, now);
      } else {
        const std::string msg = fmt::format(
            "PyTorchJob {} is failed because {} {} replica(s) failed.", name, failed, rtype);
        Event(job, "Normal", JobReason("Failed"), msg);
        if (!status->completion_time) status->completion_time = now;
        UpdateJobConditions(status, "Failed", "True", JobReason("Failed"), msg, now);
      }
    }
  }
}

void PyTorchJobController::WriteStatus(const PyTorchJob& job, const JobStatus& status) {
  api_.collection<PyTorchJob>().Mutate(job.metadata.namespace_, job.metadata.name,
                                       [&](PyTorchJob& j) { j.status = status; });
  std::string conditions;
  for (const auto& c : status.conditions) {
    conditions += fmt::format("{}{}={}", conditions.empty() ? "" : ",", c.type, c.status);
  }
  Trace(fmt::format("status {}/{}: {}", job.metadata.namespace_, job.metadata.name, conditions));
}

// ---------------------------------------------------------------------------
// Object control

std::optional<std::string> PyTorchJobController::CreateNewPod(const PyTorchJob& job,
                                                              const std::string& rtype, int index,
                                                              const ReplicaSpec& spec) {
  const ReplicaSpecs& replicas = *job.spec.pytorch_replica_specs;
  const std::string rt = ToLower(rtype);
  Labels labels = GenLabels(job.metadata.name);
  labels[kReplicaTypeLabel] = rt;
  labels[kReplicaIndexLabel] = std::to_string(index);
  if (IsMasterRole(replicas, rtype, index, options_.profile)) labels[kJobRoleLabel] = "master";

  Pod pod;
  pod.metadata = spec.template_.metadata;
  pod.metadata.name = GenGeneralName(job.metadata.name, rtype, index);
  pod.metadata.namespace_ = job.metadata.namespace_;
  for (const auto& [k, v] : labels)
    pod.metadata.labels[k] = v;  // the controller's labels win
  pod.spec = spec.template_.spec;
  if (auto r = SetPodEnv(job, rt, index, &pod.spec, options_.profile); !r.ok()) {
    return r.diagnostics().items().front().message;
  }
  SetInitContainer(job, rt, &pod.spec, options_.init_container_image,
                   options_.init_container_max_tries);
  if (spec.template_.spec.restart_policy_set) {
    Event(job, "Warning", options_.profile.template_restart_policy_reason,
          "Restart policy in pod template will be overwritten by restart policy in replica spec");
  }
  // core.SetRestartPolicy: ExitCode becomes Never; anything else is copied.
  pod.spec.restart_policy = spec.restart_policy == "ExitCode" ? "Never" : spec.restart_policy;
  pod.metadata.owner_references = {GenOwnerReference(job)};
  auto created = api_.collection<Pod>().Create(pod);
  if (!created.ok()) {
    const std::string err = created.diagnostics().items().front().message;
    Event(job, "Warning", "FailedCreatePod", fmt::format("Error creating: {}", err));
    return err;
  }
  Event(job, "Normal", "SuccessfulCreatePod", fmt::format("Created pod: {}", pod.metadata.name));
  Trace(fmt::format("create pod {}/{}", pod.metadata.namespace_, pod.metadata.name));
  return std::nullopt;
}

std::optional<std::string> PyTorchJobController::CreateNewService(const PyTorchJob& job,
                                                                  const std::string& rtype,
                                                                  int index,
                                                                  const ReplicaSpec& spec) {
  Service svc;
  svc.metadata.name = GenGeneralName(job.metadata.name, rtype, index);
  svc.metadata.namespace_ = job.metadata.namespace_;
  Labels labels = GenLabels(job.metadata.name);
  labels[kReplicaTypeLabel] = ToLower(rtype);
  labels[kReplicaIndexLabel] = std::to_string(index);
  svc.metadata.labels = labels;
  svc.metadata.owner_references = {GenOwnerReference(job)};
  svc.spec.cluster_ip = "None";
  svc.spec.selector = std::map<std::string, std::string>(labels.begin(), labels.end());
  bool found = false;
  for (const auto& c : spec.template_.spec.containers) {
    if (c.name != kPyTorchJobDefaultContainerName) continue;
    found = true;
    for (const auto& p : c.ports)
      svc.spec.ports.push_back({p.name, p.container_port, p.container_port, "TCP"});
  }
  if (!found) {
    Event(job, "Warning", "FailedCreateService", "Error creating: failed to find the port");
    return std::string("failed to find the port");
  }
  // Ports come from a Go map upstream (unstable order); ptsim sorts them by name.
  std::sort(svc.spec.ports.begin(), svc.spec.ports.end(),
            [](const ServicePort& a, const ServicePort& b) { return a.name < b.name; });
  auto created = api_.collection<Service>().Create(svc);
  if (!created.ok()) {
    const std::string err = created.diagnostics().items().front().message;
    Event(job, "Warning", "FailedCreateService", fmt::format("Error creating: {}", err));
    return err;
  }
  Event(job, "Normal", "SuccessfulCreateService",
        fmt::format("Created service: {}", svc.metadata.name));
  return std::nullopt;
}

void PyTorchJobController::DeletePod(const PyTorchJob& job, const std::string& ns,
                                     const std::string& name) {
  auto pod = api_.collection<Pod>().Get(ns, name);
  if (!pod || pod->metadata.deletion_timestamp) return;  // gone, or already terminating
  api_.collection<Pod>().Delete(ns, name);
  Event(job, "Normal", "SuccessfulDeletePod", fmt::format("Deleted pod: {}", name));
  Trace(fmt::format("delete pod {}/{}", ns, name));
}

void PyTorchJobController::DeleteService(const PyTorchJob& job, const std::string& ns,
                                         const std::string& name) {
  auto svc = api_.collection<Service>().Get(ns, name);
  if (!svc || svc->metadata.deletion_timestamp) return;
  api_.collection<Service>().Delete(ns, name);
  Event(job, "Normal", "SuccessfulDeleteService", fmt::format("Deleted service: {}", name));
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

std::vector<PodPtr> PyTorchJobController::PodsForJob(const PyTorchJob& job) const {
  std::vector<PodPtr> out;
  for (const auto& p : api_.collection<Pod>().List(
           job.metadata.namespace_, LabelSelector::FromLabels(GenLabels(job.metadata.name)))) {
    if (p->metadata.IsControlledBy(job.metadata.uid)) out.push_back(p);
  }
  return out;
}

std::vector<std::shared_ptr<const Service>> PyTorchJobController::ServicesForJob(
    const PyTorchJob& job) const {
  return api_.collection<Service>().List(job.metadata.namespace_,
                                         LabelSelector::FromLabels(GenLabels(job.metadata.name)));
}

void PyTorchJobController::Event(const PyTorchJob& job, const std::string& type,
                                 const std::string& reason, const std::string& message) {
  api_.events().Record(
      {"PyTorchJob", job.metadata.namespace_, job.metadata.name, job.metadata.uid, ""}, type,
      reason, message, kControllerName);
}

void PyTorchJobController::Trace(const std::string& text) {
  api_.trace().Record(api_.loop().Now(), "pytorchjob-controller", text);
}

// With the FakeWorkQueue, nothing wakes the controller when the deadline
// passes; note it if the job is still running then (kubeflow/trainer#3358).
// One watch per job, for the startTime it was armed with.
void PyTorchJobController::WatchDeadline(const PyTorchJob& job, Time start) {
  const Key key{job.metadata.namespace_, job.metadata.name};
  const std::string uid = job.metadata.uid;
  const std::int64_t ads = *job.spec.run_policy.active_deadline_seconds;
  auto& timer = deadline_watches_[uid];
  api_.loop().Cancel(timer);
  timer = api_.loop().At(start + std::chrono::seconds(ads), [this, key, uid, ads, start] {
    deadline_watches_.erase(uid);
    auto j = api_.collection<PyTorchJob>().Get(key.first, key.second);
    if (!j || j->metadata.uid != uid || IsFinished(j->status)) return;
    if (IsJobSuspended(&j->spec.run_policy) || j->status.start_time != start) return;
    notes_.Add(
        api_.loop().Now(),
        fmt::format("PyTorchJob {}: activeDeadlineSeconds ({}s) has passed, but the operator "
                    "only checks it when something else triggers a reconcile; the job keeps "
                    "running until then",
                    key.second, ads),
        "kubeflow/trainer#3358");
  });
}

bool PyTorchJobController::Settled(const std::string& ns, const std::string& name) const {
  auto job = api_.collection<PyTorchJob>().Get(ns, name);
  if (!job) return true;  // deleted (by its TTL)
  if (!IsFinished(job->status)) return false;
  if (queued_.count({ns, name})) return false;
  // Cleanup by policy must be done: no pod the policy would delete remains alive.
  PyTorchJob defaulted = options_.set_defaults ? options_.set_defaults(*job) : *job;
  if (!PodsToClean(defaulted.spec.run_policy, true, PodsForJob(*job)).empty()) return false;
  const auto& ttl = defaulted.spec.run_policy.ttl_seconds_after_finished;
  // A TTL that can fire has not yet: not settled. One that cannot (no
  // completionTime) never will.
  return !ttl || !job->status.completion_time;
}

}  // namespace ptsim
