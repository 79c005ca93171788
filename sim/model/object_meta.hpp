// ObjectMeta and OwnerReference as in k8s.io/apimachinery/pkg/apis/meta/v1,
// with timestamps in virtual time.
//
// The API server (fakes/apiserver) assigns uid, resourceVersion and
// creationTimestamp on create and deletionTimestamp on graceful deletion;
// clients never set them. Plain data.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/time.hpp"

namespace ptsim {

using Labels = std::map<std::string, std::string>;

struct OwnerReference {
  std::string api_version;
  std::string kind;
  std::string name;
  std::string uid;
  bool controller = false;
  bool block_owner_deletion = false;
};

struct ObjectMeta {
  std::string name;
  std::string generate_name;
  std::string namespace_ = "default";
  std::string uid;
  std::int64_t resource_version = 0;
  std::int64_t generation = 0;
  Time creation_timestamp{};
  std::optional<Time> deletion_timestamp;
  std::optional<std::int64_t> deletion_grace_period_seconds;
  Labels labels;
  std::map<std::string, std::string> annotations;
  std::vector<OwnerReference> owner_references;
  std::vector<std::string> finalizers;

  // The controller owner reference (metav1.GetControllerOf), if any.
  const OwnerReference* ControllerRef() const;
  bool IsControlledBy(const std::string& owner_uid) const;
};

// "<namespace>/<name>", the key informers use.
inline std::string ObjectKey(const ObjectMeta& m) {
  return m.namespace_ + "/" + m.name;
}

}  // namespace ptsim
