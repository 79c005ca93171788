// The JobSet a TrainJob runs as (kubeflow/trainer v2.3.0
// pkg/runtime/core/trainingruntime.go buildObjects, pkg/runtime/framework/
// plugins/jobset/{jobset,builder}.go): the runtime's JobSet template with the
// TrainJob merged in. Steps, in upstream order: newRuntimeInfo (PodSet
// counts), the Torch plugin's EnforceMLPolicy, then the builder: initializers
// (replicas 1, STORAGE_URI and env), the trainer (replicas 1; image, command,
// args replace, env upserted), SyncParallelCount (parallelism = completions =
// count on every replicated job, #3651), resourcesPerNode merged per key onto
// container `node` (#3602), runtimePatches in order, then name, namespace,
// labels, annotations, suspend and the controller owner reference.
// docs/trainer.md#from-trainjob-to-jobset. Pure; any thread.
#pragma once

#include <string>
#include <vector>

#include "sim/model/field_error.hpp"
#include "sim/model/jobset.hpp"
#include "sim/model/trainjob.hpp"

namespace ptsim {

inline constexpr const char* kStorageUriEnv = "STORAGE_URI";

// Builds the JobSet. `trainjob` must carry its uid (the owner reference).
JobSet BuildJobSet(const TrainJob& trainjob, const TrainingRuntimeSpec& runtime);

// The JobSet webhook's pod-name check (kubernetes-sigs/jobset v0.12.0
// pkg/webhooks/jobset_webhook.go): `<js>-<rjob>-<replicas-1>-<completions-1>`
// plus "-abcde" must be a DNS label of at most 63 characters. For a TrainJob
// with fewer than 11 nodes this caps its name at 48 characters. Returns the
// errors the webhook's denial would carry.
std::vector<FieldError> ValidateJobSetPodNames(const JobSet& jobset);

}  // namespace ptsim
