// Decoding of trainer.kubeflow.org/v1alpha1 TrainJob, TrainingRuntime and
// ClusterTrainingRuntime manifests (kubeflow/trainer v2.3.0 CRDs) from YAML or
// JSON, strictly: unknown fields, wrong types, the CRD's list bounds (command
// and args at most 128 items, runtimePatches at most 16, envInjection
// containerNames 1 to 8) and activeDeadlineSeconds >= 1 are errors with
// file:line. runtimePatches are checked against the fields upstream allows
// and kept as JSON (fakes/trainer/runtime_patch.hpp applies them). A
// runtime's template spec goes through jobset_codec.hpp. `status` is ignored;
// nothing is defaulted. Single-threaded per DecodeContext.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

#include "sim/core/diagnostics.hpp"
#include "sim/model/trainjob.hpp"
#include "sim/model/yaml_reader.hpp"

namespace ptsim {

void DecodeTrainJobSpec(MapReader& m, TrainJobSpec* out);
// Whole documents (apiVersion trainer.kubeflow.org/v1alpha1 and their kind).
void DecodeTrainJob(MapReader& m, TrainJob* out);
void DecodeTrainingRuntimeSpec(MapReader& m, TrainingRuntimeSpec* out);
void DecodeTrainingRuntime(MapReader& m, TrainingRuntime* out);
// metadata.namespace is ignored: the kind is cluster-scoped.
void DecodeClusterTrainingRuntime(MapReader& m, ClusterTrainingRuntime* out);

// One parsed document with its own context.
Result<TrainJob> DecodeTrainJobDocument(const YAML::Node& document, const std::string& file);
Result<TrainingRuntime> DecodeTrainingRuntimeDocument(const YAML::Node& document,
                                                      const std::string& file);
Result<ClusterTrainingRuntime> DecodeClusterTrainingRuntimeDocument(const YAML::Node& document,
                                                                    const std::string& file);

}  // namespace ptsim
