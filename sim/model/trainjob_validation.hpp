// Admission checks of Trainer v2 objects that need nothing but the object
// (kubeflow/trainer v2.3.0): the TrainJob CRD's x-kubernetes-validations
// (trainjob_types.go), its update rules (immutable fields, runtimePatches
// only while suspended), and the runtime webhook
// (pkg/webhooks/trainingruntime_webhook.go). Checks that need the referenced
// runtime live with the TrainJob webhook (fakes/trainer/trainjob_webhook.hpp).
// Messages are upstream's, verbatim. Pure; any thread.
#pragma once

#include <vector>

#include "sim/model/field_error.hpp"
#include "sim/model/trainjob.hpp"

namespace ptsim {

// CRD rules on create and update: metadata.name an RFC 1035 label of at most
// 63 characters; managedBy one of the two controllers; runtimePatches[].manager
// a domain-prefixed path.
std::vector<FieldError> ValidateTrainJobCrd(const TrainJob& trainjob);

// Update rules: runtimeRef, initializer, trainer, activeDeadlineSeconds and
// managedBy are immutable; runtimePatches may change only while suspended
// before or after the update.
std::vector<FieldError> ValidateTrainJobUpdate(const TrainJob& old_job, const TrainJob& new_job);

// The runtime webhook (ClusterTrainingRuntime on create and update,
// TrainingRuntime on create only): at most one ML policy; a replicated job
// labelled as an ancestor step has replicas 1 and its required container;
// torch envInjection targets name 1 to 8 containers, never `node`.
std::vector<FieldError> ValidateTrainingRuntimeSpec(const TrainingRuntimeSpec& spec);

}  // namespace ptsim
