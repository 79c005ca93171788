// The object one attempt of a Flyte task submits, as flytepropeller builds it
// (launchResource: the plugin's BuildResource, then addObjectMetadata) under
// the attempt's task execution (flyte_plan.hpp AttemptExecution): a
// PyTorchJob from the kubeflow plugin for task type "pytorch", a Pod from the
// pod plugin otherwise. The manifest is decoded and checked the way ptsim
// checks a manifest file (strict decoding, the training-operator's webhook
// and ptsim's simulation checks for PyTorchJobs, pod validation for pods), so
// a task whose object the cluster would reject fails before anything runs.
// Plain functions; any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "sim/core/diagnostics.hpp"
#include "sim/harness/flyte_plan.hpp"
#include "sim/model/operator_version.hpp"
#include "sim/model/pod.hpp"
#include "sim/model/pytorchjob.hpp"
#include "sim/model/pytorchjob_codec.hpp"

namespace ptsim {

struct FlyteAttemptObject {
  std::string kind;  // "PyTorchJob" or "Pod"
  std::string name;  // metadata.name
  std::string ns;    // metadata.namespace
  nlohmann::json manifest;
  std::optional<PyTorchJob> job;
  FieldLocations locations;  // of the job's fields in the (generated) manifest
  std::optional<Pod> pod;
};

// Places diagnostics of the Flyte model (flytepropeller's builders) at the
// template field they concern when it is known (for a task file, the key
// that produced it), else at plan.where; an empty object becomes `object`.
Diagnostics PlaceFlyteDiagnostics(const Diagnostics& from, const FlytePlan& plan,
                                  const std::string& object);

// Errors carry flytepropeller's text and are placed at the template field
// they concern when it is known, else at plan.where; warnings ride along.
Result<FlyteAttemptObject> BuildFlyteAttempt(const FlytePlan& plan, int64_t attempt,
                                             OperatorVersion version);

// The environment variable that tells a task's processes where to leave
// their return value and decks (docs/flyte.md "Outputs").
inline constexpr char kFlyteOutputDirEnv[] = "PTSIM_FLYTE_OUTPUT_DIR";

// Sets NAME=value on every container (and init container) of the object.
void SetContainerEnv(FlyteAttemptObject* object, const std::string& name, const std::string& value);

}  // namespace ptsim
