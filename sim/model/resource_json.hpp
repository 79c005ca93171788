// The JSON form of core/v1 ResourceRequirements, as the API server serializes
// it: {"limits": {"cpu": "1"}, "requests": {"memory": "1Gi"}}, quantities in
// canonical form (Quantity::String), an empty map left out. The decoder reads
// what a pod template written as JSON holds: quantities as strings or numbers.
// Plain functions; any thread.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "sim/core/diagnostics.hpp"
#include "sim/model/pod.hpp"

namespace ptsim {

nlohmann::json ResourceRequirementsToJson(const ResourceRequirements& resources);

// Reads {"requests": {...}, "limits": {...}}; null is empty requirements.
// Errors name the offending key under `field` (e.g. "resources.limits.cpu")
// and carry apimachinery's quantity messages.
Result<ResourceRequirements> ResourceRequirementsFromJson(const nlohmann::json& json,
                                                          const std::string& field);

}  // namespace ptsim
