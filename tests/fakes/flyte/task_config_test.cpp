// The plugin's config types, defaults and construction errors
// (docs/upstream/flyte.md#task-configs, docs/upstream/flyte.md#task-creation;
// S4, S5, S8, S9, S12 of docs/upstream/flyte.md#conformance-checklist).
#include <catch2/catch.hpp>

#include "fakes/flyte/function_task.hpp"
#include "fakes/flyte/policies.hpp"
#include "fakes/flyte/python_value.hpp"
#include "fakes/flyte/resources.hpp"
#include "fakes/flyte/task_config.hpp"
#include "tests/fakes/flyte/json_check.hpp"

namespace ptsim::flyte {
namespace {

using nlohmann::json;

const char kBoth[] =
    "Cannot specify both `num_workers` and `worker.replicas`. Please use `worker.replicas` as "
    "`num_workers` is depreacated.";
const char kNeither[] =
    "Must specify either `num_workers` or `worker.replicas`. Please use `worker.replicas` as "
    "`num_workers` is depreacated.";

TEST_CASE("enums carry the flyteidl numbers and the Python member names") {
  CHECK(static_cast<int>(RestartPolicy::kAlways) == 2);
  CHECK(static_cast<int>(RestartPolicy::kOnFailure) == 1);
  CHECK(static_cast<int>(RestartPolicy::kNever) == 0);
  CHECK(PythonName(RestartPolicy::kOnFailure) == "FAILURE");
  CHECK(ProtoName(RestartPolicy::kOnFailure) == "RESTART_POLICY_ON_FAILURE");
  CHECK(KubeflowName(RestartPolicy::kOnFailure) == "OnFailure");
  CHECK(static_cast<int>(CleanPodPolicy::kNone) == 0);
  CHECK(static_cast<int>(CleanPodPolicy::kRunning) == 1);
  CHECK(static_cast<int>(CleanPodPolicy::kAll) == 2);
  CHECK(ProtoName(CleanPodPolicy::kAll) == "CLEANPOD_POLICY_ALL");
  CHECK(KubeflowName(CleanPodPolicy::kRunning) == "Running");
  CHECK(RestartPolicyFromName("FAILURE") == RestartPolicy::kOnFailure);
  CHECK(RestartPolicyFromName("ON_FAILURE") == RestartPolicy::kOnFailure);
  CHECK(RestartPolicyFromName("RESTART_POLICY_ALWAYS") == RestartPolicy::kAlways);
  CHECK_FALSE(RestartPolicyFromName("OnFailure").has_value());
  CHECK(CleanPodPolicyFromName("ALL") == CleanPodPolicy::kAll);
  CHECK_FALSE(CleanPodPolicyFromName("all").has_value());
}

TEST_CASE("config dataclasses default like flytekit") {
  PyTorch p;
  CHECK_FALSE(p.master.image.has_value());
  CHECK_FALSE(p.worker.replicas.has_value());
  CHECK_FALSE(p.run_policy.has_value());
  CHECK_FALSE(p.num_workers.has_value());
  CHECK(p.increase_shared_mem);
  RunPolicy r;
  CHECK_FALSE(r.clean_pod_policy.has_value());
  CHECK_FALSE(r.backoff_limit.has_value());
  Elastic e;
  CHECK(std::get<int64_t>(e.nnodes) == 1);
  CHECK(e.nproc_per_node == 1);
  CHECK(e.start_method == "spawn");
  CHECK(e.monitor_interval == 5);
  CHECK(e.max_restarts == 0);
  CHECK(e.increase_shared_mem);
  CHECK_FALSE(e.run_policy.has_value());
  ElasticWorkerResult w{json(10), {"default"}};
  CHECK_FALSE(w.om.has_value());
}

TEST_CASE("test_default_timeouts: Elastic rdzv_configs default to 900 s timeouts") {
  CHECK_JSON_EQ(Elastic{}.rdzv_configs, json::parse(R"({"join_timeout": 900, "timeout": 900})"));
}

TEST_CASE("test_rdzv_configs: user rdzv_configs are kept exactly as given") {
  auto task = PytorchElasticFunctionTask::Create(
      Elastic{.nproc_per_node = 2, .rdzv_configs = json::parse(R"({"join_timeout": 10})")});
  REQUIRE(task.ok());
  CHECK_JSON_EQ(task->task_config().rdzv_configs, json::parse(R"({"join_timeout": 10})"));
}

TEST_CASE("S4: PyTorch() with neither num_workers nor worker.replicas fails") {
  auto task = PyTorchFunctionTask::Create(PyTorch{});
  CHECK(OnlyError(task) == kNeither);
}

TEST_CASE("S5: PyTorch with both num_workers and worker.replicas fails") {
  auto task =
      PyTorchFunctionTask::Create(PyTorch{.worker = Worker{.replicas = 3}, .num_workers = 2});
  CHECK(OnlyError(task) == kBoth);
  CHECK(task.diagnostics().items().front().field == "pytorch.num_workers");
}

TEST_CASE("derived: both uses truthiness and neither uses None, as in flytekit's table") {
  CHECK(
      PyTorchFunctionTask::Create(PyTorch{.worker = Worker{.replicas = 3}, .num_workers = 0}).ok());
  CHECK(
      PyTorchFunctionTask::Create(PyTorch{.worker = Worker{.replicas = 0}, .num_workers = 3}).ok());
  CHECK(PyTorchFunctionTask::Create(PyTorch{.num_workers = 0}).ok());
  CHECK(PyTorchFunctionTask::Create(PyTorch{.worker = Worker{.replicas = 0}}).ok());
}

TEST_CASE("S9: nnodes strings that torch cannot parse fail at creation") {
  CHECK(OnlyError(PytorchElasticFunctionTask::Create(Elastic{.nnodes = std::string("1:2:3")})) ==
        "nnodes=1:2:3 is not in \"MIN:MAX\" format");
  CHECK(OnlyError(PytorchElasticFunctionTask::Create(Elastic{.nnodes = std::string("abc")})) ==
        "invalid literal for int() with base 10: 'abc'");
  CHECK(OnlyError(PytorchElasticFunctionTask::Create(Elastic{.nnodes = std::string("1.0")})) ==
        "invalid literal for int() with base 10: '1.0'");
  CHECK(OnlyError(PytorchElasticFunctionTask::Create(Elastic{.nnodes = std::string("2:")})) ==
        "invalid literal for int() with base 10: ''");
}

TEST_CASE("derived: nnodes accepts what Python int() accepts") {
  auto parsed = ParseMinMaxNNodes(NNodes(std::string(" 2 :+4")));
  REQUIRE(parsed.ok());
  CHECK(parsed.value() == std::pair<int64_t, int64_t>{2, 4});
  CHECK(ParseMinMaxNNodes(NNodes(std::string("1_0"))).value().first == 10);
  CHECK_FALSE(ParseMinMaxNNodes(NNodes(std::string("1__0"))).ok());
}

TEST_CASE("Resources checks reproduce flytekit's type and length errors") {
  CHECK(FirstError(CheckResources(Resources{.mem = PyScalar::Float(1.5)}, "r")) ==
        "1.5 should be of type str, int or a list/tuple of str, int");
  CHECK(FirstError(CheckResources(
            Resources{.cpu = ResourceValue::List({PyScalar::None(), PyScalar::Str("1")})}, "r")) ==
        "[None, '1'] should be of type str, int, float or a list/tuple of str, int, float");
  CHECK(FirstError(CheckResources(
            Resources{
                .gpu = ResourceValue::List({PyScalar::Int(1), PyScalar::Int(2), PyScalar::Int(3)})},
            "r")) == "[1, 2, 3] must be of length 2");
  CHECK(CheckResources(Resources{.cpu = PyScalar::Float(0.5), .mem = PyScalar::Bool(true)}, "r")
            .ok());
  auto task = PyTorchFunctionTask::Create(
      PyTorch{.master = Master{.limits = Resources{.ephemeral_storage = PyScalar::Float(2.0)}},
              .num_workers = 1});
  CHECK(OnlyError(task) == "2.0 should be of type str, int or a list/tuple of str, int");
  CHECK(task.diagnostics().items().front().field == "pytorch.master.limits.ephemeral_storage");
}

TEST_CASE("Python repr rules used in messages") {
  CHECK(PyStrRepr("it's") == "\"it's\"");
  CHECK(PyStrRepr("a\tb") == "'a\\tb'");
  CHECK(PyFloatRepr(1e16) == "1e+16");
  CHECK(PyFloatRepr(0.0001) == "0.0001");
  CHECK(PyFloatRepr(0.00001) == "1e-05");
  CHECK(PyFloatRepr(1000.0) == "1000.0");
}

TEST_CASE("CreateTask dispatches on the config kind like TaskPlugins") {
  auto pytorch = CreateTask(PyTorch{.num_workers = 2});
  REQUIRE(pytorch.ok());
  CHECK(std::holds_alternative<PyTorchFunctionTask>(pytorch.value()));
  auto elastic = CreateTask(Elastic{});
  REQUIRE(elastic.ok());
  CHECK(std::holds_alternative<PytorchElasticFunctionTask>(elastic.value()));
}

}  // namespace
}  // namespace ptsim::flyte
