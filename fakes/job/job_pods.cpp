// manageJob and pod control of the Job controller
// (pkg/controller/job/job_controller.go manageJob, deleteJobPods,
// deleteActivePods; indexed_job_utils.go addCompletionIndexEnvVariables,
// addCompletionIndexAnnotation, podGenerateNameWithIndex).
#include <fmt/format.h>

#include <algorithm>

#include "fakes/job/indexed_job_utils.hpp"
#include "fakes/job/job_controller.hpp"
#include "fakes/job/pod_failure_policy.hpp"

namespace ptsim {
namespace {

bool IsIndexed(const BatchJob& job) {
  return job.spec.completion_mode.value_or("NonIndexed") == "Indexed";
}

bool OnlyReplaceFailedPods(const BatchJob& job) {
  return job.spec.pod_replacement_policy.value_or("") == "Failed" ||
         job.spec.pod_failure_policy.has_value();
}

// controller.ActivePods ordering, in short: pods not yet on a node, then
// pending, then not ready, then the most recently created go first.
bool RemoveFirst(const std::shared_ptr<const Pod>& a, const std::shared_ptr<const Pod>& b) {
  const bool a_bound = !a->spec.node_name.empty(), b_bound = !b->spec.node_name.empty();
  if (a_bound != b_bound) return !a_bound;
  const bool a_running = a->status.phase == "Running", b_running = b->status.phase == "Running";
  if (a_running != b_running) return !a_running;
  return a->metadata.creation_timestamp > b->metadata.creation_timestamp;
}

void AddCompletionIndexEnv(std::vector<Container>* containers) {
  for (auto& c : *containers) {
    const bool has = std::any_of(c.env.begin(), c.env.end(),
                                 [](const EnvVar& e) { return e.name == kJobCompletionIndexEnv; });
    if (has) continue;
    EnvVar var;
    var.name = kJobCompletionIndexEnv;
    EnvVarSource source;
    // PodIndexLabel on: the fieldRef reads the label.
    source.field_path = std::string("metadata.labels['") + kJobCompletionIndexAnnotation + "']";
    var.value_from = source;
    c.env.push_back(std::move(var));
  }
}

}  // namespace

std::int32_t JobController::ManageJob(SyncContext& ctx, std::int32_t active) {
  const BatchJob& job = ctx.job;
  const std::int32_t parallelism = job.spec.parallelism.value_or(1);
  if (job.spec.suspend.value_or(false)) {
    // Suspension removes the finalizers first: the pods are not counted as failed.
    return active - DeleteActivePods(ctx, /*remove_finalizers=*/true, ctx.active_pods);
  }
  std::int32_t want_active = 0;
  if (!job.spec.completions) {
    // Without completions the Job is done once any pod succeeds; after that,
    // whatever runs is left to finish.
    want_active = ctx.succeeded > 0 ? active : parallelism;
  } else {
    want_active = std::clamp(*job.spec.completions - ctx.succeeded, 0, parallelism);
  }
  std::vector<PodPtr> to_delete;
  std::set<std::int32_t> active_indexes;
  std::vector<PodPtr> candidates = ctx.active_pods;
  if (IsIndexed(job)) {
    // Pods of finished indexes, out of range, or duplicating an index go first.
    std::vector<PodPtr> keep;
    for (const auto& p : ctx.active_pods) {
      const std::int32_t ix = GetCompletionIndex(p->metadata);
      if (ix < 0 || ix >= job.spec.completions.value_or(0) || ctx.succeeded_indexes.count(ix) ||
          ctx.failed_indexes.count(ix) || !active_indexes.insert(ix).second) {
        to_delete.push_back(p);
      } else {
        keep.push_back(p);
      }
    }
    candidates = keep;
  }
  std::int32_t remove = active - static_cast<std::int32_t>(to_delete.size()) - want_active;
  if (remove > 0) {
    std::sort(candidates.begin(), candidates.end(), RemoveFirst);
    for (std::int32_t i = 0; i < remove && i < static_cast<std::int32_t>(candidates.size()); ++i)
      to_delete.push_back(candidates[i]);
  }
  if (!to_delete.empty())
    return active - DeleteActivePods(ctx, /*remove_finalizers=*/true, to_delete);

  const std::int32_t terminating = OnlyReplaceFailedPods(job) ? ctx.terminating : 0;
  if (active + terminating >= want_active) return active;
  const Key key{job.metadata.namespace_, job.metadata.name};
  if (!job.spec.backoff_limit_per_index) {
    const Duration wait = RemainingBackoff(ctx.backoff, api_.loop().Now(), options_.default_backoff,
                                           options_.max_backoff);
    if (wait > Duration{0}) {
      EnqueueAfter(key, wait);
      return active;
    }
  }
  std::int32_t diff = want_active - active - terminating;
  if (!IsIndexed(job)) {
    for (std::int32_t i = 0; i < diff; ++i)
      CreatePod(job, std::nullopt, ctx);
    return active + diff;
  }
  // Indexes still pending: not succeeded, failed, running, or (when only
  // failed pods are replaced) held by a terminating pod.
  std::set<std::int32_t> non_pending = ctx.succeeded_indexes;
  non_pending.insert(ctx.failed_indexes.begin(), ctx.failed_indexes.end());
  non_pending.insert(active_indexes.begin(), active_indexes.end());
  for (const auto& p : ctx.pods) {
    if (OnlyReplaceFailedPods(job) && p->metadata.deletion_timestamp && !p->IsTerminal()) {
      non_pending.insert(GetCompletionIndex(p->metadata));
    }
  }
  std::optional<Duration> soonest;
  std::int32_t created = 0;
  for (std::int32_t ix : FirstPendingIndexes(non_pending, job.spec.completions.value_or(0),
                                             job.spec.completions.value_or(0))) {
    if (created >= diff) break;
    if (job.spec.backoff_limit_per_index) {
      // Per-index backoff, from the index's last failed pod.
      const Pod* last = nullptr;
      for (const auto& p : ctx.pods) {
        if (GetCompletionIndex(p->metadata) != ix || !IsPodFailed(*p, job)) continue;
        if (!last || GetFinishedTime(*p) >= GetFinishedTime(*last)) last = p.get();
      }
      if (last) {
        const Duration wait =
            RemainingBackoff(GetIndexFailureCount(*last) + 1, GetFinishedTime(*last),
                             api_.loop().Now(), options_.default_backoff, options_.max_backoff);
        if (wait > Duration{0}) {
          soonest = soonest ? std::min(*soonest, wait) : wait;
          continue;
        }
      }
    }
    CreatePod(job, ix, ctx);
    ++created;
  }
  if (soonest) EnqueueAfter(key, *soonest);
  return active + created;
}

std::int32_t JobController::DeleteActivePods(SyncContext& ctx, bool remove_finalizers,
                                             const std::vector<PodPtr>& pods) {
  std::int32_t deleted = 0;
  for (const auto& p : pods) {
    if (remove_finalizers) RemoveTrackingFinalizer(*p);
    api_.collection<Pod>().Delete(p->metadata.namespace_, p->metadata.name);
    Event(ctx.job, "Normal", "SuccessfulDelete", "Deleted pod: " + p->metadata.name);
    const PodCondition* ready = p->status.FindCondition("Ready");
    if (ready && ready->status == "True") --ctx.ready;
    ++deleted;
  }
  return deleted;
}

void JobController::CreatePod(const BatchJob& job, std::optional<std::int32_t> index,
                              const SyncContext& ctx) {
  Pod pod;
  pod.metadata = job.spec.template_.metadata;
  pod.metadata.name.clear();
  pod.metadata.namespace_ = job.metadata.namespace_;
  pod.metadata.uid.clear();
  pod.metadata.owner_references = {OwnerReference{BatchJob::kApiVersion, BatchJob::kKind,
                                                  job.metadata.name, job.metadata.uid, true, true}};
  pod.metadata.finalizers.push_back(kJobTrackingFinalizer);
  pod.spec = job.spec.template_.spec;
  if (index) {
    const std::string ix = std::to_string(*index);
    pod.metadata.generate_name = PodGenerateNameWithIndex(job.metadata.name, *index);
    pod.metadata.annotations[kJobCompletionIndexAnnotation] = ix;
    pod.metadata.labels[kJobCompletionIndexAnnotation] = ix;
    pod.spec.hostname = fmt::format("{}-{}", job.metadata.name, *index);
    AddCompletionIndexEnv(&pod.spec.containers);
    AddCompletionIndexEnv(&pod.spec.init_containers);
    if (job.spec.backoff_limit_per_index) {
      // getNewIndexFailureCounts: from the index's last failed pod.
      const Pod* last = nullptr;
      for (const auto& p : ctx.pods) {
        if (GetCompletionIndex(p->metadata) != *index || !IsPodFailed(*p, job)) continue;
        if (!last || GetFinishedTime(*p) >= GetFinishedTime(*last)) last = p.get();
      }
      std::int32_t failures = 0, ignored = 0;
      if (last) {
        failures = GetIndexFailureCount(*last);
        auto it = last->metadata.annotations.find(kJobIndexIgnoredFailureCountAnnotation);
        if (it != last->metadata.annotations.end()) ignored = std::atoi(it->second.c_str());
        const PodFailurePolicy* policy =
            job.spec.pod_failure_policy ? &*job.spec.pod_failure_policy : nullptr;
        if (MatchPodFailurePolicy(policy, *last).count_failed) {
          ++failures;
        } else {
          ++ignored;
        }
      }
      pod.metadata.annotations[kJobIndexFailureCountAnnotation] = std::to_string(failures);
      if (ignored > 0) {
        pod.metadata.annotations[kJobIndexIgnoredFailureCountAnnotation] = std::to_string(ignored);
      }
    }
  } else {
    pod.metadata.generate_name = PodGenerateName(job.metadata.name);
  }
  auto created = api_.collection<Pod>().Create(std::move(pod));
  if (!created.ok()) {
    Event(job, "Warning", "FailedCreate", "Error creating: " + created.diagnostics().Render());
    return;
  }
  Event(job, "Normal", "SuccessfulCreate", "Created pod: " + (*created)->metadata.name);
}

}  // namespace ptsim
