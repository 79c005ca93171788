// The human timeline of a run: one line per meaningful change, virtual time
// first — the conditions of jobs of every kind (job_kind.hpp), pods scheduled, containers started
// and how they ended, pods deleted, faults fired, notes — written as it happens, with colour when
// the output is a terminal. Lines come out in time order: notes that arrived since the last line
// are printed, oldest first, before the next line. A job condition that flaps (Running and
// Restarting in a crash loop) is printed once and then counted, as Kubernetes aggregates repeated
// events; its count is printed as `(x12 over 5m)` when the flapping stops or the run ends (Finish).
// Loop thread only.
#pragma once

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "fakes/kubelet/kubelet_observer.hpp"
#include "sim/harness/job_kind.hpp"
#include "sim/harness/simulation.hpp"

namespace ptsim {

class Timeline final : public KubeletObserver {
 public:
  Timeline(Simulation& sim, std::ostream& out, bool color);

  void ContainerStarted(const ContainerIncarnation& inc) override;
  void ContainerExited(const ContainerIncarnation& inc, const ProcessExit& exit,
                       const ContainerStateTerminated& state) override;
  // The run has ended: prints the counts of conditions still being folded and
  // the notes not printed yet.
  void Finish();

 private:
  // A job condition printed once, then counted while it repeats.
  struct ConditionRun {
    std::string key;   // type=status reason
    std::string head;  // "PyTorchJob j: Restarting=True JobRestarting"
    const char* color = nullptr;
    int count = 1;
    Time first{};
    Time last{};
    std::string last_message;
  };
  void JobChanged(const JobKind& kind, const AnyJob& job, const AnyJob& old, bool deleted);
  // `job`: "PyTorchJob j".
  void Condition(const std::string& job_uid, const std::string& job, const JobCondition& c);
  void FlushConditions(std::vector<ConditionRun>* runs);
  void Line(const std::string& text, const char* color = nullptr);
  void PrintNotes();

  Simulation& sim_;
  std::ostream& out_;
  bool color_;
  std::map<std::string, std::string> pod_phase_;                 // by uid
  std::map<std::string, std::vector<ConditionRun>> conditions_;  // by job uid, the last two
  std::size_t notes_printed_ = 0;
};

}  // namespace ptsim
