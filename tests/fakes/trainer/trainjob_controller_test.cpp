// The TrainJob controller against the fake API server, with no JobSet
// controller: as in kubeflow/trainer's envtest suites
// (test/integration/controller/trainjob_controller_test.go), the test writes
// the JobSet's status by hand.
#include <catch2/catch.hpp>

#include "fakes/apiserver/api_server.hpp"
#include "fakes/trainer/default_runtime.hpp"
#include "fakes/trainer/trainjob_controller.hpp"
#include "fakes/trainer/trainjob_status.hpp"
#include "sim/core/wall_clock.hpp"
#include "tests/fakes/trainer/trainer_fixtures.hpp"

namespace ptsim {
namespace {

using testing::FindEnv;
using testing::MakeTrainJob;

struct TrainerCluster {
  explicit TrainerCluster(const char* version = "v2.3.0")
      : random(1),
        loop(wall),
        api(loop, trace, random),
        controller(api, notes, {*ParseTrainerVersion(version)}) {
    REQUIRE(api.collection<ClusterTrainingRuntime>().Create(TorchDistributedRuntime()).ok());
  }

  std::shared_ptr<const TrainJob> Create(TrainJob tj) {
    tj.metadata.uid.clear();
    auto created = api.collection<TrainJob>().Create(tj);
    REQUIRE(created.ok());
    RunFor(1);
    return TrainJobNamed(tj.metadata.name);
  }
  std::shared_ptr<const TrainJob> TrainJobNamed(const std::string& name) {
    return api.collection<TrainJob>().Get("default", name);
  }
  std::shared_ptr<const JobSet> JobSetNamed(const std::string& name) {
    return api.collection<JobSet>().Get("default", name);
  }
  void RunFor(double seconds) { loop.Run(loop.Now() + Seconds(seconds)); }
  void SetJobSetCondition(const std::string& name, const std::string& type,
                          const std::string& reason, const std::string& message) {
    api.collection<JobSet>().Mutate("default", name, [&](JobSet& js) {
      js.status.conditions.push_back({type, "True", reason, message, loop.Now()});
      js.status.replicated_jobs_status = {
          {"node", 0, type == "Completed" ? 1 : 0, type == "Failed" ? 1 : 0, 0, 0}};
      js.status.terminal_state = type;
    });
    RunFor(1);
  }
  int Events(const std::string& reason) {
    int n = 0;
    for (const auto& e : api.events().list())
      n += e.reason == reason ? e.count : 0;
    return n;
  }

