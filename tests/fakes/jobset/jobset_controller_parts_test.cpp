// The pure parts of the JobSet controller: ports of TestConstructJobsFromTemplate,
// TestUpdateConditions, TestCalculateReplicatedJobStatuses, TestIsJobFinished,
// TestGlobalJobIndex / TestGroupJobIndex (through the labels)
// (pkg/controllers/jobset_controller_test.go @v0.12.0) and of
// TestNumJobsExpectedToSucceed / TestNumJobsMatchingSuccessPolicy
// (success_policy_test.go), with upstream's case names.
#include <catch2/catch.hpp>

#include "fakes/jobset/job_construction.hpp"
#include "fakes/jobset/jobset_conditions.hpp"
#include "fakes/jobset/replicated_job_status.hpp"
#include "fakes/jobset/success_policy.hpp"
#include "sim/model/jobset_defaults.hpp"
#include "tests/fakes/jobset/jobset_test_support.hpp"

namespace ptsim {
namespace {

using testing::Finished;
using testing::MakeJob;
using testing::MakeJobSet;
using testing::MakeReplicatedJob;
using testing::Ptr;

Time At(int s) {
  return Time{} + std::chrono::seconds(1000 + s);
}

JobSet TwoRJobs() {
  JobSet js = MakeJobSet("js", "ns");
  js.spec.replicated_jobs.push_back(MakeReplicatedJob("driver", 1));
  js.spec.replicated_jobs.push_back(MakeReplicatedJob("node", 2));
  SetDefaults_JobSet(&js);
  return js;
}

TEST_CASE("TestIsJobFinished") {
  CHECK(JobFinishedType(*Finished(MakeJob("j", "r"), "Complete", At(0))) == "Complete");
  CHECK(JobFinishedType(*Finished(MakeJob("j", "r"), "Failed", At(0))) == "Failed");
  CHECK(JobFinishedType(MakeJob("j", "r")).empty());
  // A FailureTarget is not finished: JobSet waits for Failed.
  CHECK(JobFinishedType(*Finished(MakeJob("j", "r"), "FailureTarget", At(0))).empty());
}

TEST_CASE("TestConstructJobsFromTemplate/all jobs/pods created with labels and annotations") {
  JobSet js = MakeJobSet("test-jobset", "default");
  ReplicatedJob rj = MakeReplicatedJob("replicated-job", 2);
  rj.template_.metadata.labels["user"] = "label";
  js.spec.replicated_jobs.push_back(rj);
  js.status.restarts = 3;
  SetDefaults_JobSet(&js);
  const auto jobs = ConstructJobsFromTemplate(js, js.spec.replicated_jobs[0], {});
  REQUIRE(jobs.size() == 2);
  const BatchJob& job = jobs[1];
  CHECK(job.metadata.name == "test-jobset-replicated-job-1");
  CHECK(job.metadata.namespace_ == "default");
  const std::map<std::string, std::string> keys = {
      {"jobset.sigs.k8s.io/jobset-name", "test-jobset"},
      {"jobset.sigs.k8s.io/jobset-uid", "test-jobset-uid"},
      {"jobset.sigs.k8s.io/replicatedjob-name", "replicated-job"},
      {"jobset.sigs.k8s.io/restart-attempt", "3"},
      {"jobset.sigs.k8s.io/replicatedjob-replicas", "2"},
      {"jobset.sigs.k8s.io/global-replicas", "2"},
      {"jobset.sigs.k8s.io/job-index", "1"},
      {"jobset.sigs.k8s.io/job-global-index", "1"},
      {"jobset.sigs.k8s.io/job-key", JobHashKey("default", "test-jobset-replicated-job-1")},
      {"jobset.sigs.k8s.io/group-name", "default"},
      {"jobset.sigs.k8s.io/group-replicas", "2"},
      {"jobset.sigs.k8s.io/job-group-index", "1"},
  };
  for (const auto& [k, v] : keys) {
    CAPTURE(k);
    CHECK(job.metadata.labels.at(k) == v);
    CHECK(job.metadata.annotations.at(k) == v);
    CHECK(job.spec.template_.metadata.labels.at(k) == v);
    CHECK(job.spec.template_.metadata.annotations.at(k) == v);
  }
  CHECK(job.metadata.labels.at("user") == "label");
  CHECK(job.metadata.labels.size() == keys.size() + 1);
  CHECK_FALSE(job.metadata.labels.count("jobset.sigs.k8s.io/job-restart-attempt"));
  CHECK(job.spec.suspend == false);
  CHECK(job.spec.template_.spec.subdomain == "test-jobset");
  CHECK(job.spec.completion_mode == "Indexed");
}

TEST_CASE("JobHashKey is the sha1 hex of namespace/name") {
  CHECK(JobHashKey("default", "test-jobset-replicated-job-0") ==
        "027791c2c0a79daacbc05ab1512c28988581229f");
  CHECK(JobHashKey("ns", "js-node-1") == "7e4dd44019b7fe0233d07ca39fa5ab1febf5a1e3");
}

TEST_CASE("TestConstructJobsFromTemplate/multiple replicated jobs: global and group indexes") {
  JobSet js = TwoRJobs();
  js.spec.replicated_jobs[1].group_name = "workers";
  const auto jobs = ConstructJobsFromTemplate(js, js.spec.replicated_jobs[1], {});
  REQUIRE(jobs.size() == 2);
  CHECK(jobs[1].metadata.labels.at(kJobGlobalIndexKey) == "2");
  CHECK(jobs[1].metadata.labels.at(kGlobalReplicasKey) == "3");
  CHECK(jobs[1].metadata.labels.at(kJobGroupIndexKey) == "1");
  CHECK(jobs[1].metadata.labels.at(kGroupReplicasKey) == "2");
}

TEST_CASE(
    "TestConstructJobsFromTemplate/one job created, one job not created (already active, "
    "succeeded, failed, marked for deletion)") {
  JobSet js = TwoRJobs();
  const auto& node = js.spec.replicated_jobs[1];
  for (const char* state : {"active", "succeeded", "failed", "previous"}) {
    CAPTURE(state);
    ChildJobs owned;
    BatchJob j0 = MakeJob("js-node-0", "node");
    if (std::string(state) == "active") owned.active.push_back(Ptr(j0));
    if (std::string(state) == "succeeded") owned.successful.push_back(Ptr(j0));
    if (std::string(state) == "failed") owned.failed.push_back(Ptr(j0));
    if (std::string(state) == "previous") owned.previous.push_back(Ptr(j0));
    const auto jobs = ConstructJobsFromTemplate(js, node, owned);
    REQUIRE(jobs.size() == 1);
    CHECK(jobs[0].metadata.name == "js-node-1");
  }
}

TEST_CASE(
    "TestConstructJobsFromTemplate/job creation blocked until all previous jobs no longer "
    "exist") {
  JobSet js = TwoRJobs();
  js.spec.failure_policy = FailurePolicy{1, "BlockingRecreate", {}};
  ChildJobs owned;
  owned.previous.push_back(Ptr(MakeJob("js-driver-0", "driver")));
  CHECK(ConstructJobsFromTemplate(js, js.spec.replicated_jobs[1], owned).empty());
  js.spec.failure_policy->restart_strategy = "Recreate";
  CHECK(ConstructJobsFromTemplate(js, js.spec.replicated_jobs[1], owned).size() == 2);
}

TEST_CASE("TestConstructJobsFromTemplate/pod dns hostnames disabled, suspend job set, subdomain") {
  JobSet js = TwoRJobs();
  js.spec.network->enable_dns_hostnames = false;
  js.spec.suspend = true;
  auto jobs = ConstructJobsFromTemplate(js, js.spec.replicated_jobs[0], {});
  CHECK(jobs[0].spec.template_.spec.subdomain.empty());
  CHECK(jobs[0].spec.suspend == true);
  js.spec.network->enable_dns_hostnames = true;
  js.spec.network->subdomain = "custom";
  jobs = ConstructJobsFromTemplate(js, js.spec.replicated_jobs[0], {});
  CHECK(jobs[0].spec.template_.spec.subdomain == "custom");
}

TEST_CASE("TestConstructJobsFromTemplate/coordinator") {
  JobSet js = TwoRJobs();
  js.spec.coordinator = Coordinator{"driver", 0, 0};
  const auto jobs = ConstructJobsFromTemplate(js, js.spec.replicated_jobs[1], {});
  CHECK(jobs[0].metadata.labels.at(kCoordinatorKey) == "js-driver-0-0.js");
  CHECK(jobs[0].spec.template_.metadata.annotations.at(kCoordinatorKey) == "js-driver-0-0.js");
}

TEST_CASE("ClassifyChildJobs sorts previous, active, successful and failed") {
  JobSet js = TwoRJobs();
  js.status.restarts = 1;
  std::string error;
  const auto owned =
      ClassifyChildJobs(js,
                        {Ptr(MakeJob("old", "node", 0)), Ptr(MakeJob("run", "node", 1)),
                         Finished(MakeJob("ok", "node", 1), "Complete", At(0)),
                         Finished(MakeJob("bad", "node", 1), "Failed", At(0))},
                        &error);
  CHECK(error.empty());
  CHECK(owned.previous.size() == 1);
  CHECK(owned.active.size() == 1);
  CHECK(owned.successful.size() == 1);
  CHECK(owned.failed.size() == 1);
  BatchJob no_label = MakeJob("x", "node");
  no_label.metadata.labels.erase(kRestartsKey);
  ClassifyChildJobs(js, {Ptr(no_label)}, &error);
  CHECK(error.find("restart-attempt") != std::string::npos);
}

TEST_CASE("TestUpdateConditions") {
  JobSet js = MakeJobSet("js", "default");
  SECTION("no existing conditions, not adding conditions (a False one)") {
    CHECK_FALSE(UpdateJobSetCondition(&js, {"Suspended", "False", "ResumeJobs", "m", {}}, At(0)));
    CHECK(js.status.conditions.empty());
  }
  SECTION("suspended, then resume (update suspended condition type in-place)") {
    CHECK(UpdateJobSetCondition(&js, {"Suspended", "True", "SuspendedJobs", "s", {}}, At(0)));
    CHECK(UpdateJobSetCondition(&js, {"Suspended", "False", "ResumeJobs", "r", {}}, At(5)));
    REQUIRE(js.status.conditions.size() == 1);
    CHECK(js.status.conditions[0].status == "False");
    CHECK(js.status.conditions[0].last_transition_time == At(5));
  }
  SECTION("existing conditions, attempt to add duplicate") {
    UpdateJobSetCondition(&js, {"Completed", "True", "AllJobsCompleted", "m", {}}, At(0));
    CHECK_FALSE(
        UpdateJobSetCondition(&js, {"Completed", "True", "AllJobsCompleted", "m", {}}, At(9)));
    CHECK(js.status.conditions.size() == 1);
  }
  SECTION("existing conditions, update reason/message but keep status same") {
    UpdateJobSetCondition(&js, {"RestartingJobSet", "True", "DefaultFailurePolicy", "a", {}},
                          At(0));
    CHECK(UpdateJobSetCondition(&js, {"RestartingJobSet", "True", "FailurePolicy_x", "b", {}},
                                At(7)));
    CHECK(js.status.conditions[0].reason == "FailurePolicy_x");
    CHECK(js.status.conditions[0].last_transition_time == At(0));
  }
  SECTION("startup policy in progress and completed exclude each other") {
    StatusUpdate u;
    SetInOrderStartupInProgress(&js, At(0), &u);
    SetInOrderStartupCompleted(&js, At(1), &u);
    REQUIRE(js.status.conditions.size() == 2);
    CHECK(js.status.conditions[0].status == "False");
    CHECK(js.status.conditions[1].status == "True");
    CHECK(u.events.size() == 2);
  }
}

TEST_CASE("SetJobSetCompleted sets RestartingJobSet False only when it exists") {
  JobSet js = MakeJobSet("js", "default");
  StatusUpdate u;
  SetJobSetCompleted(&js, At(0), &u);
  CHECK(js.status.conditions.size() == 1);
  CHECK(js.status.terminal_state == "Completed");
  CHECK(u.events ==
        std::vector<JobSetEvent>{{"Normal", "AllJobsCompleted", "jobset completed successfully"}});
  JobSet restarted = MakeJobSet("js", "default");
  UpdateJobSetCondition(&restarted, {"RestartingJobSet", "True", "DefaultFailurePolicy", "m", {}},
                        At(0));
  StatusUpdate u2;
  SetJobSetCompleted(&restarted, At(1), &u2);
  CHECK(FindJobSetCondition(restarted, "RestartingJobSet")->reason == "JobSetCompleted");
  CHECK(u2.events.size() == 2);
}

BatchJobPtr Active(const std::string& name, const std::string& rjob, int ready, int succeeded,
                   int active, bool suspended = false) {
  BatchJob j = MakeJob(name, rjob);
  j.spec.parallelism = 2;
  j.spec.completions = 2;
  j.status.ready = ready;
  j.status.succeeded = succeeded;
  j.status.active = active;
  j.spec.suspend = suspended;
  return Ptr(j);
}

TEST_CASE("TestCalculateReplicatedJobStatuses") {
  JobSet js = TwoRJobs();
  SECTION("no jobs created") {
    const auto s = CalculateReplicatedJobStatuses(js, {});
    REQUIRE(s.size() == 2);
    // Sorted by name, descending.
    CHECK(s[0] == ReplicatedJobStatus{"node", 0, 0, 0, 0, 0});
    CHECK(s[1] == ReplicatedJobStatus{"driver", 0, 0, 0, 0, 0});
  }
  SECTION("partial jobs are ready, no succeeded jobs") {
    ChildJobs owned;
    owned.active = {Active("js-node-0", "node", 2, 0, 2), Active("js-node-1", "node", 1, 0, 2)};
    const auto s = CalculateReplicatedJobStatuses(js, owned);
    CHECK(s[0] == ReplicatedJobStatus{"node", 1, 0, 0, 2, 0});
  }
  SECTION("no ready jobs, only succeeded and failed jobs; suspended jobs") {
    ChildJobs owned;
    owned.successful = {Finished(MakeJob("js-node-0", "node"), "Complete", At(0))};
    owned.failed = {Finished(MakeJob("js-driver-0", "driver"), "Failed", At(0))};
    owned.active = {Active("js-node-1", "node", 0, 0, 0, true),
                    Active("stray", "unknown", 2, 0, 2)};
    const auto s = CalculateReplicatedJobStatuses(js, owned);
    CHECK(s[0] == ReplicatedJobStatus{"node", 0, 1, 0, 0, 1});
    CHECK(s[1] == ReplicatedJobStatus{"driver", 0, 0, 1, 0, 0});
  }
}

TEST_CASE("AllJobsReady, AllReplicasStarted and DependencyReachedStatus") {
  JobSet js = TwoRJobs();
  js.spec.replicated_jobs[1].depends_on = {{"driver", "Ready"}};
  std::vector<ReplicatedJobStatus> s = {{"node", 2, 0, 0, 2, 0}, {"driver", 0, 0, 0, 1, 0}};
  CHECK_FALSE(AllJobsReady(js, s));
  CHECK_FALSE(DependencyReachedStatus(js, js.spec.replicated_jobs[1], s));
  s[1].ready = 1;
  CHECK(AllJobsReady(js, s));
  CHECK(DependencyReachedStatus(js, js.spec.replicated_jobs[1], s));
  CHECK(AllReplicasStarted(1, &s[1]));
  js.spec.replicated_jobs[1].depends_on = {{"driver", "Complete"}};
  CHECK_FALSE(DependencyReachedStatus(js, js.spec.replicated_jobs[1], s));
  s[1] = {"driver", 0, 1, 0, 0, 0};
  CHECK(DependencyReachedStatus(js, js.spec.replicated_jobs[1], s));
}

TEST_CASE("TestNumJobsExpectedToSucceed") {
  JobSet js = TwoRJobs();
  js.spec.success_policy = JobSetSuccessPolicy{"Any", {}};
  CHECK(NumJobsExpectedToSucceed(js) == 1);  // any job completion fulfills success policy
  js.spec.success_policy = JobSetSuccessPolicy{"All", {}};
  CHECK(NumJobsExpectedToSucceed(js) == 3);  // all replicated jobs match success policy
  js.spec.success_policy = JobSetSuccessPolicy{"All", {"node"}};
  CHECK(NumJobsExpectedToSucceed(js) == 2);  // some replicated jobs don't match success policy
}

TEST_CASE("TestNumJobsMatchingSuccessPolicy") {
  JobSet js = TwoRJobs();
  const std::vector<BatchJobPtr> done = {Ptr(MakeJob("a", "node")), Ptr(MakeJob("b", "driver"))};
  js.spec.success_policy = JobSetSuccessPolicy{"All", {"node"}};
  CHECK(NumJobsMatchingSuccessPolicy(js, done) == 1);
  js.spec.success_policy = JobSetSuccessPolicy{"All", {}};
  CHECK(NumJobsMatchingSuccessPolicy(js, done) == 2);
  js.spec.success_policy = JobSetSuccessPolicy{"All", {"other"}};
  CHECK(NumJobsMatchingSuccessPolicy(js, done) == 0);
}

}  // namespace
}  // namespace ptsim
