#include "sim/model/pytorchjob_crd_validation.hpp"

#include <fmt/format.h>

#include "sim/core/go_quote.hpp"

namespace ptsim {
namespace {

const std::string* QueueOf(const PyTorchJob& job) {
  const auto& policy = job.spec.run_policy.scheduling_policy;
  if (!policy || !policy->queue) return nullptr;
  return &*policy->queue;
}

}  // namespace

std::vector<FieldError> ValidateCrdUpdate(const PyTorchJob& old, const PyTorchJob& next,
                                          OperatorVersion version) {
  std::vector<FieldError> errors;
  if (!HasQueueImmutabilityRule(version)) return errors;
  // A transition rule runs only where both the old and the new object hold
  // the field (Kubernetes CEL "transition rules"): setting the queue for the
  // first time, or removing it, is admitted.
  const std::string* before = QueueOf(old);
  const std::string* after = QueueOf(next);
  if (before && after && *before != *after) {
    errors.push_back(FieldInvalid("spec.runPolicy.schedulingPolicy.queue", "string",
                                  "spec.runPolicy.schedulingPolicy.queue is immutable"));
  }
  return errors;
}

std::string CrdInvalidMessage(const std::string& name, const std::vector<FieldError>& errors) {
  return fmt::format("PyTorchJob.kubeflow.org {} is invalid: {}", GoQuote(name),
                     AggregateFieldErrors(errors));
}

}  // namespace ptsim
