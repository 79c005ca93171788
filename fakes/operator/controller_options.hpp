// The options a PyTorchJob controller of one release runs with in ptsim: the
// release's profile, defaulting by SetDefaults_PyTorchJob and, where the
// release validates in the controller (v1.7.0), ValidateV1PyTorchJob on the
// defaulted job. Runs and tests build their controllers from this one place.
#pragma once

#include "fakes/operator/pytorchjob_controller.hpp"
#include "sim/model/operator_version.hpp"

namespace ptsim {

PyTorchJobController::Options ControllerOptionsFor(OperatorVersion version);

}  // namespace ptsim
