// The Trainer's Torch plugin (kubeflow/trainer v2.3.0
// pkg/runtime/framework/plugins/torch/torch.go): the admission checks it adds
// to the TrainJob webhook, and EnforceMLPolicy, which settles the trainer's
// node count and writes torchrun's PET_* environment and port 29500 into the
// runtime's trainer container `node` and into the envInjection targets. The
// rules: docs/trainer.md#from-trainjob-to-jobset. Pure functions; any thread.
#pragma once

#include <string>
#include <vector>

#include "fakes/trainer/runtime_info.hpp"
#include "sim/model/field_error.hpp"
#include "sim/model/trainjob.hpp"

namespace ptsim {

// torchrun's variables (pkg/constants/constants.go TorchRunReservedEnvNames).
inline constexpr const char* kPetNumNodes = "PET_NNODES";
inline constexpr const char* kPetNumProcPerNode = "PET_NPROC_PER_NODE";
inline constexpr const char* kPetNodeRank = "PET_NODE_RANK";
inline constexpr const char* kPetMasterAddr = "PET_MASTER_ADDR";
inline constexpr const char* kPetMasterPort = "PET_MASTER_PORT";
// PET_NODE_RANK's fieldRef (constants.JobCompletionIndexFieldPath).
inline constexpr const char* kJobCompletionIndexFieldPath =
    "metadata.annotations['batch.kubernetes.io/job-completion-index']";

// True for `tune run` (constants.TorchTuneEntrypoint).
bool IsTorchTuneCommand(const std::optional<std::vector<std::string>>& command);

// Torch.Validate: with a torch policy and a non-nil spec.trainer, reserved
// PET_* variables in spec.trainer.env are refused; every envInjection target
// must name a replicated job and container of the runtime template.
std::vector<FieldError> ValidateTorch(const RuntimeInfo& info, const TrainJob& trainjob);

// The value PET_NPROC_PER_NODE gets: trainer.numProcPerNode as written
// (default "auto"); "auto" without a GPU resource becomes the CPU count of
// `resources` (request if non-zero, else limit, rounded up, at least 1).
// `resources` is the TrainJob's resourcesPerNode when set, else the runtime's
// trainer container's.
std::string NumProcPerNode(const TrainJob& trainjob, const ResourceRequirements& resources);

// Torch.EnforceMLPolicy. Does nothing without a torch policy. `trainjob` is
// the build's working copy: under torchtune its trainer command gains the
// rendezvous endpoint, as upstream mutates its in-memory TrainJob.
void EnforceTorchMLPolicy(RuntimeInfo* info, TrainJob* trainjob);

}  // namespace ptsim
