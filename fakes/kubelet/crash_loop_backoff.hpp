// The kubelet's container restart back-off (k8s.io/client-go/util/flowcontrol
// Backoff as used by pkg/kubelet/kuberuntime doBackOff): initial 10s, doubling
// to a 300s cap, keyed per pod and container.
//
// The rule, in terms of the finish time T of the container's latest exit:
//  - no entry, or the entry was last updated more than 2 x 300s before T
//    (10 minutes of clean running): the entry resets to 10s and the restart
//    happens at once;
//  - otherwise, while now - T < backoff, the container waits in
//    CrashLoopBackOff; once now - T >= backoff the backoff doubles (capped)
//    and the restart happens.
// So the first restart is immediate and the delays that follow are 10s, 20s,
// 40s, ... 300s. Plain data; no clock of its own.
#pragma once

#include <optional>

#include "sim/core/time.hpp"

namespace ptsim {

class CrashLoopBackoff {
 public:
  static constexpr Duration kInitial = std::chrono::seconds(10);
  static constexpr Duration kMax = std::chrono::seconds(300);

  // When a container that finished at `finished_at` may restart, seen at `now`.
  // Returns `now` when it may restart at once.
  Time RestartAt(Time finished_at, Time now) const;
  // Records a restart made at `now` for an exit at `finished_at` (flowcontrol
  // Backoff.Next).
  void Next(Time finished_at, Time now);
  // The back-off that RestartAt is waiting out (for the CrashLoopBackOff message).
  Duration current() const { return entry_ ? entry_->backoff : Duration{0}; }

 private:
  struct Entry {
    Duration backoff;
    Time last_update;
  };
  bool Expired(Time event_time) const;
  std::optional<Entry> entry_;
};

}  // namespace ptsim
