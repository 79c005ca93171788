// The TTL-after-finished controller (pkg/controller/ttlafterfinished): a
// batch/v1 Job with spec.ttlSecondsAfterFinished is deleted, with background
// propagation (its pods go with it), that many seconds after the
// lastTransitionTime of its Complete or Failed condition. Loop thread only.
#pragma once

#include <map>
#include <string>

#include "fakes/apiserver/api_server.hpp"
#include "sim/model/batch_job.hpp"

namespace ptsim {

class TtlAfterFinishedController {
 public:
  explicit TtlAfterFinishedController(ApiServer& api);
  TtlAfterFinishedController(const TtlAfterFinishedController&) = delete;
  TtlAfterFinishedController& operator=(const TtlAfterFinishedController&) = delete;

 private:
  void Consider(const BatchJob& job);
  void Expire(const std::string& ns, const std::string& name, const std::string& uid);

  ApiServer& api_;
  std::map<std::string, EventLoop::TimerId> timers_;  // by job uid
};

}  // namespace ptsim
