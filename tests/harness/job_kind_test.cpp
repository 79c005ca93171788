// The job-kind seam (job_kind.hpp) with its one kind, PyTorchJob: decoding a
// planned job, creating it, the edits job-level faults make (suspend, resume,
// scale, and a rejected one), the conditions expectations read, listing and
// deleting on interrupt.
#include <yaml-cpp/yaml.h>

#include <catch2/catch.hpp>

#include <algorithm>

#include "sim/harness/batchjob_kind.hpp"
#include "sim/harness/job_kind.hpp"
#include "sim/harness/jobset_kind.hpp"
#include "sim/harness/pytorchjob_kind.hpp"
#include "sim/harness/trainjob_kind.hpp"

namespace ptsim {
namespace {

const char* kJob = R"(apiVersion: kubeflow.org/v1
kind: PyTorchJob
metadata: {name: train, namespace: team}
spec:
  runPolicy: {backoffLimit: 3}
  pytorchReplicaSpecs:
    Master:
      replicas: 1
      template: {spec: {containers: [{name: pytorch, image: trainer:v1}]}}
    Worker:
      replicas: 1
      template: {spec: {containers: [{name: pytorch, image: trainer:v1}]}}
)";

PlannedJob Decoded(const char* text) {
  Diagnostics diags;
  DecodeContext ctx("job.yaml", &diags);
  std::vector<PlanNote> notes;
  PlannedJob job = PyTorchJobKind().Decode(ctx, YAML::Load(text), kDefaultOperatorVersion, &notes);
  INFO(diags.Render());
  REQUIRE(diags.ok());
  return job;
}

// A simulation without nodes: pods stay Pending, which is all these need.
struct World {
  ManualWallClock wall;
  Simulation sim{[this] {
    SimulationOptions o;
    o.wall = &wall;
    return o;
  }()};
  void Settle() { sim.loop().Run(sim.loop().Now() + std::chrono::seconds(1)); }
  std::shared_ptr<const PyTorchJob> Stored() {
    return sim.api().collection<PyTorchJob>().Get("team", "train");
  }
};

TEST_CASE("the PyTorchJob kind is found by apiVersion and kind") {
  CHECK(FindJobKind("kubeflow.org/v1", "PyTorchJob") == &PyTorchJobKind());
  CHECK(FindJobKind("kubeflow.org/v2", "PyTorchJob") == nullptr);
  CHECK(FindJobKind("kubeflow.org/v1", "TFJob") == nullptr);
  CHECK(FindJobKind("jobset.x-k8s.io/v1alpha2", "JobSet") == &JobSetKind());
  CHECK(std::count(JobKinds().begin(), JobKinds().end(), &PyTorchJobKind()) == 1);
  CHECK(std::count(JobKinds().begin(), JobKinds().end(), &JobSetKind()) == 1);
  CHECK(FindJobKind("trainer.kubeflow.org/v1alpha1", "TrainJob") == &TrainJobKind());
  CHECK(std::count(JobKinds().begin(), JobKinds().end(), &TrainJobKind()) == 1);
  CHECK(JobKinds().front() == &PyTorchJobKind());
}

TEST_CASE("the batch/v1 Job kind is found by apiVersion and kind") {
  CHECK(FindJobKind("batch/v1", "Job") == &BatchJobKind());
  CHECK(FindJobKind("batch/v2", "Job") == nullptr);
}

TEST_CASE("a decoded PyTorchJob is a planned job with its spec as written and its pod templates") {
  const PlannedJob job = Decoded(kJob);
  CHECK(job.kind == &PyTorchJobKind());
  CHECK(job.name() == "train");
  CHECK(job.namespace_() == "team");
  REQUIRE(job.As<PyTorchJob>());
  CHECK(job.As<Pod>() == nullptr);
  CHECK(job.spec["runPolicy"]["backoffLimit"] == 3);
  CHECK(JobLabel(job) == "PyTorchJob \"train\"");
  const auto templates = job.kind->PodTemplates(job);
  REQUIRE(templates.size() == 2);
  CHECK(templates[0].field == "spec.pytorchReplicaSpecs[Master].template");
  CHECK(templates[1].field == "spec.pytorchReplicaSpecs[Worker].template");
  CHECK(templates[1].pod_template->spec.containers.at(0).image == "trainer:v1");
  CHECK(job.locations.count("spec.pytorchReplicaSpecs[Worker].replicas") == 1);
}

TEST_CASE("suspend, resume and scale through the PyTorchJob kind are admitted updates") {
  World w;
  const JobKind& kind = PyTorchJobKind();
  REQUIRE(kind.Create(w.sim, Decoded(kJob)).ok());
  w.Settle();
  const auto jobs = kind.List(w.sim);
  REQUIRE(jobs.size() == 1);
  CHECK(jobs[0].metadata().name == "train");

  CHECK(kind.Suspend(w.sim, jobs[0]) == "");
  w.Settle();
  CHECK(w.Stored()->spec.run_policy.suspend == true);
  bool suspended = false;
  for (const auto& c : kind.Conditions(AnyJob(w.Stored())))
    suspended = suspended || (c.type == "Suspended" && c.status == "True");
  CHECK(suspended);

  CHECK(kind.Resume(w.sim, AnyJob(w.Stored())) == "");
  CHECK(w.Stored()->spec.run_policy.suspend == false);

  CHECK(kind.Scale(w.sim, AnyJob(w.Stored()), "Worker", 3) == "");
  CHECK(w.Stored()->spec.pytorch_replica_specs->at("Worker").replicas == 3);
}

TEST_CASE("an edit the webhook rejects leaves the PyTorchJob as it was and says why") {
  World w;
  const JobKind& kind = PyTorchJobKind();
  REQUIRE(kind.Create(w.sim, Decoded(kJob)).ok());
  w.Settle();
  const auto before = w.Stored();
  const std::string denial = kind.Scale(w.sim, AnyJob(before), "Master", 2);
  CHECK(denial.find("must be 1") != std::string::npos);
  CHECK(w.Stored() == before);
}

TEST_CASE("a job of the kind is deleted through it and its status is the report's") {
  World w;
  const JobKind& kind = PyTorchJobKind();
  REQUIRE(kind.Create(w.sim, Decoded(kJob)).ok());
  w.Settle();
  const nlohmann::json status = kind.StatusJson(AnyJob(w.Stored()));
  CHECK(status["conditions"][0]["type"] == "Created");
  CHECK(status.contains("replicaStatuses"));
  CHECK(status.contains("startTime"));
  kind.Delete(w.sim, AnyJob(w.Stored()));
  w.Settle();
  CHECK(kind.List(w.sim).empty());
}

}  // namespace
}  // namespace ptsim
