#include "sim/model/object_meta.hpp"

namespace ptsim {

const OwnerReference* ObjectMeta::ControllerRef() const {
  for (const auto& ref : owner_references) {
    if (ref.controller) return &ref;
  }
  return nullptr;
}

bool ObjectMeta::IsControlledBy(const std::string& owner_uid) const {
  const OwnerReference* ref = ControllerRef();
  return ref != nullptr && ref->uid == owner_uid;
}

}  // namespace ptsim
