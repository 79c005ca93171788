// The TrainJob validating webhook's checks that need the referenced runtime
// (kubeflow/trainer v2.3.0 pkg/webhooks/trainjob_webhook.go and the plugins'
// Validate): the runtime kind is registered, the runtime exists (its
// not-found message names `spec.RuntimeRef` for a ClusterTrainingRuntime,
// kubeflow/trainer v2.3.0 quirk), the Torch plugin's checks and the JobSet
// plugin's (initializer jobs, runtimePatches that name what the runtime has).
// The object-only checks are sim/model/trainjob_validation.hpp. Messages are
// upstream's, verbatim. Pure; any thread.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "sim/model/trainjob.hpp"

namespace ptsim {

inline constexpr const char* kTrainJobWebhookName = "validator.trainjob.trainer.kubeflow.org";

// One reason for a denial: `message` is the complete text, `field` where it
// points (for source locations; may be empty).
struct AdmissionError {
  std::string field;
  std::string message;
  bool operator==(const AdmissionError&) const = default;
};

// Finds a runtime: kind is TrainingRuntime (namespaced) or
// ClusterTrainingRuntime (namespace ignored); null when absent.
using RuntimeResolver = std::function<const TrainingRuntimeSpec*(
    const std::string& kind, const std::string& ns, const std::string& name)>;

// The runtime key "<Kind>.<group>" and whether it is registered.
std::string RuntimeKey(const RuntimeRef& ref);
bool IsRegisteredRuntime(const RuntimeRef& ref);

// Everything the webhook refuses on create (and on update, with the update
// rules of ValidateTrainJobUpdate added by the caller).
std::vector<AdmissionError> ValidateTrainJobWithRuntime(const TrainJob& trainjob,
                                                        const RuntimeResolver& resolve);

// `admission webhook "<name>" denied the request: <messages>` as the API
// server reports it (one message, or `[m1, m2]`).
std::string TrainJobDenial(const std::vector<AdmissionError>& errors);

}  // namespace ptsim
