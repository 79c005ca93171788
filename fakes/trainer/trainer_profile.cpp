#include "fakes/trainer/trainer_profile.hpp"

namespace ptsim {

std::optional<TrainerProfile> ParseTrainerVersion(std::string_view text) {
  TrainerProfile p;
  if (text == "v2.3.0" || text == "2.3.0") return p;
  if (text == "fixed") {
    p.version = TrainerProfile::Version::kFixed;
    p.removes_failed_condition = false;
    return p;
  }
  return std::nullopt;
}

}  // namespace ptsim
