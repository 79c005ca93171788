// runtimePatches applied to a TrainJob's JobSet (kubeflow/trainer v2.3.0
// pkg/runtime/framework/plugins/jobset/builder.go, #3309): each patch is a
// strategic merge patch of {template: {metadata, spec: {replicatedJobs}}},
// applied in list order. What ptsim merges, per the patch's allowed fields
// and core/v1's patch strategies: template and Job/pod template labels and
// annotations (map merge); replicatedJobs by name; pod spec nodeSelector (map
// merge), tolerations (replaced), volumes (merged by name),
// terminationGracePeriodSeconds; containers and initContainers by name with
// env merged by name and volumeMounts by mountPath. Fields the pod model does
// not hold (serviceAccountName, securityContext, affinity, imagePullSecrets,
// schedulingGates) are accepted and have no effect. Pure; any thread.
#pragma once

#include <map>
#include <string>

#include "sim/model/jobset.hpp"
#include "sim/model/trainjob.hpp"

namespace ptsim {

// Applies one patch to the JobSet's metadata and spec. Replicated jobs the
// runtime lacks and containers it lacks are skipped (the webhook refuses them
// first: ValidateRuntimePatches); the replicated job order is kept.
void ApplyRuntimePatch(const RuntimePatch& patch, Labels* labels,
                       std::map<std::string, std::string>* annotations, JobSetSpec* spec);

}  // namespace ptsim
