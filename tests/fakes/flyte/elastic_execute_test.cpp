// The in-pod decisions of PytorchElasticFunctionTask._execute, from
// flytekit's test_elastic_task.py (the parts that do not need torch) and
// docs/upstream/flyte.md#inside-an-elastic-pod (S11-S13 of
// docs/upstream/flyte.md#conformance-checklist).
#include "fakes/flyte/elastic_execute.hpp"

#include <catch2/catch.hpp>

#include "tests/fakes/flyte/json_check.hpp"

namespace ptsim::flyte {
namespace {

using nlohmann::json;

PytorchElasticFunctionTask Task(Elastic config) {
  auto task = PytorchElasticFunctionTask::Create(std::move(config));
  REQUIRE(task.ok());
  return task.value();
}

ElasticLaunchPlan Plan(Elastic config, std::map<std::string, std::string> env = {}) {
  auto plan = PlanElasticLaunch(Task(std::move(config)), env, "local");
  REQUIRE(plan.ok());
  return plan.value();
}

TEST_CASE("test_omp_num_threads: OMP_NUM_THREADS defaults to 1 with several processes") {
  auto plan = Plan(Elastic{.nproc_per_node = 2});
  CHECK(plan.env_set.at("OMP_NUM_THREADS") == "1");
  REQUIRE(plan.warnings.size() == 1);
  CHECK(plan.warnings[0] ==
        "\n*****************************************\nSetting OMP_NUM_THREADS environment "
        "variable for each process to be 1 in default, to avoid your system being overloaded, "
        "please further tune the variable for optimal performance in your application as "
        "needed. \n*****************************************");
}

TEST_CASE("test_omp_num_threads: a user OMP_NUM_THREADS is kept") {
  auto plan = Plan(Elastic{.nproc_per_node = 2}, {{"OMP_NUM_THREADS", "42"}});
  CHECK(plan.env_set.empty());
  CHECK(plan.warnings.empty());
}

TEST_CASE("S12: no OMP default with a single process per node") {
  CHECK(Plan(Elastic{}).env_set.empty());
}

TEST_CASE("test_rdzv_configs: rdzv_configs reach the LaunchConfig, which adds the timeout") {
  auto plan =
      Plan(Elastic{.nproc_per_node = 2, .rdzv_configs = json::parse(R"({"join_timeout": 10})")});
  CHECK_JSON_EQ(plan.config.rdzv_configs, json::parse(R"({"join_timeout": 10, "timeout": 900})"));
  CHECK_JSON_EQ(Plan(Elastic{}).config.rdzv_configs,
                json::parse(R"({"join_timeout": 900, "timeout": 900})"));
}

TEST_CASE("derived: LaunchConfig takes nodes, endpoint and policies from the config and env") {
  auto plan = Plan(Elastic{.nnodes = std::string("2:4"),
                           .nproc_per_node = 8,
                           .start_method = "fork",
                           .monitor_interval = 3,
                           .max_restarts = 2},
                   {{"PET_NNODES", "2:4"}, {"PET_RDZV_ENDPOINT", "job-worker-0:23456"}});
  CHECK(plan.config.run_id == "local");
  CHECK(plan.config.min_nodes == 2);
  CHECK(plan.config.max_nodes == 4);
  CHECK(plan.config.nproc_per_node == 8);
  CHECK(plan.config.rdzv_backend == "c10d");
  CHECK(plan.config.rdzv_endpoint == "job-worker-0:23456");
  CHECK(plan.config.max_restarts == 2);
  CHECK(plan.config.monitor_interval == 3);
  CHECK(plan.entrypoint == "fn_partial");
  CHECK(Plan(Elastic{}).config.rdzv_endpoint == "localhost:0");
  CHECK(Plan(Elastic{}).entrypoint == "spawn_helper");
}

TEST_CASE("derived: a multi-node config outside a PyTorchJob warns that rendezvous may time out") {
  auto plan = Plan(Elastic{.nnodes = int64_t{2}});
  REQUIRE(plan.warnings.size() == 1);
  CHECK(plan.warnings[0] ==
        "`nnodes` is set to 2 in elastic task but execution appears to not run in a `PyTorchJob`. "
        "Rendezvous might timeout.");
  CHECK(Plan(Elastic{.nnodes = int64_t{2}}, {{"PET_NNODES", "2"}}).warnings.empty());
}

TEST_CASE("derived: start methods other than spawn and fork fail") {
  auto plan = PlanElasticLaunch(Task(Elastic{.start_method = "forkserver"}), {}, "local");
  CHECK(OnlyError(plan) == "Bad start method");
}

TEST_CASE("S13: only rank 0's return value and non-timeline decks survive") {
  std::map<int64_t, ElasticWorkerResult> out = {
      {0, {json("result from local rank 0"), {"Timeline", "default", "test-deck"}, std::nullopt}},
      {1, {json("result from local rank 1"), {"default", "test-deck"}, std::nullopt}}};
  ElasticOutcome o = OutcomeOfSuccess(out);
  CHECK(o.kind == ElasticOutcome::Kind::kReturn);
  CHECK(o.return_value == "result from local rank 0");
  CHECK(o.decks == std::vector<std::string>{"default", "test-deck"});
}

TEST_CASE("S13: a pod without global rank 0 raises IgnoreOutputs") {
  std::map<int64_t, ElasticWorkerResult> out = {{8, {json(1), {}, std::nullopt}}};
  CHECK(OutcomeOfSuccess(out).kind == ElasticOutcome::Kind::kIgnoreOutputs);
}

TEST_CASE(
    "test_recoverable_error: the first failure decides recoverable or not, with its timestamp") {
  ElasticOutcome recoverable = OutcomeOfChildFailure(
      {{1, 105, "/tmp/a/1/error.json", false}, {0, 100, "/tmp/a/0/error.json", true}});
  CHECK(recoverable.kind == ElasticOutcome::Kind::kRecoverableError);
  CHECK(recoverable.error_code == "USER:Recoverable");
  CHECK(recoverable.error_kind == "RECOVERABLE");
  CHECK(recoverable.timestamp == 100);
  CHECK(recoverable.failed_rank == 0);
  ElasticOutcome plain =
      OutcomeOfChildFailure({{1, 99, "<N/A>", false}, {0, 100, "/tmp/a/0/error.json", true}});
  CHECK(plain.kind == ElasticOutcome::Kind::kUserRuntimeError);
  CHECK(plain.error_code == "USER:RuntimeError");
  CHECK(plain.error_kind == "NON_RECOVERABLE");
  CHECK(plain.timestamp == 99);
}

TEST_CASE("derived: a SignalException in the agent means no outputs") {
  CHECK(OutcomeOfSignal().kind == ElasticOutcome::Kind::kIgnoreOutputs);
}

}  // namespace
}  // namespace ptsim::flyte
