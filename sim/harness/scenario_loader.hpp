// Decoding of ptsim scenario files (apiVersion ptsim.io/v1, kind Scenario;
// docs/scenarios.md) into a RunPlan: name and description, seed, timeout,
// operator version, the cluster, image mappings, the job (inline, from a
// manifest file, or as Pods), faults and expectations. Everything is checked
// here, before anything runs: unknown keys and fault kinds, bad durations and
// regular expressions, fault targets that match nothing, and expectations
// about objects that cannot exist are errors with file and line.
#pragma once

#include <yaml-cpp/yaml.h>

#include "sim/harness/run_plan.hpp"
#include "sim/model/yaml_reader.hpp"

namespace ptsim {

// Fills `plan` from the scenario `document` of file `ctx.file()`. `add_document`
// decodes a Kubernetes object (Pod, PyTorchJob, List) found inline or in a
// referenced manifest file.
void DecodeScenario(
    DecodeContext& ctx, const YAML::Node& document, RunPlan* plan, const PlanOverrides& overrides,
    const std::function<void(DecodeContext&, const YAML::Node&, RunPlan*)>& add_document);

// The checks that need the whole plan: fault targets and expectations refer to
// pods, replica types, nodes and services that the plan can create.
void CheckPlanReferences(const RunPlan& plan, Diagnostics* diagnostics);

}  // namespace ptsim
