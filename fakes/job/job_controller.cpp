#include "fakes/job/job_controller.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "fakes/job/indexed_job_utils.hpp"
#include "fakes/job/job_conditions.hpp"
#include "fakes/job/pod_failure_policy.hpp"
#include "fakes/job/success_policy.hpp"

namespace ptsim {
namespace {

bool IsIndexed(const BatchJob& job) {
  return job.spec.completion_mode.value_or("NonIndexed") == "Indexed";
}

bool HasTrackingFinalizer(const Pod& pod) {
  const auto& f = pod.metadata.finalizers;
  return std::find(f.begin(), f.end(), kJobTrackingFinalizer) != f.end();
}

bool Contains(const std::vector<std::string>& list, const std::string& s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

// pastBackoffLimitOnFailure: with restartPolicy OnFailure the kubelet restarts
// containers in place, so the restartCounts of the pending and running pods'
// containers and init containers stand for failures.
bool PastBackoffLimitOnFailure(const BatchJob& job,
                               const std::vector<std::shared_ptr<const Pod>>& pods) {
  if (job.spec.template_.spec.restart_policy != "OnFailure") return false;
  std::int32_t restarts = 0;
  for (const auto& p : pods) {
    if (p->status.phase != "Running" && p->status.phase != "Pending") continue;
    for (const auto* list : {&p->status.init_container_statuses, &p->status.container_statuses}) {
      for (const auto& s : *list)
        restarts += s.restart_count;
    }
  }
  const std::int32_t limit = job.spec.backoff_limit.value_or(6);
  return limit == 0 ? restarts > 0 : restarts >= limit;
}

}  // namespace

JobController::JobController(ApiServer& api, Options options) : api_(api), options_(options) {
  api_.collection<BatchJob>().Watch([this](const WatchEvent<BatchJob>& e) {
    if (e.type == WatchEventType::kDeleted) {
      backoff_.erase(e.object->metadata.uid);
      return;
    }
    Enqueue({e.object->metadata.namespace_, e.object->metadata.name});
  });
  api_.collection<Pod>().Watch([this](const WatchEvent<Pod>& e) {
    const OwnerReference* ref = e.object->metadata.ControllerRef();
    if (ref == nullptr || ref->kind != BatchJob::kKind) return;
    auto job = api_.collection<BatchJob>().Get(e.object->metadata.namespace_, ref->name);
    if (!job || job->metadata.uid != ref->uid) {
      // An orphan pod keeps no tracking finalizer (the controller's orphan cleanup).
      if (e.type != WatchEventType::kDeleted && HasTrackingFinalizer(*e.object)) {
        RemoveTrackingFinalizer(*e.object);
      }
      return;
    }
    Enqueue({e.object->metadata.namespace_, ref->name});
  });
}

void JobController::Enqueue(const Key& key) {
  if (!queued_.insert(key).second) return;
  api_.loop().Post([this, key] {
    queued_.erase(key);
    SyncJob(key);
  });
}

void JobController::EnqueueAfter(const Key& key, Duration delay) {
  auto it = delayed_.find(key);
  if (it != delayed_.end()) api_.loop().Cancel(it->second);
  delayed_[key] = api_.loop().After(delay, [this, key] {
    delayed_.erase(key);
    Enqueue(key);
  });
}

std::vector<JobController::PodPtr> JobController::PodsForJob(const BatchJob& job) const {
  std::vector<PodPtr> out;
  const LabelSelector selector = job.spec.selector.value_or(LabelSelector());
  for (auto& p : api_.collection<Pod>().List(job.metadata.namespace_, selector)) {
    if (p->metadata.IsControlledBy(job.metadata.uid)) out.push_back(p);
  }
  return out;
}

bool JobController::IsPodFailed(const Pod& pod, const BatchJob& job) const {
  if (pod.status.phase == "Failed") return true;
  // onlyReplaceFailedPods: podReplacementPolicy Failed (always with a podFailurePolicy).
  if (job.spec.pod_replacement_policy.value_or("") == "Failed" || job.spec.pod_failure_policy) {
    // The pod garbage collector fails a deleted pod that never reached a node.
    return pod.metadata.deletion_timestamp && pod.spec.node_name.empty();
  }
  // A deleted pod counts as failed: an orphan may never reach the Failed phase.
  return pod.metadata.deletion_timestamp && pod.status.phase != "Succeeded";
}

void JobController::SyncJob(const Key& key) {
  auto stored = api_.collection<BatchJob>().Get(key.first, key.second);
  if (!stored) return;
  ++syncs_;
  SyncContext ctx;
  ctx.job = *stored;
  BatchJob& job = ctx.job;
  ctx.pods = PodsForJob(job);
  if (IsJobFinished(job.status)) {
    // A finished Job's pods keep no tracking finalizer.
    for (const auto& p : ctx.pods) {
      if (HasTrackingFinalizer(*p)) RemoveTrackingFinalizer(*p);
    }
    backoff_.erase(job.metadata.uid);
    return;
  }
  // JobManagedBy: a Job managed by another controller is left alone.
  if (job.spec.managed_by && *job.spec.managed_by != kJobControllerName) return;

  const UncountedTerminatedPods uncounted =
      job.status.uncounted_terminated_pods.value_or(UncountedTerminatedPods{});
  for (const auto& p : ctx.pods) {
    if (!p->IsTerminal() && !p->metadata.deletion_timestamp) ctx.active_pods.push_back(p);
    if (p->metadata.deletion_timestamp && !p->IsTerminal()) ++ctx.terminating;
    if (!HasTrackingFinalizer(*p)) continue;
    if (p->status.phase == "Succeeded" && !Contains(uncounted.succeeded, p->metadata.uid)) {
      ctx.new_succeeded.push_back(p);
    } else if (p->status.phase != "Succeeded" && IsPodFailed(*p, job) &&
               !Contains(uncounted.failed, p->metadata.uid)) {
      ctx.new_failed.push_back(p);
    }
  }
  for (const auto& p : ctx.active_pods) {
    const PodCondition* c = p->status.FindCondition("Ready");
    if (c && c->status == "True") ++ctx.ready;
  }
  std::int32_t counted_new_failed = 0;
  for (const auto& p : ctx.new_failed) {
    if (MatchPodFailurePolicy(job.spec.pod_failure_policy ? &*job.spec.pod_failure_policy : nullptr,
                              *p)
            .count_failed) {
      ++counted_new_failed;
    }
  }
  ctx.succeeded = job.status.succeeded + static_cast<std::int32_t>(ctx.new_succeeded.size()) +
                  static_cast<std::int32_t>(uncounted.succeeded.size());
  ctx.failed =
      job.status.failed + counted_new_failed + static_cast<std::int32_t>(uncounted.failed.size());
  const bool suspended = job.spec.suspend.value_or(false);
  const Time now = api_.loop().Now();
  if (!job.status.start_time && !suspended) {
    job.status.start_time = now;
  }
  {
    std::vector<const Pod*> s, f;
    for (const auto& p : ctx.new_succeeded)
      s.push_back(p.get());
    for (const auto& p : ctx.new_failed)
      f.push_back(p.get());
    ctx.backoff = NewBackoffRecord(backoff_[job.metadata.uid], s, f);
  }
  DecideFinished(ctx);

  std::int32_t active = static_cast<std::int32_t>(ctx.active_pods.size());
  if (ctx.finished) {
    // Remove the active pods of a Job that failed or met its success criteria.
    active -= DeleteActivePods(ctx, /*remove_finalizers=*/false, ctx.active_pods);
  } else {
    const bool manage = !job.metadata.deletion_timestamp;
    if (manage) active = ManageJob(ctx, active);
    const bool complete = job.spec.completions
                              ? ctx.succeeded >= *job.spec.completions && active == 0
                              : ctx.succeeded > 0 && active == 0;
    if (complete) {
      ctx.finished = NewJobCondition("SuccessCriteriaMet", "True", kJobReasonCompletionsReached,
                                     kCompletionsReachedMessage, now);
    } else if (manage) {
      if (suspended) {
        if (EnsureJobConditionStatus(&job.status.conditions, "Suspended", "True", "JobSuspended",
                                     "Job suspended", now)) {
          Event(job, "Normal", "Suspended", "Job suspended");
        }
      } else if (EnsureJobConditionStatus(&job.status.conditions, "Suspended", "False",
                                          "JobResumed", "Job resumed", now)) {
        Event(job, "Normal", "Resumed", "Job resumed");
        // activeDeadlineSeconds counts from the resumption.
        job.status.start_time = now;
      }
    }
  }
  // Pods deleted by this sync may now be terminating.
  ctx.terminating = 0;
  for (const auto& p : PodsForJob(job)) {
    if (p->metadata.deletion_timestamp && !p->IsTerminal()) ++ctx.terminating;
  }
  if (!ctx.finished && !suspended && job.spec.active_deadline_seconds && job.status.start_time) {
    const Duration left =
        std::chrono::seconds(*job.spec.active_deadline_seconds) - (now - *job.status.start_time);
    if (left > Duration{0}) EnqueueAfter(key, left);
  }
  TrackStatus(ctx, active);
}

void JobController::DecideFinished(SyncContext& ctx) {
  BatchJob& job = ctx.job;
  const Time now = api_.loop().Now();
  const auto& conditions = job.status.conditions;
  if (const BatchJobCondition* met = FindJobCondition(conditions, "SuccessCriteriaMet");
      met && met->status == "True") {
    ctx.finished = NewJobCondition("SuccessCriteriaMet", "True", met->reason, met->message, now);
  } else if (const BatchJobCondition* target = FindJobCondition(conditions, "FailureTarget");
             target && target->status == "True") {
    ctx.finished = NewJobCondition("FailureTarget", "True", target->reason, target->message, now);
  } else if (job.spec.pod_failure_policy) {
    // getFailJobMessage: the first failed pod matching a FailJob rule.
    for (const auto& p : ctx.pods) {
      if (!IsPodFailed(*p, job)) continue;
      auto match = MatchPodFailurePolicy(&*job.spec.pod_failure_policy, *p);
      if (match.job_failure_message) {
        ctx.finished = NewJobCondition("FailureTarget", "True", kJobReasonPodFailurePolicy,
                                       *match.job_failure_message, now);
        break;
      }
    }
  }
  const std::int32_t backoff_limit = job.spec.backoff_limit.value_or(6);
  if (!ctx.finished) {
    const bool suspended = job.spec.suspend.value_or(false);
    if (ctx.failed > backoff_limit || PastBackoffLimitOnFailure(job, ctx.pods)) {
      ctx.finished = NewJobCondition("FailureTarget", "True", kJobReasonBackoffLimitExceeded,
                                     kBackoffLimitExceededMessage, now);
    } else if (job.spec.active_deadline_seconds && job.status.start_time && !suspended &&
               now - *job.status.start_time >=
                   std::chrono::seconds(*job.spec.active_deadline_seconds)) {
      ctx.finished = NewJobCondition("FailureTarget", "True", kJobReasonDeadlineExceeded,
                                     kDeadlineExceededMessage, now);
    }
  }
  if (!IsIndexed(job)) return;
  CalculateIndexes(ctx);
  const std::int32_t completions = job.spec.completions.value_or(0);
  if (job.spec.backoff_limit_per_index && !ctx.finished) {
    const auto failed = static_cast<std::int32_t>(ctx.failed_indexes.size());
    const auto done = static_cast<std::int32_t>(ctx.succeeded_indexes.size());
    if (job.spec.max_failed_indexes && failed > *job.spec.max_failed_indexes) {
      ctx.finished = NewJobCondition("FailureTarget", "True", kJobReasonMaxFailedIndexesExceeded,
                                     kMaxFailedIndexesExceededMessage, now);
    } else if (failed > 0 && failed + done >= completions) {
      ctx.finished = NewJobCondition("FailureTarget", "True", kJobReasonFailedIndexes,
                                     kFailedIndexesMessage, now);
    }
  }
  if (!ctx.finished && job.spec.success_policy) {
    std::string ignored;
    OrderedIntervals intervals =
        ParseIndexes(FormatIndexes(ctx.succeeded_indexes), completions, &ignored);
    if (auto message = MatchSuccessPolicy(&*job.spec.success_policy, completions, intervals)) {
      ctx.finished =
          NewJobCondition("SuccessCriteriaMet", "True", kJobReasonSuccessPolicy, *message, now);
    }
  }
}

void JobController::CalculateIndexes(SyncContext& ctx) {
  const BatchJob& job = ctx.job;
  const std::int32_t completions = job.spec.completions.value_or(0);
  std::string ignored;
  ctx.succeeded_indexes =
      IndexSet(ParseIndexes(job.status.completed_indexes, completions, &ignored));
  for (const auto& p : ctx.pods) {
    const std::int32_t ix = GetCompletionIndex(p->metadata);
    if (p->status.phase == "Succeeded" && ix >= 0 && ix < completions) {
      ctx.succeeded_indexes.insert(ix);
    }
  }
  // For an Indexed Job, succeeded counts succeeded indexes.
  ctx.succeeded = static_cast<std::int32_t>(ctx.succeeded_indexes.size());
  if (!job.spec.backoff_limit_per_index) return;
  ignored.clear();
  ctx.failed_indexes =
      IndexSet(ParseIndexes(job.status.failed_indexes.value_or(""), completions, &ignored));
  const PodFailurePolicy* policy =
      job.spec.pod_failure_policy ? &*job.spec.pod_failure_policy : nullptr;
  for (const auto& p : ctx.new_failed) {
    const std::int32_t ix = GetCompletionIndex(p->metadata);
    if (ix < 0 || ix >= completions || ctx.succeeded_indexes.count(ix)) continue;
    auto match = MatchPodFailurePolicy(policy, *p);
    if (match.action == std::optional<std::string>("FailIndex")) {
      ctx.failed_indexes.insert(ix);
      continue;
    }
    if (!match.count_failed) continue;
    if (GetIndexFailureCount(*p) >= *job.spec.backoff_limit_per_index)
      ctx.failed_indexes.insert(ix);
  }
}

void JobController::Event(const BatchJob& job, const std::string& type, const std::string& reason,
                          const std::string& message) {
  api_.events().Record(
      {BatchJob::kKind, job.metadata.namespace_, job.metadata.name, job.metadata.uid, ""}, type,
      reason, message, "job-controller");
}

}  // namespace ptsim
