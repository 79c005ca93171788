// Kubernetes resource requirements as flytepropeller computes them for a
// container: conversion from Flyte resource entries, merging of overrides and
// platform defaulting (flyteplugins pluginmachinery/flytek8s utils.go
// ToK8sResourceList/ToK8sResourceRequirements and container_helper.go
// MergeResources, ApplyResourceOverrides, SanitizeGPUResourceRequirements).
//
// The requirements are core/v1's (sim/model/pod.hpp), their JSON form that of
// sim/model/resource_json.hpp. Plain functions.
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "fakes/flyte/idl.hpp"
#include "sim/core/diagnostics.hpp"
#include "sim/model/pod.hpp"
#include "sim/model/quantity.hpp"
#include "sim/model/resource_json.hpp"

namespace ptsim::flyte {

inline constexpr std::string_view kResourceNvidiaGpu = "nvidia.com/gpu";

// ToK8sResourceRequirements: CPU -> cpu, MEMORY -> memory, GPU ->
// nvidia.com/gpu, EPHEMERAL_STORAGE -> ephemeral-storage; zero values and
// other names dropped. A bad value fails with "Failed to parse resource as a
// valid quantity.: <apimachinery error>" (no field, as upstream).
Result<ResourceRequirements> ToK8sResourceRequirements(const idl::Resources& resources);

// MergeResources(in, out): every key of `in` overwrites `out`.
void MergeResources(const ResourceRequirements& in, ResourceRequirements* out);

// SanitizeGPUResourceRequirements: key "gpu" becomes `gpu_resource_name`.
void SanitizeGpuResourceRequirements(const std::string& gpu_resource_name,
                                     ResourceRequirements* resources);

// The plugin-config fallbacks used by ApplyResourceOverrides.
struct ResourceDefaults {
  Quantity default_cpu_request{};     // k8s plugin config default-cpus (1000m)
  Quantity default_memory_request{};  // default-memory (1024Mi)
  std::string gpu_resource_name = std::string(kResourceNvidiaGpu);
};

// ApplyResourceOverrides(resources, platformResources, assignIfUnset): for
// cpu and memory always, for ephemeral-storage and the GPU resource only when
// present: with assign_if_unset a missing request takes the limit or else the
// platform default, a missing limit takes the request; then request and limit
// are clamped to the platform limit and the request to the limit. The entries
// are always written, zero included (a container with nothing set and
// assign_if_unset false ends up with cpu/memory "0").
ResourceRequirements ApplyResourceOverrides(ResourceRequirements resources,
                                            const ResourceRequirements& platform,
                                            const ResourceDefaults& defaults, bool assign_if_unset);

}  // namespace ptsim::flyte
