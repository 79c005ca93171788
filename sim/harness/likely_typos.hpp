// Values upstream accepts but that are almost certainly typos. The run keeps
// upstream's behaviour exactly; each such value gets a warning before the run
// (file and line) and a note in the report naming the field, the value, what
// upstream does with it and the value likely meant. Checked from the CRD
// schema and the validating webhook of training-operator v1.7-v1.9
// (docs/upstream/training-operator.md#checks-ptsim-adds):
//  - replica restartPolicy: no enum in the CRD, no webhook check; the operator
//    copies it into the pods (core.SetRestartPolicy), whose create the API
//    server rejects, so those replicas never start.
//  - runPolicy.cleanPodPolicy: no enum, no check; anything but None and
//    Running cleans up as All (common/job.go DeletePodsAndServices;
//    docs/upstream/training-operator.md#unknown-cleanpodpolicy-values-act-as-all).
// Plain function; any thread.
#pragma once

#include <string>
#include <vector>

#include "sim/core/diagnostics.hpp"
#include "sim/harness/run_plan.hpp"
#include "sim/model/pytorchjob.hpp"
#include "sim/model/pytorchjob_codec.hpp"

namespace ptsim {

// Warnings into `diagnostics` (at LocateField(locations, field), about
// `object`), notes into `notes`.
void CheckLikelyTypos(const PyTorchJob& job, const FieldLocations& locations,
                      const std::string& object, Diagnostics* diagnostics,
                      std::vector<PlanNote>* notes);

}  // namespace ptsim
