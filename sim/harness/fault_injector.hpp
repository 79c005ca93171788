// Carries out a run's faults (FaultSpec): arms each trigger, picks targets
// when it fires (at random by the run's seed for chaos modes), and applies the
// action through the fakes' fault hooks — signals to container processes via
// the kubelet's runners (FaultyRunner for exit codes and OOM kills), graceful
// and forced deletion through the API server, node-pressure eviction, node
// loss through the kubelet and the node lifecycle controller, cordon, and
// image pulls through FaultyImagePuller. Every firing is traced and recorded
// for the report. Loop thread only.
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

  // `repeat: always` (0) fires up to kMaxFaultFirings times.
  bool CanFire(const Armed& a) const {
    return a.fired < (a.spec.repeat == 0 ? kMaxFaultFirings : a.spec.repeat);
  }
  bool MatchesContainer(const FaultTarget& t, const ContainerIncarnation& inc) const;
  // A time-triggered fault's timer: fires it and, for `every`, re-arms it.
  void Tick(std::size_t index);
  std::vector<FaultHit> Resolve(Armed& a);
  void Fire(std::size_t index, std::vector<FaultHit> hits);
  void Apply(Armed& a, const FaultHit& hit);
  void ApplyToNode(Armed& a, const std::string& node);
  // Suspend, resume or scale the job; returns what the report lists as the
  // target ("PyTorchJob/<name>", with " (rejected: ...)" when admission
  // refused the edit).
  std::string ApplyToJob(Armed& a, const PyTorchJob& job);
  void WatchConditions();

  Simulation& sim_;
  std::vector<Armed> armed_;
  FaultyImagePuller puller_;
};

}  // namespace ptsim
