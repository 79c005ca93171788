#include "fakes/apiserver/api_server.hpp"

#include "sim/model/batch_job_defaults.hpp"
#include "sim/model/batch_job_validation.hpp"
#include "sim/model/pod_paths.hpp"

namespace ptsim {

ApiServer::ApiServer(EventLoop& loop, Trace& trace, const Random& random)
    : state_{loop, random.Fork("uids"), 0, {}, {}}, trace_(trace), events_(loop) {
  state_.on_removed = [this](const std::string& uid) {
    // The garbage collector acts after the owner's deletion is observed.
    state_.loop.Post([this, uid] {
      CollectGarbage(uid);
      FinishForegroundDeletions();
    });
  };
  state_.on_propagate = [this](CollectionBase* owner, const std::string& ns,
                               const std::string& name, const std::string& uid,
                               PropagationPolicy policy) {
    state_.loop.Post([=, this] { Propagate(owner, ns, name, uid, policy); });
  };
}

void ApiServer::Propagate(CollectionBase* owner, const std::string& ns, const std::string& name,
                          const std::string& uid, PropagationPolicy policy) {
  if (policy == PropagationPolicy::kOrphan) {
    // garbagecollector.go orphanDependents, then removeFinalizer.
    for (CollectionBase* c : order_) {
      for (const auto& [dns, dname] : c->DependentsOf(uid)) {
        trace_.Record(state_.loop.Now(), "garbage-collector",
                      std::string("orphan ") + c->kind() + " " + dns + "/" + dname + " of " +
                          owner->kind() + " " + ns + "/" + name);
        c->RemoveOwnerReference(dns, dname, uid);
      }
    }
    owner->RemoveFinalizer(ns, name, kOrphanFinalizer);
    return;
  }
  // Foreground: delete every dependent (in the background: ptsim's dependents
  // have no blocking dependents of their own), then wait for the blocking ones.
  foreground_[uid] = ForegroundOwner{owner, ns, name};
  for (CollectionBase* c : order_) {
    for (const auto& [dns, dname] : c->DependentsOf(uid)) {
      trace_.Record(state_.loop.Now(), "garbage-collector",
                    std::string("delete ") + c->kind() + " " + dns + "/" + dname + ": its owner " +
                        owner->kind() + " " + ns + "/" + name + " is deleted in the foreground");
      DeleteOptions options;
      options.propagation_policy = PropagationPolicy::kBackground;
      c->DeleteObject(dns, dname, options);
    }
  }
  FinishForegroundDeletions();
}

void ApiServer::FinishForegroundDeletions() {
  for (auto it = foreground_.begin(); it != foreground_.end();) {
    bool blocked = false;
    for (CollectionBase* c : order_)
      blocked = blocked || c->HasBlockingDependentOf(it->first);
    if (blocked) {
      ++it;
      continue;
    }
    const ForegroundOwner owner = it->second;
    it = foreground_.erase(it);
    owner.collection->RemoveFinalizer(owner.ns, owner.name, kForegroundDeletionFinalizer);
  }
}

void ApiServer::CollectGarbage(const std::string& owner_uid) {
  for (CollectionBase* c : order_) {
    for (const auto& [ns, name] : c->DependentsOf(owner_uid)) {
      trace_.Record(
          state_.loop.Now(), "garbage-collector",
          std::string("delete ") + c->kind() + " " + ns + "/" + name + ": its owner is gone");
      c->DeleteObject(ns, name);
    }
  }
}

template <>
void ApiServer::OnRegister<Pod>(Collection<Pod>& pods) {
  pods.set_delete_policy([this](Pod& pod, std::optional<std::int64_t> grace) {
    const std::int64_t period = grace.value_or(pod.spec.GracePeriodSeconds());
    if (period <= 0 || pod.spec.node_name.empty() || pod.IsTerminal()) return true;
    const Time deadline = state_.loop.Now() + std::chrono::seconds(period);
    // A later deletion may shorten the grace period, never extend it.
    if (!pod.metadata.deletion_timestamp || deadline < *pod.metadata.deletion_timestamp) {
      pod.metadata.deletion_timestamp = deadline;
      pod.metadata.deletion_grace_period_seconds = period;
    }
    return false;
  });
  // ValidatePodSpec (pkg/apis/core/validation): the restartPolicy enum. The
  // training-operator copies a replica's restartPolicy into its pods as
  // written, so a misspelt one reaches this check
  // (docs/upstream/training-operator.md#restart-policies).
  pods.set_create_validation([](const Pod& pod) -> std::string {
    // Names that become directories and volume paths (sim/model/pod_paths.hpp),
    // for every pod, including those the operator makes from a job's template.
    if (auto errors = CheckPodPaths(pod); !errors.empty()) {
      return errors.front().field + ": " + errors.front().message;
    }
    const std::string& p = pod.spec.restart_policy;
    if (p.empty() || p == "Always" || p == "OnFailure" || p == "Never") return "";  // "": defaulted
    return "spec.restartPolicy: Unsupported value: \"" + p +
           "\": supported values: \"Always\", \"OnFailure\", \"Never\"";
  });
}

template <>
void ApiServer::OnRegister<BatchJob>(Collection<BatchJob>& jobs) {
  jobs.set_prepare_create([](BatchJob& job) {
    job = SetDefaults_Job(job);
    GenerateJobSelector(&job);
    job.status = BatchJobStatus{};
  });
  jobs.set_create_validation(
      [](const BatchJob& job) { return AggregateFieldErrors(ValidateBatchJob(job)); });
}

}  // namespace ptsim
