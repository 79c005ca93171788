// The fake Kubernetes API server: one Collection per kind, the event store,
// and the garbage collector (kube-controller-manager's, pkg/controller/
// garbagecollector): it deletes dependents whose owner is gone (background
// propagation), deletes the dependents of an owner in foreground deletion and
// removes its `foregroundDeletion` finalizer once no dependent with
// blockOwnerDeletion is left, and strips the owner references of an owner
// deleted with orphan propagation before removing its `orphan` finalizer.
//
// Kinds are registered on first use: collection<Pod>(),
// collection<PyTorchJob>(). Pods get the API server's graceful-deletion rule
// (OnRegister<Pod> below; docs/upstream/kubernetes.md#graceful-pod-deletion).
// The ApiServer and everything it hands out belong to the loop thread.
#pragma once

#include <map>
#include <memory>
#include <typeindex>
#include <vector>

#include "fakes/apiserver/collection.hpp"
#include "fakes/apiserver/event_store.hpp"
#include "sim/core/event_loop.hpp"
#include "sim/core/random.hpp"
#include "sim/core/trace.hpp"
#include "sim/model/batch_job.hpp"
#include "sim/model/pod.hpp"

namespace ptsim {

class ApiServer {
 public:
  ApiServer(EventLoop& loop, Trace& trace, const Random& random);
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  template <typename T>
  Collection<T>& collection() {
    auto it = collections_.find(std::type_index(typeid(T)));
    if (it == collections_.end()) {
      auto owned = std::make_unique<Collection<T>>(state_);
      auto* raw = owned.get();
      order_.push_back(raw);
      it = collections_.emplace(std::type_index(typeid(T)), std::move(owned)).first;
      OnRegister(*raw);
    }
    return static_cast<Collection<T>&>(*it->second);
  }

  EventStore& events() { return events_; }
  EventLoop& loop() { return state_.loop; }
  Trace& trace() { return trace_; }

 private:
  template <typename T>
  void OnRegister(Collection<T>&) {}
  void CollectGarbage(const std::string& owner_uid);
  void Propagate(CollectionBase* owner, const std::string& ns, const std::string& name,
                 const std::string& uid, PropagationPolicy policy);
  // Removes the foregroundDeletion finalizer of owners with no blocking dependent left.
  void FinishForegroundDeletions();

  struct ForegroundOwner {
    CollectionBase* collection;
    std::string ns;
    std::string name;
  };

  ApiServerState state_;
  Trace& trace_;
  EventStore events_;
  std::map<std::type_index, std::unique_ptr<CollectionBase>> collections_;
  std::vector<CollectionBase*> order_;                 // registration order, for deterministic GC
  std::map<std::string, ForegroundOwner> foreground_;  // by owner uid
};

// Pods are deleted gracefully when bound to a node and not yet terminal
// (pkg/registry/core/pod/strategy.go, CheckGracefulDelete): deletionTimestamp
// is set to now + grace and the kubelet removes the object once its containers
// have stopped. Unbound or terminal pods, and grace 0, are removed at once.
// A pod whose restartPolicy is not Always, OnFailure or Never is rejected on
// create, as kube-apiserver's validation does.
template <>
void ApiServer::OnRegister<Pod>(Collection<Pod>& pods);

// batch/v1 Jobs are defaulted (SetDefaults_Job), get their generated selector
// and are validated (ValidateJob) on create, as kube-apiserver does; the
// status of a created Job starts empty.
template <>
void ApiServer::OnRegister<BatchJob>(Collection<BatchJob>& jobs);

}  // namespace ptsim
