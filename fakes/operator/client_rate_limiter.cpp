#include "fakes/operator/client_rate_limiter.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace ptsim {

std::optional<Duration> ClientRateLimiter::TryTake(Time now) {
  if (last_) {
    const double elapsed = std::chrono::duration<double>(now - *last_).count();
    tokens_ = std::min<double>(burst_, tokens_ + elapsed * qps_);
  }
  last_ = now;
  if (tokens_ >= 1) {
    tokens_ -= 1;
    return std::nullopt;
  }
  const double wait = (1 - tokens_) / qps_;
  return std::chrono::duration_cast<Duration>(std::chrono::duration<double>(std::max(wait, 1e-6)));
}

}  // namespace ptsim
