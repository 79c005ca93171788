// The trainer.kubeflow.org/v1alpha1 TrainJob as a JobKind (job_kind.hpp):
// decoded by trainjob_codec and checked by the CRD's rules on load; its
// runtime (a TrainingRuntime or ClusterTrainingRuntime of the input, or the
// built-in `torch-distributed`) and the webhook's runtime-dependent checks by
// CheckTrainJobs once the whole input is read; run by the Trainer emulation
// (fakes/trainer). Stateless; loop thread for what touches a Simulation.
#pragma once

#include "sim/core/diagnostics.hpp"
#include "sim/harness/job_kind.hpp"
#include "sim/harness/run_plan.hpp"

namespace ptsim {

const JobKind& TrainJobKind();

// Decodes a TrainingRuntime or ClusterTrainingRuntime document into the plan,
// with the runtime webhook's checks.
void AddTrainingRuntime(DecodeContext& ctx, const YAML::Node& document, RunPlan* plan);

// The TrainJob webhook's checks that need the runtime, against the plan's
// runtimes and the built-in torch-distributed: errors at the TrainJob's
// spec.runtimeRef (or the field they name).
void CheckTrainJobs(const RunPlan& plan, Diagnostics* diagnostics);

// Creates the plan's runtimes in the API server, and the built-in
// torch-distributed unless the plan defines a ClusterTrainingRuntime of that
// name. Before any job.
void CreateTrainingRuntimes(Simulation& sim, const RunPlan& plan);

}  // namespace ptsim
