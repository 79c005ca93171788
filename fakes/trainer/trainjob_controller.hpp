// The Kubeflow Trainer v2 TrainJob controller, emulated (kubeflow/trainer
// v2.3.0 pkg/controller/trainjob_controller.go with pkg/runtime/core and the
// JobSet plugin). It watches TrainJobs and the JobSets they own, reconciles
// through a work queue in virtual time, and writes the JobSet, the runtime
// snapshot ConfigMap, TrainJob status and events. One reconcile, in upstream
// order: skip a TrainJob managed by another controller; (v2.3.0 only) drop a
// Failed condition whose reason is not DeadlineExceeded
// (kubeflow/trainer#3779); fail an unregistered runtime kind; unless
// finished, build and apply the objects (the JobSet is written only at
// creation, suspend and resume); the Suspended condition; the status copy
// from the JobSet; the active deadline; the status write.
// docs/trainer.md#the-trainjob-controller. Loop thread only.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "fakes/apiserver/api_server.hpp"
#include "fakes/trainer/trainer_profile.hpp"
#include "sim/core/notes.hpp"
#include "sim/model/config_map.hpp"
#include "sim/model/jobset.hpp"
#include "sim/model/trainjob.hpp"

namespace ptsim {

inline constexpr const char* kTrainJobResourcesCreationFailed = "TrainJobResourcesCreationFailed";
inline constexpr const char* kRuntimeSnapshotSuffix = "-runtime-snapshot";

class TrainJobController {
 public:
  struct Options {
    TrainerProfile profile;
  };

  TrainJobController(ApiServer& api, Notes& notes, Options options);
  TrainJobController(const TrainJobController&) = delete;
  TrainJobController& operator=(const TrainJobController&) = delete;

  const TrainerProfile& profile() const { return options_.profile; }
  std::uint64_t reconciles() const { return reconciles_; }
  // JobSets this controller has created for the TrainJob (the #3779 loop
  // makes more than one).
  int JobSetsCreated(const std::string& ns, const std::string& name) const;

 private:
  using Key = std::pair<std::string, std::string>;
  struct Outcome {
    std::optional<std::string> error;
    std::optional<Duration> requeue_after;
  };

  void Enqueue(const Key& key);
  void EnqueueAfter(const Key& key, Duration delay);
  void Process(const Key& key);
  Outcome Reconcile(const Key& key);
  // Builds the JobSet (and the snapshot) and applies it; an error is the
  // message of the TrainJobResourcesCreationFailed event.
  std::optional<std::string> ReconcileObjects(const TrainJob& trainjob);
  // The runtime the TrainJob builds from: its snapshot if there is one, else
  // the live runtime (then snapshotted).
  std::optional<TrainingRuntimeSpec> RuntimeFor(const TrainJob& trainjob, std::string* error);
  void Event(const TrainJob& trainjob, const std::string& type, const std::string& reason,
             const std::string& message);
  void Trace(const std::string& text);

  ApiServer& api_;
  Notes& notes_;
  Options options_;
  std::set<Key> queued_;
  std::map<Key, EventLoop::TimerId> delayed_;
  std::map<Key, int> failures_;
  // ConfigMap uid -> the runtime spec it holds (the `runtime` key keeps a
  // summary; ptsim has no encoder back to YAML).
  std::map<std::string, TrainingRuntimeSpec> snapshots_;
  std::map<Key, int> jobsets_created_;
  std::uint64_t reconciles_ = 0;
};

}  // namespace ptsim
