// Options of a deletion (metav1.DeleteOptions): the grace period and the
// propagation policy that decides what happens to the object's dependents
// (objects whose metadata.ownerReferences name it). Plain data.
//
// kDefault and kBackground: the object goes at once (or when its finalizers
// are gone) and the garbage collector then deletes its dependents.
// kForeground: the object gets the `foregroundDeletion` finalizer and stays,
// marked, until the garbage collector has deleted its dependents and those
// with blockOwnerDeletion are gone. kOrphan: the object gets the `orphan`
// finalizer; the garbage collector removes its dependents' owner references
// to it, then the finalizer. Upstream: apiserver's registry store
// (staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go,
// deletion and updateForGracefulDeletionAndFinalizers) and
// pkg/controller/garbagecollector.
#pragma once

#include <cstdint>
#include <optional>

namespace ptsim {

enum class PropagationPolicy { kDefault, kBackground, kForeground, kOrphan };

struct DeleteOptions {
  std::optional<std::int64_t> grace_period_seconds;
  PropagationPolicy propagation_policy = PropagationPolicy::kDefault;
};

// metav1.FinalizerDeleteDependents and metav1.FinalizerOrphanDependents.
inline constexpr const char* kForegroundDeletionFinalizer = "foregroundDeletion";
inline constexpr const char* kOrphanFinalizer = "orphan";

}  // namespace ptsim
