// The JobSet validating webhook (pkg/webhooks/jobset_webhook.go @v0.12.0,
// ValidateCreate and ValidateUpdate) with its messages verbatim, and the
// rendering of a denial the way the API server reports it. It sees the object
// after defaulting (sim/model/jobset_defaults.hpp), as upstream's validating
// webhook runs after the mutating one. The alpha feature gates RestartJob,
// InPlaceRestart and ElasticJobSet are off (pkg/features), as in a default
// install. VolumeClaimPolicies are not modelled. Pure functions; any thread.
#pragma once

#include <string>
#include <vector>

#include "sim/model/field_error.hpp"
#include "sim/model/jobset.hpp"

namespace ptsim {

inline constexpr const char* kJobSetWebhookName = "vjobset.kb.io";

// ValidateCreate: the errors in upstream's order. Plain errors upstream
// (fmt.Errorf) become field.InternalError(nil, err), as invalidError does:
// field "<nil>", type Internal, the message as detail.
std::vector<FieldError> ValidateJobSetCreate(const JobSet& js);

// ValidateUpdate: spec.replicatedJobs is immutable except, while the old or
// the new JobSet is suspended, the pod templates' labels, annotations,
// nodeSelector and tolerations; spec.managedBy is immutable. ptsim compares
// the fields its updates can touch (names, replicas, groupName, dependsOn,
// the Job spec's counts, modes and suspend, the pod template's restart policy,
// hostname and container names and images); the bad value is abbreviated.
std::vector<FieldError> ValidateJobSetUpdate(const JobSet& old_js, const JobSet& new_js);

// apierrors.NewInvalid's message:
// `JobSet.jobset.x-k8s.io "<name>" is invalid: <aggregate>`; "" for no errors.
std::string JobSetInvalidMessage(const std::string& name, const std::vector<FieldError>& errors);

// The names the controller gives child objects (pkg/util/placement):
// `<js>-<rjob>-<jobIndex>` and `<js>-<rjob>-<jobIndex>-<podIndex>`.
std::string GenJobName(const std::string& jobset, const std::string& rjob, int job_index);
std::string GenPodName(const std::string& jobset, const std::string& rjob,
                       const std::string& job_index, const std::string& pod_index);

// apimachinery's IsDNS1123Subdomain: its messages, none when valid.
std::vector<std::string> IsDns1123Subdomain(const std::string& value);

}  // namespace ptsim
