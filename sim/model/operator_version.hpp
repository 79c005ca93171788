// The training-operator releases ptsim can emulate, and the `fixed` profile:
// v1.9.4 with the known upstream bugs corrected
// (docs/upstream/training-operator.md#release-profiles and
// docs/upstream/training-operator.md#known-upstream-bugs). Profiles are plain
// values; code that behaves differently per release asks the predicates below
// instead of comparing versions itself, so each difference is named once. The
// default is the last v1 release, v1.9.4.
#pragma once

#include <optional>
#include <string_view>

namespace ptsim {

enum class OperatorVersion {
  kV1_7_0,  // validation inside the controller (pytorch_validation.go); no webhook
  kV1_8_1,  // validating webhook: V1-V7, V10, V11
  kV1_9_0,  // + worker replicas >= 1, elastic needs Worker, runPolicy.managedBy
  kV1_9_4,  // + cleanPodPolicy respected on backoff/deadline failure (PR #3420)
  kFixed,   // v1.9.4 with the known upstream bugs corrected
};

inline constexpr OperatorVersion kDefaultOperatorVersion = OperatorVersion::kV1_9_4;

// "v1.7.0", "v1.8.1", "v1.9.0", "v1.9.4", "fixed" (a leading "v" is optional).
std::optional<OperatorVersion> ParseOperatorVersion(std::string_view text);
// The spelling ParseOperatorVersion reads, e.g. "v1.9.4".
std::string_view OperatorVersionName(OperatorVersion version);
// "v1.7.0, v1.8.1, v1.9.0, v1.9.4, fixed": for error messages.
std::string_view OperatorVersionChoices();

// v1.8.0+: PyTorchJobs are checked by the validating admission webhook
// (pkg/webhooks/pytorch); v1.7.0 checks them in Reconcile and only emits events.
bool HasValidatingWebhook(OperatorVersion version);
// v1.9.0+: webhook checks worker replicas >= 1, elasticPolicy needs a Worker,
// and runPolicy.managedBy (value, and immutability on update).
bool ValidatesWorkerReplicasAndManagedBy(OperatorVersion version);
// v1.9.0-v1.9.4: Webhook.ValidateUpdate reads its "old" job from newObj
// (pytorchjob_webhook.go ValidateUpdate), so managedBy immutability never fires.
bool ValidateUpdateComparesNewWithNew(OperatorVersion version);
// v1.8.0+: the CRD makes runPolicy.schedulingPolicy.queue immutable (CEL rule).
bool HasQueueImmutabilityRule(OperatorVersion version);

}  // namespace ptsim
