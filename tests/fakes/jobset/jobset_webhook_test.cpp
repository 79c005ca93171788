// The JobSet webhook's defaulting and validation (sim/model/jobset_defaults,
// sim/model/jobset_validation): ports of TestJobSetDefaulting and
// TestValidateCreate / TestValidateUpdate (pkg/webhooks/jobset_webhook_test.go
// @v0.12.0), with upstream's case names.
#include <catch2/catch.hpp>

#include <string>

#include "sim/model/jobset_defaults.hpp"
#include "sim/model/jobset_validation.hpp"
#include "tests/fakes/jobset/jobset_test_support.hpp"

namespace ptsim {
namespace {

using testing::MakeJobSet;
using testing::MakeReplicatedJob;

JobSet Defaulted(JobSet js) {
  SetDefaults_JobSet(&js);
  return js;
}

JobSet OneRJob(const std::string& js_name = "js", const std::string& rjob = "rj",
               std::int32_t replicas = 1) {
  JobSet js = MakeJobSet(js_name, "default");
  js.spec.replicated_jobs.push_back(MakeReplicatedJob(rjob, replicas));
  return js;
}

// The messages (field.Error bodies' details) of a validation.
std::vector<std::string> Details(const std::vector<FieldError>& errs) {
  std::vector<std::string> out;
  for (const auto& e : errs)
    out.push_back(e.detail);
  return out;
}

TEST_CASE("TestJobSetDefaulting/job completion mode is unset") {
  JobSet js = Defaulted(OneRJob());
  CHECK(js.spec.replicated_jobs[0].template_.spec.completion_mode == "Indexed");
}

TEST_CASE("TestJobSetDefaulting/job completion mode is set to non-indexed") {
  JobSet in = OneRJob();
  in.spec.replicated_jobs[0].template_.spec.completion_mode = "NonIndexed";
  CHECK(Defaulted(in).spec.replicated_jobs[0].template_.spec.completion_mode == "NonIndexed");
}

TEST_CASE("TestJobSetDefaulting/enableDNSHostnames is unset, enableDNSHostnames is false") {
  CHECK(Defaulted(OneRJob()).spec.network->enable_dns_hostnames == true);
  JobSet in = OneRJob();
  in.spec.network = Network{false, std::nullopt, std::nullopt};
  JobSet out = Defaulted(in);
  CHECK(out.spec.network->enable_dns_hostnames == false);
  CHECK(out.spec.network->publish_not_ready_addresses == true);
}

TEST_CASE("TestJobSetDefaulting/PublishNotReadyNetworkAddresess is false") {
  JobSet in = OneRJob();
  in.spec.network = Network{true, std::nullopt, false};
  CHECK(Defaulted(in).spec.network->publish_not_ready_addresses == false);
}

TEST_CASE("TestJobSetDefaulting/pod restart policy unset, pod restart policy set") {
  JobSet out = Defaulted(OneRJob());
  CHECK(out.spec.replicated_jobs[0].template_.spec.template_.spec.restart_policy == "OnFailure");
  JobSet in = OneRJob();
  auto& pod = in.spec.replicated_jobs[0].template_.spec.template_.spec;
  pod.restart_policy = "Never";
  pod.restart_policy_set = true;
  CHECK(Defaulted(in).spec.replicated_jobs[0].template_.spec.template_.spec.restart_policy ==
        "Never");
}

TEST_CASE("TestJobSetDefaulting/success policy unset, startup policy unset") {
  JobSet out = Defaulted(OneRJob());
  CHECK(out.spec.success_policy->operator_ == "All");
  CHECK(out.spec.success_policy->target_replicated_jobs.empty());
  CHECK(out.spec.startup_policy->startup_policy_order == "AnyOrder");
  JobSet in = OneRJob();
  in.spec.success_policy = JobSetSuccessPolicy{"Any", {"rj"}};
  in.spec.startup_policy = StartupPolicy{"InOrder"};
  JobSet kept = Defaulted(in);
  CHECK(kept.spec.success_policy->operator_ == "Any");
  CHECK(kept.spec.startup_policy->startup_policy_order == "InOrder");
}

TEST_CASE("TestJobSetDefaulting/managedBy field is left nil") {
  CHECK_FALSE(Defaulted(OneRJob()).spec.managed_by);
}

TEST_CASE(
    "TestJobSetDefaulting/failure policy rule name is defaulted when: there are two rules, "
    "the first rule has a name, the second rule does not have a name") {
  JobSet in = OneRJob();
  in.spec.failure_policy = FailurePolicy{};
  in.spec.failure_policy->rules.push_back({"ruleA", "FailJobSet", {}, {}, {}});
  in.spec.failure_policy->rules.push_back({"", "FailJobSet", {}, {}, {}});
  JobSet out = Defaulted(in);
  CHECK(out.spec.failure_policy->rules[0].name == "ruleA");
  CHECK(out.spec.failure_policy->rules[1].name == "failurePolicyRule1");
}

TEST_CASE("TestJobSetDefaulting/CRD defaults: replicas, groupName, restartStrategy") {
  JobSet in = MakeJobSet("js", "default");
  ReplicatedJob r = MakeReplicatedJob("rj", 1);
  r.replicas.reset();
  in.spec.replicated_jobs.push_back(r);
  in.spec.failure_policy = FailurePolicy{};
  JobSet out = Defaulted(in);
  CHECK(out.spec.replicated_jobs[0].replicas == 1);
  CHECK(out.spec.replicated_jobs[0].group_name == "default");
  CHECK(out.spec.failure_policy->restart_strategy == "Recreate");
}

TEST_CASE("TestValidateCreate/number of pods within the limit, and exceeds it") {
  CHECK(ValidateJobSetCreate(Defaulted(OneRJob("js", "test-jobset-replicated-job-0"))).empty());
  JobSet js = Defaulted(OneRJob("js", "rj", 2147483647));
  js.spec.replicated_jobs[0].template_.spec.parallelism = 2147483647;
  CHECK(Details(ValidateJobSetCreate(js)) ==
        std::vector<std::string>{"the product of replicas and parallelism must not exceed "
                                 "2147483647 for replicatedJob 'rj'"});
}

TEST_CASE("TestValidateCreate/success policy has non matching replicated job") {
  JobSet js = Defaulted(OneRJob());
  js.spec.success_policy->target_replicated_jobs = {"does not exist"};
  const auto errs = ValidateJobSetCreate(js);
  REQUIRE(errs.size() == 1);
  CHECK(errs[0].Render() ==
        "<nil>: Internal error: invalid replicatedJob name 'does not exist' does not appear in "
        ".spec.ReplicatedJobs");
}

TEST_CASE("TestValidateCreate/network has invalid dns name") {
  JobSet js = Defaulted(OneRJob());
  js.spec.network->subdomain = std::string(64, 'a');
  CHECK(Details(ValidateJobSetCreate(js)) ==
        std::vector<std::string>{
            ".spec.network.subdomain is too long, must be less than 63 characters"});
}

TEST_CASE("TestValidateCreate/jobset name with invalid character") {
  const auto errs = ValidateJobSetCreate(Defaulted(OneRJob("js", "username.llama65b")));
  REQUIRE(errs.size() == 1);
  CHECK(errs[0].field == "spec.replicatedJobs[0].name");
  CHECK(errs[0].detail.find("a DNS-1035 label must consist of lower case alphanumeric") == 0);
}

TEST_CASE("TestValidateCreate/group name is not DNS 1035 compliant") {
  JobSet js = OneRJob();
  js.spec.replicated_jobs[0].group_name = std::string(64, 'a');
  CHECK(Details(ValidateJobSetCreate(Defaulted(js))) ==
        std::vector<std::string>{
            ".spec.replicatedJob[].groupName is too long, must be less than 63 characters"});
}

TEST_CASE("TestValidateCreate/jobset name will result in job name being too long") {
  JobSet js = Defaulted(OneRJob(std::string(62, 'a'), "rj", 101));
  CHECK(Details(ValidateJobSetCreate(js)) ==
        std::vector<std::string>{"JobSet name is too long, job names generated for this JobSet "
                                 "will exceed 63 characters"});
}

TEST_CASE("TestValidateCreate/jobset name will result in a pod name being too long") {
  JobSet js = OneRJob(std::string(56, 'a'));
  js.spec.replicated_jobs[0].template_.spec.completions = 1;
  js.spec.replicated_jobs[0].template_.spec.parallelism = 1;
  const auto errs = ValidateJobSetCreate(Defaulted(js));
  REQUIRE(errs.size() == 1);
  CHECK(errs[0].detail ==
        "JobSet name is too long, pod names generated for this JobSet will exceed 63 characters");
  // Upstream reports the longest job name as the bad value.
  CHECK(errs[0].bad_value == std::string(56, 'a') + "-rj-0");
}

TEST_CASE("TestValidateCreate/a 48-character name with rjob node and 10 pods passes, 11 fail") {
  // 48 + "-node-0-9-abcde" = 63; the pod-name rule of trainer-built JobSets.
  JobSet ok = OneRJob(std::string(48, 'a'), "node");
  ok.spec.replicated_jobs[0].template_.spec.completions = 10;
  CHECK(ValidateJobSetCreate(Defaulted(ok)).empty());
  JobSet bad = ok;
  bad.spec.replicated_jobs[0].template_.spec.completions = 11;
  CHECK(ValidateJobSetCreate(Defaulted(bad)).size() == 1);
}

TEST_CASE("TestValidateCreate/jobset controller name is not a domain-prefixed path, too long") {
  JobSet js = Defaulted(OneRJob());
  js.spec.managed_by = "foo";
  auto errs = ValidateJobSetCreate(js);
  REQUIRE(errs.size() == 1);
  CHECK(errs[0].Render() ==
        "spec.managedBy: Invalid value: \"foo\": must be a domain-prefixed path (such as "
        "\"acme.io/foo\")");
  js.spec.managed_by = "foo.bar/" + std::string(63, 'a');
  errs = ValidateJobSetCreate(js);
  REQUIRE(errs.size() == 1);
  CHECK(errs[0].Render() == "spec.managedBy: Too long: may not be more than 63 bytes");
  js.spec.managed_by = "jobset.sigs.k8s.io/jobset-controller";
  CHECK(ValidateJobSetCreate(js).empty());
}

JobSet WithRules(std::vector<FailurePolicyRule> rules) {
  JobSet js = OneRJob();
  js.spec.failure_policy = FailurePolicy{};
  js.spec.failure_policy->rules = std::move(rules);
  return Defaulted(js);
}

TEST_CASE("TestValidateCreate/failure policy rule name is valid") {
  CHECK(
      ValidateJobSetCreate(WithRules({{"superAwesomeFailurePolicyRule", "FailJobSet", {}, {}, {}}}))
          .empty());
}

TEST_CASE("TestValidateCreate/jobset failure policy has an invalid on job failure reason") {
  CHECK(Details(ValidateJobSetCreate(WithRules({{"r", "FailJobSet", {"fakeReason"}, {}, {}}}))) ==
        std::vector<std::string>{"invalid job failure reason 'fakeReason' in failure policy is "
                                 "not a recognized job failure reason"});
}

TEST_CASE("TestValidateCreate/jobset failure policy has an invalid replicated job") {
  CHECK(Details(ValidateJobSetCreate(
            WithRules({{"r", "FailJobSet", {}, {}, {"fakeReplicatedJob"}}}))) ==
        std::vector<std::string>{"invalid replicatedJob name 'fakeReplicatedJob' in failure "
                                 "policy does not appear in .spec.ReplicatedJobs"});
}

TEST_CASE(
    "TestValidateCreate/jobset failure policy rule name is greater than 128 characters "
    "long") {
  const auto errs =
      ValidateJobSetCreate(WithRules({{std::string(129, 'a'), "FailJobSet", {}, {}, {}}}));
  CHECK(Details(errs) ==
        std::vector<std::string>{"invalid failure policy rule name of length 129, the rule name "
                                 "must be at least 1 characters long and at most 128 characters "
                                 "long"});
}

TEST_CASE("TestValidateCreate/there are two failure policy rules with the same name") {
  CHECK(
      Details(ValidateJobSetCreate(WithRules({{"repeatedRuleName", "FailJobSet", {}, {}, {}},
                                              {"repeatedRuleName", "FailJobSet", {}, {}, {}}}))) ==
      std::vector<std::string>{"rule names are not unique, rules with indices [0 1] all have "
                               "the same name 'repeatedRuleName'"});
}

TEST_CASE(
    "TestValidateCreate/failure policy rule name does not start with an alphabetic "
    "character, or has a hyphen, or ends badly") {
  for (const std::string name : {"1ruleToRuleThemAll", "ruleToRuleThemAll,", "restart-on-oom"}) {
    CAPTURE(name);
    CHECK(Details(ValidateJobSetCreate(WithRules({{name, "FailJobSet", {}, {}, {}}}))) ==
          std::vector<std::string>{
              "invalid failure policy rule name '" + name +
              "', a failure policy rule name must start with an alphabetic character, optionally "
              "followed by a string of alphanumeric characters or '_,:', and must end with an "
              "alphanumeric character or '_'"});
  }
}

TEST_CASE(
    "TestValidateCreate/jobset failure policy rule has RestartJob action and RestartJob "
    "feature gate is disabled") {
  for (const std::string action : {"RestartJob", "RestartJobAndIgnoreMaxRestarts"}) {
    // The gate error is returned alone, even with other bad rules.
    CHECK(Details(ValidateJobSetCreate(
              WithRules({{"1bad", "FailJobSet", {"nope"}, {}, {}}, {"r", action, {}, {}, {}}}))) ==
          std::vector<std::string>{"RestartJob and RestartJobAndIgnoreMaxRestarts failure policy "
                                   "actions are not allowed when RestartJob feature gate is "
                                   "disabled"});
  }
}

TEST_CASE(
    "TestValidateCreate/InPlaceRestart restart strategy cannot be set when InPlaceRestart "
    "feature gate is disabled") {
  JobSet js = WithRules({});
  js.spec.failure_policy->restart_strategy = "InPlaceRestart";
  CHECK(Details(ValidateJobSetCreate(js)) ==
        std::vector<std::string>{"InPlaceRestart restart strategy cannot be set when "
                                 "InPlaceRestart feature gate is disabled"});
}

JobSet ThreeJobs() {
  JobSet js = MakeJobSet("js", "default");
  for (const char* n : {"job-1", "job-2", "job-3"})
    js.spec.replicated_jobs.push_back(MakeReplicatedJob(n, 1));
  return js;
}

TEST_CASE("TestValidateCreate/DependsOn is valid since job-3 depends on job-1 and job-2") {
  JobSet js = ThreeJobs();
  js.spec.replicated_jobs[1].depends_on = {{"job-1", "Ready"}};
  js.spec.replicated_jobs[2].depends_on = {{"job-1", "Complete"}, {"job-2", "Ready"}};
  CHECK(ValidateJobSetCreate(Defaulted(js)).empty());
}

TEST_CASE("TestValidateCreate/DependsOn is invalid since job-2 depends on job-3") {
  JobSet js = ThreeJobs();
  js.spec.replicated_jobs[1].depends_on = {{"job-3", "Ready"}};
  CHECK(Details(ValidateJobSetCreate(Defaulted(js))) ==
        std::vector<std::string>{"replicatedJob: job-2 cannot depend on replicatedJob: job-3"});
}

TEST_CASE("TestValidateCreate/dependsOn cannot be set for first replicated job") {
  JobSet js = ThreeJobs();
  js.spec.replicated_jobs[0].depends_on = {{"job-1", "Ready"}};
  const auto details = Details(ValidateJobSetCreate(Defaulted(js)));
  REQUIRE(!details.empty());
  CHECK(details[0] == "DependsOn can't be set for the first ReplicatedJob");
}

TEST_CASE("TestValidateCreate/coordinator replicated job does not exist, pod index invalid") {
  JobSet js = Defaulted(OneRJob());
  js.spec.coordinator = Coordinator{"nope", 0, 0};
  CHECK(Details(ValidateJobSetCreate(js)) ==
        std::vector<std::string>{"coordinator replicatedJob nope does not exist"});
  js.spec.coordinator = Coordinator{"rj", 0, 0};
  CHECK(Details(ValidateJobSetCreate(js)) ==
        std::vector<std::string>{"job for coordinator pod must be indexed completion mode, and "
                                 "completions number must be set"});
  js.spec.replicated_jobs[0].template_.spec.completions = 2;
  js.spec.coordinator = Coordinator{"rj", 0, 2};
  CHECK(Details(ValidateJobSetCreate(js)) ==
        std::vector<std::string>{"coordinator pod index 2 is invalid for replicatedJob rj job "
                                 "index 0"});
}

TEST_CASE("TestValidateUpdate/update suspend, and replicas cannot change") {
  JobSet old_js = Defaulted(OneRJob());
  JobSet new_js = old_js;
  new_js.spec.suspend = true;
  CHECK(ValidateJobSetUpdate(old_js, new_js).empty());
  new_js.spec.replicated_jobs[0].replicas = 2;
  const auto errs = ValidateJobSetUpdate(old_js, new_js);
  REQUIRE(errs.size() == 1);
  CHECK(errs[0].field == "spec.replicatedJobs");
  CHECK(errs[0].detail == "field is immutable");
}

TEST_CASE(
    "TestValidateUpdate/replicated job pod template can be updated for suspended jobset, "
    "not for a running one") {
  JobSet old_js = Defaulted(OneRJob());
  JobSet new_js = old_js;
  new_js.spec.replicated_jobs[0].template_.spec.template_.spec.node_selector["pool"] = "a";
  CHECK(ValidateJobSetUpdate(old_js, new_js).size() == 1);
  new_js.spec.suspend = true;
  CHECK(ValidateJobSetUpdate(old_js, new_js).empty());
}

TEST_CASE("TestValidateUpdate/managedBy is immutable") {
  JobSet old_js = Defaulted(OneRJob());
  JobSet new_js = old_js;
  new_js.spec.managed_by = "example.com/other";
  const auto errs = ValidateJobSetUpdate(old_js, new_js);
  REQUIRE(errs.size() == 1);
  CHECK(errs[0].Render() ==
        "spec.managedBy: Invalid value: \"example.com/other\": field is immutable");
}

TEST_CASE("JobSetInvalidMessage renders the API server's Invalid status") {
  JobSet js = Defaulted(OneRJob());
  js.spec.replicated_jobs[0].depends_on = {{"x", "Ready"}};
  CHECK(JobSetInvalidMessage("js", ValidateJobSetCreate(js)) ==
        "JobSet.jobset.x-k8s.io \"js\" is invalid: [<nil>: Internal error: DependsOn can't be set "
        "for the first ReplicatedJob, <nil>: Internal error: replicatedJob: rj cannot depend on "
        "replicatedJob: x]");
  CHECK(JobSetInvalidMessage("js", {}).empty());
}

}  // namespace
}  // namespace ptsim
