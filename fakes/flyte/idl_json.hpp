// JSON forms of the flyteidl plugin messages (idl.hpp), both directions.
//
// MessageToDict mirrors Python's google.protobuf.json_format.MessageToDict with
// default options, which is what flytekit's get_custom returns: lowerCamelCase
// keys, enums by name (by number when the number has no name), proto3 zero
// scalars omitted, set-but-empty messages as {}. The Unmarshal functions mirror what flytepropeller
// does with a task's custom (flyteplugins utils.UnmarshalStruct: jsonpb with AllowUnknownFields):
// unknown keys are ignored, both the JSON name and the proto field name are
// accepted, int32 may be a number or a numeric string, enums a name or any
// int32 number (known or not, as jsonpb takes it), null means unset. Errors name the offending JSON
// path in Diagnostic::field; their wording is ours (jsonpb's own texts are not reproduced). Plain
// functions; any thread.
#pragma once

#include <nlohmann/json.hpp>

#include "fakes/flyte/idl.hpp"
#include "sim/core/diagnostics.hpp"

namespace ptsim::flyte {

nlohmann::json MessageToDict(const idl::Resources& resources);
nlohmann::json MessageToDict(const idl::DistributedPyTorchTrainingTask& task);
nlohmann::json MessageToDict(const idl::v0::DistributedPyTorchTrainingTask& task);

// `json` must be an object (or null for an all-default message).
Result<idl::Resources> UnmarshalResources(const nlohmann::json& json);
Result<idl::DistributedPyTorchTrainingTask> UnmarshalTrainingTask(const nlohmann::json& json);
Result<idl::v0::DistributedPyTorchTrainingTask> UnmarshalLegacyTrainingTask(
    const nlohmann::json& json);

}  // namespace ptsim::flyte
