#include "fakes/scheduler/scheduler.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace ptsim {
namespace {

bool Tolerates(const PodSpec& spec, const Taint& taint) {
  for (const auto& t : spec.tolerations) {
    if (!t.effect.empty() && t.effect != taint.effect) continue;
    if (t.op == "Exists") {
      if (t.key.empty() || t.key == taint.key) return true;
    } else if (t.key == taint.key && t.value == taint.value) {
      return true;
    }
  }
  return false;
}

bool Schedulable(const Pod& pod) {
  return pod.spec.node_name.empty() && !pod.metadata.deletion_timestamp && !pod.IsTerminal() &&
         (pod.spec.scheduler_name.empty() || pod.spec.scheduler_name == Scheduler::kName);
}

}  // namespace

Scheduler::Scheduler(ApiServer& api) : api_(api) {
  api_.collection<Pod>().Watch([this](const WatchEvent<Pod>& e) { OnPod(e); });
  api_.collection<Node>().Watch([this](const WatchEvent<Node>& e) { OnNode(e); });
}

void Scheduler::OnPod(const WatchEvent<Pod>& event) {
  const Pod& pod = *event.object;
  const Key key{pod.metadata.namespace_, pod.metadata.name};
  if (event.type == WatchEventType::kDeleted) {
    unschedulable_.erase(key);
    if (placed_.count(pod.metadata.uid)) {
      Unaccount(pod.metadata.uid);
      RetryUnschedulable();
    }
    return;
  }
  if (!pod.spec.node_name.empty()) {
    if (pod.IsTerminal()) {
      if (placed_.count(pod.metadata.uid)) {
        Unaccount(pod.metadata.uid);
        RetryUnschedulable();
      }
    } else if (!placed_.count(pod.metadata.uid)) {
      Account(pod);
    }
    return;
  }
  if (event.type == WatchEventType::kAdded && Schedulable(pod) && !queued_.count(key) &&
      !unschedulable_.count(key)) {
    queue_.push_back(key);
    queued_.insert(key);
    RequestCycle();
  }
}

void Scheduler::OnNode(const WatchEvent<Node>& event) {
  (void)event;
  RetryUnschedulable();
}

void Scheduler::Account(const Pod& pod) {
  ResourceList requests = EffectiveRequests(pod.spec);
  Usage& u = usage_[pod.spec.node_name];
  for (const auto& [name, q] : requests)
    u.milli[name] += q.milli();
  u.pods += 1;
  placed_[pod.metadata.uid] = {pod.spec.node_name, std::move(requests)};
}

void Scheduler::Unaccount(const std::string& uid) {
  auto it = placed_.find(uid);
  if (it == placed_.end()) return;
  Usage& u = usage_[it->second.first];
  for (const auto& [name, q] : it->second.second)
    u.milli[name] -= q.milli();
  u.pods -= 1;
  placed_.erase(it);
}

void Scheduler::RequestCycle() {
  if (cycle_pending_) return;
  cycle_pending_ = true;
  api_.loop().Post([this] {
    cycle_pending_ = false;
    Cycle();
  });
}

void Scheduler::RetryUnschedulable() {
  if (unschedulable_.empty()) return;
  for (const auto& key : unschedulable_) {
    if (queued_.insert(key).second) queue_.push_back(key);
  }
  unschedulable_.clear();
  RequestCycle();
}

