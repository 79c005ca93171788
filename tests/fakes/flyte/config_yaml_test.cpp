// The YAML task-config format: parsing, defaults, and diagnostics that name
// the line and the key (flytekit's own construction errors included).
#include "fakes/flyte/config_yaml.hpp"

#include <catch2/catch.hpp>

#include "fakes/flyte/custom.hpp"
#include "tests/fakes/flyte/json_check.hpp"

namespace ptsim::flyte {
namespace {

using nlohmann::json;

FlyteTaskSpec Spec(const char* yaml) {
  auto spec = ParseFlyteTaskSpec(yaml, "task.yaml");
  INFO(spec.diagnostics().Render());
  REQUIRE(spec.ok());
  return spec.value();
}

// The first error, rendered with file, line and column.
std::string Error(const char* yaml) {
  auto task = ParseFlyteTask(yaml, "task.yaml");
  REQUIRE_FALSE(task.ok());
  for (const auto& d : task.diagnostics().items()) {
    if (d.severity == Diagnostic::Severity::kError) return d.Render();
  }
  return "";
}

json CustomOf(const char* yaml) {
  auto task = ParseFlyteTask(yaml, "task.yaml");
  INFO(task.diagnostics().Render());
  REQUIRE(task.ok());
  auto serialized = Serialize(task->task);
  REQUIRE(serialized.ok());
  return serialized->custom.value_or(json());
}

TEST_CASE("the brief's pytorch example parses into the PyTorch config") {
  FlyteTaskSpec s = Spec(R"(
pytorch:
  worker: {replicas: 2, restart_policy: ON_FAILURE, requests: {cpu: "1", mem: 1Gi}}
  master: {image: my-image:1}
  run_policy: {clean_pod_policy: ALL, backoff_limit: 3, active_deadline_seconds: 600,
               ttl_seconds_after_finished: 60}
)");
  const PyTorch& p = std::get<PyTorch>(s.config);
  CHECK(p.worker.replicas == 2);
  CHECK(p.worker.restart_policy == RestartPolicy::kOnFailure);
  CHECK(p.worker.requests->cpu->Str() == "1");
  CHECK(p.worker.requests->mem->Str() == "1Gi");
  CHECK(p.master.image == "my-image:1");
  CHECK(p.run_policy->clean_pod_policy == CleanPodPolicy::kAll);
  CHECK(p.run_policy->backoff_limit == 3);
  CHECK(p.run_policy->active_deadline_seconds == 600);
  CHECK(p.run_policy->ttl_seconds_after_finished == 60);
  CHECK(p.increase_shared_mem);
}

TEST_CASE("YAML test_pytorch_task_with_custom_config gives the upstream custom JSON") {
  CHECK_JSON_EQ(CustomOf(R"(
pytorch:
  worker:
    replicas: 5
    requests: {cpu: "2", mem: 2Gi}
    limits: {cpu: "4", mem: 2Gi}
    image: worker:latest
    restart_policy: FAILURE
  master: {restart_policy: ALWAYS}
  run_policy: {clean_pod_policy: ALL, backoff_limit: 5, active_deadline_seconds: 100,
               ttl_seconds_after_finished: 100}
)"),
                json::parse(R"({
    "workerReplicas": {"replicas": 5, "image": "worker:latest",
      "resources": {"requests": [{"name": "CPU", "value": "2"}, {"name": "MEMORY", "value": "2Gi"}],
                    "limits": [{"name": "CPU", "value": "4"}, {"name": "MEMORY", "value": "2Gi"}]},
      "restartPolicy": "RESTART_POLICY_ON_FAILURE"},
    "masterReplicas": {"resources": {}, "replicas": 1, "restartPolicy": "RESTART_POLICY_ALWAYS"},
    "runPolicy": {"cleanPodPolicy": "CLEANPOD_POLICY_ALL", "backoffLimit": 5,
                  "activeDeadlineSeconds": 100, "ttlSecondsAfterFinished": 100}})"));
}

TEST_CASE("YAML num_workers and elastic configs serialize like flytekit") {
  CHECK_JSON_EQ(CustomOf("pytorch: {num_workers: 10}\n"),
                json::parse(R"({"workerReplicas": {"replicas": 10, "resources": {}},
                                "masterReplicas": {"replicas": 1, "resources": {}}})"));
  CHECK_JSON_EQ(CustomOf("elastic: {nnodes: \"1:4\", nproc_per_node: 8, max_restarts: 3}\n"),
                json::parse(R"({"workerReplicas": {"replicas": 4},
      "elasticConfig": {"rdzvBackend": "c10d", "minReplicas": 1, "maxReplicas": 4,
                        "nprocPerNode": 8, "maxRestarts": 3}})"));
  CHECK(CustomOf("elastic:\n").is_null());  // Elastic(): python-task
  CHECK(CustomOf("elastic: {nnodes: 1:2}\n")["workerReplicas"]["replicas"] == 2);  // unquoted
}

TEST_CASE("YAML elastic fields map to the Elastic config") {
  FlyteTaskSpec s = Spec(R"(
elastic:
  nnodes: 2
  nproc_per_node: 4
  start_method: fork
  monitor_interval: 3
  max_restarts: 1
  rdzv_configs: {timeout: 36000, join_timeout: 36000}
  increase_shared_mem: false
  run_policy: {clean_pod_policy: RUNNING}
)");
  const Elastic& e = std::get<Elastic>(s.config);
  CHECK(std::get<int64_t>(e.nnodes) == 2);
  CHECK(e.nproc_per_node == 4);
  CHECK(e.start_method == "fork");
  CHECK(e.monitor_interval == 3);
  CHECK(e.max_restarts == 1);
  CHECK_JSON_EQ(e.rdzv_configs, json::parse(R"({"timeout": 36000, "join_timeout": 36000})"));
  CHECK_FALSE(e.increase_shared_mem);
  CHECK(e.run_policy->clean_pod_policy == CleanPodPolicy::kRunning);
}

TEST_CASE("YAML task and execution sections fill the decorator and the task execution") {
  FlyteTaskSpec s = Spec(R"(
pytorch: {num_workers: 1}
task:
  name: train
  image: img:1
  command: [python, train.py]
  env: {B: "2", A: "1"}
  requests: {cpu: 2, mem: 4Gi, gpu: 1}
  accelerator: {device: nvidia-tesla-a100, partition_size: 1g.5gb}
execution:
  generatedName: the-job
  namespace: ns
  labels: {team: ml}
propeller:
  k8s: {enable-distributed-error-aggregation: true}
)");
  CHECK(s.decorator.id.name == "train");
  CHECK(s.decorator.container_image == "img:1");
  CHECK(s.decorator.command == std::vector<std::string>{"python", "train.py"});
  REQUIRE(s.decorator.environment.size() == 2);
  CHECK(s.decorator.environment[0].first == "B");  // file order
  CHECK(s.decorator.requests->cpu->Str() == "2");
  CHECK(s.decorator.accelerator->partition_size == "1g.5gb");
  CHECK(s.execution.generated_name == "the-job");
  CHECK(s.execution.k8s_namespace == "ns");
  CHECK(s.execution.labels.at("team") == "ml");
  CHECK(s.propeller.enable_distributed_error_aggregation);
}

TEST_CASE("YAML errors name the line and the key") {
  CHECK(Error("pytorch:\n  num_workers: 1\n  workers: 2\n") ==
        "task.yaml:3:3: error: pytorch.workers: unknown key \"workers\"; expected one of: "
        "increase_shared_mem, master, num_workers, run_policy, worker");
  CHECK(
      Error("pytorch:\n  worker:\n    replicas: two\n") ==
      "task.yaml:3:15: error: pytorch.worker.replicas: expected an integer, got the string 'two'");
  CHECK(Error("pytorch:\n  num_workers: 1\n  master: {restart_policy: SOMETIMES}\n") ==
        "task.yaml:3:28: error: pytorch.master.restart_policy: unknown restart policy "
        "\"SOMETIMES\"; expected NEVER, FAILURE (or ON_FAILURE), ALWAYS, or RESTART_POLICY_NEVER, "
        "RESTART_POLICY_ON_FAILURE, RESTART_POLICY_ALWAYS");
  CHECK(Error("pytorch:\n  num_workers: 1\n  run_policy:\n    clean_pod_policy: all\n") ==
        "task.yaml:4:23: error: pytorch.run_policy.clean_pod_policy: unknown clean pod policy "
        "\"all\"; expected NONE, RUNNING, ALL, or CLEANPOD_POLICY_NONE, CLEANPOD_POLICY_RUNNING, "
        "CLEANPOD_POLICY_ALL");
  CHECK(Error("pytorch:\n  num_workers: \"3\"\n") ==
        "task.yaml:2:16: error: pytorch.num_workers: expected an integer, got the string '3'");
  CHECK(Error("pytorch: [1]\n") ==
        "task.yaml:1:10: error: pytorch: expected a mapping, got a list");
  CHECK(Error("pytorch:\n  num_workers: 1\n  num_workers: 2\n") ==
        "task.yaml:3:3: error: pytorch.num_workers: duplicate key");
  CHECK(Error("pytorch: {num_workers: 1}\nexecution: {namespace: 3}\n") ==
        "task.yaml:2:13: error: execution.namespace: expected a string, got 3");
  CHECK(Error("jobs: {}\n") ==
        "task.yaml:1:1: error: missing task config: add a `pytorch:` or an `elastic:` section");
  CHECK(Error("pytorch: {}\nelastic: {}\n") ==
        "task.yaml:1:1: error: give either `pytorch:` or `elastic:`, not both");
  CHECK(Error("pytorch: {num_workers: [1\n")
            .rfind("task.yaml:2:1: error: malformed YAML/JSON: ", 0) == 0);
}

TEST_CASE("flytekit's construction errors point at the key they concern") {
  CHECK(Error("pytorch:\n  worker: {replicas: 3}\n  num_workers: 2\n") ==
        "task.yaml:3:3: error: pytorch.num_workers: Cannot specify both `num_workers` and "
        "`worker.replicas`. Please use `worker.replicas` as `num_workers` is depreacated.");
  CHECK(Error("\npytorch:\n  master: {image: x}\n") ==
        "task.yaml:2:1: error: pytorch: Must specify either `num_workers` or `worker.replicas`. "
        "Please use `worker.replicas` as `num_workers` is depreacated.");
  CHECK(Error("elastic:\n  nnodes: 1:2:3\n") ==
        "task.yaml:2:3: error: elastic.nnodes: nnodes=1:2:3 is not in \"MIN:MAX\" format");
  CHECK(Error("elastic:\n  nnodes: 1.5\n") ==
        "task.yaml:2:3: error: elastic.nnodes: invalid literal for int() with base 10: '1.5'");
  CHECK(Error("pytorch:\n  num_workers: 1\n  worker:\n    requests: {mem: 1.5}\n") ==
        "task.yaml:4:16: error: pytorch.worker.requests.mem: 1.5 should be of type str, int or "
        "a list/tuple of str, int");
  CHECK(Error("pytorch:\n  num_workers: 1\n  worker:\n    limits: {cpu: [1, 2, 3]}\n") ==
        "task.yaml:4:14: error: pytorch.worker.limits.cpu: [1, 2, 3] must be of length 2");
}

TEST_CASE("a missing file is a diagnostic naming it") {
  auto task = LoadFlyteTaskFile("/nonexistent/task.yaml");
  REQUIRE_FALSE(task.ok());
  CHECK(task.diagnostics().Render() ==
        "/nonexistent/task.yaml: error: cannot read the file: no such file or it is not "
        "readable\n");
}

TEST_CASE("the shipped example files load") {
  for (const char* name : {"pytorch.yaml", "elastic.yaml", "legacy_style.yaml"}) {
    INFO(name);
    auto task =
        LoadFlyteTaskFile(std::string(PTSIM_SOURCE_DIR) + "/tests/fakes/flyte/data/" + name);
    INFO(task.diagnostics().Render());
    CHECK(task.ok());
  }
}

}  // namespace
}  // namespace ptsim::flyte
