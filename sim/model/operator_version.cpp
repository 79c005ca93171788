#include "sim/model/operator_version.hpp"

#include <fmt/format.h>

#include <array>

namespace ptsim {
namespace {

struct KnownRelease {
  std::string_view name;
  OperatorVersion profile;
};

// Every release of the v1 operator from v1.7.0 on, and the profile that
// behaves as it did. The release notes decide: v1.8.1 fixed the TTL of
// suspended jobs (kubeflow/training-operator#2243); v1.9.1-v1.9.3 changed
// images, the SDK and client settings, not the PyTorchJob controller or its
// webhook; v1.9.4 fixed cleanPodPolicy on backoff/deadline failures
// (kubeflow/trainer#3420).
constexpr std::array<KnownRelease, 8> kReleases = {{
    {"v1.7.0", OperatorVersion::kV1_7_0},
    {"v1.8.0", OperatorVersion::kV1_8_0},
    {"v1.8.1", OperatorVersion::kV1_8_1},
    {"v1.9.0", OperatorVersion::kV1_9_0},
    {"v1.9.1", OperatorVersion::kV1_9_0},
    {"v1.9.2", OperatorVersion::kV1_9_0},
    {"v1.9.3", OperatorVersion::kV1_9_0},
    {"v1.9.4", OperatorVersion::kV1_9_4},
}};

std::string WhyAsProfile(std::string_view release, OperatorVersion profile) {
  if (profile == OperatorVersion::kV1_9_0) {
    return fmt::format(
        "the PyTorchJob controller and webhook did not change from v1.9.0 to {}; the fix of "
        "v1.9.4, cleanPodPolicy honoured when backoffLimit or activeDeadlineSeconds fails the "
        "job (kubeflow/trainer#3420), is not in it",
        release);
  }
  return "";
}

}  // namespace

std::optional<OperatorVersion> ParseOperatorVersion(std::string_view text) {
  if (text == "fixed") return OperatorVersion::kFixed;
  if (!text.empty() && text.front() == 'v') text.remove_prefix(1);
  if (text == "1.7.0") return OperatorVersion::kV1_7_0;
  if (text == "1.8.0") return OperatorVersion::kV1_8_0;
  if (text == "1.8.1") return OperatorVersion::kV1_8_1;
  if (text == "1.9.0") return OperatorVersion::kV1_9_0;
  if (text == "1.9.4") return OperatorVersion::kV1_9_4;
  return std::nullopt;
}

std::string_view OperatorVersionName(OperatorVersion version) {
  switch (version) {
    case OperatorVersion::kV1_7_0:
      return "v1.7.0";
    case OperatorVersion::kV1_8_0:
      return "v1.8.0";
    case OperatorVersion::kV1_8_1:
      return "v1.8.1";
    case OperatorVersion::kV1_9_0:
      return "v1.9.0";
    case OperatorVersion::kV1_9_4:
      return "v1.9.4";
    case OperatorVersion::kFixed:
      return "fixed";
  }
  return "unknown";
}

std::optional<OperatorRelease> ResolveOperatorRelease(std::string_view text) {
  if (text == "fixed") return OperatorRelease{"fixed", OperatorVersion::kFixed, ""};
  if (!text.empty() && text.front() == 'v') text.remove_prefix(1);
  for (const auto& r : kReleases) {
    if (r.name.substr(1) != text) continue;
    const bool own = OperatorVersionName(r.profile) == r.name;
    return OperatorRelease{std::string(r.name), r.profile,
                           own ? std::string() : WhyAsProfile(r.name, r.profile)};
  }
  return std::nullopt;
}

std::string DescribeOperatorRelease(const OperatorRelease& release) {
  if (release.why.empty()) return "";
  return fmt::format("operator {}: behaves as profile {} ({})", release.name,
                     OperatorVersionName(release.profile), release.why);
}

std::string_view OperatorVersionChoices() {
  return "v1.7.0, v1.8.0, v1.8.1, v1.9.0, v1.9.1, v1.9.2, v1.9.3, v1.9.4 (a leading \"v\" is "
         "optional), or fixed";
}

bool HasValidatingWebhook(OperatorVersion version) {
  return version != OperatorVersion::kV1_7_0;
}

bool HasQueueImmutabilityRule(OperatorVersion version) {
  return version != OperatorVersion::kV1_7_0;
}

bool ValidatesWorkerReplicasAndManagedBy(OperatorVersion version) {
  return version == OperatorVersion::kV1_9_0 || version == OperatorVersion::kV1_9_4 ||
         version == OperatorVersion::kFixed;
}

bool ValidateUpdateComparesNewWithNew(OperatorVersion version) {
  return version == OperatorVersion::kV1_9_0 || version == OperatorVersion::kV1_9_4;
}

}  // namespace ptsim
