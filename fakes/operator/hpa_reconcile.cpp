// ReconcileHPA (training-operator pkg/controller.v1/pytorch/hpa.go): the
// HorizontalPodAutoscaler of an elastic PyTorchJob with metrics.

#include "fakes/operator/pytorchjob_controller.hpp"

#include <fmt/format.h>

namespace ptsim {

std::optional<std::string> PyTorchJobController::ReconcileHpa(const PyTorchJob& job) {
  const auto& e = job.spec.elastic_policy;
  if (!e || !e->metrics) return std::nullopt;  // "No ElasicPolicy or Metric is specified"
  auto& hpas = api_.collection<HorizontalPodAutoscaler>();
  const bool suspended = IsJobSuspended(&job.spec.run_policy);
  HorizontalPodAutoscaler desired;
  desired.metadata.name = job.metadata.name;
  desired.metadata.namespace_ = job.metadata.namespace_;
  desired.metadata.owner_references.push_back(GenOwnerReference(job));
  desired.spec.scale_target_ref = {PyTorchJob::kKind, job.metadata.name, PyTorchJob::kApiVersion};
  desired.spec.min_replicas = e->min_replicas;
  desired.spec.max_replicas = e->max_replicas.value_or(0);
  desired.spec.metrics = *e->metrics;
  auto current = hpas.Get(job.metadata.namespace_, job.metadata.name);
  if (!current) {
    if (!suspended) {
      hpas.Create(desired);
      Trace(fmt::format("create HorizontalPodAutoscaler {}/{}", job.metadata.namespace_,
                        job.metadata.name));
    }
    return std::nullopt;
  }
  if (suspended) {
    hpas.Delete(job.metadata.namespace_, job.metadata.name);
    return std::nullopt;
  }
  const auto& s = current->spec;
  if (s.min_replicas != desired.spec.min_replicas || s.max_replicas != desired.spec.max_replicas ||
      s.metrics != desired.spec.metrics) {
    hpas.Mutate(job.metadata.namespace_, job.metadata.name,
                [&](HorizontalPodAutoscaler& h) { h.spec = desired.spec; });
  }
  return std::nullopt;
}

}  // namespace ptsim
