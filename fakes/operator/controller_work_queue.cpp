// The PyTorchJob controller's work queue, with controller-runtime's semantics
// on one thread: a key is queued at most once; a reconcile's result decides
// what happens next (controller-runtime pkg/internal/controller reconcileHandler,
// client-go util/workqueue).

#include "fakes/operator/pytorchjob_controller.hpp"

#include <fmt/format.h>
#include <algorithm>

namespace ptsim {

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

}  // namespace ptsim
