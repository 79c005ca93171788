// The client-side rate limit of the operator's Kubernetes client: a token
// bucket (client-go util/flowcontrol NewTokenBucketRateLimiter) with the QPS
// and burst that controller-runtime's config.GetConfig gives a client that
// sets none (20 and 30; the training-operator's main.go sets none). ptsim
// charges it only for the writes of the create/delete loop of slots at or
// beyond `replicas` (docs/upstream/training-operator.md#zero-replicas-churn),
// which would otherwise run without end in one virtual instant; other writes
// are not limited. Plain data; loop thread only.
#pragma once

#include <optional>

#include "sim/core/time.hpp"

namespace ptsim {

class ClientRateLimiter {
 public:
  ClientRateLimiter(double qps = 20, int burst = 30) : qps_(qps), burst_(burst), tokens_(burst) {}

  // Takes a token at `now`: nullopt when one was free, else how long until
  // one will be (nothing is taken then).
  std::optional<Duration> TryTake(Time now);

 private:
  double qps_;
  int burst_;
  double tokens_;
  std::optional<Time> last_;
};

}  // namespace ptsim
