#include "sim/model/pod.hpp"

#include <algorithm>

namespace ptsim {

const PodCondition* PodStatus::FindCondition(const std::string& type) const {
  for (const auto& c : conditions) {
    if (c.type == type) return &c;
  }
  return nullptr;
}

void PodStatus::SetCondition(PodCondition c) {
  for (auto& existing : conditions) {
    if (existing.type == c.type) {
      if (existing.status == c.status) c.last_transition_time = existing.last_transition_time;
      existing = std::move(c);
      return;
    }
  }
  conditions.push_back(std::move(c));
}

const ContainerStatus* PodStatus::FindContainerStatus(const std::string& name) const {
  for (const auto& s : container_statuses) {
    if (s.name == name) return &s;
  }
  for (const auto& s : init_container_statuses) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

const Container* Pod::FindContainer(const std::string& name) const {
  for (const auto& c : spec.containers) {
    if (c.name == name) return &c;
  }
  for (const auto& c : spec.init_containers) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

namespace {

ResourceList ContainerRequests(const Container& c) {
  ResourceList out = c.resources.requests;
  for (const auto& [name, q] : c.resources.limits) {
    if (!out.count(name)) out[name] = q;  // requests default to limits
  }
  return out;
}

}  // namespace

ResourceList EffectiveRequests(const PodSpec& spec) {
  std::map<std::string, std::int64_t> sum;
  for (const auto& c : spec.containers) {
    for (const auto& [name, q] : ContainerRequests(c))
      sum[name] += q.milli();
  }
  for (const auto& c : spec.init_containers) {
    for (const auto& [name, q] : ContainerRequests(c))
      sum[name] = std::max(sum[name], q.milli());
  }
  ResourceList out;
  for (const auto& [name, milli] : sum)
    out[name] = Quantity::FromMilli(milli);
  return out;
}

}  // namespace ptsim
