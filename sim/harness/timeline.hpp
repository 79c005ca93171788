// The human timeline of a run: one line per meaningful change, virtual time
// first — job conditions, pods scheduled, containers started and how they
// ended, pods deleted, faults fired, notes — written as it happens, with
// colour when the output is a terminal. Loop thread only.
#pragma once

#include <map>
#include <ostream>
#include <string>

#include "fakes/kubelet/kubelet_observer.hpp"
#include "sim/harness/simulation.hpp"

namespace ptsim {

class Timeline final : public KubeletObserver {
 public:
  Timeline(Simulation& sim, std::ostream& out, bool color);

  void ContainerStarted(const ContainerIncarnation& inc) override;
  void ContainerExited(const ContainerIncarnation& inc, const ProcessExit& exit,
                       const ContainerStateTerminated& state) override;

 private:
  void Line(const std::string& text, const char* color = nullptr);

  Simulation& sim_;
  std::ostream& out_;
  bool color_;
  std::map<std::string, std::string> pod_phase_;  // by uid
  std::size_t notes_printed_ = 0;
};

}  // namespace ptsim
