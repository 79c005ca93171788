// Ports of flyteplugins kfoperators/pytorch/pytorch_test.go (BuildResource
// tests) and common/common_operator_test.go (OverrideContainerSpec), with the
// same fixtures (docs/upstream/flyte.md#the-pytorchjob).
#include "fakes/flyte/job_builder.hpp"

#include <catch2/catch.hpp>

#include "fakes/flyte/custom.hpp"
#include "fakes/flyte/task_template.hpp"
#include "tests/fakes/flyte/json_check.hpp"

namespace ptsim::flyte {
namespace {

using nlohmann::json;

// dummyPytorchTaskTemplate: container image "image://", args ["test-args"],
// env Env_Var=Env_Val, the given custom and task type version.
json TaskTemplate(const json& custom, int version = 0) {
  json t = json::parse(R"({"id": {"name": "job"}, "type": "container",
      "container": {"image": "image://", "args": ["test-args"],
                    "env": [{"key": "Env_Var", "value": "Env_Val"}]}})");
  t["custom"] = custom;
  if (version != 0) t["taskTypeVersion"] = version;
  return t;
}

// resourceRequirements of the Go tests: the task override resources.
const json kTaskOverrideResources = json::parse(R"({
    "limits": {"cpu": "1", "memory": "1Gi", "nvidia.com/gpu": "1"},
    "requests": {"cpu": "100m", "memory": "512Mi", "nvidia.com/gpu": "1"}})");

// dummyPytorchTaskContext.
TaskExecution Execution(const json& override_resources = kTaskOverrideResources,
                        const std::string& image_override = "") {
  json e = {
      {"generatedName", "some-acceptable-name"},
      {"namespace", "test-namespace"},
      {"executionId", {{"name", "my_name"}, {"project", "my_project"}, {"domain", "my_domain"}}},
      {"annotations", {{"annotation-key", "annotation-value"}}},
      {"labels", {{"label-key", "label-value"}}},
      {"interruptible", true},
      {"serviceAccount", "pytorch_sa"},
      {"overrides", {{"resources", override_resources}, {"containerImage", image_override}}}};
  auto parsed = ParseTaskExecution(e);
  REQUIRE(parsed.ok());
  return parsed.value();
}

json Build(const json& tmpl, const TaskExecution& execution = Execution(),
           const PluginConfig& config = PluginConfig{}) {
  auto job = BuildPyTorchJob(tmpl, execution, config);
  INFO(job.diagnostics().Render());
  REQUIRE(job.ok());
  return job.value();
}

const json& Specs(const json& job) {
  return job["spec"]["pytorchReplicaSpecs"];
}

void CheckContainerNamedPytorch(const json& job) {
  for (const auto& [type, spec] : Specs(job).items()) {
    bool found = false;
    for (const auto& c : spec["template"]["spec"]["containers"])
      found = found || c["name"] == "pytorch";
    INFO(type);
    CHECK(found);
  }
}

void CheckMetadataCopied(const json& job) {
  for (const auto& [type, spec] : Specs(job).items()) {
    CHECK(spec["template"]["metadata"]["annotations"]["annotation-key"] == "annotation-value");
    CHECK(spec["template"]["metadata"]["labels"]["label-key"] == "label-value");
  }
}

const json kElasticV0 = json::parse(R"({"workers": 2, "elasticConfig":
    {"minReplicas": 1, "maxReplicas": 2, "nprocPerNode": 4, "rdzvBackend": "c10d"}})");

TEST_CASE("TestBuildResourcePytorchElastic: v0 elastic custom gives a worker-only job") {
  json job = Build(TaskTemplate(kElasticV0));
  CHECK(Specs(job)["Worker"]["replicas"] == 2);
  CHECK_JSON_EQ(job["spec"]["elasticPolicy"], json::parse(R"({"minReplicas": 1, "maxReplicas": 2,
      "nProcPerNode": 4, "rdzvBackend": "c10d", "maxRestarts": 0})"));
  CHECK(Specs(job).size() == 1);
  CheckContainerNamedPytorch(job);
  CheckMetadataCopied(job);
}

TEST_CASE("TestBuildResourcePytorch: v0 workers 100 with the task override resources") {
  json job = Build(TaskTemplate(json::parse(R"({"workers": 100})")));
  CHECK(Specs(job)["Worker"]["replicas"] == 100);
  CHECK_FALSE(job["spec"].contains("elasticPolicy"));
  CheckMetadataCopied(job);
  CheckContainerNamedPytorch(job);
  for (const auto& [type, spec] : Specs(job).items()) {
    for (const auto& c : spec["template"]["spec"]["containers"]) {
      CHECK_JSON_EQ(c["resources"], kTaskOverrideResources);
    }
  }
}

