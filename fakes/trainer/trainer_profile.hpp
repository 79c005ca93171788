// Which Kubeflow Trainer release the TrainJob controller behaves as:
// `v2.3.0` (the default, tag of 2026-08-06) or `fixed` (HEAD a1f74d48c,
// kubeflow/trainer#3891), which no longer removes a Failed condition whose
// reason is not DeadlineExceeded at the start of every reconcile, so a failed
// TrainJob whose JobSet vanishes is not rebuilt (the loop of
// kubeflow/trainer#3779). Chosen with `trainerVersion:` in a scenario or
// `--trainer-version`. Plain data; any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ptsim {

struct TrainerProfile {
  enum class Version { kV2_3_0, kFixed };
  Version version = Version::kV2_3_0;
  // v2.3.0 removeFailedCondition: Failed (unless DeadlineExceeded) is dropped
  // before each reconcile.
  bool removes_failed_condition = true;

  std::string name() const { return version == Version::kFixed ? "fixed" : "v2.3.0"; }
};

// "v2.3.0" or "fixed"; nullopt otherwise.
std::optional<TrainerProfile> ParseTrainerVersion(std::string_view text);
inline constexpr const char* kTrainerVersions = "v2.3.0, fixed";

}  // namespace ptsim
