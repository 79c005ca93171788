// The task template a config serializes to, and the PyTorchJob flytepropeller
// builds from it end to end (docs/upstream/flyte.md#the-task-template,
// docs/upstream/flyte.md#the-pytorchjob).
#include "fakes/flyte/task_template.hpp"

#include <catch2/catch.hpp>

#include "fakes/flyte/config_yaml.hpp"
#include "fakes/flyte/job_builder.hpp"
#include "tests/fakes/flyte/json_check.hpp"

namespace ptsim::flyte {
namespace {

using nlohmann::json;

json TemplateOf(const char* yaml) {
  auto task = ParseFlyteTask(yaml, "t.yaml");
  INFO(task.diagnostics().Render());
  REQUIRE(task.ok());
  auto tmpl = BuildTaskTemplate(task->task);
  REQUIRE(tmpl.ok());
  return tmpl.value();
}

json JobOf(const char* yaml) {
  auto task = ParseFlyteTask(yaml, "t.yaml");
  INFO(task.diagnostics().Render());
  REQUIRE(task.ok());
  auto tmpl = BuildTaskTemplate(task->task);
  REQUIRE(tmpl.ok());
  auto job = BuildPyTorchJob(tmpl.value(), task->execution, task->propeller);
  INFO(job.diagnostics().Render());
  REQUIRE(job.ok());
  return job.value();
}

TEST_CASE(
    "derived: with increase_shared_mem the template uses a k8sPod target with the shm volume") {
  json t = TemplateOf("pytorch: {num_workers: 2}\ntask: {image: img:1, command: [python, t.py]}\n");
  CHECK(t["type"] == "pytorch");
  CHECK(t["taskTypeVersion"] == 1);
  CHECK_FALSE(t.contains("container"));
  CHECK(t["config"]["primary_container_name"] == "primary");
  const json& c = t["k8sPod"]["podSpec"]["containers"][0];
  CHECK(c["name"] == "primary");
  CHECK(c["image"] == "img:1");
  CHECK_JSON_EQ(c["volumeMounts"], json::parse(R"([{"name": "shm", "mountPath": "/dev/shm"}])"));
  CHECK_JSON_EQ(t["k8sPod"]["podSpec"]["volumes"],
                json::parse(R"([{"name": "shm", "emptyDir": {"medium": "Memory"}}])"));
}

TEST_CASE("derived: without a pod template the template uses a container target") {
  json t = TemplateOf(R"(
pytorch: {num_workers: 2, increase_shared_mem: false}
task: {image: img:1, args: [train], env: {A: "1"}, requests: {cpu: "1"}, limits: {mem: 2Gi}}
)");
  CHECK_FALSE(t.contains("k8sPod"));
  CHECK_JSON_EQ(t["container"], json::parse(R"({"image": "img:1", "args": ["train"],
      "env": [{"key": "A", "value": "1"}],
      "resources": {"requests": [{"name": "CPU", "value": "1"}],
                    "limits": [{"name": "MEMORY", "value": "2Gi"}]}})"));
}

TEST_CASE("derived: shared_memory adds extendedResources and the PyTorchJob mounts it") {
  json job = JobOf(R"(
pytorch: {num_workers: 1}
task: {image: img:1, shared_memory: 2Gi}
)");
  const json& pod = job["spec"]["pytorchReplicaSpecs"]["Master"]["template"]["spec"];
  CHECK_JSON_EQ(pod["volumes"], json::parse(R"([{"name": "flyte-shared-memory",
      "emptyDir": {"medium": "Memory", "sizeLimit": "2Gi"}}])"));
  CHECK_JSON_EQ(pod["containers"][0]["volumeMounts"],
                json::parse(R"([{"name": "flyte-shared-memory", "mountPath": "/dev/shm"}])"));
}

TEST_CASE("derived: the PyTorchJob carries name, namespace, labels and the pytorch container") {
  json job = JobOf(R"(
pytorch:
  worker: {replicas: 2, restart_policy: FAILURE}
  master: {image: master:1}
task: {image: img:1, command: [python, train.py]}
execution:
  generatedName: f7a8-n0-0
  namespace: team-dev
  labels: {execution-id: f7a8}
)");
  CHECK(job["apiVersion"] == "kubeflow.org/v1");
  CHECK(job["kind"] == "PyTorchJob");
  CHECK(job["metadata"]["name"] == "f7a8-n0-0");
  CHECK(job["metadata"]["namespace"] == "team-dev");
  CHECK(job["metadata"]["labels"]["execution-id"] == "f7a8");
  const json& specs = job["spec"]["pytorchReplicaSpecs"];
  CHECK(specs["Master"]["template"]["spec"]["containers"][0]["name"] == "pytorch");
  CHECK(specs["Master"]["template"]["spec"]["containers"][0]["image"] == "master:1");
  CHECK(specs["Worker"]["template"]["spec"]["containers"][0]["image"] == "img:1");
  CHECK(specs["Worker"]["restartPolicy"] == "OnFailure");
  CHECK(specs["Master"]["restartPolicy"] == "Never");
  CHECK(specs["Worker"]["template"]["spec"]["restartPolicy"] == "Never");
  CHECK_JSON_EQ(specs["Worker"]["template"]["spec"]["containers"][0]["command"],
                json::parse(R"(["python", "train.py"])"));
}

TEST_CASE("S6: worker replicas 0 gives a master-only PyTorchJob") {
  json job = JobOf("pytorch: {worker: {replicas: 0}}\ntask: {image: img:1}\n");
  CHECK(job["spec"]["pytorchReplicaSpecs"].size() == 1);
  CHECK(job["spec"]["pytorchReplicaSpecs"].contains("Master"));
}

TEST_CASE("derived: elastic tasks become worker-only jobs with an elastic policy") {
  json job = JobOf("elastic: {nnodes: \"2:4\", nproc_per_node: 8}\ntask: {image: img:1}\n");
  const json& specs = job["spec"]["pytorchReplicaSpecs"];
  CHECK(specs.size() == 1);
  CHECK(specs["Worker"]["replicas"] == 4);
  CHECK_JSON_EQ(job["spec"]["elasticPolicy"], json::parse(R"({"minReplicas": 2, "maxReplicas": 4,
      "rdzvBackend": "c10d", "nProcPerNode": 8, "maxRestarts": 0})"));
}

TEST_CASE("derived: an all-default run_policy still sets cleanPodPolicy None") {
  json job = JobOf("pytorch: {num_workers: 1, run_policy: {}}\ntask: {image: img:1}\n");
  CHECK_JSON_EQ(job["spec"]["runPolicy"], json::parse(R"({"cleanPodPolicy": "None"})"));
}

TEST_CASE("derived: replica resources merge key by key over the task resources, then default") {
  json job = JobOf(R"(
pytorch:
  worker: {replicas: 1, requests: {cpu: "2"}}
task: {image: img:1, requests: {cpu: "1", mem: 1Gi}, limits: {mem: 2Gi}}
)");
  const json& specs = job["spec"]["pytorchReplicaSpecs"];
  // Master: the task's own resources; the missing cpu limit takes the request.
  CHECK_JSON_EQ(specs["Master"]["template"]["spec"]["containers"][0]["resources"],
                json::parse(R"({"requests": {"cpu": "1", "memory": "1Gi"},
                                "limits": {"cpu": "1", "memory": "2Gi"}})"));
  // Worker: its cpu request (defaulted to cpu limit 2 and platform memory 1Gi)
  // is merged over the task's container resources.
  CHECK_JSON_EQ(specs["Worker"]["template"]["spec"]["containers"][0]["resources"],
                json::parse(R"({"requests": {"cpu": "2", "memory": "1Gi"},
                                "limits": {"cpu": "2", "memory": "1Gi"}})"));
}

TEST_CASE("derived: a container with no resources gets the platform defaults") {
  json job = JobOf("pytorch: {num_workers: 1, increase_shared_mem: false}\ntask: {image: img:1}\n");
  CHECK_JSON_EQ(job["spec"]["pytorchReplicaSpecs"]["Master"]["template"]["spec"]["containers"][0]
                   ["resources"],
                json::parse(R"({"requests": {"cpu": "1", "memory": "1Gi"},
                                "limits": {"cpu": "1", "memory": "1Gi"}})"));
}

TEST_CASE("derived: an Elastic task with nnodes 1 has no PyTorchJob") {
  auto task = ParseFlyteTask("elastic: {nproc_per_node: 4}\ntask: {image: img:1}\n", "t.yaml");
  REQUIRE(task.ok());
  auto tmpl = BuildTaskTemplate(task->task);
  REQUIRE(tmpl.ok());
  CHECK(tmpl.value()["type"] == "python-task");
  CHECK_FALSE(tmpl.value().contains("custom"));
  auto job = BuildPyTorchJob(tmpl.value(), task->execution, task->propeller);
  CHECK(OnlyError(job) ==
        "task type \"python-task\" is not handled by the pytorch plugin; flytepropeller runs it "
        "as a plain pod, not a PyTorchJob");
}

}  // namespace
}  // namespace ptsim::flyte
