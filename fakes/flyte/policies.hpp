// The two enums and the run policy of flytekitplugins.kfpytorch (task.py):
// RestartPolicy, CleanPodPolicy and RunPolicy, with the spellings each layer
// uses for them. The enum values are the flyteidl numbers (plugins/common.proto
// RestartPolicy, plugins/kubeflow/common.proto CleanPodPolicy).
//
// Spellings: flytekit's Python member names (RestartPolicy.FAILURE is the
// member for proto RESTART_POLICY_ON_FAILURE), the proto constant names that
// MessageToDict emits, and the kubeflow strings flytepropeller writes into the
// PyTorchJob (common_operator.go ParseRestartPolicy / ParseCleanPodPolicy).
// Plain data; any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace ptsim::flyte {

// Python members: NEVER = 0, FAILURE = 1, ALWAYS = 2. Like a proto3 enum,
// the value may hold any other int32 number: flytepropeller's jsonpb decoding
// accepts unknown numbers (golang/protobuf jsonpb unmarshalSingularValue).
enum class RestartPolicy : int32_t { kNever = 0, kOnFailure = 1, kAlways = 2 };
// Python members: NONE = 0, RUNNING = 1, ALL = 2 (open like RestartPolicy).
enum class CleanPodPolicy : int32_t { kNone = 0, kRunning = 1, kAll = 2 };

// Whether the value is one of the named constants.
bool IsKnown(RestartPolicy policy);
bool IsKnown(CleanPodPolicy policy);

// Python member name: "NEVER", "FAILURE", "ALWAYS" ("" for an unknown number).
std::string_view PythonName(RestartPolicy policy);
// Proto constant: "RESTART_POLICY_NEVER", "RESTART_POLICY_ON_FAILURE", ...
// ("" for an unknown number, which MessageToDict prints as the number).
std::string_view ProtoName(RestartPolicy policy);
// Kubeflow ReplicaSpec.restartPolicy: "Never", "OnFailure", "Always"; ""
// for an unknown number (ParseRestartPolicy's map lookup misses).
std::string_view KubeflowName(RestartPolicy policy);

// "NONE", "RUNNING", "ALL" ("" for an unknown number).
std::string_view PythonName(CleanPodPolicy policy);
// "CLEANPOD_POLICY_NONE", "CLEANPOD_POLICY_RUNNING", "CLEANPOD_POLICY_ALL".
std::string_view ProtoName(CleanPodPolicy policy);
// Kubeflow RunPolicy.cleanPodPolicy: "None", "Running", "All"; "" for an
// unknown number (ParseCleanPodPolicy's map lookup misses).
std::string_view KubeflowName(CleanPodPolicy policy);

// Accepts the Python member name, the proto constant name, and (restart
// policy only) "ON_FAILURE". Exact case. nullopt for anything else.
std::optional<RestartPolicy> RestartPolicyFromName(std::string_view name);
std::optional<CleanPodPolicy> CleanPodPolicyFromName(std::string_view name);
// The enum for a proto number: any int32, known or not, as jsonpb decodes
// it; nullopt outside the int32 range.
std::optional<RestartPolicy> RestartPolicyFromNumber(int64_t number);
std::optional<CleanPodPolicy> CleanPodPolicyFromNumber(int64_t number);

// flytekit RunPolicy: every field defaults to None (unset).
struct RunPolicy {
  std::optional<CleanPodPolicy> clean_pod_policy{};
  std::optional<int64_t> ttl_seconds_after_finished{};
  std::optional<int64_t> active_deadline_seconds{};
  std::optional<int64_t> backoff_limit{};
};

}  // namespace ptsim::flyte
