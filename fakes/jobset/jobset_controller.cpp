#include "fakes/jobset/jobset_controller.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "fakes/jobset/failure_policy.hpp"
#include "fakes/jobset/job_construction.hpp"
#include "fakes/jobset/replicated_job_status.hpp"
#include "fakes/jobset/success_policy.hpp"
#include "fakes/jobset/ttl_after_finished.hpp"
#include "sim/model/service.hpp"

namespace ptsim {
namespace {

bool Suspended(const JobSet& js) {
  return js.spec.suspend.value_or(false);
}
bool JobSuspended(const BatchJob& job) {
  return job.spec.suspend.value_or(false);
}
bool InOrder(const JobSet& js) {
  return js.spec.startup_policy && js.spec.startup_policy->startup_policy_order == "InOrder";
}

OwnerReference ControllerRefTo(const JobSet& js) {
  return OwnerReference{JobSet::kApiVersion, JobSet::kKind, js.metadata.name,
                        js.metadata.uid,     true,          true};
}

// The API server's error text.
std::string ApiError(const Diagnostics& d) {
  return d.items().empty() ? std::string("unknown error") : d.items().front().message;
}

bool SameToleration(const Toleration& a, const Toleration& b) {
  return a.key == b.key && a.op == b.op && a.value == b.value && a.effect == b.effect &&
         a.toleration_seconds == b.toleration_seconds;
}

// A deletion with foreground propagation (client.PropagationPolicy(Foreground)).
template <typename T>
void DeleteForeground(Collection<T>& collection, const std::string& ns, const std::string& name) {
  collection.Delete(ns, name, DeleteOptions{std::nullopt, PropagationPolicy::kForeground});
}

template <typename M>
void MergeInto(M* into, const M& from) {
  for (const auto& [k, v] : from)
    (*into)[k] = v;
}

}  // namespace

JobSetController::JobSetController(ApiServer& api) : api_(api) {
  // SetupWithManager: For JobSet, Owns Job and Service.
  api_.collection<JobSet>().Watch([this](const WatchEvent<JobSet>& e) {
    if (e.type == WatchEventType::kDeleted) return;
    Enqueue({e.object->metadata.namespace_, e.object->metadata.name});
  });
  auto owner_key = [](const ObjectMeta& m) -> std::optional<Key> {
    const OwnerReference* ref = m.ControllerRef();
    if (ref == nullptr || ref->kind != JobSet::kKind) return std::nullopt;
    return Key{m.namespace_, ref->name};
  };
  api_.collection<BatchJob>().Watch([this, owner_key](const WatchEvent<BatchJob>& e) {
    if (auto key = owner_key(e.object->metadata)) Enqueue(*key);
  });
  api_.collection<Service>().Watch([this, owner_key](const WatchEvent<Service>& e) {
    if (auto key = owner_key(e.object->metadata)) Enqueue(*key);
  });
}

// ---------------------------------------------------------------------------
// The work queue (controller-runtime reconcileHandler semantics).

void JobSetController::Enqueue(const Key& key) {
  if (!queued_.insert(key).second) return;
  api_.loop().Post([this, key] {
    queued_.erase(key);
    Process(key);
  });
}

void JobSetController::EnqueueAfter(const Key& key, Duration delay) {
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

void JobSetController::EnqueueRateLimited(const Key& key) {
  // workqueue.DefaultControllerRateLimiter: 5ms * 2^failures, at most 1000s.
  const int n = failures_[key]++;
  Duration delay = std::chrono::milliseconds(5) * (std::int64_t{1} << std::min(n, 30));
  delay = std::min<Duration>(delay, std::chrono::seconds(1000));
  EnqueueAfter(key, delay);
}

void JobSetController::Process(const Key& key) {
  ++reconciles_;
  const Outcome out = Reconcile(key);
  if (out.error) {
    Trace(fmt::format("reconcile {}/{} failed: {}", key.first, key.second, *out.error));
    EnqueueRateLimited(key);
    return;
  }
  failures_.erase(key);
  if (out.requeue_after) EnqueueAfter(key, *out.requeue_after);
}

// ---------------------------------------------------------------------------
// JobSetReconciler.Reconcile

JobSetController::Outcome JobSetController::Reconcile(const Key& key) {
  const auto stored = api_.collection<JobSet>().Get(key.first, key.second);
  if (!stored) return {};                              // client.IgnoreNotFound
  if (stored->metadata.deletion_timestamp) return {};  // jobSetMarkedForDeletion
  JobSet js = *stored;
  StatusUpdate update;
  Outcome out = ReconcileStatus(&js, &update);
  if (out.error) return out;
  WriteStatus(js, update);
  return out;
}

JobSetController::Outcome JobSetController::ReconcileStatus(JobSet* js, StatusUpdate* update) {
  const Time now = api_.loop().Now();
  // 1. Managed by another controller (MultiKueue): nothing to do.
  if (js->spec.managed_by && *js->spec.managed_by != kJobSetControllerName) return {};

  // 2. The child Jobs, by controller UID.
  std::string error;
  const ChildJobs owned = ClassifyChildJobs(*js, OwnedJobs(*js), &error);
  if (!error.empty()) return {error, std::nullopt};

  // 3. replicatedJobsStatus.
  const auto statuses = CalculateReplicatedJobStatuses(*js, owned);
  if (statuses != js->status.replicated_jobs_status) {
    js->status.replicated_jobs_status = statuses;
    update->should_update = true;
  }

  // 4. Finished: delete the active Jobs, then the TTL.
  if (JobSetFinished(*js)) {
    DeleteJobs(owned.active);
    const auto remaining = JobSetTtlRemaining(*js, now);
    if (!remaining) return {};
    if (*remaining <= Duration{0}) {
      Trace(fmt::format("JobSet {}/{}: ttlSecondsAfterFinished expired, deleting (foreground)",
                        js->metadata.namespace_, js->metadata.name));
      DeleteForeground(api_.collection<JobSet>(), js->metadata.namespace_, js->metadata.name);
      return {};
    }
    return {std::nullopt, *remaining};
  }

  // 5. Jobs of an earlier attempt.
  DeleteJobs(owned.previous);

  // 6. Every Job ready or succeeded: the restart is over.
  if (!Suspended(*js) && AllJobsReady(*js, statuses))
    SetRestartingFalse(js, "JobsReady", "all jobs are ready", now, update);

  // 7. Failure is checked before success.
  if (!owned.failed.empty()) {
    const std::string failed = ExecuteFailurePolicy(js, owned.failed, now, update);
    if (!failed.empty()) return {failed, std::nullopt};
    return {};
  }

  // 8. Success policy.
  if (!owned.successful.empty() &&
      NumJobsMatchingSuccessPolicy(*js, owned.successful) >= NumJobsExpectedToSucceed(*js)) {
    SetJobSetCompleted(js, now, update);
    return {};
  }

  // 9. The headless Service, the missing Jobs, suspend or resume.
  if (auto svc_error = CreateHeadlessService(*js)) return {svc_error, std::nullopt};
  if (auto create_error = ReconcileReplicatedJobs(js, owned, statuses, update))
    return {create_error, std::nullopt};
  if (Suspended(*js)) {
    SuspendJobs(js, owned, update);
  } else {
    ResumeJobsIfNecessary(js, owned, statuses, update);
  }
  return {};
}

std::vector<BatchJobPtr> JobSetController::OwnedJobs(const JobSet& js) const {
  std::vector<BatchJobPtr> out;
  for (const auto& job : api_.collection<BatchJob>().List(js.metadata.namespace_)) {
    const OwnerReference* ref = job->metadata.ControllerRef();
    if (ref && ref->kind == JobSet::kKind && ref->uid == js.metadata.uid) out.push_back(job);
  }
  return out;
}

void JobSetController::DeleteJobs(const std::vector<BatchJobPtr>& jobs) {
  for (const auto& job : jobs) {
    if (job->metadata.deletion_timestamp) continue;
    Trace(fmt::format("deleting Job {}/{} (foreground)", job->metadata.namespace_,
                      job->metadata.name));
    DeleteForeground(api_.collection<BatchJob>(), job->metadata.namespace_, job->metadata.name);
  }
}

std::optional<std::string> JobSetController::CreateHeadlessService(const JobSet& js) {
  if (!DnsHostnamesEnabled(js)) return std::nullopt;
  const std::string subdomain = JobSetSubdomain(js);
  if (api_.collection<Service>().Get(js.metadata.namespace_, subdomain)) return std::nullopt;
  Service svc;
  svc.metadata.name = subdomain;
  svc.metadata.namespace_ = js.metadata.namespace_;
  svc.metadata.owner_references.push_back(ControllerRefTo(js));
  svc.spec.cluster_ip = "None";
  svc.spec.selector = {{kJobSetNameKey, js.metadata.name}};
  svc.spec.publish_not_ready_addresses =
      js.spec.network->publish_not_ready_addresses.value_or(true);
  auto created = api_.collection<Service>().Create(std::move(svc));
  if (!created.ok()) {
    const std::string message = ApiError(created.diagnostics());
    Event(js, "Warning", "HeadlessServiceCreationFailed", message);
    return message;
  }
  return std::nullopt;
}

std::optional<std::string> JobSetController::ReconcileReplicatedJobs(
    JobSet* js, const ChildJobs& owned, const std::vector<ReplicatedJobStatus>& statuses,
    StatusUpdate* update) {
  const Time now = api_.loop().Now();
  const bool in_order = !Suspended(*js) && InOrder(*js);
  for (const auto& rjob : js->spec.replicated_jobs) {
    const auto jobs = ConstructJobsFromTemplate(*js, rjob, owned);
    if (!DependencyReachedStatus(*js, rjob, statuses)) continue;
    if (in_order &&
        AllReplicasStarted(rjob.replicas.value_or(1), FindReplicatedJobStatus(statuses, rjob.name)))
      continue;
    std::vector<std::string> errors;
    for (auto job : jobs) {
      job.metadata.owner_references.push_back(ControllerRefTo(*js));
      const std::string name = job.metadata.name;
      auto created = api_.collection<BatchJob>().Create(std::move(job));
      if (!created.ok()) {
        errors.push_back(fmt::format("job \"{}\" creation failed with error: {}", name,
                                     ApiError(created.diagnostics())));
      }
    }
    if (!errors.empty()) {
      std::string joined;
      for (const auto& e : errors)
        joined += (joined.empty() ? "" : "\n") + e;
      Event(*js, "Warning", "JobCreationFailed", joined);
      return joined;
    }
    if (in_order) {
      SetInOrderStartupInProgress(js, now, update);
      return std::nullopt;
    }
  }
  if (in_order) SetInOrderStartupCompleted(js, now, update);
  return std::nullopt;
}

void JobSetController::SuspendJobs(JobSet* js, const ChildJobs& owned, StatusUpdate* update) {
  for (const auto& job : owned.active) {
    if (JobSuspended(*job)) continue;
    api_.collection<BatchJob>().Mutate(job->metadata.namespace_, job->metadata.name,
                                       [](BatchJob& j) { j.spec.suspend = true; });
  }
  SetJobSetSuspended(js, api_.loop().Now(), update);
}

void JobSetController::ResumeJobsIfNecessary(JobSet* js, const ChildJobs& owned,
                                             const std::vector<ReplicatedJobStatus>& statuses,
                                             StatusUpdate* update) {
  const Time now = api_.loop().Now();
  for (const auto& rjob : js->spec.replicated_jobs) {
    if (!DependencyReachedStatus(*js, rjob, statuses)) continue;
    if (InOrder(*js) &&
        AllReplicasStarted(rjob.replicas.value_or(1), FindReplicatedJobStatus(statuses, rjob.name)))
      continue;
    for (const auto& job : owned.active) {
      const auto it = job->metadata.labels.find(kReplicatedJobNameKey);
      if (it == job->metadata.labels.end() || it->second != rjob.name) continue;
      if (JobSuspended(*job)) ResumeJob(*js, *job);
    }
    if (InOrder(*js)) {
      SetInOrderStartupInProgress(js, now, update);
      return;
    }
  }
  SetJobSetResumed(js, now, update);
}

void JobSetController::ResumeJob(const JobSet& js, const BatchJob& job) {
  // resumeJob: clear status.startTime first (its own status write), then
  // merge the template's scheduling directives, then unsuspend.
  auto& jobs = api_.collection<BatchJob>();
  const std::string& ns = job.metadata.namespace_;
  const std::string& name = job.metadata.name;
  if (job.status.start_time)
    jobs.Mutate(ns, name, [](BatchJob& j) { j.status.start_time.reset(); });
  const auto rjob_name = job.metadata.labels.at(kReplicatedJobNameKey);
  const PodTemplateSpec* tmpl = nullptr;
  for (const auto& r : js.spec.replicated_jobs)
    if (r.name == rjob_name) tmpl = &r.template_.spec.template_;
  jobs.Mutate(ns, name, [tmpl](BatchJob& j) {
    if (tmpl) {
      auto& t = j.spec.template_;
      MergeInto(&t.metadata.labels, tmpl->metadata.labels);
      MergeInto(&t.metadata.annotations, tmpl->metadata.annotations);
      MergeInto(&t.spec.node_selector, tmpl->spec.node_selector);
      for (const auto& tol : tmpl->spec.tolerations) {
        const bool present =
            std::any_of(t.spec.tolerations.begin(), t.spec.tolerations.end(),
                        [&](const Toleration& x) { return SameToleration(x, tol); });
        if (!present) t.spec.tolerations.push_back(tol);
      }
    }
    j.spec.suspend = false;
  });
}

void JobSetController::WriteStatus(const JobSet& js, const StatusUpdate& update) {
  if (!update.should_update) return;
  const auto stored = api_.collection<JobSet>().Get(js.metadata.namespace_, js.metadata.name);
  if (!stored || stored->metadata.uid != js.metadata.uid) return;  // a conflict: not written
  api_.collection<JobSet>().Mutate(js.metadata.namespace_, js.metadata.name,
                                   [&](JobSet& o) { o.status = js.status; });
  // Events only after the status write succeeded.
  for (const auto& e : update.events)
    Event(js, e.type, e.reason, e.message);
}

bool JobSetController::Settled(const std::string& ns, const std::string& name) const {
  const auto js = api_.collection<JobSet>().Get(ns, name);
  if (!js) return true;
  if (!JobSetFinished(*js)) return false;
  if (JobSetTtlRemaining(*js, api_.loop().Now())) return false;
  for (const auto& job : OwnedJobs(*js))
    if (JobFinishedType(*job).empty()) return false;
  return true;
}

void JobSetController::Event(const JobSet& js, const std::string& type, const std::string& reason,
                             const std::string& message) {
  api_.events().Record(
      {JobSet::kKind, js.metadata.namespace_, js.metadata.name, js.metadata.uid, ""}, type, reason,
      message, kJobSetControllerSource);
}

void JobSetController::Trace(const std::string& text) {
  api_.trace().Record(api_.loop().Now(), kJobSetControllerSource, text);
}

}  // namespace ptsim
