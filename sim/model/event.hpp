// core/v1 Event: what the operator, scheduler and kubelet record about the
// objects they act on. Repeated events with the same object, type, reason and
// message are aggregated into one with a count, as the client-go event
// recorder's correlator does. Plain data.
#pragma once

#include <cstdint>
#include <string>

#include "sim/core/time.hpp"

namespace ptsim {

struct ObjectReference {
  std::string kind;
  std::string namespace_;
  std::string name;
  std::string uid;
  std::string field_path;  // e.g. "spec.containers{pytorch}"
};

struct Event {
  static constexpr const char* kKind = "Event";
  ObjectReference involved_object;
  std::string type;  // "Normal" or "Warning"
  std::string reason;
  std::string message;
  std::string source;  // reporting component, e.g. "kubelet", "pytorchjob-controller"
  std::int32_t count = 1;
  Time first_timestamp{};
  Time last_timestamp{};
};

}  // namespace ptsim