TEST_CASE(
    "TestBuildResourcePytorchContainerImage: the execution image override reaches every replica") {
  const json gpu_only = json::parse(R"({"limits": {"nvidia.com/gpu": "1"}})");
  for (const json& custom : {json::parse(R"({"workers": 100})"), kElasticV0}) {
    for (const std::string override_image : {"", "container-image-override"}) {
      json job = Build(TaskTemplate(custom), Execution(gpu_only, override_image));
      for (const auto& [type, spec] : Specs(job).items()) {
        CHECK(spec["template"]["spec"]["containers"][0]["image"] ==
              (override_image.empty() ? "image://" : override_image));
      }
    }
  }
}

TEST_CASE("TestBuildResourcePytorchExtendedResources: GPU accelerator selectors and tolerations") {
  PluginConfig config;
  config.gpu_device_node_label = "gpu-node-label";
  config.gpu_partition_size_node_label = "gpu-partition-size";
  config.add_tolerations_for_extended_resources = {"nvidia.com/gpu"};
  const json gpu_only = json::parse(R"({"limits": {"nvidia.com/gpu": "1"}})");
  struct Fixture {
    std::optional<json> override_extended;
    json expected_terms;
    json expected_tolerations;
  };
  std::vector<Fixture> fixtures = {
      {std::nullopt,
       json::parse(R"([{"matchExpressions": [{"key": "gpu-node-label", "operator": "In",
                                             "values": ["nvidia-tesla-t4"]}]}])"),
       json::parse(R"([{"key": "gpu-node-label", "value": "nvidia-tesla-t4", "operator": "Equal",
                        "effect": "NoSchedule"},
                       {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}])")},
      {json::parse(R"({"gpuAccelerator": {"device": "nvidia-tesla-a100",
                                          "partitionSize": "1g.5gb"}})"),
       json::parse(R"([{"matchExpressions": [
           {"key": "gpu-node-label", "operator": "In", "values": ["nvidia-tesla-a100"]},
           {"key": "gpu-partition-size", "operator": "In", "values": ["1g.5gb"]}]}])"),
       json::parse(R"([{"key": "gpu-node-label", "value": "nvidia-tesla-a100", "operator": "Equal",
                        "effect": "NoSchedule"},
                       {"key": "gpu-partition-size", "value": "1g.5gb", "operator": "Equal",
                        "effect": "NoSchedule"},
                       {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}])")},
  };
  for (const json& custom : {json::parse(R"({"workers": 100})"), kElasticV0}) {
    for (const auto& f : fixtures) {
      json tmpl = TaskTemplate(custom);
      tmpl["extendedResources"] = {{"gpuAccelerator", {{"device", "nvidia-tesla-t4"}}}};
      TaskExecution execution = Execution(gpu_only);
      execution.override_extended_resources = f.override_extended;
      json job = Build(tmpl, execution, config);
      for (const auto& [type, spec] : Specs(job).items()) {
        const json& pod = spec["template"]["spec"];
        CHECK_JSON_EQ(pod["affinity"]["nodeAffinity"]
                         ["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"],
                      f.expected_terms);
        CHECK_JSON_EQ(pod["tolerations"], f.expected_tolerations);
      }
    }
  }
}

TEST_CASE("TestReplicaCounts: v0 with 0 workers is master-only, with 1 worker has both") {
  json none = Build(TaskTemplate(json::parse(R"({"workers": 0})")));
  CHECK(Specs(none).size() == 1);
  CHECK(Specs(none).contains("Master"));
  json one = Build(TaskTemplate(json::parse(R"({"workers": 1})")));
  CHECK(Specs(one).size() == 2);
  CHECK(Specs(one).contains("Master"));
  CHECK(Specs(one).contains("Worker"));
}

// TestBuildResourcePytorchV1 and friends run each custom twice: once with the
// deprecated replica fields and once with `common`.
std::vector<json> BothVariants(const char* worker, const char* master = nullptr,
                               const char* rest = nullptr) {
  std::vector<json> out;
  for (bool common : {false, true}) {
    json custom = rest ? json::parse(rest) : json::object();
    custom["workerReplicas"] = common ? json{{"common", json::parse(worker)}} : json::parse(worker);
    if (master) {
      custom["masterReplicas"] =
          common ? json{{"common", json::parse(master)}} : json::parse(master);
    }
    out.push_back(custom);
  }
  return out;
}

