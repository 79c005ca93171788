#include "fakes/trainer/trainjob_controller.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "fakes/trainer/jobset_builder.hpp"
#include "fakes/trainer/trainjob_status.hpp"
#include "fakes/trainer/trainjob_webhook.hpp"
#include "sim/model/jobset_defaults.hpp"
#include "sim/model/jobset_validation.hpp"

namespace ptsim {
namespace {

OwnerReference OwnerOf(const TrainJob& tj) {
  OwnerReference o;
  o.api_version = TrainJob::kApiVersion;
  o.kind = TrainJob::kKind;
  o.name = tj.metadata.name;
  o.uid = tj.metadata.uid;
  o.controller = true;
  o.block_owner_deletion = true;
  return o;
}

bool OwnedBy(const ObjectMeta& m, const TrainJob& tj) {
  const OwnerReference* ref = m.ControllerRef();
  return ref != nullptr && ref->uid == tj.metadata.uid;
}

// What server-side apply changes on an existing JobSet at suspend and resume:
// spec.suspend and the pod templates' mutable metadata and scheduling fields
// (the JobSet webhook allows nothing else while suspended).
void ApplyMutable(const JobSet& built, JobSet* js) {
  js->spec.suspend = built.spec.suspend;
  js->metadata.labels = built.metadata.labels;
  js->metadata.annotations = built.metadata.annotations;
  for (ReplicatedJob& r : js->spec.replicated_jobs) {
    for (const ReplicatedJob& b : built.spec.replicated_jobs) {
      if (b.name != r.name) continue;
      PodTemplateSpec& pod = r.template_.spec.template_;
      const PodTemplateSpec& want = b.template_.spec.template_;
      for (const auto& [k, v] : want.metadata.labels)
        pod.metadata.labels[k] = v;
      for (const auto& [k, v] : want.metadata.annotations)
        pod.metadata.annotations[k] = v;
      pod.spec.node_selector = want.spec.node_selector;
      pod.spec.tolerations = want.spec.tolerations;
    }
  }
}

}  // namespace

TrainJobController::TrainJobController(ApiServer& api, Notes& notes, Options options)
    : api_(api), notes_(notes), options_(std::move(options)) {
  api_.collection<TrainJob>().Watch([this](const WatchEvent<TrainJob>& e) {
    if (e.type == WatchEventType::kDeleted) return;
    Enqueue({e.object->metadata.namespace_, e.object->metadata.name});
  });
  api_.collection<JobSet>().Watch([this](const WatchEvent<JobSet>& e) {
    const OwnerReference* ref = e.object->metadata.ControllerRef();
    if (ref == nullptr || ref->kind != TrainJob::kKind) return;
    Enqueue({e.object->metadata.namespace_, ref->name});
  });
}

int TrainJobController::JobSetsCreated(const std::string& ns, const std::string& name) const {
  auto it = jobsets_created_.find({ns, name});
  return it == jobsets_created_.end() ? 0 : it->second;
}

void TrainJobController::Enqueue(const Key& key) {
  if (!queued_.insert(key).second) return;
  api_.loop().Post([this, key] {
    queued_.erase(key);
    Process(key);
  });
}

void TrainJobController::EnqueueAfter(const Key& key, Duration delay) {
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

void TrainJobController::Process(const Key& key) {
  ++reconciles_;
  const Outcome out = Reconcile(key);
  if (out.error) {
    // workqueue.DefaultControllerRateLimiter: 5ms * 2^failures, at most 1000s.
    const int n = failures_[key]++;
    Duration delay = std::chrono::milliseconds(5) * (std::int64_t{1} << std::min(n, 30));
    EnqueueAfter(key, std::min<Duration>(delay, std::chrono::seconds(1000)));
    return;
  }
  failures_.erase(key);
  if (out.requeue_after) EnqueueAfter(key, *out.requeue_after);
}

// ---------------------------------------------------------------------------
// TrainJobReconciler.Reconcile

TrainJobController::Outcome TrainJobController::Reconcile(const Key& key) {
  auto stored = api_.collection<TrainJob>().Get(key.first, key.second);
  if (!stored || stored->metadata.deletion_timestamp) return {};
  const TrainJob& tj = *stored;
  const Time now = api_.loop().Now();

  // 1. #3681 (v2.3.0): a TrainJob managed by another controller is left alone.
  if (tj.spec.managed_by.value_or(kTrainJobControllerName) != kTrainJobControllerName) {
    Trace(fmt::format("skip {}/{}: managed by {}", key.first, key.second, *tj.spec.managed_by));
    return {};
  }
  TrainJobStatus status = tj.status;
  // 2. removeFailedCondition (v2.3.0): a JobSet failure is forgotten every
  // reconcile, so a failed TrainJob whose JobSet is gone is built again
  // (kubeflow/trainer#3779; `fixed` drops this step, #3891).
  if (options_.profile.removes_failed_condition) RemoveNonDeadlineFailed(&status);

  Outcome outcome;
  // 3. Unregistered runtime kind.
  if (!IsRegisteredRuntime(tj.spec.runtime_ref)) {
    SetCondition(&status,
                 {kTrainJobFailed,
                  "True",
                  kRuntimeNotSupportedReason,
                  "unsupported runtime: " + RuntimeKey(tj.spec.runtime_ref),
                  {}},
                 now);
  } else {
    // 4. Build and apply unless finished.
    TrainJob current = tj;
    current.status = status;
    if (!IsTrainJobFinished(status)) {
      if (auto err = ReconcileObjects(current)) {
        std::string message = *err;
        if (message.size() > 950) message.resize(950);
        Event(tj, "Warning", kTrainJobResourcesCreationFailed,
              "TrainJob resources reconciliation failed: " + message);
        outcome.error = *err;
      }
    }
    // 5. Suspended condition.
    UpdateSuspendedCondition(tj, &status, now);
    // 6. Status from the JobSet.
    auto js = api_.collection<JobSet>().Get(tj.metadata.namespace_, tj.metadata.name);
    CopyJobSetStatus(js && OwnedBy(js->metadata, tj) ? js.get() : nullptr, &status);
    // 7. Deadline.
    TrainJob with_status = tj;
    with_status.status = status;
    if (!IsTrainJobFinished(status)) {
      if (auto deadline = DeadlineOf(with_status)) {
        if (now >= *deadline) {
          SetCondition(
              &status,
              {kTrainJobFailed, "True", kDeadlineExceededReason, kDeadlineExceededMessage, {}},
              now);
          if (js && OwnedBy(js->metadata, tj)) {
            api_.collection<JobSet>().Delete(js->metadata.namespace_, js->metadata.name);
            Trace(fmt::format("{}/{}: deadline exceeded, JobSet deleted", key.first, key.second));
          }
        } else if (!outcome.error) {
          outcome.requeue_after = *deadline - now;
        }
      }
    }
  }
  // 8. Status write when changed.
  if (!(status == tj.status)) {
    api_.collection<TrainJob>().Mutate(key.first, key.second,
                                       [&](TrainJob& obj) { obj.status = status; });
  }
  return outcome;
}

std::optional<TrainingRuntimeSpec> TrainJobController::RuntimeFor(const TrainJob& tj,
                                                                  std::string* error) {
  const std::string snapshot_name = tj.metadata.name + kRuntimeSnapshotSuffix;
  auto& config_maps = api_.collection<ConfigMap>();
  if (auto cm = config_maps.Get(tj.metadata.namespace_, snapshot_name);
      cm && OwnedBy(cm->metadata, tj)) {
    if (auto it = snapshots_.find(cm->metadata.uid); it != snapshots_.end()) return it->second;
  }
  const RuntimeRef& ref = tj.spec.runtime_ref;
  const std::string kind = ref.kind.value_or(ClusterTrainingRuntime::kKind);
  std::optional<TrainingRuntimeSpec> spec;
  std::string resource_version;
  if (kind == ClusterTrainingRuntime::kKind) {
    if (auto rt = api_.collection<ClusterTrainingRuntime>().Get("", ref.name)) {
      spec = rt->spec;
      resource_version = std::to_string(rt->metadata.resource_version);
    }
  } else if (auto rt = api_.collection<TrainingRuntime>().Get(tj.metadata.namespace_, ref.name)) {
    spec = rt->spec;
    resource_version = std::to_string(rt->metadata.resource_version);
  }
  if (!spec) {
    *error = fmt::format(
        "{}.trainer.kubeflow.org \"{}\" not found",
        kind == ClusterTrainingRuntime::kKind ? "clustertrainingruntimes" : "trainingruntimes",
        ref.name);
    return std::nullopt;
  }
  // #3580: the first build snapshots the runtime; later builds read it.
  ConfigMap cm;
  cm.metadata.name = snapshot_name;
  cm.metadata.namespace_ = tj.metadata.namespace_;
  cm.metadata.owner_references = {OwnerOf(tj)};
  cm.data["runtime"] = fmt::format("kind: {}\nname: {}\nresourceVersion: \"{}\"\n", kind, ref.name,
                                   resource_version);
  auto created = config_maps.Create(cm);
  if (created.ok()) snapshots_[created.value()->metadata.uid] = *spec;
  return spec;
}

std::optional<std::string> TrainJobController::ReconcileObjects(const TrainJob& tj) {
  auto& jobsets = api_.collection<JobSet>();
  auto existing = jobsets.Get(tj.metadata.namespace_, tj.metadata.name);
  const bool suspend = tj.spec.suspend.value_or(false);
  // JobSet.Build: an existing JobSet is left alone unless the TrainJob or
  // the JobSet is suspended (so only creation, suspend and resume write it).
  if (existing && !suspend && !existing->spec.suspend.value_or(false)) return std::nullopt;
  std::string error;
  auto runtime = RuntimeFor(tj, &error);
  if (!runtime) return error;
  JobSet built = BuildJobSet(tj, *runtime);
  if (!existing) {
    // The JobSet webhook (kubernetes-sigs/jobset pkg/webhooks): defaults,
    // then validation, which caps the TrainJob name at 48 characters.
    SetDefaults_JobSet(&built);
    std::vector<FieldError> errors = ValidateJobSetCreate(built);
    if (errors.empty()) errors = ValidateJobSetPodNames(built);
    if (!errors.empty()) {
      return fmt::format("admission webhook \"{}\" denied the request: {}", kJobSetWebhookName,
                         AggregateFieldErrors(errors));
    }
    auto created = jobsets.Create(std::move(built));
    if (!created.ok()) return created.diagnostics().Render();
    ++jobsets_created_[{tj.metadata.namespace_, tj.metadata.name}];
    Trace(fmt::format("{}/{}: created JobSet (suspend={})", tj.metadata.namespace_,
                      tj.metadata.name, suspend));
    if (jobsets_created_[{tj.metadata.namespace_, tj.metadata.name}] > 1) {
      notes_.AddOnce(api_.loop().Now(),
                     fmt::format("TrainJob {}/{}: its JobSet was created again after it was "
                                 "gone; a failed TrainJob forgets its Failed condition each "
                                 "reconcile in Trainer v2.3.0 (kubeflow/trainer#3779, fixed "
                                 "by #3891)",
                                 tj.metadata.namespace_, tj.metadata.name),
                     "kubeflow/trainer#3779");
    }
    return std::nullopt;
  }
  if (!OwnedBy(existing->metadata, tj)) {
    return fmt::format("JobSet {}/{} exists and is not controlled by this TrainJob",
                       tj.metadata.namespace_, tj.metadata.name);
  }
  JobSet updated = *existing;
  ApplyMutable(built, &updated);
  if (auto errors = ValidateJobSetUpdate(*existing, updated); !errors.empty()) {
    return fmt::format("admission webhook \"{}\" denied the request: {}", kJobSetWebhookName,
                       AggregateFieldErrors(errors));
  }
  if (updated.spec.suspend != existing->spec.suspend ||
      updated.metadata.labels != existing->metadata.labels) {
    jobsets.Mutate(tj.metadata.namespace_, tj.metadata.name,
                   [&](JobSet& obj) { ApplyMutable(built, &obj); });
  }
  return std::nullopt;
}

void TrainJobController::Event(const TrainJob& tj, const std::string& type,
                               const std::string& reason, const std::string& message) {
  api_.events().Record(
      {TrainJob::kKind, tj.metadata.namespace_, tj.metadata.name, tj.metadata.uid, ""}, type,
      reason, message, "trainjob-controller");
}

void TrainJobController::Trace(const std::string& text) {
  api_.trace().Record(api_.loop().Now(), "trainjob-controller", text);
}

}  // namespace ptsim
