// The CRD's own update rule (schedulingPolicy.queue is immutable), which the
// API server checks before any webhook:
// docs/upstream/training-operator.md#validation, V14, and
// docs/upstream/training-operator.md#release-profiles.
#include <catch2/catch.hpp>

#include "sim/model/pytorchjob_crd_validation.hpp"

namespace ptsim {
namespace {

PyTorchJob WithQueue(std::optional<std::string> queue) {
  PyTorchJob job;
  job.metadata.name = "test-job";
  if (queue) job.spec.run_policy.scheduling_policy.emplace().queue = std::move(queue);
  return job;
}

TEST_CASE("changing schedulingPolicy.queue is rejected with the CRD's message from v1.8 on") {
  for (auto v : {OperatorVersion::kV1_8_1, OperatorVersion::kV1_9_0, OperatorVersion::kV1_9_4,
                 OperatorVersion::kFixed}) {
    const auto errors = ValidateCrdUpdate(WithQueue("initial-queue"), WithQueue("test"), v);
    REQUIRE(errors.size() == 1);
    CHECK(CrdInvalidMessage("test-job", errors) ==
          "PyTorchJob.kubeflow.org \"test-job\" is invalid: "
          "spec.runPolicy.schedulingPolicy.queue: Invalid value: \"string\": "
          "spec.runPolicy.schedulingPolicy.queue is immutable");
  }
}

TEST_CASE("v1.7.0's CRD has no queue rule") {
  CHECK(ValidateCrdUpdate(WithQueue("a"), WithQueue("b"), OperatorVersion::kV1_7_0).empty());
}

TEST_CASE("the queue rule is a transition rule: setting, keeping or removing the queue passes") {
  const auto v = OperatorVersion::kV1_9_4;
  CHECK(ValidateCrdUpdate(WithQueue(std::nullopt), WithQueue("q"), v).empty());
  CHECK(ValidateCrdUpdate(WithQueue("q"), WithQueue("q"), v).empty());
  CHECK(ValidateCrdUpdate(WithQueue("q"), WithQueue(std::nullopt), v).empty());
}

}  // namespace
}  // namespace ptsim
