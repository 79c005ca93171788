#include "sim/harness/fault_injector.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "sim/core/signals.hpp"
#include "sim/harness/faults/fault_firing.hpp"
#include "sim/harness/job_kind.hpp"
#include "sim/model/user_regex.hpp"

namespace ptsim {

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
  // A condition of a job of any kind, status True, fires the fault once per
  // job (by uid).
  auto seen = std::make_shared<std::set<std::pair<std::size_t, std::string>>>();
  for (const JobKind* kind : JobKinds()) {
    kind->Watch(sim_.api(), [this, seen, kind](const AnyJob& job, const AnyJob&, bool deleted) {
      if (deleted) return;
      const std::vector<JobCondition> conditions = kind->Conditions(job);
      for (std::size_t i = 0; i < armed_.size(); ++i) {
        Armed& a = armed_[i];
        if (a.spec.when.condition.empty() || !CanFire(a)) continue;
        const bool holds =
            std::any_of(conditions.begin(), conditions.end(), [&](const JobCondition& c) {
              return c.type == a.spec.when.condition && c.status == "True";
            });
        if (!holds || !seen->insert({i, job.metadata().uid}).second) continue;
        ++a.fired;
        sim_.loop().After(a.spec.when.delay, [this, i] { Fire(i, Resolve(armed_[i])); });
      }
    });
  }
}

bool FaultInjector::MatchesContainer(const FaultTarget& t, const ContainerIncarnation& inc) const {
  if (inc.init && t.container.empty()) return false;  // init containers only when named
  if (!t.container.empty() && inc.container != t.container) return false;
  auto pod = sim_.api().collection<Pod>().Get(inc.namespace_, inc.pod);
  return pod && pod->metadata.uid == inc.pod_uid && TargetMatchesPod(t, *pod);
}

std::vector<FaultHit> FaultInjector::Resolve(Armed& a) {
  const FaultTarget& t = a.spec.target;
  const bool nodes = a.spec.action->scope() == FaultScope::kNodes;
  if (nodes && !t.node.empty()) return {{"", "", "", t.node}};
  std::vector<FaultHit> pods;
  for (const auto& pod : sim_.api().collection<Pod>().List()) {
    // A terminating pod is no target, except for a forced deletion: that is
    // how a pod stuck Terminating on a lost node is cleared.
    const bool terminating = pod->metadata.deletion_timestamp.has_value();
    if (terminating && !a.spec.action->HitsTerminatingPods()) continue;
    if (pod->IsTerminal() && !terminating) continue;
    if (!TargetMatchesPod(t, *pod)) continue;
    pods.push_back({pod->metadata.namespace_, pod->metadata.name, t.container, ""});
  }
  // Chaos Mesh's selector modes, drawn from the run's seed.
  PickByMode(t, a.rng, &pods);
  return nodes ? NodesOf(pods) : pods;
}

std::vector<FaultHit> FaultInjector::NodesOf(const std::vector<FaultHit>& pods) const {
  std::set<std::string> seen;
  std::vector<FaultHit> nodes;
  for (const auto& h : pods) {
    auto pod = sim_.api().collection<Pod>().Get(h.ns, h.pod);
    if (pod && !pod->spec.node_name.empty() && seen.insert(pod->spec.node_name).second) {
      nodes.push_back({"", "", "", pod->spec.node_name});
    }
  }
  return nodes;
}

void FaultInjector::Fire(std::size_t index, std::vector<FaultHit> hits) {
  Armed& a = armed_[index];
  const Time now = sim_.loop().Now();
  FaultFiring firing{sim_, puller_, a.spec, std::move(hits)};
  nlohmann::json targets = nlohmann::json::array();
  for (auto& target : a.spec.action->Fire(firing))
    targets.push_back(std::move(target));
  a.firings.push_back({{"time", ToSeconds(now)}, {"targets", targets}});
  sim_.trace().Recordf(now, "fault", "{} ({}): {}", a.spec.name, a.spec.action->name(),
                       targets.empty() ? std::string("no target matched") : targets.dump());
  if (targets.empty()) {
    sim_.notes().Add(now, fmt::format("fault \"{}\" fired but matched no running target ({})",
                                      a.spec.name, a.spec.target.Describe()));
  }
  if (a.spec.repeat_always && a.firings.size() == static_cast<std::size_t>(kMaxFaultFirings)) {
    sim_.notes().Add(now, fmt::format("fault \"{}\" (repeat: always) fired {} times, ptsim's limit "
                                      "for one fault, and fires no more",
                                      a.spec.name, kMaxFaultFirings));
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

nlohmann::json FaultInjector::Report() const {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& a : armed_) {
    out.push_back({{"name", a.spec.name},
                   {"action", a.spec.action->name()},
                   {"target", a.spec.target.Describe()},
                   {"trigger", a.spec.when.Describe()},
                   {"signal", a.spec.action->argument() == FaultArgument::kSignal
                                  ? nlohmann::json(SignalName(a.spec.signal))
                                  : nlohmann::json()},
                   {"fired", a.firings}});
  }
  return out;
}

}  // namespace ptsim
