// Defaulting of a JobSet on create, as the API server applies it: first the
// CRD's structural-schema defaults (replicas 1, groupName "default",
// failurePolicy.restartStrategy Recreate; config/components/crd), then the
// mutating webhook's Default (pkg/webhooks/jobset_webhook.go @v0.12.0).
// Updates are not defaulted by the webhook (it is registered for create only).
// Pure functions; any thread.
#pragma once

#include "sim/model/jobset.hpp"

namespace ptsim {

// The CRD defaults only.
void SetCrdDefaults_JobSet(JobSet* js);  // NOLINT(readability-identifier-naming)

// The CRD defaults, then the webhook's Default:
//  * successPolicy {operator: All} when unset;
//  * startupPolicy {startupPolicyOrder: AnyOrder} when unset;
//  * per replicated job: completionMode Indexed and pod restartPolicy
//    OnFailure when unset;
//  * network.enableDNSHostnames and network.publishNotReadyAddresses true
//    when unset;
//  * failure policy rules without a name become `failurePolicyRule<i>`.
void SetDefaults_JobSet(JobSet* js);  // NOLINT(readability-identifier-naming)

}  // namespace ptsim
