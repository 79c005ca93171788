// Decoding batch/v1 Job manifests: every field, strict unknown fields with a
// line, status ignored; defaulting as the API server applies it.
#include <catch2/catch.hpp>

#include "sim/model/batch_job_codec.hpp"
#include "sim/model/batch_job_defaults.hpp"

namespace ptsim {
namespace {

const char* const kFullJob = R"(apiVersion: batch/v1
kind: Job
metadata:
  name: pi
  namespace: team-a
spec:
  parallelism: 2
  completions: 4
  activeDeadlineSeconds: 600
  backoffLimit: 3
  backoffLimitPerIndex: 1
  maxFailedIndexes: 2
  completionMode: Indexed
  suspend: false
  ttlSecondsAfterFinished: 100
  podReplacementPolicy: Failed
  managedBy: kubernetes.io/job-controller
  manualSelector: true
  selector:
    matchLabels: {app: pi}
    matchExpressions:
      - {key: tier, operator: In, values: [batch]}
  podFailurePolicy:
    rules:
      - action: FailJob
        onExitCodes: {containerName: main, operator: In, values: [42]}
      - action: Ignore
        onPodConditions:
          - type: DisruptionTarget
  successPolicy:
    rules:
      - {succeededIndexes: "0,2-3", succeededCount: 1}
  template:
    metadata:
      labels: {app: pi, tier: batch}
    spec:
      restartPolicy: Never
      containers:
        - name: main
          image: perl:5.34
          command: [perl, -Mbignum=bpi, -wle, print bpi(2000)]
status:
  succeeded: 4
)";

BatchJob MustDecode(const std::string& text) {
  auto r = ParseBatchJob(text, "job.yaml");
  INFO(r.diagnostics().Render());
  REQUIRE(r.ok());
  return std::move(r.value());
}

TEST_CASE("a Job manifest decodes into every field of the spec, leaving status out") {
  const BatchJob job = MustDecode(kFullJob);
  CHECK(job.metadata.name == "pi");
  CHECK(job.metadata.namespace_ == "team-a");
  const JobSpec& s = job.spec;
  CHECK(s.parallelism == 2);
  CHECK(s.completions == 4);
  CHECK(s.active_deadline_seconds == 600);
  CHECK(s.backoff_limit == 3);
  CHECK(s.backoff_limit_per_index == 1);
  CHECK(s.max_failed_indexes == 2);
  CHECK(s.completion_mode == "Indexed");
  CHECK(s.suspend == false);
  CHECK(s.ttl_seconds_after_finished == 100);
  CHECK(s.pod_replacement_policy == "Failed");
  CHECK(s.managed_by == "kubernetes.io/job-controller");
  CHECK(s.manual_selector == true);
  REQUIRE(s.selector);
  CHECK(s.selector->Matches({{"app", "pi"}, {"tier", "batch"}}));
  CHECK_FALSE(s.selector->Matches({{"app", "pi"}, {"tier", "web"}}));
  REQUIRE(s.pod_failure_policy);
  REQUIRE(s.pod_failure_policy->rules.size() == 2);
  const auto& r0 = s.pod_failure_policy->rules[0];
  CHECK(r0.action == "FailJob");
  REQUIRE(r0.on_exit_codes);
  CHECK(r0.on_exit_codes->container_name == "main");
  CHECK(r0.on_exit_codes->operator_ == "In");
  CHECK(r0.on_exit_codes->values == std::vector<std::int32_t>{42});
  const auto& r1 = s.pod_failure_policy->rules[1];
  REQUIRE(r1.on_pod_conditions.size() == 1);
  CHECK(r1.on_pod_conditions[0].type == "DisruptionTarget");
  CHECK(r1.on_pod_conditions[0].status == "True");
  REQUIRE(s.success_policy);
  CHECK(s.success_policy->rules.at(0).succeeded_indexes == "0,2-3");
  CHECK(s.success_policy->rules.at(0).succeeded_count == 1);
  CHECK(s.template_.spec.restart_policy == "Never");
  CHECK(s.template_.spec.containers.at(0).command.at(1) == "-Mbignum=bpi");
  CHECK(job.status.succeeded == 0);
}

TEST_CASE("an unknown Job field is an error with its line and a did-you-mean") {
  auto r = ParseBatchJob(
      "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  backofLimit: 2\n"
      "  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: "
      "x}]\n",
      "job.yaml");
  REQUIRE_FALSE(r.ok());
  const std::string text = r.diagnostics().Render();
  INFO(text);
  CHECK(text.find("job.yaml:5") != std::string::npos);
  CHECK(text.find("spec.backofLimit") != std::string::npos);
  CHECK(text.find("backoffLimit") != std::string::npos);
}

TEST_CASE("a Job manifest of another kind or without a template is refused") {
  auto wrong = ParseBatchJob("apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: j}\nspec: {}\n",
                             "job.yaml");
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.diagnostics().Render().find("Unsupported value: \"CronJob\"") != std::string::npos);
  CHECK(wrong.diagnostics().Render().find("spec.template: Required value") != std::string::npos);
}

