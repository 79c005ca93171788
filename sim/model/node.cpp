#include "sim/model/node.hpp"

namespace ptsim {

const NodeCondition* Node::FindCondition(const std::string& type) const {
  for (const auto& c : status.conditions) {
    if (c.type == type) return &c;
  }
  return nullptr;
}

bool Node::IsReady() const {
  const NodeCondition* c = FindCondition("Ready");
  return c != nullptr && c->status == "True";
}

}  // namespace ptsim
