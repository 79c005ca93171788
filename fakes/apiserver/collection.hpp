// One kind's objects in the fake API server: create, get, list, update,
// delete, and watches that deliver changes as callbacks on the event loop.
//
// Objects are immutable snapshots (shared_ptr<const T>); an update stores a new
// snapshot, so a watcher holding an old one sees the object as it was when the
// event happened, like an informer. Watch callbacks run later on the loop, at
// the virtual time of the write, in registration order. Single-threaded: every
// call comes from the loop thread.
//
// metadata.finalizers are honoured as the API server's registry store does: a
// deletion of an object with finalizers only marks it (deletionTimestamp,
// deletionGracePeriodSeconds 0) and the update that empties its finalizers
// removes it (a DELETED event, no MODIFIED). Propagation policies: see
// delete_options.hpp.
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "fakes/apiserver/delete_options.hpp"
#include "sim/core/diagnostics.hpp"
#include "sim/core/event_loop.hpp"
#include "sim/core/random.hpp"
#include "sim/model/label_selector.hpp"
#include "sim/model/object_meta.hpp"

namespace ptsim {

enum class WatchEventType { kAdded, kModified, kDeleted };

template <typename T>
struct WatchEvent {
  WatchEventType type;
  std::shared_ptr<const T> object;  // the new state (the last state for kDeleted)
  std::shared_ptr<const T> old;     // the previous state for kModified, else null
};

// What every collection offers the garbage collector, whatever its kind.
class CollectionBase {
 public:
  virtual ~CollectionBase() = default;
  virtual const char* kind() const = 0;
  // Keys ("ns/name") of objects with an ownerReference to `owner_uid`.
  virtual std::vector<std::pair<std::string, std::string>> DependentsOf(
      const std::string& owner_uid) const = 0;
  // True when an object with a blockOwnerDeletion ownerReference to
  // `owner_uid` exists (deleting or not).
  virtual bool HasBlockingDependentOf(const std::string& owner_uid) const = 0;
  // Deletes with the kind's default deletion semantics and `options`.
  virtual void DeleteObject(const std::string& ns, const std::string& name,
                            const DeleteOptions& options = {}) = 0;
  // What the garbage collector writes: drops one finalizer, or the owner
  // references to `owner_uid`.
  virtual void RemoveFinalizer(const std::string& ns, const std::string& name,
                               const std::string& finalizer) = 0;
  virtual void RemoveOwnerReference(const std::string& ns, const std::string& name,
                                    const std::string& owner_uid) = 0;
};

// Shared state of the API server that every collection uses.
struct ApiServerState {
  EventLoop& loop;
  Random uids;
  std::int64_t resource_version = 0;
  // Called after every object removal, with the removed object's uid (GC hook).
  std::function<void(const std::string& uid)> on_removed;
  // Called when an object is marked for foreground or orphan deletion.
  std::function<void(CollectionBase* collection, const std::string& ns, const std::string& name,
                     const std::string& uid, PropagationPolicy policy)>
      on_propagate;
};

template <typename T>
class Collection final : public CollectionBase {
 public:
  using Ptr = std::shared_ptr<const T>;
  using Watcher = std::function<void(const WatchEvent<T>&)>;
  // Decides what Delete does: return true to remove the object now, or false
  // after marking it for graceful deletion in `obj` (e.g. pods on a node).
  using DeletePolicy = std::function<bool(T& obj, std::optional<std::int64_t> grace)>;

  explicit Collection(ApiServerState& state) : state_(state) {}

  const char* kind() const override { return T::kKind; }

  Result<Ptr> Create(T obj) {
    ObjectMeta& m = obj.metadata;
    if (m.name.empty() && !m.generate_name.empty()) {
      m.name = m.generate_name + RandomSuffix();
    }
    Diagnostics diags;
    if (m.name.empty()) {
      diags.Error({}, fmt::format("{}", T::kKind), "metadata.name",
                  "Required value: name or generateName is required");
      return diags;
    }
    if (prepare_create_) {
      // The kind's strategy sees the uid it is given (e.g. a Job's generated selector).
      m.uid = state_.uids.Uuid();
      prepare_create_(obj);
    }
    if (validate_create_) {
      if (std::string invalid = validate_create_(obj); !invalid.empty()) {
        diags.Error({}, fmt::format("{} \"{}\"", T::kKind, m.name), "",
                    fmt::format("{} \"{}\" is invalid: {}", T::kKind, m.name, invalid));
        return diags;
      }
    }
    const auto key = std::make_pair(m.namespace_, m.name);
    if (objects_.count(key)) {
      diags.Error({}, fmt::format("{} \"{}\"", T::kKind, m.name), "",
                  fmt::format("AlreadyExists: {} \"{}\" already exists", T::kKind, m.name));
      return diags;
    }
    if (m.uid.empty() || !prepare_create_) m.uid = state_.uids.Uuid();
    m.resource_version = ++state_.resource_version;
    m.creation_timestamp = state_.loop.Now();
    m.generation = 1;
    auto ptr = std::make_shared<const T>(std::move(obj));
    objects_[key] = ptr;
    Notify({WatchEventType::kAdded, ptr, nullptr});
    return Ptr(ptr);
  }

