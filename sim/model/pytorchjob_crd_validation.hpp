// The checks the API server itself runs on a PyTorchJob update, from the CRD's
// OpenAPI schema (x-kubernetes-validations, i.e. CEL rules), before any
// admission webhook sees the object. The training-operator ships one such
// rule (manifests/base/crds/kubeflow.org_pytorchjobs.yaml, v1.8.0+;
// docs/upstream/training-operator.md#validation, V14):
//
//   schedulingPolicy.queue:  rule: self == oldSelf
//                            message: spec.runPolicy.schedulingPolicy.queue is immutable
//
// Plain data; any thread.
#pragma once

#include <string>
#include <vector>

#include "sim/model/field_error.hpp"
#include "sim/model/operator_version.hpp"
#include "sim/model/pytorchjob.hpp"

namespace ptsim {

// The CRD's transition rules that `next` breaks relative to `old`: empty when
// the update is admitted, or for v1.7.0 (its CRD has no such rule). A CEL
// failure is reported as Invalid with the value's type name ("string") as the
// bad value, as the API server's CEL validator reports it.
std::vector<FieldError> ValidateCrdUpdate(const PyTorchJob& old, const PyTorchJob& next,
                                          OperatorVersion version);

// The API server's StatusError text for a rejected write:
// `PyTorchJob.kubeflow.org "<name>" is invalid: <aggregate of errors>`.
std::string CrdInvalidMessage(const std::string& name, const std::vector<FieldError>& errors);

}  // namespace ptsim
