#include "fakes/operator/controller_options.hpp"

#include <string>
#include <vector>

#include "fakes/operator/operator_profile.hpp"
#include "sim/model/pytorchjob_defaults.hpp"
#include "sim/model/pytorchjob_validation.hpp"

namespace ptsim {

PyTorchJobController::Options ControllerOptionsFor(OperatorVersion version) {
  PyTorchJobController::Options o;
  o.profile = ProfileFor(version);
  o.set_defaults = [](const PyTorchJob& job) { return SetDefaults_PyTorchJob(job); };
  o.validate_in_controller = [](const PyTorchJob& job) {
    std::vector<std::string> problems;
    if (auto e = ValidateV1PyTorchJob(SetDefaults_PyTorchJob(job))) problems.push_back(e->message);
    return problems;
  };
  return o;
}

}  // namespace ptsim
