#include "fakes/kubelet/pod_phase.hpp"

#include <vector>

namespace ptsim {
namespace {

bool InitContainersDone(const PodSpec& spec, const PodStatus& status, bool* failed_for_good) {
  *failed_for_good = false;
  for (const auto& c : spec.init_containers) {
    const ContainerStatus* s = status.FindContainerStatus(c.name);
    if (s == nullptr || !s->state.terminated) return false;
    if (s->state.terminated->exit_code != 0) {
      if (spec.restart_policy == "Never") *failed_for_good = true;
      return false;
    }
  }
  return true;
}

}  // namespace

std::string PodPhase(const PodSpec& spec, const PodStatus& status, bool terminal) {
  bool init_failed = false;
  if (!InitContainersDone(spec, status, &init_failed)) {
    // A pod that is being deleted while it initializes ends Failed: its
    // containers will never run.
    return init_failed || terminal ? "Failed" : "Pending";
  }
  int running = 0, waiting = 0, stopped = 0, succeeded = 0;
  for (const auto& c : spec.containers) {
    const ContainerStatus* s = status.FindContainerStatus(c.name);
    if (s == nullptr) {
      ++waiting;
    } else if (s->state.running) {
      ++running;
    } else if (s->state.terminated) {
      ++stopped;
      if (s->state.terminated->exit_code == 0) ++succeeded;
    } else if (s->state.waiting) {
      // A container waiting to restart has run before: it counts as stopped.
      if (s->last_state.terminated) {
        ++stopped;
        if (s->last_state.terminated->exit_code == 0) ++succeeded;
      } else {
        ++waiting;
      }
    } else {
      ++waiting;
    }
  }
  if (waiting > 0) return "Pending";
  if (running > 0) return "Running";
  if (stopped > 0) {
    if (terminal) return stopped == succeeded ? "Succeeded" : "Failed";
    if (spec.restart_policy == "Always") return "Running";
    if (stopped == succeeded) return "Succeeded";
    if (spec.restart_policy == "Never") return "Failed";
    return "Running";
  }
  return "Pending";
}

void SetPodConditions(const PodSpec& spec, PodStatus* status, Time now) {
  // pkg/kubelet/status/generate.go: the kubelet keeps conditions it does not
  // own and appends its own in this order.
  std::vector<PodCondition> kept;
  for (const auto& c : status->conditions) {
    if (c.type != "PodReadyToStartContainers" && c.type != "Initialized" && c.type != "Ready" &&
        c.type != "ContainersReady" && c.type != "PodScheduled") {
      kept.push_back(c);
    }
  }
  const PodStatus old = *status;
  auto keep_time = [&](PodCondition c) {
    if (const PodCondition* o = old.FindCondition(c.type); o && o->status == c.status) {
      c.last_transition_time = o->last_transition_time;
    }
    return c;
  };
  const std::string& phase = status->phase;
  const bool succeeded = phase == "Succeeded";
  const bool failed = phase == "Failed";

  bool any_started = false;
  std::string unready;
  for (const auto& c : spec.containers) {
    const ContainerStatus* s = status->FindContainerStatus(c.name);
    if (s && (s->state.running || s->state.terminated || s->last_state.terminated))
      any_started = true;
    if (s == nullptr || !s->ready) unready += (unready.empty() ? "[" : " ") + c.name;
  }
  std::string incomplete;
  for (const auto& c : spec.init_containers) {
    const ContainerStatus* s = status->FindContainerStatus(c.name);
    if (s == nullptr || !s->state.terminated || s->state.terminated->exit_code != 0) {
      incomplete += (incomplete.empty() ? "[" : " ") + c.name;
    }
  }

  PodCondition ready_to_start{"PodReadyToStartContainers", succeeded || failed ? "False" : "True",
                              "", "", now};
  PodCondition initialized{"Initialized", "True", "", "", now};
  if (succeeded && !spec.init_containers.empty()) {
    initialized.reason = "PodCompleted";
  } else if (!incomplete.empty() && !any_started) {
    initialized = {"Initialized", "False", "ContainersNotInitialized",
                   "containers with incomplete status: " + incomplete + "]", now};
  }
  PodCondition containers_ready{"ContainersReady", "True", "", "", now};
  if (succeeded) {
    containers_ready = {"ContainersReady", "False", "PodCompleted", "", now};
  } else if (failed) {
    containers_ready = {"ContainersReady", "False", "PodFailed", "", now};
  } else if (!unready.empty()) {
    containers_ready = {"ContainersReady", "False", "ContainersNotReady",
                        "containers with unready status: " + unready + "]", now};
  }
  PodCondition ready = containers_ready;
  ready.type = "Ready";
  // The node controller may have marked the pod not ready (MarkPodsNotReady);
  // the kubelet overwrites that on its next status update.
  PodCondition scheduled{"PodScheduled", "True", "", "", now};

  status->conditions = kept;
  for (auto& c : {ready_to_start, initialized, ready, containers_ready, scheduled}) {
    status->conditions.push_back(keep_time(c));
  }
}

}  // namespace ptsim
