#include "fakes/kubelet/crash_loop_backoff.hpp"

#include <algorithm>

namespace ptsim {

bool CrashLoopBackoff::Expired(Time event_time) const {
  return event_time - entry_->last_update > 2 * kMax;
}

Time CrashLoopBackoff::RestartAt(Time finished_at, Time now) const {
  if (!entry_ || Expired(finished_at)) return now;
  return std::max(now, finished_at + entry_->backoff);
}

void CrashLoopBackoff::Next(Time finished_at, Time now) {
  if (!entry_ || Expired(finished_at)) {
    entry_ = Entry{kInitial, now};
    return;
  }
  entry_->backoff = std::min(entry_->backoff * 2, kMax);
  entry_->last_update = now;
}

}  // namespace ptsim
