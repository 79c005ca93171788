#include "fakes/flyte/policies.hpp"

#include <array>
#include <cstdint>
#include <string_view>

namespace ptsim::flyte {
namespace {

struct Spellings {
  std::string_view python;
  std::string_view proto;
  std::string_view kubeflow;
};

// Indexed by the proto number.
constexpr std::array<Spellings, 3> kRestart = {{
    {"NEVER", "RESTART_POLICY_NEVER", "Never"},
    {"FAILURE", "RESTART_POLICY_ON_FAILURE", "OnFailure"},
    {"ALWAYS", "RESTART_POLICY_ALWAYS", "Always"},
}};
constexpr std::array<Spellings, 3> kCleanPod = {{
    {"NONE", "CLEANPOD_POLICY_NONE", "None"},
    {"RUNNING", "CLEANPOD_POLICY_RUNNING", "Running"},
    {"ALL", "CLEANPOD_POLICY_ALL", "All"},
}};

template <typename E>
const Spellings& Of(const std::array<Spellings, 3>& table, E e) {
  static constexpr Spellings kUnknown = {"", "", ""};
  const auto n = static_cast<int32_t>(e);
  return n >= 0 && n < static_cast<int32_t>(table.size()) ? table[static_cast<size_t>(n)]
                                                          : kUnknown;
}

template <typename E>
std::optional<E> FromNumber(int64_t number) {
  if (number < INT32_MIN || number > INT32_MAX) return std::nullopt;
  return static_cast<E>(static_cast<int32_t>(number));
}

template <typename E>
std::optional<E> FromName(const std::array<Spellings, 3>& table, std::string_view name) {
  for (size_t i = 0; i < table.size(); ++i) {
    if (name == table[i].python || name == table[i].proto) return static_cast<E>(i);
  }
  return std::nullopt;
}

}  // namespace

bool IsKnown(RestartPolicy policy) {
  return !Of(kRestart, policy).proto.empty();
}
bool IsKnown(CleanPodPolicy policy) {
  return !Of(kCleanPod, policy).proto.empty();
}

std::string_view PythonName(RestartPolicy policy) {
  return Of(kRestart, policy).python;
}
std::string_view ProtoName(RestartPolicy policy) {
  return Of(kRestart, policy).proto;
}
std::string_view KubeflowName(RestartPolicy policy) {
  return Of(kRestart, policy).kubeflow;
}
std::string_view PythonName(CleanPodPolicy policy) {
  return Of(kCleanPod, policy).python;
}
std::string_view ProtoName(CleanPodPolicy policy) {
  return Of(kCleanPod, policy).proto;
}
std::string_view KubeflowName(CleanPodPolicy policy) {
  return Of(kCleanPod, policy).kubeflow;
}

std::optional<RestartPolicy> RestartPolicyFromName(std::string_view name) {
  if (name == "ON_FAILURE") return RestartPolicy::kOnFailure;
  return FromName<RestartPolicy>(kRestart, name);
}

std::optional<CleanPodPolicy> CleanPodPolicyFromName(std::string_view name) {
  return FromName<CleanPodPolicy>(kCleanPod, name);
}

std::optional<RestartPolicy> RestartPolicyFromNumber(int64_t number) {
  return FromNumber<RestartPolicy>(number);
}

std::optional<CleanPodPolicy> CleanPodPolicyFromNumber(int64_t number) {
  return FromNumber<CleanPodPolicy>(number);
}

}  // namespace ptsim::flyte
