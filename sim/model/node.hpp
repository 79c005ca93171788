// core/v1 Node: capacity, allocatable, taints, the unschedulable flag (cordon)
// and the Ready condition. Nodes are created by the harness from the
// scenario's cluster description. Plain data.
#pragma once

#include <string>
#include <vector>

#include "sim/core/time.hpp"
#include "sim/model/object_meta.hpp"
#include "sim/model/quantity.hpp"

namespace ptsim {

struct Taint {
  std::string key;
  std::string value;
  std::string effect;  // NoSchedule, PreferNoSchedule, NoExecute
  Time time_added{};
};

struct NodeCondition {
  std::string type;
  std::string status;
  std::string reason;
  std::string message;
  Time last_heartbeat_time{};
  Time last_transition_time{};
};

struct NodeSpec {
  bool unschedulable = false;
  std::vector<Taint> taints;
};

struct NodeStatus {
  ResourceList capacity;
  ResourceList allocatable;
  std::vector<NodeCondition> conditions;
  std::string internal_ip;
};

struct Node {
  static constexpr const char* kKind = "Node";
  static constexpr const char* kApiVersion = "v1";
  ObjectMeta metadata;
  NodeSpec spec;
  NodeStatus status;

  // Ready condition is present with status "True".
  bool IsReady() const;
  const NodeCondition* FindCondition(const std::string& type) const;
};

}  // namespace ptsim
