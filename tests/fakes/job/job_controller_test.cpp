// The Job controller against a fake API server, pods' statuses written by the
// tests: the behaviour of pkg/controller/job's TestControllerSyncJob,
// TestJobBackoffForOnFailure and TestJobBackoffOnRestartPolicyNever cases
// that ptsim models, in virtual time.
#include <catch2/catch.hpp>

#include "tests/fakes/job/job_fixture.hpp"

namespace ptsim {
namespace {

using testing::JobFixture;
using testing::JobYaml;
using Strings = std::vector<std::string>;

TEST_CASE("a Job creates its pods with the tracking finalizer, owner and generated labels") {
  JobFixture f;
  auto job = f.Create(JobYaml("  parallelism: 2\n  completions: 3\n"));
  auto pods = f.Pods();
  REQUIRE(pods.size() == 2);
  const Pod& p = *pods[0];
  CHECK(p.metadata.name.rfind("job-", 0) == 0);
  CHECK(p.metadata.name.size() == 9);  // job-<5 random>
  CHECK(p.metadata.finalizers == Strings{"batch.kubernetes.io/job-tracking"});
  REQUIRE(p.metadata.ControllerRef());
  CHECK(p.metadata.ControllerRef()->uid == job->metadata.uid);
  CHECK(p.metadata.ControllerRef()->block_owner_deletion);
  CHECK(p.metadata.labels.at("batch.kubernetes.io/job-name") == "job");
  CHECK(p.metadata.labels.at("controller-uid") == job->metadata.uid);
  CHECK(f.Job()->status.active == 2);
  CHECK(f.Job()->status.start_time);
  CHECK(f.Events("SuccessfulCreate").size() == 2);
}

TEST_CASE("a NonIndexed Job completes after its completions with SuccessCriteriaMet first") {
  JobFixture f;
  f.Create(JobYaml("  parallelism: 2\n  completions: 3\n"));
  for (int round = 0; round < 3; ++round) {
    auto active = f.ActivePods();
    REQUIRE_FALSE(active.empty());
    f.Succeed(*active[0]);
  }
  auto job = f.Job();
  CHECK(job->status.succeeded == 3);
  CHECK(job->status.active == 0);
  CHECK(f.ConditionTypes() ==
        Strings{"SuccessCriteriaMet=True:CompletionsReached", "Complete=True:CompletionsReached"});
  CHECK(job->status.conditions[1].message == "Reached expected number of succeeded pods");
  CHECK(job->status.completion_time);
  CHECK(f.Events("Completed") == Strings{"Job completed"});
  for (const auto& p : f.Pods())
    CHECK(p->metadata.finalizers.empty());
  REQUIRE(job->status.uncounted_terminated_pods);
  CHECK(job->status.uncounted_terminated_pods->succeeded.empty());
}

TEST_CASE("TestJobBackoffOnRestartPolicyNever: failed pods beyond backoffLimit fail the Job") {
  JobFixture f;
  f.Create(JobYaml("  backoffLimit: 1\n"));
  auto first = f.ActivePods();
  REQUIRE(first.size() == 1);
  f.Fail(*first[0]);
  CHECK(f.Job()->status.failed == 1);
  // The replacement waits 10s (one failure since the last success).
  CHECK(f.ActivePods().empty());
  f.Settle(9);
  CHECK(f.ActivePods().empty());
  f.Settle(1);
  auto second = f.ActivePods();
  REQUIRE(second.size() == 1);
  f.Fail(*second[0]);
  auto job = f.Job();
  CHECK(job->status.failed == 2);
  CHECK(f.ConditionTypes() ==
        Strings{"FailureTarget=True:BackoffLimitExceeded", "Failed=True:BackoffLimitExceeded"});
  CHECK(job->status.conditions[1].message == "Job has reached the specified backoff limit");
  CHECK(f.Events("BackoffLimitExceeded") == Strings{"Job has reached the specified backoff limit"});
}

TEST_CASE("backoffLimit 0 fails the Job on its first failed pod") {
  JobFixture f;
  f.Create(JobYaml("  backoffLimit: 0\n"));
  f.Fail(*f.ActivePods().at(0));
  CHECK(f.ConditionTypes().back() == "Failed=True:BackoffLimitExceeded");
  CHECK(f.Job()->status.failed == 1);
}

TEST_CASE("the replacement delay doubles with each failure since the last success") {
  JobFixture f;
  f.Create(JobYaml("  backoffLimit: 6\n"));
  std::vector<double> created;
  for (int i = 0; i < 3; ++i) {
    auto active = f.ActivePods();
    REQUIRE(active.size() == 1);
    created.push_back(ToSeconds(active[0]->metadata.creation_timestamp));
    f.Fail(*active[0]);
    f.loop.Run(kRunStart + Seconds(3600), [&] { return !f.ActivePods().empty(); });
  }
  CHECK(created[1] - created[0] == Approx(10).margin(0.01));
  CHECK(created[2] - created[1] == Approx(20).margin(0.01));
}

TEST_CASE("TestJobBackoffForOnFailure: the restartCount sum reaching backoffLimit fails the Job") {
  JobFixture f;
  f.Create(JobYaml("  backoffLimit: 2\n  parallelism: 2\n  completions: 2\n", "OnFailure"));
  auto pods = f.ActivePods();
  REQUIRE(pods.size() == 2);
  f.Run(*pods[0], 1);
  CHECK(f.Job()->status.conditions.empty());
  f.Run(*pods[1], 1);
  f.Settle(1);
  auto job = f.Job();
  CHECK(f.ConditionTypes() == Strings{"FailureTarget=True:BackoffLimitExceeded"});
  // The active pods are deleted and counted as failed; Failed waits until
  // they have terminated.
  CHECK(job->status.failed == 2);
  CHECK(job->status.active == 0);
  CHECK(job->status.terminating == 2);
  CHECK(f.Events("SuccessfulDelete").size() == 2);
  for (const auto& p : pods) {
    f.SetPhase(*p, "Failed", 137);
    f.api.collection<Pod>().Remove("default", p->metadata.name);
  }
  f.Settle();
  CHECK(f.ConditionTypes() ==
        Strings{"FailureTarget=True:BackoffLimitExceeded", "Failed=True:BackoffLimitExceeded"});
  CHECK(f.Job()->status.failed == 2);
}

TEST_CASE("a podFailurePolicy FailJob rule fails the Job with the rule's message") {
  JobFixture f;
  f.Create(JobYaml(R"(  backoffLimit: 6
  parallelism: 2
  completions: 2
  podFailurePolicy:
    rules:
      - action: FailJob
        onExitCodes: {containerName: main, operator: In, values: [42]}
)"));
  auto pods = f.ActivePods();
  REQUIRE(pods.size() == 2);
  f.Run(*pods[1]);
  f.Fail(*pods[0], 42);
  auto job = f.Job();
  REQUIRE_FALSE(job->status.conditions.empty());
  CHECK(job->status.conditions[0].type == "FailureTarget");
  CHECK(job->status.conditions[0].reason == "PodFailurePolicy");
  CHECK(job->status.conditions[0].message ==
        "Container main for pod default/" + pods[0]->metadata.name +
            " failed with exit code 42 matching FailJob rule at index 0");
  // The running pod was deleted: with podReplacementPolicy Failed (the
  // default with a podFailurePolicy) the Job waits for it to terminate.
  CHECK(f.ConditionTypes().size() == 1);
  CHECK(job->status.terminating == 1);
  f.SetPhase(*pods[1], "Failed", 143);
  CHECK(f.ConditionTypes().back() == "Failed=True:PodFailurePolicy");
}

TEST_CASE("an Ignore rule leaves the failure uncounted but still delays the replacement") {
  JobFixture f;
  f.Create(JobYaml(R"(  backoffLimit: 0
  podFailurePolicy:
    rules:
      - action: Ignore
        onExitCodes: {operator: In, values: [3]}
)"));
  f.Fail(*f.ActivePods().at(0), 3);
  CHECK(f.Job()->status.failed == 0);
  CHECK(f.Job()->status.conditions.empty());
  // Upstream counts Ignore-matched failures in the backoff.
  CHECK(f.ActivePods().empty());
  f.Settle(10);
  CHECK(f.ActivePods().size() == 1);
}

TEST_CASE("an Indexed Job names, labels and annotates its pods by index") {
  JobFixture f;
  f.Create(JobYaml("  completionMode: Indexed\n  completions: 3\n  parallelism: 3\n"));
  auto pods = f.Pods();
  REQUIRE(pods.size() == 3);
  std::set<std::string> hostnames;
  for (const auto& p : pods) {
    const std::string ix = p->metadata.annotations.at("batch.kubernetes.io/job-completion-index");
    CHECK(p->metadata.labels.at("batch.kubernetes.io/job-completion-index") == ix);
    CHECK(p->spec.hostname == "job-" + ix);
    CHECK(p->metadata.name.rfind("job-" + ix + "-", 0) == 0);
    CHECK(p->metadata.name.size() == std::string("job-0-").size() + 5);
    const auto& env = p->spec.containers[0].env;
    REQUIRE(env.size() == 1);
    CHECK(env[0].name == "JOB_COMPLETION_INDEX");
    REQUIRE(env[0].value_from);
    CHECK(env[0].value_from->field_path ==
          "metadata.labels['batch.kubernetes.io/job-completion-index']");
    hostnames.insert(p->spec.hostname);
  }
  CHECK(hostnames == std::set<std::string>{"job-0", "job-1", "job-2"});
}

TEST_CASE("an Indexed Job records completedIndexes and recreates a failed index") {
  JobFixture f;
  f.Create(JobYaml("  completionMode: Indexed\n  completions: 3\n  parallelism: 3\n"));
  auto by_index = [&](const std::string& ix) {
    for (const auto& p : f.ActivePods()) {
      if (p->metadata.annotations.at("batch.kubernetes.io/job-completion-index") == ix) return p;
    }
    FAIL("no active pod of index " << ix);
    return std::shared_ptr<const Pod>();
  };
  f.Succeed(*by_index("0"));
  f.Succeed(*by_index("2"));
  CHECK(f.Job()->status.completed_indexes == "0,2");
  f.Fail(*by_index("1"));
  f.Settle(10);
  f.Succeed(*by_index("1"));
  auto job = f.Job();
  CHECK(job->status.completed_indexes == "0-2");
  CHECK(job->status.succeeded == 3);
  CHECK(job->status.failed == 1);
  CHECK(f.ConditionTypes().back() == "Complete=True:CompletionsReached");
}

TEST_CASE("a successPolicy rule completes an Indexed Job and deletes the lingering pods") {
  JobFixture f;
  f.Create(JobYaml(R"(  completionMode: Indexed
  completions: 3
  parallelism: 3
  successPolicy:
    rules:
      - succeededIndexes: "0"
)"));
  std::shared_ptr<const Pod> leader;
  for (const auto& p : f.ActivePods()) {
    f.Run(*p);
    if (p->spec.hostname == "job-0") leader = p;
  }
  REQUIRE(leader);
  f.Succeed(*leader);
  auto job = f.Job();
  REQUIRE_FALSE(job->status.conditions.empty());
  CHECK(job->status.conditions[0].type == "SuccessCriteriaMet");
  CHECK(job->status.conditions[0].reason == "SuccessPolicy");
  CHECK(job->status.conditions[0].message == "Matched rules at index 0");
  // The other pods are terminating; Complete waits for them.
  CHECK(job->status.terminating == 2);
  CHECK(f.ConditionTypes().size() == 1);
  for (const auto& p : f.Pods()) {
    if (p->metadata.deletion_timestamp && !p->IsTerminal()) f.SetPhase(*p, "Failed", 143);
  }
  CHECK(f.ConditionTypes() ==
        Strings{"SuccessCriteriaMet=True:SuccessPolicy", "Complete=True:SuccessPolicy"});
}

TEST_CASE("activeDeadlineSeconds fails the Job with DeadlineExceeded") {
  JobFixture f;
  f.Create(JobYaml("  activeDeadlineSeconds: 30\n"));
  f.Run(*f.ActivePods().at(0));
  f.Settle(29);
  CHECK(f.Job()->status.conditions.empty());
  f.Settle(1);
  auto job = f.Job();
  REQUIRE_FALSE(job->status.conditions.empty());
  CHECK(job->status.conditions[0].type == "FailureTarget");
  CHECK(job->status.conditions[0].reason == "DeadlineExceeded");
  CHECK(job->status.conditions[0].message == "Job was active longer than specified deadline");
  // The pod is terminating gracefully; the Job is Failed once it is gone.
  f.SetPhase(*f.Pods().at(0), "Failed", 143);
  f.api.collection<Pod>().Remove("default", f.Pods().at(0)->metadata.name);
  f.Settle();
  CHECK(f.ConditionTypes().back() == "Failed=True:DeadlineExceeded");
  CHECK(f.Job()->status.failed == 1);
}

TEST_CASE("a suspended Job creates no pods and a resumed one starts them") {
  JobFixture f;
  f.Create(JobYaml("  suspend: true\n  parallelism: 2\n  completions: 2\n"));
  CHECK(f.Pods().empty());
  CHECK(f.ConditionTypes() == Strings{"Suspended=True:JobSuspended"});
  CHECK(f.Job()->status.conditions[0].message == "Job suspended");
  CHECK_FALSE(f.Job()->status.start_time);
  f.Settle(60);
  f.api.collection<BatchJob>().Mutate("default", "job",
                                      [](BatchJob& j) { j.spec.suspend = false; });
  f.Settle();
  CHECK(f.Pods().size() == 2);
  CHECK(f.ConditionTypes() == Strings{"Suspended=False:JobResumed"});
  CHECK(ToSeconds(*f.Job()->status.start_time) == Approx(60).margin(0.01));
  CHECK(f.Events("Suspended") == Strings{"Job suspended"});
  CHECK(f.Events("Resumed") == Strings{"Job resumed"});
}

TEST_CASE("suspending a running Job deletes its pods without counting them as failed") {
  JobFixture f;
  f.Create(JobYaml("  parallelism: 2\n  completions: 2\n  backoffLimit: 0\n"));
  for (const auto& p : f.ActivePods())
    f.Run(*p);
  f.api.collection<BatchJob>().Mutate("default", "job", [](BatchJob& j) { j.spec.suspend = true; });
  f.Settle();
  for (const auto& p : f.Pods()) {
    CHECK(p->metadata.deletion_timestamp);
    CHECK(p->metadata.finalizers.empty());
  }
  for (const auto& p : f.Pods())
    f.SetPhase(*p, "Failed", 143);
  auto job = f.Job();
  CHECK(job->status.failed == 0);
  CHECK(job->status.active == 0);
  CHECK(f.ConditionTypes() == Strings{"Suspended=True:JobSuspended"});
}

TEST_CASE("backoffLimitPerIndex fails an index and then the Job with FailedIndexes") {
  JobFixture f;
  f.Create(
      JobYaml("  completionMode: Indexed\n  completions: 2\n  parallelism: 2\n  "
              "backoffLimitPerIndex: 1\n"));
  auto index_pod = [&](const std::string& host) {
    for (const auto& p : f.ActivePods()) {
      if (p->spec.hostname == host) return p;
    }
    return std::shared_ptr<const Pod>();
  };
  REQUIRE(index_pod("job-0"));
  CHECK(index_pod("job-0")->metadata.annotations.at(
            "batch.kubernetes.io/job-index-failure-count") == "0");
  f.Fail(*index_pod("job-0"));
  f.Settle(10);
  REQUIRE(index_pod("job-0"));
  CHECK(index_pod("job-0")->metadata.annotations.at(
            "batch.kubernetes.io/job-index-failure-count") == "1");
  f.Fail(*index_pod("job-0"));
  CHECK(f.Job()->status.failed_indexes == "0");
  CHECK(f.Job()->status.conditions.empty());
  f.Succeed(*index_pod("job-1"));
  auto job = f.Job();
  CHECK(f.ConditionTypes() ==
        Strings{"FailureTarget=True:FailedIndexes", "Failed=True:FailedIndexes"});
  CHECK(job->status.conditions[1].message == "Job has failed indexes");
  CHECK(job->status.completed_indexes == "1");
}

TEST_CASE("maxFailedIndexes exceeded fails the Job at once") {
  JobFixture f;
  f.Create(
      JobYaml("  completionMode: Indexed\n  completions: 3\n  parallelism: 3\n"
              "  backoffLimitPerIndex: 0\n  maxFailedIndexes: 0\n"));
  f.Fail(*f.ActivePods().at(0));
  auto job = f.Job();
  REQUIRE_FALSE(job->status.conditions.empty());
  CHECK(job->status.conditions[0].reason == "MaxFailedIndexesExceeded");
  CHECK(job->status.conditions[0].message ==
        "Job has exceeded the specified maximal number of failed indexes");
}

TEST_CASE("a Job managed by another controller is left alone") {
  JobFixture f;
  f.Create(JobYaml("  managedBy: kueue.x-k8s.io/multikueue\n"));
  CHECK(f.Pods().empty());
  CHECK(f.Job()->status.conditions.empty());
}

TEST_CASE("podReplacementPolicy Failed waits for a terminating pod to fail") {
  JobFixture f;
  f.Create(JobYaml("  podReplacementPolicy: Failed\n"));
  auto pod = f.ActivePods().at(0);
  f.Run(*pod);
  f.api.collection<Pod>().Delete("default", pod->metadata.name);
  f.Settle(60);
  CHECK(f.ActivePods().empty());
  CHECK(f.Job()->status.terminating == 1);
  f.SetPhase(*pod, "Failed", 143);
  f.Settle(10);
  CHECK(f.ActivePods().size() == 1);
  CHECK(f.Job()->status.failed == 1);
}

TEST_CASE("TerminatingOrFailed replaces a deleted pod while it still terminates") {
  JobFixture f;
  f.Create(JobYaml(""));
  auto pod = f.ActivePods().at(0);
  f.Run(*pod);
  f.api.collection<Pod>().Delete("default", pod->metadata.name);
  f.Settle(10);
  CHECK(f.ActivePods().size() == 1);
  CHECK(f.Job()->status.failed == 1);
  CHECK(f.Job()->status.terminating == 1);
}

TEST_CASE("ttlSecondsAfterFinished deletes the finished Job and its pods") {
  JobFixture f;
  f.Create(JobYaml("  ttlSecondsAfterFinished: 5\n"));
  f.Succeed(*f.ActivePods().at(0));
  REQUIRE(f.Job());
  CHECK(f.ConditionTypes().back() == "Complete=True:CompletionsReached");
  f.Settle(4.9);
  CHECK(f.Job());
  f.Settle(0.2);
  CHECK_FALSE(f.Job());
  CHECK(f.Pods().empty());
}

TEST_CASE("a Job created with restartPolicy Always is refused with the API server's message") {
  JobFixture f;
  auto decoded = ParseBatchJob(JobYaml("", "Always"), "job.yaml");
  REQUIRE(decoded.ok());
  auto created = f.api.collection<BatchJob>().Create(decoded.value());
  REQUIRE_FALSE(created.ok());
  CHECK(created.diagnostics().Render().find(
            "Job \"job\" is invalid: spec.template.spec.restartPolicy: Required value: valid "
            "values: \"OnFailure\", \"Never\"") != std::string::npos);
}

TEST_CASE("deleting a Job in the foreground waits for its pods") {
  JobFixture f;
  f.Create(JobYaml(""));
  auto pod = f.ActivePods().at(0);
  f.Run(*pod);
  DeleteOptions options;
  options.propagation_policy = PropagationPolicy::kForeground;
  f.api.collection<BatchJob>().Delete("default", "job", options);
  f.Settle();
  REQUIRE(f.Job());
  CHECK(f.Job()->metadata.deletion_timestamp);
  f.SetPhase(*pod, "Failed", 143);
  f.api.collection<Pod>().Remove("default", pod->metadata.name);
  f.Settle();
  CHECK(f.Pods().empty());
  CHECK_FALSE(f.Job());
}

}  // namespace
}  // namespace ptsim