const char kMasterV1[] = R"({"image": "image://master", "restartPolicy": "RESTART_POLICY_ALWAYS",
    "resources": {"requests": [{"name": "CPU", "value": "250m"}, {"name": "MEMORY", "value": "250Mi"}],
                  "limits": [{"name": "CPU", "value": "500m"}, {"name": "MEMORY", "value": "500Mi"}]}})";
const char kWorkerV1[] = R"({"replicas": 100,
    "resources": {"requests": [{"name": "CPU", "value": "1024m"}, {"name": "MEMORY", "value": "1Gi"}],
                  "limits": [{"name": "CPU", "value": "2048m"}, {"name": "MEMORY", "value": "2Gi"}]}})";
const json kMasterResources = json::parse(R"({"requests": {"cpu": "250m", "memory": "250Mi"},
                                              "limits": {"cpu": "500m", "memory": "500Mi"}})");
const json kWorkerResources = json::parse(R"({"requests": {"cpu": "1024m", "memory": "1Gi"},
                                              "limits": {"cpu": "2048m", "memory": "2Gi"}})");

const json& Container(const json& job, const char* type) {
  return Specs(job)[type]["template"]["spec"]["containers"][0];
}

TEST_CASE(
    "TestBuildResourcePytorchV1: per-replica image, resources, restart policy and worker env") {
  PluginConfig config;
  config.enable_distributed_error_aggregation = true;
  for (const json& custom : BothVariants(kWorkerV1, kMasterV1)) {
    json job = Build(TaskTemplate(custom, 1), Execution(), config);
    CHECK(Specs(job)["Worker"]["replicas"] == 100);
    CHECK(Specs(job)["Master"]["replicas"] == 1);
    CHECK(Container(job, "Master")["image"] == "image://master");
    CHECK(Container(job, "Worker")["image"] == "image://");
    CHECK_JSON_EQ(Container(job, "Master")["resources"], kMasterResources);
    CHECK_JSON_EQ(Container(job, "Worker")["resources"], kWorkerResources);
    CHECK(Specs(job)["Master"]["restartPolicy"] == "Always");
    CHECK(Specs(job)["Worker"]["restartPolicy"] == "Never");
    CHECK_JSON_EQ(job["spec"]["runPolicy"], json::object());
    CHECK_FALSE(job["spec"].contains("elasticPolicy"));
    const json& env = Container(job, "Worker")["env"];
    REQUIRE(env.size() >= 2);
    CHECK_JSON_EQ(
        env[env.size() - 2],
        json::parse(
            R"({"name": "_F_WN", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}})"));
    CHECK_JSON_EQ(env[env.size() - 1], json::parse(R"({"name": "_F_DES", "value": "Earliest"})"));
  }
}

TEST_CASE("TestBuildResourcePytorchV1WithRunPolicy: run policy fields map to the PyTorchJob") {
  for (const json& custom :
       BothVariants(R"({"replicas": 100})", nullptr,
                    R"({"runPolicy": {"cleanPodPolicy": "CLEANPOD_POLICY_ALL", "backoffLimit": 100,
                        "activeDeadlineSeconds": 1000, "ttlSecondsAfterFinished": 10000}})")) {
    json job = Build(TaskTemplate(custom, 1));
    CHECK(Specs(job)["Worker"]["replicas"] == 100);
    CHECK(Specs(job)["Master"]["replicas"] == 1);
    CHECK_JSON_EQ(job["spec"]["runPolicy"], json::parse(R"({"cleanPodPolicy": "All",
        "backoffLimit": 100, "activeDeadlineSeconds": 1000, "ttlSecondsAfterFinished": 10000})"));
  }
}

TEST_CASE(
    "TestBuildResourcePytorchV1WithOnlyWorkerSpec: master falls back to the task override "
    "resources") {
  for (const json& custom : BothVariants(kWorkerV1)) {
    json job = Build(TaskTemplate(custom, 1));
    CHECK(Specs(job)["Worker"]["replicas"] == 100);
    CHECK(Specs(job)["Master"]["replicas"] == 1);
    CHECK(Container(job, "Master")["image"] == "image://");
    CHECK(Container(job, "Worker")["image"] == "image://");
    CHECK_JSON_EQ(Container(job, "Master")["resources"], kTaskOverrideResources);
    CHECK_JSON_EQ(Container(job, "Worker")["resources"], kWorkerResources);
    CHECK(Specs(job)["Master"]["restartPolicy"] == "Never");
    CHECK(Specs(job)["Worker"]["restartPolicy"] == "Never");
    CHECK_FALSE(job["spec"].contains("elasticPolicy"));
  }
}

