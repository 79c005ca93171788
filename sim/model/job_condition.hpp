// JobCondition: one condition of a training job's status, as kubeflow's
// common types define it (training-operator pkg/apis/kubeflow.org/v1
// common_types.go JobCondition). The one model of it in ptsim: the operator
// writes it, the recorder and reports read it, and Flyte's plugin picks its
// current condition from it. Times are virtual time; Time{} is unset (Go's
// zero time). Plain data.
#pragma once

#include <string>

#include "sim/core/time.hpp"

namespace ptsim {

struct JobCondition {
  std::string type{};    // Created, Running, Restarting, Succeeded, Suspended, Failed
  std::string status{};  // True, False, Unknown
  std::string reason{};
  std::string message{};
  Time last_update_time{};
  Time last_transition_time{};
  bool operator==(const JobCondition&) const = default;
};

}  // namespace ptsim
