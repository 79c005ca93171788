// The JobSet controller (fakes/jobset/jobset_controller) in virtual time, with
// the child Jobs' statuses written by hand (no Job controller): the reconcile
// order, restarts under Recreate and BlockingRecreate, the RestartingJobSet
// conditions and events, success and failure policies, InOrder startup and
// dependsOn, suspend and resume, the headless Service and the TTL. Ports of
// the Entries of test/integration/controller/jobset_controller_test.go
// (kubernetes-sigs/jobset v0.12.0) where named.
#include <catch2/catch.hpp>

#include "fakes/jobset/jobset_conditions.hpp"
#include "fakes/jobset/jobset_controller.hpp"
#include "sim/core/wall_clock.hpp"
#include "sim/model/jobset_defaults.hpp"
#include "sim/model/service.hpp"
#include "tests/fakes/jobset/jobset_test_support.hpp"

namespace ptsim {
namespace {

using Strings = std::vector<std::string>;

struct Cluster {
  Cluster() : loop(wall), api(loop, trace, random), controller(api) {}

  void Create(JobSet js) {
    SetDefaults_JobSet(&js);
    REQUIRE(api.collection<JobSet>().Create(std::move(js)).ok());
    Settle();
  }
  // Runs everything due now (watches, reconciles), then `seconds` more.
  void Settle(int seconds = 0) { loop.Run(loop.Now() + std::chrono::seconds(seconds)); }

  std::shared_ptr<const JobSet> Get(const std::string& name = "js") {
    return api.collection<JobSet>().Get("default", name);
  }
  // Job names, sorted; `with_attempt` appends "@<restart-attempt>".
  Strings Jobs(bool with_attempt = false) {
    Strings out;
    for (const auto& j : api.collection<BatchJob>().List("default")) {
      std::string s = j->metadata.name;
      if (with_attempt) s += "@" + j->metadata.labels.at(kRestartsKey);
      out.push_back(s);
    }
    return out;
  }
  // Marks a Job finished (Complete or Failed) now.
  void Finish(const std::string& job, const std::string& type, const std::string& reason = "",
              const std::string& message = "") {
    api.collection<BatchJob>().Mutate("default", job, [&](BatchJob& j) {
      BatchJobCondition c;
      c.type = type;
      c.status = "True";
      c.reason = reason;
      c.message = message;
      c.last_transition_time = loop.Now();
      j.status.conditions.push_back(c);
    });
    Settle();
  }
  // Marks every pod of a Job ready.
  void Ready(const std::string& job) {
    api.collection<BatchJob>().Mutate("default", job, [&](BatchJob& j) {
      j.status.ready = j.spec.parallelism.value_or(1);
      j.status.active = j.spec.parallelism.value_or(1);
    });
    Settle();
  }
  // The JobSet's events as "Type Reason: message".
  Strings Events() {
    Strings out;
    for (const auto& e : api.events().list())
      if (e.involved_object.kind == "JobSet")
        out.push_back(e.type + " " + e.reason + ": " + e.message);
    return out;
  }
  std::string Condition(const std::string& type) {
    const auto js = Get();
    const auto* c = FindJobSetCondition(*js, type);
    return c ? c->status + " " + c->reason : "";
  }