std::string Scheduler::PickNode(const Pod& pod, std::string* why) const {
  const auto nodes = api_.collection<Node>().List();
  if (nodes.empty()) {
    *why = "no nodes available to schedule pods";
    return "";
  }
  const ResourceList requests = EffectiveRequests(pod.spec);
  std::map<std::string, int> reasons;   // per-node failure reasons, counted
  int not_helpful = 0, no_victims = 0;  // the preemption summary
  std::string best;
  double best_score = -1;
  for (const auto& node : nodes) {
    std::vector<std::string> failures;
    bool unresolvable = false;
    if (node->spec.unschedulable) {
      Taint cordon{"node.kubernetes.io/unschedulable", "", "NoSchedule", {}};
      if (!Tolerates(pod.spec, cordon)) {
        failures.push_back("node(s) were unschedulable");
        unresolvable = true;
      }
    }
    for (const auto& taint : node->spec.taints) {
      if ((taint.effect == "NoSchedule" || taint.effect == "NoExecute") &&
          !Tolerates(pod.spec, taint)) {
        failures.push_back(
            fmt::format("node(s) had untolerated taint {{{}: {}}}", taint.key, taint.value));
        unresolvable = true;
        break;
      }
    }
    if (!node->IsReady() && failures.empty()) {
      // A node that is not Ready carries the not-ready/unreachable taint.
      const NodeCondition* ready = node->FindCondition("Ready");
      const std::string key = ready && ready->status == "Unknown" ? "node.kubernetes.io/unreachable"
                                                                  : "node.kubernetes.io/not-ready";
      Taint t{key, "", "NoSchedule", {}};
      if (!Tolerates(pod.spec, t)) {
        failures.push_back(fmt::format("node(s) had untolerated taint {{{}: }}", key));
        unresolvable = true;
      }
    }
    for (const auto& [k, v] : pod.spec.node_selector) {
      auto it = node->metadata.labels.find(k);
      if (it == node->metadata.labels.end() || it->second != v) {
        failures.push_back("node(s) didn't match Pod's node affinity/selector");
        unresolvable = true;
        break;
      }
    }
    const Usage* usage = nullptr;
    if (auto u = usage_.find(node->metadata.name); u != usage_.end()) usage = &u->second;
    std::int64_t pods_allowed = 110;
    if (auto p = node->status.allocatable.find("pods"); p != node->status.allocatable.end()) {
      pods_allowed = p->second.units();
    }
    bool resources_fail = false;
    if ((usage ? usage->pods : 0) + 1 > pods_allowed) {
      failures.push_back("Too many pods");
      resources_fail = true;
    }
    for (const auto& [name, q] : requests) {
      if (q.milli() == 0) continue;
      std::int64_t allocatable = 0;
      if (auto a = node->status.allocatable.find(name); a != node->status.allocatable.end()) {
        allocatable = a->second.milli();
      }
      std::int64_t used = 0;
      if (usage) {
        if (auto m = usage->milli.find(name); m != usage->milli.end()) used = m->second;
      }
      if (used + q.milli() > allocatable) {
        failures.push_back("Insufficient " + name);
        resources_fail = true;
      }
    }
    if (!failures.empty()) {
      for (const auto& f : failures)
        reasons[f]++;
      if (unresolvable || !resources_fail) {
        ++not_helpful;
      } else {
        ++no_victims;
      }
      continue;
    }
    // Least allocated: the mean free fraction of cpu and memory.
    double score = 0;
    int counted = 0;
    for (const char* r : {"cpu", "memory"}) {
      auto a = node->status.allocatable.find(r);
      if (a == node->status.allocatable.end() || a->second.milli() <= 0) continue;
      std::int64_t used = 0;
      if (usage) {
        if (auto m = usage->milli.find(r); m != usage->milli.end()) used = m->second;
      }
      score += 1.0 - static_cast<double>(used) / static_cast<double>(a->second.milli());
      ++counted;
    }
    score = counted ? score / counted : 0;
    if (score > best_score) {
      best_score = score;
      best = node->metadata.name;
    }
  }
  if (!best.empty()) return best;
  // pkg/scheduler/framework/types.go FitError.Error(): counts sorted as strings.
  std::vector<std::string> histogram;
  for (const auto& [reason, count] : reasons)
    histogram.push_back(fmt::format("{} {}", count, reason));
  std::sort(histogram.begin(), histogram.end());
  std::vector<std::string> preemption;
  if (no_victims > 0)
    preemption.push_back(
        fmt::format("{} No preemption victims found for incoming pod", no_victims));
  if (not_helpful > 0)
    preemption.push_back(fmt::format("{} Preemption is not helpful for scheduling", not_helpful));
  std::sort(preemption.begin(), preemption.end());
  *why = fmt::format("0/{} nodes are available: {}. preemption: 0/{} nodes are available: {}.",
                     nodes.size(), fmt::join(histogram, ", "), nodes.size(),
                     fmt::join(preemption, ", "));
  return "";
}

void Scheduler::Cycle() {
  while (!queue_.empty()) {
    const Key key = queue_.front();
    queue_.pop_front();
    queued_.erase(key);
    auto pod = api_.collection<Pod>().Get(key.first, key.second);
    if (!pod || !Schedulable(*pod)) continue;
    std::string why;
    const std::string node = PickNode(*pod, &why);
    const Time now = api_.loop().Now();
    const ObjectReference ref{"Pod", pod->metadata.namespace_, pod->metadata.name,
                              pod->metadata.uid, ""};
    if (node.empty()) {
      unschedulable_.insert(key);
      api_.collection<Pod>().Mutate(key.first, key.second, [&](Pod& p) {
        p.status.SetCondition({"PodScheduled", "False", "Unschedulable", why, now});
      });
      api_.events().Record(ref, "Warning", "FailedScheduling", why, kName);
      api_.trace().Recordf(now, "scheduler", "{}/{} unschedulable: {}", key.first, key.second, why);
      continue;
    }
    auto bound = api_.collection<Pod>().Mutate(key.first, key.second, [&](Pod& p) {
      p.spec.node_name = node;
      p.status.SetCondition({"PodScheduled", "True", "", "", now});
    });
    if (bound) Account(*bound);
    api_.events().Record(
        ref, "Normal", "Scheduled",
        fmt::format("Successfully assigned {}/{} to {}", key.first, key.second, node), kName);
    api_.trace().Recordf(now, "scheduler", "bind {}/{} to {}", key.first, key.second, node);
  }
}

}  // namespace ptsim
