// The ClusterTrainingRuntime `torch-distributed` that Kubeflow Trainer v2.3.0
// ships (charts/kubeflow-trainer/files/runtimes/torch-distributed.yaml): one
// replicated job `node`, labelled as the trainer, with container `node` and
// the pytorch image; mlPolicy {numNodes: 1, torch: {}}; nothing else set, so
// the JobSet and Job defaults decide restartPolicy (OnFailure) and
// backoffLimit (6). ptsim's fake cluster has it unless the input defines a
// ClusterTrainingRuntime of that name. Pure; any thread.
#pragma once

#include "sim/model/trainjob.hpp"

namespace ptsim {

inline constexpr const char* kDefaultRuntimeName = "torch-distributed";
inline constexpr const char* kDefaultRuntimeImage =
    "pytorch/pytorch:2.13.0-cuda13.0-cudnn9-runtime";

ClusterTrainingRuntime TorchDistributedRuntime();

}  // namespace ptsim
