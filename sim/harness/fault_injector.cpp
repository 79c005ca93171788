#include "sim/harness/fault_injector.hpp"

#include <fmt/format.h>
#include <signal.h>

#include <algorithm>
#include <set>

#include "fakes/operator/job_conditions.hpp"
#include "sim/core/signals.hpp"
#include "sim/model/label_selector.hpp"
#include "sim/model/pytorchjob.hpp"
#include "sim/model/pytorchjob_crd_validation.hpp"
#include "sim/model/pytorchjob_validation.hpp"
#include "sim/model/user_regex.hpp"

namespace ptsim {
namespace {

bool ContainerLevel(FaultAction a) {
  return a == FaultAction::kKill || a == FaultAction::kExit || a == FaultAction::kOom;
}

bool NodeLevel(FaultAction a) {
  return a == FaultAction::kNodeDown || a == FaultAction::kNodeUp || a == FaultAction::kCordon ||
         a == FaultAction::kUncordon;
}

bool PullLevel(FaultAction a) {
  return a == FaultAction::kImagePullError || a == FaultAction::kSlowStart;
}

}  // namespace

FaultInjector::FaultInjector(Simulation& sim, std::vector<FaultSpec> faults)
    : sim_(sim), puller_(sim.image_puller()) {
  for (auto& f : faults) {
    Armed a;
    a.rng = sim.random().Fork("faults/" + f.name);
    a.spec = std::move(f);
    armed_.push_back(std::move(a));
  }
  sim_.set_image_puller(&puller_);
  sim_.AddObserver(this);
}

void FaultInjector::Start() {
  EventLoop& loop = sim_.loop();
  for (std::size_t i = 0; i < armed_.size(); ++i) {
    const FaultSpec& f = armed_[i].spec;
    const bool container_trigger = f.when.after_running || f.when.log_regex || f.when.incarnation;
    if (container_trigger) continue;          // armed through the kubelet observer
    if (!f.when.condition.empty()) continue;  // armed through the job watch
    const Duration at = f.when.at.value_or(Duration{0}) + f.when.delay;
    loop.At(kRunStart + at, [this, i] { Tick(i); });
  }
  WatchConditions();
}

void FaultInjector::Tick(std::size_t index) {
  Armed& a = armed_[index];
  if (!CanFire(a)) return;
  ++a.fired;
  Fire(index, Resolve(a));
  // The next firing is a fresh callback, not a copy of this one: a callback
  // that owns itself (a shared_ptr captured by its own closure) is never freed.
  if (a.spec.when.every && CanFire(a)) {
    sim_.loop().After(*a.spec.when.every, [this, index] { Tick(index); });
  }
}

void FaultInjector::WatchConditions() {
  bool any = false;
  for (const auto& a : armed_)
    any = any || !a.spec.when.condition.empty();
  if (!any) return;
  auto seen = std::make_shared<std::set<std::pair<std::size_t, std::string>>>();
  sim_.api().collection<PyTorchJob>().Watch([this, seen](const WatchEvent<PyTorchJob>& e) {
    for (std::size_t i = 0; i < armed_.size(); ++i) {
      Armed& a = armed_[i];
      if (a.spec.when.condition.empty() || !CanFire(a)) continue;
      if (!HasCondition(e.object->status, a.spec.when.condition)) continue;
      if (!seen->insert({i, e.object->metadata.uid}).second) continue;
      ++a.fired;
      sim_.loop().After(a.spec.when.delay, [this, i] { Fire(i, Resolve(armed_[i])); });
    }
  });
}

bool FaultInjector::MatchesContainer(const FaultTarget& t, const ContainerIncarnation& inc) const {
  if (inc.init && t.container.empty()) return false;  // init containers only when named
  if (!t.container.empty() && inc.container != t.container) return false;
  auto pod = sim_.api().collection<Pod>().Get(inc.namespace_, inc.pod);
  return pod && pod->metadata.uid == inc.pod_uid && TargetMatchesPod(t, *pod);
}

std::vector<FaultHit> FaultInjector::Resolve(Armed& a) {
  const FaultTarget& t = a.spec.target;
  std::vector<FaultHit> pods;
  if (NodeLevel(a.spec.action) && !t.node.empty()) return {{"", "", "", t.node}};
  for (const auto& pod : sim_.api().collection<Pod>().List()) {
    // A terminating pod is no target, except for a forced deletion: that is
    // how a pod stuck Terminating on a lost node is cleared.
    const bool terminating = pod->metadata.deletion_timestamp.has_value();
    if (terminating && a.spec.action != FaultAction::kForceDelete) continue;
    if (pod->IsTerminal() && !terminating) continue;
    if (!TargetMatchesPod(t, *pod)) continue;
    pods.push_back({pod->metadata.namespace_, pod->metadata.name, "", ""});
  }
  // Chaos Mesh's selector modes, drawn from the run's seed.
  PickByMode(t, a.rng, &pods);
  if (NodeLevel(a.spec.action)) {
    std::set<std::string> nodes;
    std::vector<FaultHit> out;
    for (const auto& h : pods) {
      auto pod = sim_.api().collection<Pod>().Get(h.ns, h.pod);
      if (pod && !pod->spec.node_name.empty() && nodes.insert(pod->spec.node_name).second) {
        out.push_back({"", "", "", pod->spec.node_name});
      }
    }
    return out;
  }
  for (auto& h : pods)
    h.container = t.container;
  return pods;
}

void FaultInjector::Fire(std::size_t index, std::vector<FaultHit> hits) {
  Armed& a = armed_[index];
  const Time now = sim_.loop().Now();
  nlohmann::json targets = nlohmann::json::array();
  if (PullLevel(a.spec.action)) {
    // Pull faults install a rule that later pulls consult.
    FaultyImagePuller::Rule rule;
    rule.name = a.spec.name;
    const FaultTarget target = a.spec.target;
    rule.matches = [target](const Pod& pod, const Container& c) {
      return TargetMatchesPod(target, pod) &&
             (target.container.empty() || c.name == target.container);
    };
    if (a.spec.action == FaultAction::kImagePullError) {
      rule.error =
          a.spec.message.empty()
              ? "rpc error: code = NotFound desc = failed to pull and unpack image: not found"
              : a.spec.message;
    } else {
      rule.delay = a.spec.delay;
    }
    puller_.Add(rule);
    if (a.spec.duration) {
      const std::string name = a.spec.name;
      sim_.loop().After(*a.spec.duration, [this, name] { puller_.Clear(name); });
    }
    targets.push_back(a.spec.target.Describe());
  }
  if (JobLevel(a.spec.action)) {
    hits.clear();
    for (const auto& job : sim_.api().collection<PyTorchJob>().List()) {
      if (!a.spec.target.job.empty() && job->metadata.name != a.spec.target.job) continue;
      if (a.spec.target.ns_given && job->metadata.namespace_ != a.spec.target.ns) continue;
      targets.push_back(ApplyToJob(a, *job));
    }
  }
  for (const auto& h : hits) {
    if (NodeLevel(a.spec.action)) {
      std::string node = h.node;
      if (node.empty()) {
        auto pod = sim_.api().collection<Pod>().Get(h.ns, h.pod);
        if (pod) node = pod->spec.node_name;
      }
      if (node.empty()) continue;
      ApplyToNode(a, node);
      targets.push_back("node/" + node);
      continue;
    }
    Apply(a, h);
    targets.push_back(h.container.empty() ? h.pod : h.pod + "/" + h.container);
  }
  a.firings.push_back({{"time", ToSeconds(now)}, {"targets", targets}});
  sim_.trace().Recordf(now, "fault", "{} ({}): {}", a.spec.name, FaultActionName(a.spec.action),
                       targets.empty() ? std::string("no target matched") : targets.dump());
  if (targets.empty()) {
    sim_.notes().Add(now, fmt::format("fault \"{}\" fired but matched no running target ({})",
                                      a.spec.name, a.spec.target.Describe()));
  }
  if (a.spec.repeat == 0 && a.firings.size() == static_cast<std::size_t>(kMaxFaultFirings)) {
    sim_.notes().Add(now, fmt::format("fault \"{}\" (repeat: always) fired {} times, ptsim's limit "
                                      "for one fault, and fires no more",
                                      a.spec.name, kMaxFaultFirings));
  }
}

void FaultInjector::Apply(Armed& a, const FaultHit& hit) {
  const FaultSpec& f = a.spec;
  auto pod = sim_.api().collection<Pod>().Get(hit.ns, hit.pod);
  if (!pod) return;
  Kubelet* kubelet = sim_.kubelets().Find(pod->spec.node_name);
  auto containers = [&] {
    std::vector<Kubelet::RunningContainer> out;
    if (kubelet == nullptr) return out;
    for (const auto& c : kubelet->RunningContainers(hit.ns, hit.pod)) {
      if (!hit.container.empty() && c.container != hit.container) continue;
      if (hit.container.empty() && ContainerLevel(f.action)) {
        // Without a container name, container faults hit the app containers.
        bool init = false;
        for (const auto& ic : pod->spec.init_containers)
          init = init || ic.name == c.container;
        if (init) continue;
      }
      out.push_back(c);
    }
    return out;
  };
  switch (f.action) {
    case FaultAction::kKill:
      for (const auto& c : containers())
        c.runner->Signal(c.process, f.signal);
      break;
    case FaultAction::kExit:
    case FaultAction::kOom:
      for (const auto& c : containers()) {
        ProcessExit exit = f.action == FaultAction::kExit ? ProcessExit::Exited(f.exit_code)
                                                          : ProcessExit::Signaled(SIGKILL);
        exit.oom_killed = f.action == FaultAction::kOom;
        if (c.runner == &sim_.faulty_runner()) {
          sim_.faulty_runner().EndWith(c.process, exit);
        } else {
          c.runner->Signal(c.process, SIGKILL);
        }
      }
      break;
    case FaultAction::kFreeze:
      for (const auto& c : containers())
        c.runner->Signal(c.process, SIGSTOP);
      if (f.duration) {
        const FaultHit h = hit;
        sim_.loop().After(*f.duration, [this, h] {
          auto p = sim_.api().collection<Pod>().Get(h.ns, h.pod);
          if (!p) return;
          if (Kubelet* k = sim_.kubelets().Find(p->spec.node_name)) {
            for (const auto& c : k->RunningContainers(h.ns, h.pod))
              c.runner->Signal(c.process, SIGCONT);
          }
        });
      }
      break;
    case FaultAction::kThaw:
      for (const auto& c : containers())
        c.runner->Signal(c.process, SIGCONT);
      break;
    case FaultAction::kDelete:
      sim_.api().collection<Pod>().Delete(hit.ns, hit.pod, f.grace_period);
      break;
    case FaultAction::kForceDelete:
      sim_.api().collection<Pod>().Delete(hit.ns, hit.pod, 0);
      break;
    case FaultAction::kEvict:
      if (kubelet) {
        kubelet->Evict(hit.ns, hit.pod,
                       f.message.empty() ? "The node was low on resource: memory. " : f.message);
      }
      break;
    default:
      break;
  }
}

void FaultInjector::ApplyToNode(Armed& a, const std::string& node) {
  const FaultSpec& f = a.spec;
  Kubelet* kubelet = sim_.kubelets().Find(node);
  auto set_cordon = [this, node](bool value) {
    sim_.api().collection<Node>().Mutate("", node, [&](Node& n) { n.spec.unschedulable = value; });
  };
  switch (f.action) {
    case FaultAction::kNodeDown:
      if (kubelet && !kubelet->crashed()) {
        kubelet->Crash();
        sim_.node_lifecycle().KubeletStopped(node);
        if (f.duration) {
          sim_.loop().After(*f.duration, [this, node] {
            if (Kubelet* k = sim_.kubelets().Find(node)) {
              k->Recover();
              sim_.node_lifecycle().KubeletResumed(node);
            }
          });
        }
      }
      break;
    case FaultAction::kNodeUp:
      if (kubelet && kubelet->crashed()) {
        kubelet->Recover();
        sim_.node_lifecycle().KubeletResumed(node);
      }
      break;
    case FaultAction::kCordon:
      set_cordon(true);
      if (f.duration) sim_.loop().After(*f.duration, [set_cordon] { set_cordon(false); });
      break;
    case FaultAction::kUncordon:
      set_cordon(false);
      break;
    default:
      break;
  }
}

void FaultInjector::ContainerStarted(const ContainerIncarnation& inc) {
  for (std::size_t i = 0; i < armed_.size(); ++i) {
    Armed& a = armed_[i];
    const FaultTrigger& w = a.spec.when;
    if (w.log_regex || !(w.after_running || w.incarnation)) continue;
    if (!CanFire(a) || !MatchesContainer(a.spec.target, inc)) continue;
    if (w.incarnation && inc.restart_count + 1 != *w.incarnation) continue;
    ++a.fired;
    const FaultHit hit{inc.namespace_, inc.pod, inc.container, ""};
    sim_.loop().After(w.after_running.value_or(Duration{0}) + w.delay,
                      [this, i, hit] { Fire(i, {hit}); });
  }
}

void FaultInjector::ContainerOutput(const ContainerIncarnation& inc, std::string_view line) {
  for (std::size_t i = 0; i < armed_.size(); ++i) {
    Armed& a = armed_[i];
    const FaultTrigger& w = a.spec.when;
    if (!w.log_regex || !CanFire(a) || !MatchesContainer(a.spec.target, inc)) continue;
    if (w.incarnation && inc.restart_count + 1 != *w.incarnation) continue;
    if (!SearchUserRegex(*w.log_regex, line)) continue;
    ++a.fired;
    const FaultHit hit{inc.namespace_, inc.pod, inc.container, ""};
    sim_.loop().After(w.delay, [this, i, hit] { Fire(i, {hit}); });
  }
}

std::string FaultInjector::ApplyToJob(Armed& a, const PyTorchJob& job) {
  const FaultSpec& f = a.spec;
  PyTorchJob next = job;
  switch (f.action) {
    case FaultAction::kSuspend:
      next.spec.run_policy.suspend = true;
      break;
    case FaultAction::kResume:
      next.spec.run_policy.suspend = false;
      break;
    case FaultAction::kScale:
      if (next.spec.pytorch_replica_specs) {
        auto it = next.spec.pytorch_replica_specs->find(f.target.replica_type);
        if (it != next.spec.pytorch_replica_specs->end()) it->second.replicas = f.replicas;
      }
      break;
    default:
      break;
  }
  const std::string name = "PyTorchJob/" + job.metadata.name;
  // The API server checks the CRD's rules, then the validating webhook of the
  // emulated release admits the update (or, from v1.9.0 to v1.9.4, compares the
  // new object with itself,
  // docs/upstream/training-operator.md#validateupdate-compares-the-new-object-with-itself).
  const OperatorVersion version = sim_.options().operator_version;
  std::string denial;
  if (auto invalid = ValidateCrdUpdate(job, next, version); !invalid.empty()) {
    denial = CrdInvalidMessage(job.metadata.name, invalid);
  } else if (auto admission = WebhookValidateUpdate(job, next, version); !admission.allowed()) {
    denial = admission.DenialMessage();
  }
  if (!denial.empty()) {
    sim_.notes().Add(
        sim_.loop().Now(),
        fmt::format("fault \"{}\": the update of {} was rejected: {}", f.name, name, denial));
    return name + " (rejected)";
  }
  sim_.api().collection<PyTorchJob>().Mutate(job.metadata.namespace_, job.metadata.name,
                                             [&](PyTorchJob& stored) { stored.spec = next.spec; });
  return name;
}

nlohmann::json FaultInjector::Report() const {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& a : armed_) {
    out.push_back(
        {{"name", a.spec.name},
         {"action", FaultActionName(a.spec.action)},
         {"target", a.spec.target.Describe()},
         {"trigger", a.spec.when.Describe()},
         {"signal", a.spec.action == FaultAction::kKill ? nlohmann::json(SignalName(a.spec.signal))
                                                        : nlohmann::json()},
         {"fired", a.firings}});
  }
  return out;
}

}  // namespace ptsim
