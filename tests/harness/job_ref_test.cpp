// JobRef, the one lookup of a job-level expectation's job: in the report's
// top-level `jobs` when it has that list (as PyTorchJob entries are today, or
// as Kubernetes objects with apiVersion/kind/metadata), else in `job`.
#include <catch2/catch.hpp>

#include "sim/harness/expectations/job_ref.hpp"
#include "tests/harness/expectation_fixture.hpp"

namespace ptsim::testing {
namespace {

using nlohmann::json;

// Jobs as Kubernetes writes objects: kind and metadata, status, and the history ptsim keeps.
const char* kObjectJobs = R"({
  "job": {"name": "stale", "namespace": "default", "status": {"conditions": []},
          "conditionHistory": [], "deletedAt": null},
  "jobs": [
    {"apiVersion": "trainer.kubeflow.org/v1alpha1", "kind": "TrainJob",
     "metadata": {"name": "train", "namespace": "team-a"},
     "status": {"conditions": [{"type": "Complete", "status": "True", "reason": "JobsCompleted",
                                "message": "done", "lastTransitionTime": 9.0}]},
     "conditionHistory": [], "deletedAt": null},
    {"apiVersion": "kubeflow.org/v1", "kind": "PyTorchJob",
     "metadata": {"name": "mnist", "namespace": "default"},
     "status": {"conditions": [{"type": "Succeeded", "status": "True",
                                "reason": "PyTorchJobSucceeded", "message": "ok",
                                "lastTransitionTime": 5.0}]},
     "conditionHistory": [{"type": "Created", "status": "True", "reason": "r", "time": 0.0},
                          {"type": "Succeeded", "status": "True", "reason": "r", "time": 5.0}],
     "deletedAt": 8.0}]})";

std::string NameOf(const json* job) {
  if (!job) return "none";
  return job->contains("metadata") ? (*job)["metadata"]["name"].get<std::string>()
                                   : (*job)["name"].get<std::string>();
}

TEST_CASE("JobRef finds jobs written as Kubernetes objects in jobs by kind, namespace and name") {
  const json report = json::parse(kObjectJobs);
  CHECK(NameOf(FindJob(report, {})) == "train");  // the first job of the run
  CHECK(NameOf(FindJob(report, {"", "", "mnist"})) == "mnist");
  CHECK(NameOf(FindJob(report, {"PyTorchJob", "", ""})) == "mnist");
  CHECK(NameOf(FindJob(report, {"TrainJob", "team-a", "train"})) == "train");
  CHECK(NameOf(FindJob(report, {"PyTorchJob", "team-a", ""})) == "none");
  CHECK(NameOf(FindJob(report, {"", "", "stale"})) == "none");  // jobs is preferred over job
}

TEST_CASE("JobRef finds today's PyTorchJob entries by top-level name and namespace") {
  TempDir dir;
  json report = JobReport(dir);
  CHECK(NameOf(FindJob(report, {})) == "job");
  CHECK(NameOf(FindJob(report, {"PyTorchJob", "default", "job"})) == "job");  // no kind: PyTorchJob
  CHECK(NameOf(FindJob(report, {"TrainJob", "", ""})) == "none");
  CHECK(NameOf(FindJob(report, {"", "other", ""})) == "none");
  report.erase("jobs");  // a report with only `job`
  CHECK(NameOf(FindJob(report, {})) == "job");
  CHECK(NameOf(FindJob(report, {"", "", "job"})) == "job");
  CHECK(NameOf(FindJob(report, {"", "", "other"})) == "none");
  report["job"] = nullptr;  // a run without a job
  CHECK(NameOf(FindJob(report, {})) == "none");
}

TEST_CASE(
    "job-level expectations read conditions, history and deletion of a Kubernetes-shaped "
    "job") {
  const json report = json::parse(kObjectJobs);
  CHECK(Check("finalCondition: {type: Succeeded}\njob: mnist", report).passed);
  CHECK(Check("conditions: [Created, Succeeded]\njob: mnist", report).passed);
  CHECK_FALSE(Check("neverCondition: Succeeded\njob: mnist", report).passed);
  CHECK(Check("jobDeleted: {before: 10s}\njob: mnist", report).passed);
  // Without `job:` the run's first job, here the TrainJob.
  CHECK(Check("finalCondition: {type: Succeeded}", report).actual ==
        "Complete=True (JobsCompleted), message \"done\"");
  CHECK(Check("jobDeleted: false", report).passed);
}

}  // namespace
}  // namespace ptsim::testing
