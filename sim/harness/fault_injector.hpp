// Carries out a run's faults (FaultSpec): arms each trigger (a time, an
// interval, a container's start or log line, a job condition), resolves the
// target when it fires (pods, containers or nodes; at random by the run's seed
// for chaos modes), and has the fault's action (FaultAction,
// sim/harness/faults/) act through the fakes' fault hooks. Every firing is
// traced and recorded for the report; a firing that matched nothing, and a
// fault that reached ptsim's limit on firings, leave a note. Loop thread only.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/random.hpp"
#include "sim/harness/fault_spec.hpp"
#include "sim/harness/faults/fault_targets.hpp"
#include "sim/harness/faulty_image_puller.hpp"
#include "sim/harness/simulation.hpp"

namespace ptsim {

class FaultInjector final : public KubeletObserver {
 public:
  FaultInjector(Simulation& sim, std::vector<FaultSpec> faults);
  FaultInjector(const FaultInjector&) = delete;
  FaultInjector& operator=(const FaultInjector&) = delete;

  // Arms the triggers; call once the run's objects are created.
  void Start();

  void ContainerStarted(const ContainerIncarnation& inc) override;
  void ContainerOutput(const ContainerIncarnation& inc, std::string_view line) override;

  // [{name, action, target, trigger, fired: [{time, targets: [...]}]}]
  nlohmann::json Report() const;

 private:
  struct Armed {
    FaultSpec spec;
    int fired = 0;
    nlohmann::json firings = nlohmann::json::array();
    Random rng{0};
  };

  bool CanFire(const Armed& a) const { return a.fired < a.spec.MostFirings(); }
  bool MatchesContainer(const FaultTarget& t, const ContainerIncarnation& inc) const;
  // A time-triggered fault's timer: fires it and, for `every`, re-arms it.
  void Tick(std::size_t index);
  std::vector<FaultHit> Resolve(Armed& a);
  // The nodes the target pods run on, each once.
  std::vector<FaultHit> NodesOf(const std::vector<FaultHit>& pods) const;
  // Carries out a firing through the fault's action and records it.
  void Fire(std::size_t index, std::vector<FaultHit> hits);
  void WatchConditions();

  Simulation& sim_;
  std::vector<Armed> armed_;
  FaultyImagePuller puller_;
};

}  // namespace ptsim