  Ptr Get(const std::string& ns, const std::string& name) const {
    const auto it = objects_.find({ns, name});
    return it == objects_.end() ? nullptr : it->second;
  }

  // Objects in namespace `ns` (every namespace when empty) matching `selector`,
  // ordered by namespace and name.
  std::vector<Ptr> List(const std::string& ns = "", const LabelSelector& selector = {}) const {
    std::vector<Ptr> out;
    for (const auto& [key, obj] : objects_) {
      if (!ns.empty() && key.first != ns) continue;
      if (!selector.Matches(obj->metadata.labels)) continue;
      out.push_back(obj);
    }
    return out;
  }

  // Applies `mutate` to a copy of the current object and stores the result.
  // Returns null when the object does not exist.
  Ptr Mutate(const std::string& ns, const std::string& name,
             const std::function<void(T&)>& mutate) {
    const auto it = objects_.find({ns, name});
    if (it == objects_.end()) return nullptr;
    auto old = it->second;
    T copy = *old;
    mutate(copy);
    copy.metadata.uid = old->metadata.uid;
    copy.metadata.creation_timestamp = old->metadata.creation_timestamp;
    copy.metadata.resource_version = ++state_.resource_version;
    auto ptr = std::make_shared<const T>(std::move(copy));
    if (ReadyToRemove(ptr->metadata)) {
      // The update that empties the finalizers of a deleted object removes it.
      objects_.erase(it);
      Notify({WatchEventType::kDeleted, ptr, nullptr});
      if (state_.on_removed) state_.on_removed(ptr->metadata.uid);
      return ptr;
    }
    it->second = ptr;
    Notify({WatchEventType::kModified, ptr, old});
    return ptr;
  }

  // Deletes as the API server would: the DeletePolicy (if any) may turn this
  // into a graceful deletion that only sets deletionTimestamp. `grace` is the
  // requested grace period (nullopt for the object's default).
  void Delete(const std::string& ns, const std::string& name,
              std::optional<std::int64_t> grace = std::nullopt) {
    Delete(ns, name, DeleteOptions{grace, PropagationPolicy::kDefault});
  }

  // Deletes with `options`: Foreground and Orphan first add their finalizer
  // and leave the rest to the garbage collector (ApiServerState::on_propagate).
  void Delete(const std::string& ns, const std::string& name, const DeleteOptions& options) {
    auto it = objects_.find({ns, name});
    if (it == objects_.end()) return;
    const std::optional<std::int64_t> grace = options.grace_period_seconds;
    const PropagationPolicy policy = options.propagation_policy;
    if (policy == PropagationPolicy::kForeground || policy == PropagationPolicy::kOrphan) {
      const std::string finalizer = policy == PropagationPolicy::kForeground
                                        ? kForegroundDeletionFinalizer
                                        : kOrphanFinalizer;
      const auto& current = it->second->metadata.finalizers;
      if (std::find(current.begin(), current.end(), finalizer) == current.end()) {
        Mutate(ns, name, [&](T& obj) { obj.metadata.finalizers.push_back(finalizer); });
      }
      it = objects_.find({ns, name});
      if (state_.on_propagate) {
        state_.on_propagate(this, ns, name, it->second->metadata.uid, policy);
      }
    }
    if (delete_policy_) {
      T copy = *it->second;
      const bool had_deletion = copy.metadata.deletion_timestamp.has_value();
      if (!delete_policy_(copy, grace)) {
        if (!had_deletion ||
            copy.metadata.deletion_timestamp != it->second->metadata.deletion_timestamp ||
            copy.metadata.deletion_grace_period_seconds !=
                it->second->metadata.deletion_grace_period_seconds) {
          Mutate(ns, name, [&](T& obj) { obj.metadata = copy.metadata; });
        }
        return;
      }
    }
    Remove(ns, name);
  }

