// Admission-time validation of a PyTorchJob exactly as submitted (raw, not
// defaulted), per operator version (docs/upstream/training-operator.md#validation,
// whose V1-V14 name the rules below, and
// docs/upstream/training-operator.md#release-profiles):
//  * v1.8.1+: the validating webhook (pkg/webhooks/pytorch/pytorchjob_webhook.go,
//    pkg/common/util/webhooks.go) with its field.Error messages; v1.8.1 lacks
//    worker replicas >= 1, elastic-needs-Worker and managedBy (V8, V9, V12, V13);
//  * v1.7.0: no webhook; the controller's ValidateV1PyTorchJob
//    (pkg/apis/kubeflow.org/v1/pytorch_validation.go @v1.7.0) with its own
//    messages, which upstream turns into a Warning event, not a rejection;
//  * ptsim's own checks of what upstream only finds later (restartPolicy
//    values, nprocPerNode format), in every version.
// Order is deterministic where upstream follows Go map order: checks run in
// upstream's evaluation order (name, managedBy update, managedBy, elastic
// policy, replica specs), replica types in byte order of their keys ("Master"
// before "Worker"), and within a type: key, containers, images, pytorch
// container, replicas. Managed-by supported values are listed sorted.
// Pure functions; any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/diagnostics.hpp"
#include "sim/model/field_error.hpp"
#include "sim/model/operator_version.hpp"
#include "sim/model/pytorchjob.hpp"
#include "sim/model/pytorchjob_codec.hpp"

namespace ptsim {

inline constexpr const char* kPyTorchJobWebhookName =
    "validator.pytorchjob.training-operator.kubeflow.org";

// A warning: `message` is the complete text the client sees; `field` only
// says where it points (for source locations).
struct FieldWarning {
  std::string field;
  std::string message;
  bool operator==(const FieldWarning&) const = default;
};

// What a validating webhook returns: errors (the denial) and admission.Warnings.
struct ValidationResult {
  std::vector<FieldError> errors;
  std::vector<FieldWarning> warnings;

  bool allowed() const { return errors.empty(); }
  // `admission webhook "validator.pytorchjob..." denied the request: <aggregate>`,
  // as the API server reports it; "" when allowed.
  std::string DenialMessage() const;
};

// validatePyTorchJob(oldJob, newJob) @v1.9.0 (validatePyTorchJob(job) @v1.8.1):
// `old_job` is null on create; with an old job, managedBy must not change
// (V13, v1.9.0+). v1.7.0 has no webhook: the result is empty.
ValidationResult ValidatePyTorchJob(const PyTorchJob* old_job, const PyTorchJob& new_job,
                                    OperatorVersion version);
// Webhook.ValidateCreate.
ValidationResult WebhookValidateCreate(const PyTorchJob& job, OperatorVersion version);
// Webhook.ValidateUpdate. v1.9.0-v1.9.4 read the old job from newObj, so
// managedBy changes pass; `fixed` compares with `old_job`. See
// docs/upstream/training-operator.md#validateupdate-compares-the-new-object-with-itself
ValidationResult WebhookValidateUpdate(const PyTorchJob& old_job, const PyTorchJob& new_job,
                                       OperatorVersion version);

// util.ValidateRunPolicy (v1.9.0+): managedBy, when set, must be a known
// controller (V12).
std::vector<FieldError> ValidateRunPolicy(const RunPolicy& run_policy);
// util.ValidateRunPolicyUpdate (v1.9.0+): managedBy is immutable (V13); the
// value printed is the new one, or "null" when it was removed.
std::vector<FieldError> ValidateRunPolicyUpdate(const RunPolicy& old_policy,
                                                const RunPolicy& new_policy);

// apimachinery validation.IsDNS1035Label: its messages, none when valid.
std::vector<std::string> IsDns1035Label(std::string_view value);

// v1.7.0 ValidateV1PyTorchJob: the first failing check, or nullopt.
struct ControllerValidationError {
  std::string field;    // what the check is about, for source locations
  std::string message;  // upstream's error text
};
std::optional<ControllerValidationError> ValidateV1PyTorchJob(const PyTorchJob& job);
inline constexpr const char* kFailedValidationReason = "PyTorchJobFailedValidation";
// The Warning event v1.7.0 records: "PyTorchJob failed validation because <message>".
std::string FailedValidationEventMessage(const ControllerValidationError& error);

// ptsim's checks of what upstream accepts but fails on later: errors for
// restartPolicy values other than Always/OnFailure/Never/ExitCode (the pods
// are then rejected), warnings for an nprocPerNode that is not auto, cpu, gpu
// or a positive integer (saying what WORLD_SIZE becomes).
ValidationResult CheckPyTorchJobForSimulation(const PyTorchJob& job);

// Everything ptsim reports when `job` (as decoded, not defaulted) is created
// under `version`, each placed at LocateField(locations, field) and attributed
// to `object` (e.g. `PyTorchJob "mnist"`). Errors first: the webhook's
// (Diagnostic.field = the path, .message = field.Error body), then ptsim's;
// then warnings (field empty, message the complete text): the webhook's, then
// ptsim's. Under v1.7.0 the controller's validation failure is a warning, since
// v1.7.0 accepts the job; it is computed on the defaulted object, because the
// v1.7.0 create predicate defaults the informer's cached copy before the first
// Reconcile validates it.
Diagnostics DiagnosePyTorchJobCreate(const PyTorchJob& job, const FieldLocations& locations,
                                     OperatorVersion version, const std::string& object);

}  // namespace ptsim
