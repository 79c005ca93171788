// PyTorchJobReconciler (training-operator pkg/controller.v1/pytorch/
// pytorchjob_controller.go): the watches, Reconcile, UpdateJobStatus and the
// status write, with ptsim's notes on upstream bugs a run passes through. The
// generic job loop is split as upstream's is: controller_work_queue.cpp,
// job_reconcile.cpp (common/job.go), pod_reconcile.cpp (common/pod.go),
// service_reconcile.cpp (common/service.go), hpa_reconcile.cpp (pytorch/hpa.go)
// and object_control.cpp (controller.v1/control).

#include "fakes/operator/pytorchjob_controller.hpp"

#include <fmt/format.h>

#include "fakes/operator/job_conditions.hpp"

namespace ptsim {

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
