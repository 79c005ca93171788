// Ports of flytekit plugins/flytekit-kf-pytorch/tests/test_pytorch_task.py and
// the serialization parts of test_elastic_task.py, plus the derived rules of
// docs/upstream/flyte.md#the-serialized-custom (S1-S9 of
// docs/upstream/flyte.md#conformance-checklist).
#include "fakes/flyte/custom.hpp"

#include <catch2/catch.hpp>

#include "fakes/flyte/function_task.hpp"
#include "fakes/flyte/task_template.hpp"
#include "tests/fakes/flyte/json_check.hpp"

namespace ptsim::flyte {
namespace {

using nlohmann::json;

// The task the upstream tests decorate: cache=True, requests=Resources(cpu="1").
TaskDecorator UpstreamDecorator() {
  TaskDecorator d;
  d.container_image = "test:tag";
  d.requests = Resources{.cpu = "1"};
  d.environment = {{"FOO", "baz"}};
  return d;
}

PyTorchFunctionTask MakePyTorch(PyTorch config, TaskDecorator decorator = UpstreamDecorator()) {
  auto task = PyTorchFunctionTask::Create(std::move(config), std::move(decorator));
  REQUIRE(task.ok());
  return task.value();
}

PytorchElasticFunctionTask MakeElastic(Elastic config) {
  auto task = PytorchElasticFunctionTask::Create(std::move(config));
  REQUIRE(task.ok());
  return task.value();
}

json Custom(const PyTorchFunctionTask& task) {
  auto custom = GetCustom(task);
  REQUIRE(custom.ok());
  return custom.value();
}

json Custom(const PytorchElasticFunctionTask& task) {
  auto custom = GetCustom(task);
  REQUIRE(custom.ok());
  REQUIRE(custom.value().has_value());
  return *custom.value();
}

TEST_CASE("test_pytorch_task: custom JSON matches upstream") {
  auto task = MakePyTorch(PyTorch{.num_workers = 10});
  CHECK_JSON_EQ(Custom(task), json::parse(R"({"workerReplicas": {"replicas": 10, "resources": {}},
                                             "masterReplicas": {"replicas": 1, "resources": {}}})"));
  CHECK(task.task_type() == "pytorch");
  CHECK(task.task_type_version() == 1);
  // Task-level resources stay out of the custom: requests == Resources(cpu="1"),
  // limits == Resources(); they travel in the template's primary container.
  auto tmpl = BuildTaskTemplate(FunctionTask(task));
  REQUIRE(tmpl.ok());
  CHECK_JSON_EQ(tmpl.value()["k8sPod"]["podSpec"]["containers"][0]["resources"],
                json::parse(R"({"limits": {}, "requests": {"cpu": "1"}})"));
}

TEST_CASE("test_pytorch_task_with_default_config: custom JSON matches upstream") {
  auto task = MakePyTorch(PyTorch{.worker = Worker{.replicas = 1}});
  CHECK_JSON_EQ(Custom(task), json::parse(R"({"masterReplicas": {"replicas": 1, "resources": {}},
                                             "workerReplicas": {"replicas": 1, "resources": {}}})"));
  CHECK(task.task_type() == "pytorch");
  CHECK(task.task_type_version() == 1);
}

TEST_CASE("test_pytorch_task_with_custom_config: custom JSON matches upstream") {
  PyTorch config{
      .master = Master{.restart_policy = RestartPolicy::kAlways},
      .worker = Worker{.image = "worker:latest",
                       .requests = Resources{.cpu = "2", .mem = "2Gi"},
                       .limits = Resources{.cpu = "4", .mem = "2Gi"},
                       .replicas = 5,
                       .restart_policy = RestartPolicy::kOnFailure},
      .run_policy = RunPolicy{.clean_pod_policy = CleanPodPolicy::kAll,
                              .ttl_seconds_after_finished = 100,
                              .active_deadline_seconds = 100,
                              .backoff_limit = 5},
  };
  auto task = MakePyTorch(config);
  CHECK_JSON_EQ(Custom(task), json::parse(R"({
    "workerReplicas": {"replicas": 5, "image": "worker:latest",
      "resources": {"requests": [{"name": "CPU", "value": "2"}, {"name": "MEMORY", "value": "2Gi"}],
                    "limits": [{"name": "CPU", "value": "4"}, {"name": "MEMORY", "value": "2Gi"}]},
      "restartPolicy": "RESTART_POLICY_ON_FAILURE"},
    "masterReplicas": {"resources": {}, "replicas": 1, "restartPolicy": "RESTART_POLICY_ALWAYS"},
    "runPolicy": {"cleanPodPolicy": "CLEANPOD_POLICY_ALL", "backoffLimit": 5,
                  "activeDeadlineSeconds": 100, "ttlSecondsAfterFinished": 100}})"));
  CHECK(task.task_type() == "pytorch");
  CHECK(task.task_type_version() == 1);
}

TEST_CASE("test_run_policy (elastic): runPolicy JSON matches upstream") {
  auto task = MakeElastic(Elastic{.nnodes = int64_t{2},
                                  .nproc_per_node = 2,
                                  .run_policy = RunPolicy{.clean_pod_policy = CleanPodPolicy::kAll,
                                                          .ttl_seconds_after_finished = 600,
                                                          .active_deadline_seconds = 36000}});
  CHECK_JSON_EQ(Custom(task)["runPolicy"], json::parse(R"({"cleanPodPolicy": "CLEANPOD_POLICY_ALL",
                                "ttlSecondsAfterFinished": 600, "activeDeadlineSeconds": 36000})"));
}

TEST_CASE("S7: Elastic with nnodes 2 emits workerReplicas, elasticConfig without maxRestarts 0") {
  auto task = MakeElastic(Elastic{.nnodes = int64_t{2}, .nproc_per_node = 2});
  CHECK(task.task_type() == "pytorch");
  CHECK(task.task_type_version() == 1);
  CHECK_JSON_EQ(Custom(task), json::parse(R"({"workerReplicas": {"replicas": 2},
      "elasticConfig": {"rdzvBackend": "c10d", "minReplicas": 2, "maxReplicas": 2,
                        "nprocPerNode": 2}})"));
}

TEST_CASE("S7: Elastic with nnodes 1:4 takes replicas from max and keeps maxRestarts") {
  auto task =
      MakeElastic(Elastic{.nnodes = std::string("1:4"), .nproc_per_node = 8, .max_restarts = 3});
  CHECK_JSON_EQ(Custom(task), json::parse(R"({"workerReplicas": {"replicas": 4},
      "elasticConfig": {"rdzvBackend": "c10d", "minReplicas": 1, "maxReplicas": 4,
                        "nprocPerNode": 8, "maxRestarts": 3}})"));
}

TEST_CASE("S8: Elastic with integer nnodes 1 is a python-task with no custom") {
  auto task = MakeElastic(Elastic{});
  CHECK(task.task_type() == "python-task");
  CHECK(task.task_type_version() == 1);
  auto custom = GetCustom(task);
  REQUIRE(custom.ok());
  CHECK_FALSE(custom.value().has_value());
  auto serialized = Serialize(FunctionTask(task));
  REQUIRE(serialized.ok());
  CHECK(serialized->type == "python-task");
  CHECK_FALSE(serialized->custom.has_value());
}

TEST_CASE("S8: Elastic with nnodes \"1\" or \"1:1\" is a pytorch task with min=max=1") {
  for (const char* nnodes : {"1", "1:1"}) {
    auto task = MakeElastic(Elastic{.nnodes = std::string(nnodes)});
    CHECK(task.task_type() == "pytorch");
    CHECK_JSON_EQ(Custom(task), json::parse(R"({"workerReplicas": {"replicas": 1},
        "elasticConfig": {"rdzvBackend": "c10d", "minReplicas": 1, "maxReplicas": 1,
                          "nprocPerNode": 1}})"));
  }
}

TEST_CASE("S9 derived: Elastic nnodes 2:1 serializes without min/max validation") {
  auto task = MakeElastic(Elastic{.nnodes = std::string("2:1")});
  CHECK(Custom(task)["elasticConfig"]["minReplicas"] == 2);
  CHECK(Custom(task)["elasticConfig"]["maxReplicas"] == 1);
}

TEST_CASE("S6: worker replicas 0 or num_workers 0 omit replicas from workerReplicas") {
  auto by_replicas = MakePyTorch(PyTorch{.worker = Worker{.replicas = 0}});
  auto by_num_workers = MakePyTorch(PyTorch{.num_workers = 0});
  json expected = json::parse(R"({"workerReplicas": {"resources": {}},
                                  "masterReplicas": {"replicas": 1, "resources": {}}})");
  CHECK_JSON_EQ(Custom(by_replicas), expected);
  CHECK_JSON_EQ(Custom(by_num_workers), expected);
}

TEST_CASE("derived: a truthy num_workers overwrites worker replicas 0") {
  auto task = MakePyTorch(PyTorch{.worker = Worker{.replicas = 0}, .num_workers = 3});
  CHECK(Custom(task)["workerReplicas"]["replicas"] == 3);
  auto other = MakePyTorch(PyTorch{.worker = Worker{.replicas = 3}, .num_workers = 0});
  CHECK(Custom(other)["workerReplicas"]["replicas"] == 3);
}

TEST_CASE("derived: an all-default RunPolicy is emitted as an empty runPolicy") {
  auto task = MakePyTorch(PyTorch{.run_policy = RunPolicy{}, .num_workers = 1});
  CHECK_JSON_EQ(Custom(task)["runPolicy"], json::object());
}

TEST_CASE("derived: NEVER restart policy and NONE clean pod policy are omitted as zero values") {
  auto task = MakePyTorch(PyTorch{
      .master = Master{.restart_policy = RestartPolicy::kNever},
      .run_policy = RunPolicy{.clean_pod_policy = CleanPodPolicy::kNone, .backoff_limit = 0},
      .num_workers = 1});
  CHECK_JSON_EQ(Custom(task)["masterReplicas"], json::parse(R"({"replicas": 1, "resources": {}})"));
  CHECK_JSON_EQ(Custom(task)["runPolicy"], json::object());
}

TEST_CASE("derived: resource entries keep CPU, MEMORY, GPU, EPHEMERAL_STORAGE order and str()") {
  auto task =
      MakePyTorch(PyTorch{.master = Master{.requests = Resources{.cpu = PyScalar::Float(0.5),
                                                                 .mem = PyScalar::Int(1024),
                                                                 .gpu = PyScalar::Int(1),
                                                                 .ephemeral_storage = "10Gi"}},
                          .num_workers = 1});
  CHECK_JSON_EQ(Custom(task)["masterReplicas"]["resources"], json::parse(R"({"requests": [
      {"name": "CPU", "value": "0.5"}, {"name": "MEMORY", "value": "1024"},
      {"name": "GPU", "value": "1"}, {"name": "EPHEMERAL_STORAGE", "value": "10Gi"}]})"));
}

TEST_CASE("derived: a list resource value fails get_custom with flytekit's message") {
  auto task = MakePyTorch(
      PyTorch{.worker = Worker{.requests = Resources{.cpu = ResourceValue::List(
                                                         {PyScalar::Str("1"), PyScalar::Str("2")})},
                               .replicas = 1}});
  auto custom = GetCustom(task);
  REQUIRE_FALSE(custom.ok());
  CHECK(OnlyError(custom) == "['1', '2'] can not be a list or tuple");
  CHECK(custom.diagnostics().items().front().field == "pytorch.worker.requests.cpu");
}

TEST_CASE("derived: int32 fields out of range fail with protobuf's message") {
  auto task = MakePyTorch(PyTorch{.num_workers = 3000000000});
  CHECK(OnlyError(GetCustom(task)) == "Value out of range: 3000000000");
}

TEST_CASE("legacy v0: PyTorch(num_workers=N) serialized as workers") {
  CHECK_JSON_EQ(LegacyCustom(10), json::parse(R"({"workers": 10})"));
  CHECK_JSON_EQ(LegacyCustom(0), json::object());
}

}  // namespace
}  // namespace ptsim::flyte
