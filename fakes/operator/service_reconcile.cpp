// JobController.ReconcileServices (training-operator
// pkg/controller.v1/common/service.go): one service per replica.

#include "fakes/operator/pytorchjob_controller.hpp"

#include <fmt/format.h>

#include "fakes/operator/job_naming.hpp"
#include "sim/model/label_selector.hpp"

namespace ptsim {

std::optional<std::string> PyTorchJobController::ReconcileServices(
    const PyTorchJob& job, const std::vector<std::shared_ptr<const Service>>& all,
    const std::string& rtype, const ReplicaSpec& spec) {
  const std::string rt = ToLower(rtype);
  const int num_replicas = spec.replicas.value_or(1);
  const auto services = FilterForReplicaType(all, rt);
  // GetServiceSlices: the same slot rule as pods.
  const int size = CalculateSliceSize(services, num_replicas);
  std::map<int, std::vector<std::shared_ptr<const Service>>> slices;
  for (const auto& s : services) {
    if (auto index = ReplicaIndex(s->metadata.labels)) slices[*index].push_back(s);
  }
  for (int index = 0; index < size; ++index) {
    auto it = slices.find(index);
    if (it != slices.end() && it->second.size() > 1) {
      Trace(fmt::format("We have too many services for {} {}", rtype, index));
    } else if (it == slices.end() || it->second.empty()) {
      // As for pods: a service for every empty slot, in the loop of #1709.
      if (index < num_replicas || (options_.profile.zero_replicas_churn && ChurnWrite(job))) {
        if (auto err = CreateNewService(job, rtype, index, spec)) return err;
      }
    } else if (index >= num_replicas &&
               (!options_.profile.zero_replicas_churn || ChurnWrite(job))) {
      DeleteService(job, it->second.front()->metadata.namespace_,
                    it->second.front()->metadata.name);
    }
  }
  return std::nullopt;
}

std::vector<std::shared_ptr<const Service>> PyTorchJobController::ServicesForJob(
    const PyTorchJob& job) const {
  return api_.collection<Service>().List(job.metadata.namespace_,
                                         LabelSelector::FromLabels(GenLabels(job.metadata.name)));
}

}  // namespace ptsim