TEST_CASE(
    "TestBuildResourcePytorchV1ResourceTolerations: only the GPU replica gets the GPU toleration") {
  const json gpu_toleration = json::parse(
      R"({"key": "nvidia.com/gpu", "value": "present", "operator": "Equal", "effect": "NoSchedule"})");
  PluginConfig config;
  config.resource_tolerations["nvidia.com/gpu"] = {gpu_toleration};
  const char master[] = R"({"resources": {
      "requests": [{"name": "CPU", "value": "250m"}, {"name": "MEMORY", "value": "250Mi"}],
      "limits": [{"name": "CPU", "value": "500m"}, {"name": "MEMORY", "value": "500Mi"}]}})";
  const char worker[] = R"({"replicas": 100, "resources": {
      "requests": [{"name": "CPU", "value": "1024m"}, {"name": "MEMORY", "value": "1Gi"},
                   {"name": "GPU", "value": "1"}],
      "limits": [{"name": "CPU", "value": "2048m"}, {"name": "MEMORY", "value": "2Gi"},
                 {"name": "GPU", "value": "1"}]}})";
  for (const json& custom : BothVariants(worker, master)) {
    json job = Build(TaskTemplate(custom, 1), Execution(), config);
    auto tolerations = [&](const char* type) {
      return Specs(job)[type]["template"]["spec"].value("tolerations", json::array());
    };
    bool master_has = false, worker_has = false;
    for (const auto& t : tolerations("Master"))
      master_has = master_has || t == gpu_toleration;
    for (const auto& t : tolerations("Worker"))
      worker_has = worker_has || t == gpu_toleration;
    CHECK_FALSE(master_has);
    CHECK(worker_has);
  }
}

TEST_CASE("TestBuildResourcePytorchV1WithElastic: elastic config removes the master") {
  for (const json& custom :
       BothVariants(R"({"replicas": 2})", nullptr,
                    R"({"elasticConfig": {"minReplicas": 1, "maxReplicas": 2, "nprocPerNode": 4,
                                          "rdzvBackend": "c10d"}})")) {
    json job = Build(TaskTemplate(custom, 1));
    CHECK(Specs(job)["Worker"]["replicas"] == 2);
    CHECK_JSON_EQ(job["spec"]["elasticPolicy"], json::parse(R"({"minReplicas": 1, "maxReplicas": 2,
        "nProcPerNode": 4, "rdzvBackend": "c10d", "maxRestarts": 0})"));
    CHECK(Specs(job).size() == 1);
    CHECK(Specs(job).contains("Worker"));
    CheckContainerNamedPytorch(job);
  }
}

TEST_CASE("TestBuildResourcePytorchV1WithDifferentWorkersNumber: 0 workers is master-only") {
  const char master[] = R"({"image": "image://master", "resources": {
      "requests": [{"name": "CPU", "value": "250m"}, {"name": "MEMORY", "value": "250Mi"}],
      "limits": [{"name": "CPU", "value": "500m"}, {"name": "MEMORY", "value": "500Mi"}]}})";
  json none = Build(TaskTemplate(
      json{{"workerReplicas", {{"replicas", 0}}}, {"masterReplicas", json::parse(master)}}, 1));
  CHECK(Specs(none).size() == 1);
  CHECK(Specs(none)["Master"]["replicas"] == 1);
  CHECK(Container(none, "Master")["image"] == "image://master");
  json one = Build(TaskTemplate(
      json{{"workerReplicas", {{"replicas", 1}}}, {"masterReplicas", json::parse(master)}}, 1));
  CHECK(Specs(one).size() == 2);
  CHECK(Specs(one)["Master"]["replicas"] == 1);
  CHECK(Container(one, "Master")["image"] == "image://master");
  CHECK(Specs(one)["Worker"]["replicas"] == 1);
}

TEST_CASE("derived: an elastic config with 0 worker replicas leaves no replica specs at all") {
  json job = Build(TaskTemplate(json::parse(R"({"workerReplicas": {"replicas": 0},
      "elasticConfig": {"minReplicas": 1, "maxReplicas": 2, "rdzvBackend": "c10d"}})"),
                                1));
  CHECK(Specs(job).empty());
  CHECK(job["spec"].contains("elasticPolicy"));
}

TEST_CASE("derived: the job is named after the generated name, made DNS-1123 compatible") {
  TaskExecution e = Execution();
  CHECK(Build(TaskTemplate(json::parse(R"({"workers": 1})")), e)["metadata"]["name"] ==
        "some-acceptable-name");
  e.generated_name = "MyJob_Attempt.0-";
  CHECK(Build(TaskTemplate(json::parse(R"({"workers": 1})")), e)["metadata"]["name"] ==
        "my-jobattempt.0");
}

