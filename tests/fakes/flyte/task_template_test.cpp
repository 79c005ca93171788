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

std::string OnlyErrorOf(const Result<json>& r) {
  REQUIRE(r.diagnostics().items().size() == 1);
  return r.diagnostics().items().front().field + ": " + r.diagnostics().items().front().message;
}

Result<json> BuildFrom(const char* yaml) {
  auto task = ParseFlyteTask(yaml, "t.yaml");
  INFO(task.diagnostics().Render());
  REQUIRE(task.ok());
  return BuildTaskTemplate(task->task);
}

TEST_CASE("task-level gpu 0 and ephemeral_storage 0 make no container resources") {
  // _get_container_definition keeps truthy values only: the int 0 is dropped,
  // the string "0" is kept.
  json t = TemplateOf(R"(
pytorch: {num_workers: 1, increase_shared_mem: false}
task: {image: img:1, requests: {cpu: "1", gpu: 0, ephemeral_storage: 0}, limits: {gpu: "0", mem: 0}}
)");
  CHECK_JSON_EQ(t["container"]["resources"], json::parse(R"({
      "requests": [{"name": "CPU", "value": "1"}],
      "limits": [{"name": "GPU", "value": "0"}]})"));
}

TEST_CASE("zero task-level GPUs give the pods no GPU resource, affinity or tolerations") {
  json job = JobOf(R"(
pytorch: {worker: {replicas: 1}}
task:
  image: img:1
  requests: {cpu: "1", gpu: 0, ephemeral_storage: 0}
  limits: {gpu: 0, ephemeral_storage: 0}
  accelerator: nvidia-tesla-t4
propeller:
  k8s:
    resource-tolerations:
      nvidia.com/gpu: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]
      ephemeral-storage: [{key: storage, operator: Exists, effect: NoSchedule}]
)");
  for (const char* type : {"Master", "Worker"}) {
    INFO(type);
    const json& pod = job["spec"]["pytorchReplicaSpecs"][type]["template"]["spec"];
    CHECK_JSON_EQ(pod["containers"][0]["resources"],
                  json::parse(R"({"requests": {"cpu": "1", "memory": "1Gi"},
                                  "limits": {"cpu": "1", "memory": "1Gi"}})"));
    CHECK_FALSE(pod.contains("tolerations"));
    CHECK_JSON_EQ(pod["affinity"], json::object());
  }
  // With one GPU the same task gets all three.
  json gpu = JobOf(R"(
pytorch: {worker: {replicas: 1}}
task: {image: img:1, requests: {cpu: "1", gpu: 1}, limits: {gpu: 1}, accelerator: nvidia-tesla-t4}
propeller:
  k8s:
    resource-tolerations:
      nvidia.com/gpu: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]
)");
  const json& pod = gpu["spec"]["pytorchReplicaSpecs"]["Worker"]["template"]["spec"];
  CHECK(pod["containers"][0]["resources"]["limits"]["nvidia.com/gpu"] == "1");
  CHECK(pod["tolerations"].size() == 2);
  CHECK(pod["affinity"].contains("nodeAffinity"));
}

TEST_CASE("task-level container resources come in _get_container_definition's order") {
  json t = TemplateOf(R"(
pytorch: {num_workers: 1, increase_shared_mem: false}
task: {image: img:1, requests: {mem: 1Gi, gpu: 1, cpu: 2, ephemeral_storage: 10Gi}}
)");
  CHECK_JSON_EQ(t["container"]["resources"]["requests"], json::parse(R"([
      {"name": "EPHEMERAL_STORAGE", "value": "10Gi"}, {"name": "CPU", "value": "2"},
      {"name": "GPU", "value": "1"}, {"name": "MEMORY", "value": "1Gi"}])"));
}

TEST_CASE("a pod-template container without an image gets the default image") {
  // _serialize_pod_spec: get_registerable_container_image(None) is the
  // serialization's default image; the primary container takes the task's.
  json t = TemplateOf(R"(
pytorch: {num_workers: 1, increase_shared_mem: false}
task:
  image: img:1
  pod_template:
    primary_container_name: main
    pod_spec:
      containers:
      - {name: main}
      - {name: sidecar}
      - {name: logger, image: ""}
      - {name: proxy, image: "envoy:1"}
)");
  const json& c = t["k8sPod"]["podSpec"]["containers"];
  CHECK(c[0]["image"] == "img:1");
  CHECK(c[1]["image"] == kFlytekitDefaultImage);
  CHECK(c[2]["image"] == kFlytekitDefaultImage);
  CHECK(c[3]["image"] == "envoy:1");
  // A task without an image uses the default image too.
  json no_image = TemplateOf("pytorch: {num_workers: 1}\ntask: {command: [train]}\n");
  CHECK(no_image["k8sPod"]["podSpec"]["containers"][0]["image"] == kFlytekitDefaultImage);
}

TEST_CASE("task requests and limits that are both lists fail on the limits") {
  // _get_container_definition checks the limits first.
  CHECK(OnlyErrorOf(BuildFrom(R"(
pytorch: {num_workers: 1}
task: {image: img:1, requests: {cpu: ["1", "2"]}, limits: {mem: [1Gi, 2Gi]}}
)")) == "task.limits.mem: ['1Gi', '2Gi'] can not be a list or tuple");
  // The container is built before the custom: a task list wins over a replica list.
  CHECK(OnlyErrorOf(BuildFrom(R"(
pytorch: {worker: {replicas: 1, requests: {cpu: ["1", "2"]}}}
task: {image: img:1, requests: {mem: [1Gi, 2Gi]}}
)")) == "task.requests.mem: ['1Gi', '2Gi'] can not be a list or tuple");
}

TEST_CASE("@task labels and annotations go to the task metadata and onto the PyTorchJob only") {
  // flytekit >= 1.16.2 (flytekit#3243) serializes them as TaskMetadata.metadata;
  // flytepropeller's addObjectMetadata (flyte#6421) merges them into the
  // object it creates: plugin defaults, the object's own, the task's, then
  // the execution's.
  const char* yaml = R"(
pytorch: {worker: {replicas: 1}}
task:
  image: img:1
  labels: {team: ml, tier: batch}
  annotations: {owner: alice}
execution:
  labels: {tier: online}
)";
  json t = TemplateOf(yaml);
  CHECK_JSON_EQ(t["metadata"]["metadata"], json::parse(R"({
      "labels": {"team": "ml", "tier": "batch"}, "annotations": {"owner": "alice"}})"));
  json job = JobOf(yaml);
  CHECK(job["metadata"]["labels"]["team"] == "ml");
  CHECK(job["metadata"]["labels"]["tier"] == "online");
  CHECK(job["metadata"]["annotations"]["owner"] == "alice");
  for (const char* type : {"Master", "Worker"}) {
    const json& meta = job["spec"]["pytorchReplicaSpecs"][type]["template"]["metadata"];
    CHECK_FALSE(meta.value("labels", json::object()).contains("team"));
    CHECK_FALSE(meta.value("annotations", json::object()).contains("owner"));
  }
}

}  // namespace
}  // namespace ptsim::flyte