  ManualWallClock wall;
  EventLoop loop;
  Trace trace;
  Random random{1};
  ApiServer api;
  JobSetController controller;
};

JobSet TwoRJobs(const std::string& name = "js") {
  JobSet js = testing::MakeJobSet(name, "default");
  js.metadata.uid.clear();
  js.spec.replicated_jobs.push_back(testing::MakeReplicatedJob("leader", 1));
  js.spec.replicated_jobs.push_back(testing::MakeReplicatedJob("workers", 2));
  return js;
}

TEST_CASE("the Jobs, their labels and the headless Service are created") {
  Cluster c;
  c.Create(TwoRJobs());
  CHECK(c.Jobs() == Strings{"js-leader-0", "js-workers-0", "js-workers-1"});
  const auto job = c.api.collection<BatchJob>().Get("default", "js-workers-1");
  CHECK(job->metadata.ControllerRef()->uid == c.Get()->metadata.uid);
  CHECK(job->metadata.labels.at(kJobGlobalIndexKey) == "2");
  CHECK(job->spec.template_.spec.subdomain == "js");
  const auto svc = c.api.collection<Service>().Get("default", "js");
  REQUIRE(svc);
  CHECK(svc->spec.cluster_ip == "None");
  CHECK(svc->spec.selector == std::map<std::string, std::string>{{kJobSetNameKey, "js"}});
  CHECK(svc->spec.publish_not_ready_addresses);
  CHECK(svc->metadata.ControllerRef()->kind == "JobSet");
  // replicatedJobsStatus, sorted by name descending.
  const auto& rjs = c.Get()->status.replicated_jobs_status;
  REQUIRE(rjs.size() == 2);
  CHECK(rjs[0].name == "workers");
  CHECK(rjs[1].name == "leader");
}

TEST_CASE("all jobs succeed: Completed, and the active ones are deleted") {
  Cluster c;
  c.Create(TwoRJobs());
  c.Finish("js-leader-0", "Complete");
  c.Finish("js-workers-0", "Complete");
  CHECK(c.Condition("Completed").empty());
  c.Finish("js-workers-1", "Complete");
  CHECK(c.Condition("Completed") == "True AllJobsCompleted");
  CHECK(c.Get()->status.terminal_state == "Completed");
  CHECK(c.Events() == Strings{"Normal AllJobsCompleted: jobset completed successfully"});
  CHECK(c.controller.Settled("default", "js"));
}

TEST_CASE("success policy 'any' with replicated job specified") {
  Cluster c;
  JobSet js = TwoRJobs();
  js.spec.success_policy = JobSetSuccessPolicy{"Any", {"leader"}};
  c.Create(js);
  c.Finish("js-workers-0", "Complete");
  CHECK(c.Condition("Completed").empty());
  c.Finish("js-leader-0", "Complete");
  CHECK(c.Condition("Completed") == "True AllJobsCompleted");
  // Finished: the still active workers are deleted.
  c.Settle();
  CHECK(c.Jobs() == Strings{"js-leader-0", "js-workers-0"});
}

TEST_CASE("no failurePolicy: the first failure fails the JobSet with FailedJobs") {
  Cluster c;
  c.Create(TwoRJobs());
  c.Finish("js-workers-1", "Failed", "BackoffLimitExceeded",
           "Job has reached the specified backoff limit");
  CHECK(c.Condition("Failed") == "True FailedJobs");
  CHECK(c.Events() == Strings{"Warning FailedJobs: jobset failed due to one or more job failures "
                              "(first failed job: js-workers-1)"});
  CHECK(c.Get()->status.restarts == 0);
}

TEST_CASE("jobset fails after reaching max restarts, with the restarting condition transitions") {
  Cluster c;
  JobSet js = TwoRJobs();
  js.spec.failure_policy = FailurePolicy{1, std::nullopt, {}};
  c.Create(js);
  c.Finish("js-workers-0", "Failed", "BackoffLimitExceeded");
  CHECK(c.Get()->status.restarts == 1);
  CHECK(c.Get()->status.restarts_count_towards_max == 1);
  CHECK(c.Condition("RestartingJobSet") == "True DefaultFailurePolicy");
  // The old Jobs were deleted and recreated under the same names, attempt 1.
  CHECK(c.Jobs(true) == Strings{"js-leader-0@1", "js-workers-0@1", "js-workers-1@1"});
  const std::string msg =
      "applying RestartJobSet failure policy action (first failed job: js-workers-0)";
  CHECK(c.Events() == Strings{"Warning DefaultFailurePolicy: " + msg,
                              "Warning RestartJobSetFailurePolicyAction: " + msg});
  for (const char* j : {"js-leader-0", "js-workers-0", "js-workers-1"})
    c.Ready(j);
  CHECK(c.Condition("RestartingJobSet") == "False JobsReady");
  c.Finish("js-leader-0", "Failed", "BackoffLimitExceeded");
  CHECK(c.Condition("Failed") == "True ReachedMaxRestarts");
  CHECK(FindJobSetCondition(*c.Get(), "Failed")->message ==
        "jobset failed due to reaching max number of restarts (first failed job: js-leader-0)");
  CHECK(c.Events().back() == "Normal JobSetFailed: jobset failed");
}

TEST_CASE("failurePolicy {} fails at the first failure with ReachedMaxRestarts") {
  Cluster c;
  JobSet js = TwoRJobs();
  js.spec.failure_policy = FailurePolicy{};
  c.Create(js);
  c.Finish("js-leader-0", "Failed");
  CHECK(c.Condition("Failed") == "True ReachedMaxRestarts");
  CHECK(c.Get()->status.restarts == 0);
}

TEST_CASE("failure policy rules order verification: the first matching rule wins") {
  Cluster c;
  JobSet js = TwoRJobs();
  js.spec.failure_policy = FailurePolicy{5, std::nullopt, {}};
  js.spec.failure_policy->rules = {{"failOnLeader", "FailJobSet", {}, {}, {"leader"}},
                                   {"ignoreOom",
                                    "RestartJobSetAndIgnoreMaxRestarts",
                                    {"PodFailurePolicy"},
                                    {"exit code 137"},
                                    {}},
                                   {"restartAny", "RestartJobSet", {}, {}, {}}};
  c.Create(js);
  c.Finish("js-workers-0", "Failed", "PodFailurePolicy",
           "Container main for pod default/js-workers-0-0-abcde failed with exit code 137 matching "
           "FailJob rule at index 0");
  CHECK(c.Condition("RestartingJobSet") == "True FailurePolicy_ignoreOom");
  CHECK(c.Get()->status.restarts == 1);
  CHECK(c.Get()->status.restarts_count_towards_max == 0);
  c.Finish("js-workers-1", "Failed", "BackoffLimitExceeded");
  CHECK(c.Condition("RestartingJobSet") == "True FailurePolicy_restartAny");
  CHECK(c.Get()->status.restarts_count_towards_max == 1);
  c.Finish("js-leader-0", "Failed", "BackoffLimitExceeded");
  CHECK(c.Condition("Failed") == "True FailJobSetFailurePolicyAction");
}

TEST_CASE(
    "a Job of an earlier attempt that lingers: Recreate recreates the others at once, "
    "BlockingRecreate waits for all") {
  for (const std::string strategy : {"Recreate", "BlockingRecreate"}) {
    CAPTURE(strategy);
    Cluster c;
    JobSet js = TwoRJobs();
    js.spec.failure_policy = FailurePolicy{3, strategy, {}};
    c.Create(js);
    // A finalizer keeps js-workers-1 (attempt 0) after its deletion, as a Job
    // in foreground deletion stays while its pods terminate.
    c.api.collection<BatchJob>().Mutate("default", "js-workers-1", [](BatchJob& j) {
      j.metadata.finalizers.push_back("example.com/hold");
    });
    c.Finish("js-leader-0", "Failed");
    if (strategy == "Recreate") {
      CHECK(c.Jobs(true) == Strings{"js-leader-0@1", "js-workers-0@1", "js-workers-1@0"});
    } else {
      CHECK(c.Jobs(true) == Strings{"js-workers-1@0"});
    }
    c.api.collection<BatchJob>().Mutate("default", "js-workers-1",
                                        [](BatchJob& j) { j.metadata.finalizers.clear(); });
    c.Settle();
    CHECK(c.Jobs(true) == Strings{"js-leader-0@1", "js-workers-0@1", "js-workers-1@1"});
  }
}

TEST_CASE(
    "startupPolicy InOrder: replicated-job-b is not created until replicated-job-a is ready") {
  Cluster c;
  JobSet js = TwoRJobs();
  js.spec.startup_policy = StartupPolicy{"InOrder"};
  c.Create(js);
  CHECK(c.Jobs() == Strings{"js-leader-0"});
  CHECK(c.Condition("StartupPolicyInProgress") == "True InOrderStartupPolicyInProgress");
  c.Ready("js-leader-0");
  CHECK(c.Jobs() == Strings{"js-leader-0", "js-workers-0", "js-workers-1"});
  c.Ready("js-workers-0");
  c.Ready("js-workers-1");
  CHECK(c.Condition("StartupPolicyCompleted") == "True InOrderStartupPolicyCompleted");
  CHECK(c.Condition("StartupPolicyInProgress") == "False InOrderStartupPolicyInProgress");
}

TEST_CASE("DependsOn: workers start when leader is Complete, or Ready") {
  for (const std::string status : {"Complete", "Ready"}) {
    CAPTURE(status);
    Cluster c;
    JobSet js = TwoRJobs();
    js.spec.replicated_jobs[1].depends_on = {{"leader", status}};
    c.Create(js);
    CHECK(c.Jobs() == Strings{"js-leader-0"});
    c.Ready("js-leader-0");
    if (status == "Complete") {
      CHECK(c.Jobs() == Strings{"js-leader-0"});
      c.Finish("js-leader-0", "Complete");
    }
    CHECK(c.Jobs() == Strings{"js-leader-0", "js-workers-0", "js-workers-1"});
  }
}

TEST_CASE("suspend a running jobset, then resume it") {
  Cluster c;
  JobSet js = TwoRJobs();
  js.spec.replicated_jobs[1].template_.spec.template_.metadata.labels["added"] = "later";
  c.Create(js);
  c.api.collection<BatchJob>().Mutate("default", "js-workers-0", [&](BatchJob& j) {
    j.status.start_time = c.loop.Now();
    j.spec.template_.metadata.labels.erase("added");
  });
  c.api.collection<JobSet>().Mutate("default", "js", [](JobSet& o) { o.spec.suspend = true; });
  c.Settle();
  for (const auto& j : c.api.collection<BatchJob>().List("default"))
    CHECK(j->spec.suspend == true);
  CHECK(c.Condition("Suspended") == "True SuspendedJobs");
  CHECK(c.Jobs().size() == 3);  // the Jobs are kept
  c.api.collection<JobSet>().Mutate("default", "js", [](JobSet& o) { o.spec.suspend = false; });
  c.Settle();
  CHECK(c.Condition("Suspended") == "False ResumeJobs");
  const auto w0 = c.api.collection<BatchJob>().Get("default", "js-workers-0");
  CHECK(w0->spec.suspend == false);
  CHECK_FALSE(w0->status.start_time);
  CHECK(w0->spec.template_.metadata.labels.at("added") == "later");
  CHECK(c.Get()->status.restarts == 0);
  CHECK(c.Events() == Strings{"Normal SuspendedJobs: jobset is suspended",
                              "Normal ResumeJobs: jobset is resumed"});
}

TEST_CASE("ttlSecondsAfterFinished deletes the finished JobSet after the TTL") {
  Cluster c;
  JobSet js = TwoRJobs();
  js.spec.ttl_seconds_after_finished = 30;
  c.Create(js);
  for (const char* j : {"js-leader-0", "js-workers-0", "js-workers-1"})
    c.Finish(j, "Complete");
  REQUIRE(c.Condition("Completed") == "True AllJobsCompleted");
  CHECK_FALSE(c.controller.Settled("default", "js"));
  c.Settle(29);
  CHECK(c.Get());
  c.Settle(2);
  CHECK_FALSE(c.Get());
  // Foreground: the Jobs and the Service went with it.
  CHECK(c.Jobs().empty());
  CHECK_FALSE(c.api.collection<Service>().Get("default", "js"));
}

TEST_CASE("a JobSet managed by another controller is left alone") {
  Cluster c;
  JobSet js = TwoRJobs();
  js.spec.managed_by = "kueue.x-k8s.io/multikueue";
  c.Create(js);
  CHECK(c.Jobs().empty());
  CHECK(c.Get()->status.replicated_jobs_status.empty());
}

TEST_CASE("DNS hostnames off: no Service and no subdomain") {
  Cluster c;
  JobSet js = TwoRJobs();
  js.spec.network = Network{false, std::nullopt, std::nullopt};
  c.Create(js);
  CHECK(c.Jobs().size() == 3);
  CHECK_FALSE(c.api.collection<Service>().Get("default", "js"));
}

}  // namespace
}  // namespace ptsim
