// Object control (training-operator pkg/controller.v1/control): creating and
// deleting the pods and services a PyTorchJob owns, with their events.

#include "fakes/operator/pytorchjob_controller.hpp"

#include <fmt/format.h>
#include <algorithm>

#include "fakes/operator/job_naming.hpp"

#include "fakes/operator/pod_env.hpp"

namespace ptsim {

std::optional<std::string> PyTorchJobController::CreateNewPod(const PyTorchJob& job,
                                                              const std::string& rtype, int index,
                                                              const ReplicaSpec& spec) {
  const ReplicaSpecs& replicas = *job.spec.pytorch_replica_specs;
  const std::string rt = ToLower(rtype);
  Labels labels = GenLabels(job.metadata.name);
  labels[kReplicaTypeLabel] = rt;
  labels[kReplicaIndexLabel] = std::to_string(index);
  if (IsMasterRole(replicas, rtype, index, options_.profile)) labels[kJobRoleLabel] = "master";

  Pod pod;
  pod.metadata = spec.template_.metadata;
  pod.metadata.name = GenGeneralName(job.metadata.name, rtype, index);
  pod.metadata.namespace_ = job.metadata.namespace_;
  for (const auto& [k, v] : labels)
    pod.metadata.labels[k] = v;  // the controller's labels win
  pod.spec = spec.template_.spec;
  if (auto r = SetPodEnv(job, rt, index, &pod.spec, options_.profile); !r.ok()) {
    return r.diagnostics().items().front().message;
  }
  SetInitContainer(job, rt, &pod.spec, options_.init_container_image,
                   options_.init_container_max_tries);
  if (spec.template_.spec.restart_policy_set) {
    Event(job, "Warning", options_.profile.template_restart_policy_reason,
          "Restart policy in pod template will be overwritten by restart policy in replica spec");
  }
  // core.SetRestartPolicy: ExitCode becomes Never; anything else is copied.
  pod.spec.restart_policy = spec.restart_policy == "ExitCode" ? "Never" : spec.restart_policy;
  pod.metadata.owner_references = {GenOwnerReference(job)};
  auto created = api_.collection<Pod>().Create(pod);
  if (!created.ok()) {
    const std::string err = created.diagnostics().items().front().message;
    Event(job, "Warning", "FailedCreatePod", fmt::format("Error creating: {}", err));
    return err;
  }
  Event(job, "Normal", "SuccessfulCreatePod", fmt::format("Created pod: {}", pod.metadata.name));
  Trace(fmt::format("create pod {}/{}", pod.metadata.namespace_, pod.metadata.name));
  return std::nullopt;
}

std::optional<std::string> PyTorchJobController::CreateNewService(const PyTorchJob& job,
                                                                  const std::string& rtype,
                                                                  int index,
                                                                  const ReplicaSpec& spec) {
  Service svc;
  svc.metadata.name = GenGeneralName(job.metadata.name, rtype, index);
  svc.metadata.namespace_ = job.metadata.namespace_;
  Labels labels = GenLabels(job.metadata.name);
  labels[kReplicaTypeLabel] = ToLower(rtype);
  labels[kReplicaIndexLabel] = std::to_string(index);
  svc.metadata.labels = labels;
  svc.metadata.owner_references = {GenOwnerReference(job)};
  svc.spec.cluster_ip = "None";
  svc.spec.selector = std::map<std::string, std::string>(labels.begin(), labels.end());
  bool found = false;
  for (const auto& c : spec.template_.spec.containers) {
    if (c.name != kPyTorchJobDefaultContainerName) continue;
    found = true;
    for (const auto& p : c.ports)
      svc.spec.ports.push_back({p.name, p.container_port, p.container_port, "TCP"});
  }
  if (!found) {
    Event(job, "Warning", "FailedCreateService", "Error creating: failed to find the port");
    return std::string("failed to find the port");
  }
  // Ports come from a Go map upstream (unstable order); ptsim sorts them by name.
  std::sort(svc.spec.ports.begin(), svc.spec.ports.end(),
            [](const ServicePort& a, const ServicePort& b) { return a.name < b.name; });
  auto created = api_.collection<Service>().Create(svc);
  if (!created.ok()) {
    const std::string err = created.diagnostics().items().front().message;
    Event(job, "Warning", "FailedCreateService", fmt::format("Error creating: {}", err));
    return err;
  }
  Event(job, "Normal", "SuccessfulCreateService",
        fmt::format("Created service: {}", svc.metadata.name));
  return std::nullopt;
}

void PyTorchJobController::DeletePod(const PyTorchJob& job, const std::string& ns,
                                     const std::string& name) {
  auto pod = api_.collection<Pod>().Get(ns, name);
  if (!pod || pod->metadata.deletion_timestamp) return;  // gone, or already terminating
  api_.collection<Pod>().Delete(ns, name);
  Event(job, "Normal", "SuccessfulDeletePod", fmt::format("Deleted pod: {}", name));
  Trace(fmt::format("delete pod {}/{}", ns, name));
}

void PyTorchJobController::DeleteService(const PyTorchJob& job, const std::string& ns,
                                         const std::string& name) {
  auto svc = api_.collection<Service>().Get(ns, name);
  if (!svc || svc->metadata.deletion_timestamp) return;
  api_.collection<Service>().Delete(ns, name);
  Event(job, "Normal", "SuccessfulDeleteService", fmt::format("Deleted service: {}", name));
}

}  // namespace ptsim
