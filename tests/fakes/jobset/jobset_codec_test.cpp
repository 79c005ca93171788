// Decoding JobSet manifests (sim/model/jobset_codec): the upstream examples'
// shape, strict unknown fields, the CRD's enums and rules, with file:line.
#include <catch2/catch.hpp>

#include "sim/model/jobset_codec.hpp"

namespace ptsim {
namespace {

const char* kPyTorchJobSet = R"(apiVersion: jobset.x-k8s.io/v1alpha2
kind: JobSet
metadata:
  name: pytorch
spec:
  successPolicy:
    operator: Any
    targetReplicatedJobs: [leader]
  failurePolicy:
    maxRestarts: 3
    restartStrategy: BlockingRecreate
    rules:
    - name: failOnLeader
      action: FailJobSet
      onJobFailureReasons: [PodFailurePolicy]
      onJobFailureMessagePatterns: [".*exit code 3.*"]
      targetReplicatedJobs: [leader]
  network:
    enableDNSHostnames: true
    subdomain: pt
    publishNotReadyAddresses: false
  startupPolicy:
    startupPolicyOrder: AnyOrder
  ttlSecondsAfterFinished: 60
  suspend: false
  coordinator: {replicatedJob: leader, jobIndex: 0, podIndex: 0}
  replicatedJobs:
  - name: leader
    replicas: 1
    template:
      spec:
        parallelism: 1
        completions: 1
        backoffLimit: 0
        template:
          spec:
            containers:
            - name: pytorch
              image: pytorch/pytorch:latest
  - name: workers
    groupName: trainers
    replicas: 2
    dependsOn: [{name: leader, status: Ready}]
    template:
      metadata:
        labels: {tier: worker}
      spec:
        parallelism: 2
        completions: 2
        template:
          spec:
            restartPolicy: Never
            containers:
            - name: pytorch
              image: pytorch/pytorch:latest
status:
  restarts: 2
)";

TEST_CASE("a full JobSet decodes, status ignored") {
  auto parsed = ParseJobSet(kPyTorchJobSet, "js.yaml");
  INFO(parsed.diagnostics().Render());
  REQUIRE(parsed.ok());
  const JobSet& js = *parsed;
  CHECK(js.metadata.name == "pytorch");
  REQUIRE(js.spec.replicated_jobs.size() == 2);
  const auto& w = js.spec.replicated_jobs[1];
  CHECK(w.name == "workers");
  CHECK(w.group_name == "trainers");
  CHECK(w.replicas == 2);
  REQUIRE(w.depends_on.size() == 1);
  CHECK(w.depends_on[0].status == "Ready");
  CHECK(w.template_.metadata.labels.at("tier") == "worker");
  CHECK(w.template_.spec.completions == 2);
  CHECK(w.template_.spec.template_.spec.restart_policy == "Never");
  CHECK_FALSE(js.spec.replicated_jobs[0].group_name);
  CHECK(js.spec.success_policy->operator_ == "Any");
  CHECK(js.spec.failure_policy->max_restarts == 3);
  CHECK(js.spec.failure_policy->restart_strategy == "BlockingRecreate");
  REQUIRE(js.spec.failure_policy->rules.size() == 1);
  CHECK(js.spec.failure_policy->rules[0].on_job_failure_message_patterns ==
        std::vector<std::string>{".*exit code 3.*"});
  CHECK(js.spec.network->subdomain == "pt");
  CHECK(js.spec.network->publish_not_ready_addresses == false);
  CHECK(js.spec.ttl_seconds_after_finished == 60);
  CHECK(js.spec.coordinator->replicated_job == "leader");
  CHECK(js.status.restarts == 0);
}

std::string Errors(const std::string& yaml) {
  auto parsed = ParseJobSet(yaml, "js.yaml");
  return parsed.diagnostics().Render();
}

const std::string kHead =
    "apiVersion: jobset.x-k8s.io/v1alpha2\nkind: JobSet\nmetadata: {name: js}\nspec:\n";
const std::string kRJob =
    "  replicatedJobs:\n  - name: w\n    template:\n      spec:\n        template:\n"
    "          spec:\n            containers: [{name: c, image: busybox}]\n";

TEST_CASE("unknown fields, bad enums and the CRD rules are errors with their line") {
  CHECK_THAT(Errors(kHead + kRJob + "  failurePolicy:\n    maxRestart: 3\n"),
             Catch::Contains("js.yaml:13:5") && Catch::Contains("did you mean \"maxRestarts\""));
  CHECK_THAT(Errors(kHead + kRJob + "  failurePolicy:\n    rules:\n    - {action: Retry}\n"),
             Catch::Contains("spec.failurePolicy.rules[0].action: Unsupported value: \"Retry\": "
                             "supported values: \"FailJobSet\", \"RestartJobSet\""));
  CHECK_THAT(Errors(kHead + kRJob + "  successPolicy: {operator: Some}\n"),
             Catch::Contains("spec.successPolicy.operator: Unsupported value: \"Some\""));
  CHECK_THAT(Errors(kHead + kRJob + "  failurePolicy: {restartStrategy: Never}\n"),
             Catch::Contains("restartStrategy: Unsupported value: \"Never\""));
  CHECK_THAT(Errors(kHead + kRJob + "  kind: wrong\n"),
             Catch::Contains("spec.kind: unknown field"));
  CHECK_THAT(Errors("apiVersion: jobset.x-k8s.io/v1\nkind: JobSet\nmetadata: {name: js}\n"),
             Catch::Contains("apiVersion: Unsupported value: \"jobset.x-k8s.io/v1\""));
  CHECK_THAT(Errors(kHead + kRJob + "  ttlSecondsAfterFinished: -1\n"),
             Catch::Contains("should be greater than or equal to 0"));
}

TEST_CASE("StartupPolicy InOrder with dependsOn is rejected, as the CRD's CEL rule does") {
  const std::string yaml = kHead + "  startupPolicy: {startupPolicyOrder: InOrder}\n" + kRJob +
                           "  - name: x\n    dependsOn: [{name: w, status: Complete}]\n"
                           "    template: {spec: {template: {spec: {containers: [{name: c, image: "
                           "busybox}]}}}}\n";
  CHECK_THAT(Errors(yaml),
             Catch::Contains("StartupPolicy and DependsOn APIs are mutually exclusive"));
}

TEST_CASE("replicated job names are unique, dependsOn at most 5, status Ready or Complete") {
  CHECK_THAT(Errors(kHead + kRJob +
                    "  - name: w\n    template: {spec: {template: {spec: "
                    "{containers: [{name: c, image: busybox}]}}}}\n"),
             Catch::Contains("spec.replicatedJobs[1]: Duplicate value: {\"name\":\"w\"}"));
  CHECK_THAT(Errors(kHead + kRJob + "    dependsOn: [{name: a, status: Done}]\n"),
             Catch::Contains("dependsOn[0].status: Unsupported value: \"Done\""));
  CHECK_THAT(Errors(kHead + kRJob +
                    "    dependsOn: [{name: a, status: Ready}, {name: b, status: "
                    "Ready}, {name: c, status: Ready}, {name: d, status: Ready}, "
                    "{name: e, status: Ready}, {name: f, status: Ready}]\n"),
             Catch::Contains("Too many: 6: must have at most 5 items"));
  CHECK_THAT(Errors(kHead + "  replicatedJobs:\n  - name: w\n"),
             Catch::Contains("spec.replicatedJobs[0].template: Required value"));
}

}  // namespace
}  // namespace ptsim
