// The live status line drawn while a run goes on (when stderr is a terminal):
// virtual time, pods by phase, restarts, and whether virtual time is following
// the wall clock (real processes running) or jumping. Redrawn at most ten
// times per wall-clock second, cleared when the run ends. Loop thread only.
#pragma once

#include <ostream>
#include <string>

#include "fakes/apiserver/api_server.hpp"

namespace ptsim {

class LiveStatus {
 public:
  LiveStatus(ApiServer& api, std::ostream& out, std::string name);
  ~LiveStatus();
  void Redraw(bool force = false);
  void Clear();

 private:
  void Tick();
  ApiServer& api_;
  std::ostream& out_;
  std::string name_;
  Duration last_draw_{-1};
  std::size_t last_width_ = 0;
  EventLoop::TimerId ticker_;
};

}  // namespace ptsim
