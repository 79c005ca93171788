// The READY, STATUS and RESTARTS columns of `kubectl get pods`, computed from
// one pod of the JSON report (docs/report.md#pods) with kubectl's rules:
// kubernetes/kubernetes pkg/printers/internalversion/printers.go printPod.
// STATUS starts from status.reason or the phase, then init containers give
// `Init:<reason>`, `Init:Signal:N`, `Init:ExitCode:N` or `Init:i/n`; once
// initialised, the app containers (last to first, so the first one wins) give
// their waiting or terminated reason, `Signal:N` or `ExitCode:N`; `Completed`
// with a container still running turns into `Running` (Ready condition) or
// `NotReady`; a deletionTimestamp gives `Unknown` (reason NodeLost) or
// `Terminating` (phase not terminal). Pure functions; any thread.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace ptsim {

struct KubectlPodColumns {
  std::string ready;   // "1/2": ready app containers (and started sidecars) of all
  std::string status;  // kubectl's STATUS
  int restarts = 0;
  // finishedAt of the newest lastState.terminated among the containers counted.
  std::optional<double> last_restart_at;
};

// REQUIRES: `pod` has the shape of a report's pods[] entry; missing keys read
// as absent (an empty status), never as an error.
KubectlPodColumns KubectlPodRow(const nlohmann::json& pod);

// RESTARTS as kubectl prints it: "3", or "3 (10s ago)" when the newest
// restart is known, `now` being the moment the table describes (virtual
// seconds since the run began).
std::string RestartsText(const KubectlPodColumns& columns, double now);

}  // namespace ptsim
