// batch/v1 Job validation on create, with upstream's messages
// (pkg/apis/batch/validation/validation_test.go TestValidateJob cases).
#include <catch2/catch.hpp>

#include "sim/model/batch_job_defaults.hpp"
#include "sim/model/batch_job_validation.hpp"
#include "sim/model/job_indexes.hpp"

namespace ptsim {
namespace {

BatchJob ValidJob() {
  BatchJob job;
  job.metadata.name = "myjob";
  job.metadata.uid = "1a2b3c";
  job.spec.template_.spec.restart_policy = "Never";
  job.spec.template_.spec.restart_policy_set = true;
  Container c;
  c.name = "abc";
  c.image = "image";
  job.spec.template_.spec.containers.push_back(c);
  return job;
}

std::string Errors(BatchJob job) {
  job = SetDefaults_Job(job);
  GenerateJobSelector(&job);
  return AggregateFieldErrors(ValidateBatchJob(job));
}

TEST_CASE("a valid Job passes validation") {
  CHECK(Errors(ValidJob()).empty());
}

TEST_CASE("restartPolicy must be OnFailure or Never") {
  BatchJob job = ValidJob();
  job.spec.template_.spec.restart_policy = "Always";
  CHECK(Errors(job) ==
        "spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\"");
  job.spec.template_.spec.restart_policy = "Sometimes";
  CHECK(Errors(job) ==
        "spec.template.spec.restartPolicy: Unsupported value: \"Sometimes\": "
        "supported values: \"OnFailure\", \"Never\"");
  job = ValidJob();
  job.spec.template_.spec.restart_policy_set = false;
  job.spec.template_.spec.restart_policy = "Always";
  CHECK(Errors(job).find("Required value") != std::string::npos);
}

TEST_CASE("a podFailurePolicy needs restartPolicy Never") {
  BatchJob job = ValidJob();
  job.spec.template_.spec.restart_policy = "OnFailure";
  job.spec.pod_failure_policy.emplace();
  CHECK(Errors(job) ==
        "spec.template.spec.restartPolicy: Invalid value: \"OnFailure\": only "
        "\"Never\" is supported when podFailurePolicy is specified");
}

TEST_CASE("backoffLimitPerIndex and maxFailedIndexes need Indexed mode") {
  BatchJob job = ValidJob();
  job.spec.backoff_limit_per_index = 1;
  CHECK(Errors(job) ==
        "spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode");
  job.spec.backoff_limit_per_index.reset();
  job.spec.max_failed_indexes = 1;
  CHECK(Errors(job) ==
        "[spec.backoffLimitPerIndex: Required value: when maxFailedIndexes is "
        "specified, spec.maxFailedIndexes: Invalid value: 1: requires indexed "
        "completion mode]");
}

TEST_CASE("completions and parallelism may not be negative") {
  BatchJob job = ValidJob();
  job.spec.completions = -1;
  job.spec.parallelism = -2;
  CHECK(Errors(job) ==
        "[spec.parallelism: Invalid value: -2: must be greater than or equal to 0, "
        "spec.completions: Invalid value: -1: must be greater than or equal to 0]");
}

TEST_CASE("an Indexed Job needs completions") {
  BatchJob job = ValidJob();
  job.spec.completion_mode = "Indexed";
  job.spec.parallelism = 2;
  CHECK(Errors(job) == "spec.completions: Required value: when completion mode is Indexed");
}

TEST_CASE("a selector that does not match the template labels is refused") {
  BatchJob job = ValidJob();
  job.spec.manual_selector = true;
  job.spec.selector = LabelSelector::FromLabels({{"app", "a"}});
  job.spec.template_.metadata.labels = {{"app", "b"}};
  CHECK(Errors(job) ==
        "spec.template.metadata.labels: Invalid value: {\"app\":\"b\"}: "
        "`selector` does not match template `labels`");
  job.spec.selector.reset();
  CHECK(Errors(job) == "spec.selector: Required value");
}

TEST_CASE("a generated selector needs the generated labels") {
  BatchJob job = SetDefaults_Job(ValidJob());
  GenerateJobSelector(&job);
  job.spec.template_.metadata.labels["controller-uid"] = "other";
  CHECK(AggregateFieldErrors(ValidateBatchJob(job)) ==
        "spec.template.metadata.labels[controller-uid]: Invalid value: \"other\": must be "
        "'1a2b3c'");
}

TEST_CASE("pod failure policy rules are checked one by one") {
  BatchJob job = ValidJob();
  auto& rules = job.spec.pod_failure_policy.emplace().rules;
  PodFailurePolicyRule fail_index;
  fail_index.action = "FailIndex";
  fail_index.on_exit_codes.emplace();
  fail_index.on_exit_codes->container_name = "nope";
  fail_index.on_exit_codes->operator_ = "In";
  fail_index.on_exit_codes->values = {0, 5, 3};
  rules.push_back(fail_index);
  PodFailurePolicyRule ignore;
  ignore.action = "Ignore";
  rules.push_back(ignore);
  CHECK(Errors(job) ==
        "[spec.podFailurePolicy.rules[0].action: Invalid value: \"FailIndex\": requires the "
        "backoffLimitPerIndex to be set, spec.podFailurePolicy.rules[0].onExitCodes.containerName: "
        "Invalid value: \"nope\": must be one of the container or initContainer names in the pod "
        "template, spec.podFailurePolicy.rules[0].onExitCodes.values[0]: Invalid value: 0: must "
        "not be 0 for the In operator, spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid "
        "value: [0 5 3]: must be ordered, spec.podFailurePolicy.rules[1]: Invalid value: "
        "specifying one of OnExitCodes and OnPodConditions is required]");
}

TEST_CASE("a success policy needs Indexed mode and indexes within completions") {
  BatchJob job = ValidJob();
  SuccessPolicyRule rule;
  rule.succeeded_indexes = "0-2";
  job.spec.success_policy.emplace().rules.push_back(rule);
  CHECK(Errors(job) == "spec.successPolicy: Invalid value: requires indexed completion mode");
  job.spec.completion_mode = "Indexed";
  job.spec.completions = 2;
  CHECK(Errors(job) ==
        "spec.successPolicy.rules[0].succeededIndexes: Invalid value: \"0-2\": "
        "error parsing succeededIndexes: too large index: 2");
  rule.succeeded_indexes = "1";
  rule.succeeded_count = 2;
  job.spec.success_policy->rules[0] = rule;
  CHECK(Errors(job) ==
        "spec.successPolicy.rules[0].succeededCount: Invalid value: 2: must be "
        "less than or equal to 1 (the number of indexes in the specified "
        "succeededIndexes field)");
}

TEST_CASE("podReplacementPolicy must be Failed with a podFailurePolicy") {
  BatchJob job = ValidJob();
  PodFailurePolicyRule rule;
  rule.action = "Ignore";
  rule.on_pod_conditions.push_back(
      PodFailurePolicyOnPodConditionsPattern{"DisruptionTarget", "True"});
  job.spec.pod_failure_policy.emplace().rules.push_back(rule);
  job.spec.pod_replacement_policy = "TerminatingOrFailed";
  CHECK(Errors(job) ==
        "spec.podReplacementPolicy: Unsupported value: \"TerminatingOrFailed\": "
        "supported values: \"Failed\"");
}

TEST_CASE("index strings parse and format as upstream's compressed intervals") {
  std::string error;
  auto intervals = ParseIndexes("0,2-4,7", 8, &error);
  CHECK(error.empty());
  CHECK(CountIndexes(intervals) == 5);
  CHECK(HasIndex(intervals, 3));
  CHECK_FALSE(HasIndex(intervals, 5));
  CHECK(FormatIndexes(IndexSet(intervals)) == "0,2-4,7");
  CHECK(FormatIndexes({1, 2}) == "1-2");
  ParseIndexes("3,1", 8, &error);
  CHECK_FALSE(error.empty());
  error.clear();
  ParseIndexes("a", 8, &error);
  CHECK(error == "cannot convert string to integer for index: \"a\"");
}

}  // namespace
}  // namespace ptsim