TEST_CASE("derived: the PyTorchJob metadata gathers plugin, task and execution labels") {
  json tmpl = TaskTemplate(json::parse(R"({"workers": 1})"));
  tmpl["metadata"] = {{"metadata", {{"labels", {{"task-label", "t"}}}}}};
  json job = Build(tmpl);
  CHECK(job["metadata"]["namespace"] == "test-namespace");
  CHECK(job["metadata"]["labels"]["task-label"] == "t");
  CHECK(job["metadata"]["labels"]["label-key"] == "label-value");
  CHECK(job["metadata"]["annotations"]["cluster-autoscaler.kubernetes.io/safe-to-evict"] ==
        "false");
  CHECK(job["metadata"]["annotations"]["annotation-key"] == "annotation-value");
}

TEST_CASE(
    "derived: pod specs carry Flyte's execution env vars, service account and restart policy") {
  json job = Build(TaskTemplate(json::parse(R"({"workers": 1})")));
  const json& pod = Specs(job)["Worker"]["template"]["spec"];
  CHECK(pod["restartPolicy"] == "Never");
  CHECK(pod["serviceAccountName"] == "pytorch_sa");
  CHECK(pod["containers"][0]["terminationMessagePolicy"] == "FallbackToLogsOnError");
  CHECK_JSON_EQ(pod["containers"][0]["env"], json::parse(R"([
      {"name": "Env_Var", "value": "Env_Val"},
      {"name": "FLYTE_INTERNAL_EXECUTION_ID", "value": "my_name"},
      {"name": "FLYTE_INTERNAL_EXECUTION_PROJECT", "value": "my_project"},
      {"name": "FLYTE_INTERNAL_EXECUTION_DOMAIN", "value": "my_domain"},
      {"name": "FLYTE_ATTEMPT_NUMBER", "value": "0"},
      {"name": "FLYTE_INTERNAL_TASK_PROJECT"}, {"name": "FLYTE_INTERNAL_TASK_DOMAIN"},
      {"name": "FLYTE_INTERNAL_TASK_NAME", "value": "job"}, {"name": "FLYTE_INTERNAL_TASK_VERSION"}])"));
}

TEST_CASE("TestParseElasticConfig: all five fields are set") {
  idl::ElasticConfig c{"c10d", 1, 2, 4, 0};
  CHECK_JSON_EQ(ParseElasticConfig(c), json::parse(R"({"minReplicas": 1, "maxReplicas": 2,
      "rdzvBackend": "c10d", "nProcPerNode": 4, "maxRestarts": 0})"));
}

TEST_CASE("TestGetReplicaCount: the worker count of a built job") {
  json job = Build(TaskTemplate(json::parse(R"({"workers": 1})")));
  CHECK(GetReplicaCount(Specs(job), "Worker") == 1);
  CHECK(GetReplicaCount(Specs(job), "Chief") == 0);
}

TEST_CASE("TestGetProperties: error aggregation follows the plugin config") {
  PluginConfig config;
  CHECK(ErrorAggregationStrategy(config).empty());
  config.enable_distributed_error_aggregation = true;
  CHECK(ErrorAggregationStrategy(config) == "Earliest");
}

const json kDummyPodSpec = json::parse(R"({"containers": [
    {"name": "primary container", "image": "dummy-image",
     "args": ["pyflyte-execute", "--task-module", "tests.flytekit.unit.sdk.tasks.test_sidecar_tasks",
              "--task-name", "simple_sidecar_task", "--inputs", "{{.input}}", "--output-prefix",
              "{{.outputPrefix}}"]},
    {"name": "secondary container"}]})");

TEST_CASE("TestOverrideContainerSpec: image and args replaced on the named container only") {
  json spec = kDummyPodSpec;
  OverrideContainerSpec(&spec, "primary container", "testing-image", {"python", "-m", "run.py"});
  CHECK(spec["containers"].size() == 2);
  CHECK(spec["containers"][0]["image"] == "testing-image");
  CHECK_JSON_EQ(spec["containers"][0]["args"], json::parse(R"(["python", "-m", "run.py"])"));
  CHECK_FALSE(spec["containers"][1].contains("image"));
}

TEST_CASE(
    "TestOverrideContainerSpecEmptyFields: empty image and args leave the container unchanged") {
  json spec = kDummyPodSpec;
  OverrideContainerSpec(&spec, "primary container", "", {});
  CHECK_JSON_EQ(spec, kDummyPodSpec);
}

}  // namespace
}  // namespace ptsim::flyte