  // Removes the object at once (a deletion with grace 0 that has completed),
  // or, while it has finalizers, marks it deleted with grace 0.
  void Remove(const std::string& ns, const std::string& name) {
    const auto it = objects_.find({ns, name});
    if (it == objects_.end()) return;
    if (!it->second->metadata.finalizers.empty()) {
      const ObjectMeta& m = it->second->metadata;
      if (!m.deletion_timestamp || m.deletion_grace_period_seconds.value_or(-1) != 0) {
        Mutate(ns, name, [&](T& obj) {
          if (!obj.metadata.deletion_timestamp) obj.metadata.deletion_timestamp = state_.loop.Now();
          obj.metadata.deletion_grace_period_seconds = 0;
        });
      }
      return;
    }
    auto last = it->second;
    objects_.erase(it);
    ++state_.resource_version;
    Notify({WatchEventType::kDeleted, last, nullptr});
    if (state_.on_removed) state_.on_removed(last->metadata.uid);
  }

  void Watch(Watcher watcher) { watchers_.push_back(std::move(watcher)); }
  void set_delete_policy(DeletePolicy policy) { delete_policy_ = std::move(policy); }
  // The kind's validation on create: a non-empty answer ("spec.x: Unsupported
  // value: ...") rejects the object with "<Kind> \"<name>\" is invalid: ...".
  void set_create_validation(std::function<std::string(const T&)> validate) {
    validate_create_ = std::move(validate);
  }
  // The kind's defaulting and strategy on create, run after the uid is
  // assigned and before validation (rest.BeforeCreate, PrepareForCreate).
  void set_prepare_create(std::function<void(T&)> prepare) { prepare_create_ = std::move(prepare); }
  std::size_t size() const { return objects_.size(); }

  std::vector<std::pair<std::string, std::string>> DependentsOf(
      const std::string& owner_uid) const override {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& [key, obj] : objects_) {
      for (const auto& ref : obj->metadata.owner_references) {
        if (ref.uid == owner_uid) {
          out.push_back(key);
          break;
        }
      }
    }
    return out;
  }

  bool HasBlockingDependentOf(const std::string& owner_uid) const override {
    for (const auto& [key, obj] : objects_) {
      for (const auto& ref : obj->metadata.owner_references) {
        if (ref.uid == owner_uid && ref.block_owner_deletion) return true;
      }
    }
    return false;
  }

  void DeleteObject(const std::string& ns, const std::string& name,
                    const DeleteOptions& options) override {
    Delete(ns, name, options);
  }

  void RemoveFinalizer(const std::string& ns, const std::string& name,
                       const std::string& finalizer) override {
    const auto it = objects_.find({ns, name});
    if (it == objects_.end()) return;
    const auto& f = it->second->metadata.finalizers;
    if (std::find(f.begin(), f.end(), finalizer) == f.end()) return;
    Mutate(ns, name, [&](T& obj) { std::erase(obj.metadata.finalizers, finalizer); });
  }

  void RemoveOwnerReference(const std::string& ns, const std::string& name,
                            const std::string& owner_uid) override {
    Mutate(ns, name, [&](T& obj) {
      std::erase_if(obj.metadata.owner_references,
                    [&](const OwnerReference& r) { return r.uid == owner_uid; });
    });
  }

 private:
  std::string RandomSuffix() {
    static constexpr char kAlphabet[] = "bcdfghjklmnpqrstvwxz2456789";
    std::string s;
    for (int i = 0; i < 5; ++i)
      s += kAlphabet[state_.uids.Uniform(sizeof(kAlphabet) - 1)];
    return s;
  }

  // A deleted object whose grace period is over and whose finalizers are gone.
  static bool ReadyToRemove(const ObjectMeta& m) {
    return m.deletion_timestamp && m.deletion_grace_period_seconds.value_or(-1) == 0 &&
           m.finalizers.empty();
  }

  void Notify(WatchEvent<T> event) {
    if (watchers_.empty()) return;
    state_.loop.Post([this, event = std::move(event)] {
      for (std::size_t i = 0; i < watchers_.size(); ++i)
        watchers_[i](event);
    });
  }

  ApiServerState& state_;
  std::map<std::pair<std::string, std::string>, Ptr> objects_;
  std::vector<Watcher> watchers_;
  DeletePolicy delete_policy_;
  std::function<std::string(const T&)> validate_create_;
  std::function<void(T&)> prepare_create_;
};

}  // namespace ptsim
