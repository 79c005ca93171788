#include "fakes/job/ttl_after_finished_controller.hpp"

#include <fmt/format.h>

#include "fakes/job/job_conditions.hpp"

namespace ptsim {
namespace {

// jobFinishTime: the lastTransitionTime of the True Complete or Failed condition.
std::optional<Time> FinishTime(const BatchJob& job) {
  for (const auto& c : job.status.conditions) {
    if ((c.type == "Complete" || c.type == "Failed") && c.status == "True") {
      return c.last_transition_time;
    }
  }
  return std::nullopt;
}

}  // namespace

TtlAfterFinishedController::TtlAfterFinishedController(ApiServer& api) : api_(api) {
  api_.collection<BatchJob>().Watch([this](const WatchEvent<BatchJob>& e) {
    if (e.type == WatchEventType::kDeleted) {
      auto it = timers_.find(e.object->metadata.uid);
      if (it != timers_.end()) {
        api_.loop().Cancel(it->second);
        timers_.erase(it);
      }
      return;
    }
    Consider(*e.object);
  });
}

void TtlAfterFinishedController::Consider(const BatchJob& job) {
  // needsCleanup: a TTL, a finished Job, not already being deleted.
  if (!job.spec.ttl_seconds_after_finished || job.metadata.deletion_timestamp) return;
  auto finished = FinishTime(job);
  if (!finished || timers_.count(job.metadata.uid)) return;
  const Time expire = *finished + std::chrono::seconds(*job.spec.ttl_seconds_after_finished);
  timers_[job.metadata.uid] =
      api_.loop().At(expire, [this, ns = job.metadata.namespace_, name = job.metadata.name,
                              uid = job.metadata.uid] { Expire(ns, name, uid); });
}

void TtlAfterFinishedController::Expire(const std::string& ns, const std::string& name,
                                        const std::string& uid) {
  timers_.erase(uid);
  auto job = api_.collection<BatchJob>().Get(ns, name);
  if (!job || job->metadata.uid != uid) return;
  api_.trace().Record(api_.loop().Now(), "ttl-after-finished-controller",
                      fmt::format("delete Job {}/{}: ttlSecondsAfterFinished {} expired", ns, name,
                                  job->spec.ttl_seconds_after_finished.value_or(0)));
  DeleteOptions options;
  options.propagation_policy = PropagationPolicy::kBackground;
  api_.collection<BatchJob>().Delete(ns, name, options);
}

}  // namespace ptsim
