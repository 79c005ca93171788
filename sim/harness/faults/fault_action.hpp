// One kind of fault (kill, exit, node-down, scale ...) as one small type: its
// name, the argument `--fault ACTION:ARG` sets, what it acts on, which targets
// make sense for it, and how it is carried out when the fault fires. The
// actions live in families (fault_families.hpp), each registered by one line
// of its family's list; FaultActions() is the table that the decoder, the
// injector, the plan checks and the docs test read, and that a tool enumerating
// the fault space can list. The table is immutable and may be read from any
// thread; Fire runs on the loop thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ptsim {

struct FaultSpec;
struct FaultFiring;

// What an action acts on, which decides how the injector resolves its target.
enum class FaultScope {
  kContainers,  // the target containers' processes (app containers unless one is named)
  kPods,        // the target pods: every process of them, or the objects
  kNodes,       // the nodes of target.node, or the nodes of the target pods
  kImagePulls,  // image pulls for the target pods from now on
  kJob,         // the PyTorchJob, edited as `kubectl patch` would
};

// The argument of an action: the field that `--fault ACTION:ARG` sets
// (fault_argument.hpp). Without one, ARG sets `message`.
enum class FaultArgument { kNone, kSignal, kExitCode, kReplicas, kDelay, kMessage };

// The keys of a fault's `target` an action may be aimed with.
enum class FaultTargetKind { kEveryPod, kPod, kReplicaType, kSelector, kNode, kJob };

class FaultAction {
 public:
  virtual ~FaultAction() = default;

  virtual std::string_view name() const = 0;
  virtual FaultScope scope() const = 0;
  virtual FaultArgument argument() const { return FaultArgument::kNone; }
  // The fields it reads besides its argument, e.g. "duration".
  virtual std::vector<std::string_view> options() const { return {}; }
  // Which target keys make sense; by default those of its scope.
  virtual std::vector<FaultTargetKind> target_kinds() const;
  // Whether a pod already being deleted may be its target (force-delete
  // clears pods stuck Terminating on a lost node).
  virtual bool HitsTerminatingPods() const { return false; }
  // Edits the job rather than pods, containers or nodes.
  bool job_level() const { return scope() == FaultScope::kJob; }

  // The action as `--fault` writes it: "kill:SIGTERM", "exit:3", "oom".
  std::string Describe(const FaultSpec& f) const;
  // Carries out one firing; returns the targets the report lists for it.
  virtual std::vector<std::string> Fire(FaultFiring& firing) const = 0;
};

// Every action, in the order the docs list them.
const std::vector<const FaultAction*>& FaultActions();
// The action named `name`; nullptr when there is none.
const FaultAction* FindFaultAction(std::string_view name);
// What a FaultSpec holds until it is decoded: kill.
const FaultAction& DefaultFaultAction();
// "kill, exit, ... and scale": the names of the actions `pick` accepts (every
// action when it is null), for messages.
std::string FaultActionNames(bool (*pick)(const FaultAction&) = nullptr);

}  // namespace ptsim