  Random random;
  ManualWallClock wall;
  EventLoop loop;
  Trace trace;
  ApiServer api;
  Notes notes;
  TrainJobController controller;
};

TrainJob Torch(const std::string& name) {
  TrainJob tj = MakeTrainJob(name);
  tj.spec.trainer = Trainer{};
  tj.spec.trainer->image = "me/train";
  tj.spec.trainer->num_nodes = 2;
  return tj;
}

TEST_CASE("upstream TrainJob controller: the Torch TrainJob gets its JobSet and snapshot") {
  TrainerCluster c;
  auto tj = c.Create(Torch("alpha"));
  auto js = c.JobSetNamed("alpha");
  REQUIRE(js);
  REQUIRE(js->metadata.owner_references.size() == 1);
  CHECK(js->metadata.owner_references[0].uid == tj->metadata.uid);
  const ReplicatedJob& node = js->spec.replicated_jobs.at(0);
  CHECK(node.template_.spec.parallelism == 2);
  const Container& c0 = node.template_.spec.template_.spec.containers.at(0);
  CHECK(c0.image == "me/train");
  CHECK(FindEnv(c0.env, "PET_MASTER_ADDR")->value == "alpha-node-0-0.alpha");
  // The JobSet webhook's defaults were applied on create.
  CHECK(js->spec.success_policy.has_value());
  auto cm = c.api.collection<ConfigMap>().Get("default", "alpha-runtime-snapshot");
  REQUIRE(cm);
  CHECK(cm->data.count("runtime") == 1);
  CHECK(cm->metadata.owner_references.at(0).uid == tj->metadata.uid);
  CHECK(c.controller.JobSetsCreated("default", "alpha") == 1);
}

TEST_CASE("upstream TrainJob controller: Complete and jobsStatus are copied from the JobSet") {
  TrainerCluster c;
  c.Create(Torch("beta"));
  c.SetJobSetCondition("beta", "Completed", "AllJobsCompleted", "jobset completed successfully");
  auto tj = c.TrainJobNamed("beta");
  const JobSetCondition* complete = FindCondition(tj->status, "Complete");
  REQUIRE(complete);
  CHECK(complete->reason == "AllJobsCompleted");
  CHECK(complete->message == "jobset completed successfully");
  REQUIRE(tj->status.jobs_status.size() == 1);
  CHECK(tj->status.jobs_status[0].succeeded == 1);
}

TEST_CASE("upstream TrainJob controller: Failed is copied with its reason and message") {
  TrainerCluster c;
  c.Create(Torch("gamma"));
  c.SetJobSetCondition("gamma", "Failed", "FailedJobs",
                       "jobset failed due to one or more job failures (first failed job: "
                       "gamma-node-0)");
  const JobSetCondition* failed = FindCondition(c.TrainJobNamed("gamma")->status, "Failed");
  REQUIRE(failed);
  CHECK(failed->reason == "FailedJobs");
}

TEST_CASE("A failed TrainJob whose JobSet is deleted is rebuilt in v2.3.0 but not when fixed") {
  for (const char* version : {"v2.3.0", "fixed"}) {
    TrainerCluster c(version);
    c.Create(Torch("loop"));
    c.SetJobSetCondition("loop", "Failed", "FailedJobs", "x");
    c.api.collection<JobSet>().Delete("default", "loop");
    c.RunFor(1);
    const bool v230 = std::string(version) == "v2.3.0";
    INFO(version);
    // kubeflow/trainer#3779: v2.3.0 forgets Failed and builds a new JobSet.
    CHECK((c.JobSetNamed("loop") != nullptr) == v230);
    CHECK(c.controller.JobSetsCreated("default", "loop") == (v230 ? 2 : 1));
    CHECK((FindCondition(c.TrainJobNamed("loop")->status, "Failed") != nullptr) == !v230);
    CHECK(c.notes.list().size() == (v230 ? 1u : 0u));
  }
}

TEST_CASE("upstream TrainJob controller: suspend and resume write the JobSet and the condition") {
  TrainerCluster c;
  TrainJob tj = Torch("delta");
  tj.spec.suspend = true;
  c.Create(tj);
  CHECK(c.JobSetNamed("delta")->spec.suspend == true);
  const JobSetCondition* s = FindCondition(c.TrainJobNamed("delta")->status, "Suspended");
  REQUIRE(s);
  CHECK(s->status == "True");
  CHECK(s->message == "TrainJob is suspended");
  c.RunFor(10);
  c.api.collection<TrainJob>().Mutate("default", "delta",
                                      [](TrainJob& t) { t.spec.suspend = false; });
  c.RunFor(1);
  CHECK(c.JobSetNamed("delta")->spec.suspend == false);
  s = FindCondition(c.TrainJobNamed("delta")->status, "Suspended");
  REQUIRE(s);
  CHECK(s->status == "False");
  CHECK(s->reason == "Resumed");
  CHECK(s->message == "TrainJob is resumed");
}

TEST_CASE("A running JobSet is not rewritten when its TrainJob's labels change") {
  TrainerCluster c;
  c.Create(Torch("eps"));
  const auto before = c.JobSetNamed("eps")->metadata.resource_version;
  c.api.collection<TrainJob>().Mutate("default", "eps",
                                      [](TrainJob& t) { t.metadata.labels["x"] = "y"; });
  c.RunFor(1);
  CHECK(c.JobSetNamed("eps")->metadata.resource_version == before);
}

TEST_CASE(
    "upstream TrainJob controller: ActiveDeadlineSeconds fails the TrainJob and deletes the "
    "JobSet") {
  TrainerCluster c;
  TrainJob tj = Torch("zeta");
  tj.spec.active_deadline_seconds = 30;
  c.Create(tj);
  REQUIRE(c.JobSetNamed("zeta"));
  c.RunFor(28);
  CHECK(FindCondition(c.TrainJobNamed("zeta")->status, "Failed") == nullptr);
  c.RunFor(2);
  const JobSetCondition* failed = FindCondition(c.TrainJobNamed("zeta")->status, "Failed");
  REQUIRE(failed);
  CHECK(failed->reason == "DeadlineExceeded");
  CHECK(failed->message == "TrainJob exceeded its active deadline");
  CHECK(ToSeconds(failed->last_transition_time) == Approx(30));
  CHECK(c.JobSetNamed("zeta") == nullptr);
  // DeadlineExceeded survives removeFailedCondition: no new JobSet.
  c.RunFor(5);
  CHECK(c.JobSetNamed("zeta") == nullptr);
}

TEST_CASE("The deadline counts from the resume of a suspended TrainJob") {
  TrainerCluster c;
  TrainJob tj = Torch("eta");
  tj.spec.active_deadline_seconds = 10;
  tj.spec.suspend = true;
  c.Create(tj);
  c.RunFor(100);
  CHECK(FindCondition(c.TrainJobNamed("eta")->status, "Failed") == nullptr);
  c.api.collection<TrainJob>().Mutate("default", "eta",
                                      [](TrainJob& t) { t.spec.suspend = false; });
  c.RunFor(9);
  CHECK(FindCondition(c.TrainJobNamed("eta")->status, "Failed") == nullptr);
  c.RunFor(2);
  CHECK(FindCondition(c.TrainJobNamed("eta")->status, "Failed") != nullptr);
}

TEST_CASE("The snapshot, not the live runtime, is used on resume") {
  TrainerCluster c;
  TrainJob tj = Torch("theta");
  tj.spec.suspend = true;
  c.Create(tj);
  c.api.collection<ClusterTrainingRuntime>().Mutate("", kDefaultRuntimeName, [](auto& rt) {
    rt.spec.template_.spec.replicated_jobs[0].template_.spec.template_.spec.node_selector["new"] =
        "1";
  });
  c.api.collection<TrainJob>().Mutate("default", "theta",
                                      [](TrainJob& t) { t.spec.suspend = false; });
  c.RunFor(1);
  const auto& pod = c.JobSetNamed("theta")->spec.replicated_jobs[0].template_.spec.template_;
  CHECK(pod.spec.node_selector.count("new") == 0);
}

TEST_CASE("A TrainJob name over 48 characters gets only TrainJobResourcesCreationFailed events") {
  TrainerCluster c;
  c.Create(Torch(std::string(49, 'n')));
  c.RunFor(5);
  CHECK(c.JobSetNamed(std::string(49, 'n')) == nullptr);
  CHECK(c.Events("TrainJobResourcesCreationFailed") > 1);
  CHECK(c.TrainJobNamed(std::string(49, 'n'))->status.conditions.empty());
  bool found = false;
  for (const auto& e : c.api.events().list()) {
    found = found || e.message.find(
                         "TrainJob resources reconciliation failed: admission webhook "
                         "\"vjobset.kb.io\" denied the request") == 0;
  }
  CHECK(found);
}

TEST_CASE("An unregistered runtime kind fails the TrainJob") {
  TrainerCluster c;
  TrainJob tj = Torch("iota");
  tj.spec.runtime_ref.kind = "Other";
  c.Create(tj);
  const JobSetCondition* failed = FindCondition(c.TrainJobNamed("iota")->status, "Failed");
  REQUIRE(failed);
  CHECK(failed->reason == "TrainingRuntimeNotSupported");
  CHECK(failed->message == "unsupported runtime: Other.trainer.kubeflow.org");
}

TEST_CASE("A TrainJob managed by MultiKueue is left alone") {
  TrainerCluster c;
  TrainJob tj = Torch("kappa");
  tj.spec.managed_by = "kueue.x-k8s.io/multikueue";
  c.Create(tj);
  CHECK(c.JobSetNamed("kappa") == nullptr);
}

}  // namespace
}  // namespace ptsim