TEST_CASE("a wrong type in a pod failure rule is an error naming the field") {
  auto r = ParseBatchJob(
      "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  podFailurePolicy:\n"
      "    rules:\n      - action: FailJob\n        onExitCodes: {operator: In, values: [x]}\n"
      "  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: "
      "x}]\n",
      "job.yaml");
  REQUIRE_FALSE(r.ok());
  CHECK(r.diagnostics().Render().find("spec.podFailurePolicy.rules[0].onExitCodes.values[0]") !=
        std::string::npos);
}

TEST_CASE("SetDefaults_Job fills completions, parallelism, backoffLimit and the policies") {
  BatchJob job;
  job.spec.template_.metadata.labels = {{"app", "x"}};
  BatchJob d = SetDefaults_Job(job);
  CHECK(d.spec.completions == 1);
  CHECK(d.spec.parallelism == 1);
  CHECK(d.spec.backoff_limit == 6);
  CHECK(d.spec.completion_mode == "NonIndexed");
  CHECK(d.spec.suspend == false);
  CHECK(d.spec.pod_replacement_policy == "TerminatingOrFailed");
  CHECK(d.metadata.labels.at("app") == "x");

  SECTION("completions alone leaves parallelism 1") {
    job.spec.completions = 5;
    d = SetDefaults_Job(job);
    CHECK(d.spec.completions == 5);
    CHECK(d.spec.parallelism == 1);
  }
  SECTION("parallelism alone leaves completions unset") {
    job.spec.parallelism = 3;
    d = SetDefaults_Job(job);
    CHECK_FALSE(d.spec.completions);
  }
  SECTION("backoffLimitPerIndex makes the backoffLimit MaxInt32") {
    job.spec.backoff_limit_per_index = 1;
    d = SetDefaults_Job(job);
    CHECK(d.spec.backoff_limit == 2147483647);
  }
  SECTION("a podFailurePolicy makes podReplacementPolicy Failed") {
    job.spec.pod_failure_policy.emplace();
    d = SetDefaults_Job(job);
    CHECK(d.spec.pod_replacement_policy == "Failed");
  }
}

TEST_CASE("GenerateJobSelector labels the template and selects by controller uid") {
  BatchJob job;
  job.metadata.name = "pi";
  job.metadata.uid = "u-1";
  GenerateJobSelector(&job);
  const Labels& l = job.spec.template_.metadata.labels;
  CHECK(l.at("controller-uid") == "u-1");
  CHECK(l.at("job-name") == "pi");
  CHECK(l.at("batch.kubernetes.io/controller-uid") == "u-1");
  CHECK(l.at("batch.kubernetes.io/job-name") == "pi");
  REQUIRE(job.spec.selector);
  CHECK(job.spec.selector->ToString() == "batch.kubernetes.io/controller-uid=u-1");
}

}  // namespace
}  // namespace ptsim
