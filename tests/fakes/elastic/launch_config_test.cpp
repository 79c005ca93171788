// From a parsed torchrun command line (or a Flyte Elastic config) to the
// launch configuration: every check torch makes, with torch's messages, the
// flag or variable named, and the workers' command.
#include "fakes/elastic/launch_config.hpp"

#include <catch2/catch.hpp>

namespace ptsim::elastic {
namespace {

LaunchPlan Plan(std::vector<std::string> argv, EnvMap env = {},
                TorchVersion version = TorchVersion::kTorch1_13) {
  LaunchInputs inputs;
  inputs.python_executable = "/usr/bin/python3";
  inputs.standalone_run_id = "0000-uuid";
  inputs.generated_run_id = "12345";
  inputs.cpu_count = 3;
  return PlanTorchrun(argv, env, TorchrunProfile::For(version), inputs);
}

// The traceback's last line, for a plan that must fail.
std::string ErrorLine(std::vector<std::string> argv, EnvMap env = {}) {
  auto plan = Plan(std::move(argv), std::move(env));
  REQUIRE(plan.error);
  CHECK(plan.error->ExitStatus() == 1);
  return plan.error->ExceptionLine();
}

TEST_CASE("nnodes must be MIN:MAX, with torch's RuntimeError naming the flag or the variable") {
  auto plan = Plan({"torchrun", "--nnodes=a:b:c", "x.py"});
  REQUIRE(plan.error);
  CHECK(plan.error->ExceptionLine() == "RuntimeError: nnodes=a:b:c is not in \"MIN:MAX\" format");
  CHECK(plan.error->source == "--nnodes");
  auto env = Plan({"torchrun", "x.py"}, {{"PET_NNODES", "1:2:3"}});
  REQUIRE(env.error);
  CHECK(env.error->source == "PET_NNODES");
  CHECK(env.error->Describe("default/job-worker-0/pytorch") ==
        "default/job-worker-0/pytorch: PET_NNODES=\"1:2:3\": RuntimeError: nnodes=1:2:3 is not in "
        "\"MIN:MAX\" format");
  CHECK(ErrorLine({"torchrun", "--nnodes", "two", "x.py"}) ==
        "ValueError: invalid literal for int() with base 10: 'two'");
}

TEST_CASE("min above max, no nodes, and negative restarts fail config_from_args's asserts") {
  auto minmax = Plan({"torchrun", "--nnodes", "2:1", "x.py"});
  REQUIRE(minmax.error);
  CHECK(minmax.error->ExceptionLine() == "AssertionError");
  CHECK(minmax.error->assertion == "assert 0 < min_nodes <= max_nodes");
  CHECK(minmax.error->Describe("p") ==
        "p: --nnodes=\"2:1\": AssertionError (assert 0 < min_nodes <= max_nodes)");
  CHECK(Plan({"torchrun", "--nnodes", "0", "x.py"}).error->assertion ==
        "assert 0 < min_nodes <= max_nodes");
  auto restarts = Plan({"torchrun", "x.py"}, {{"PET_MAX_RESTARTS", "-1"}});
  REQUIRE(restarts.error);
  CHECK(restarts.error->assertion == "assert args.max_restarts >= 0");
  CHECK(restarts.error->source == "PET_MAX_RESTARTS");
}

TEST_CASE("nproc_per_node must be positive and a number, cpu or auto") {
  auto zero = Plan({"torchrun", "--nproc_per_node", "0", "x.py"});
  REQUIRE(zero.error);
  CHECK(zero.error->assertion == "assert self.local_world_size > 0");
  CHECK(zero.error->source == "--nproc_per_node");
  CHECK(ErrorLine({"torchrun", "--nproc_per_node", "many", "x.py"}) ==
        "ValueError: Unsupported nproc_per_node value: many");
  CHECK(ErrorLine({"torchrun", "--nproc_per_node", "gpu", "x.py"}) ==
        "ValueError: Cuda is not available.");
  CHECK(Plan({"torchrun", "--nproc_per_node", "auto", "x.py"}).config->nproc_per_node == 3);
  CHECK(Plan({"torchrun", "--monitor_interval", "0", "x.py"}).error->assertion ==
        "assert self.monitor_interval > 0");
}

TEST_CASE("an unknown rendezvous backend is not registered") {
  auto plan = Plan({"torchrun", "--rdzv_backend", "foo", "x.py"});
  REQUIRE(plan.error);
  CHECK(plan.error->ExceptionLine() ==
        "ValueError: The rendezvous backend 'foo' is not registered. Did you forget to call "
        "`register`?");
  CHECK(plan.error->source == "--rdzv_backend");
  CHECK(ErrorLine({"torchrun", "--rdzv_backend=", "x.py"}) ==
        "ValueError: The rendezvous backend name must be a non-empty string.");
  CHECK(Plan({"torchrun", "--rdzv_backend", "etcd", "x.py"}).error);
}

TEST_CASE("rendezvous configuration strings and values are checked as torch checks them") {
  CHECK(ErrorLine({"torchrun", "--rdzv_conf", "=1", "x.py"}) ==
        "ValueError: The rendezvous configuration string must be in format "
        "<key1>=<value1>,...,<keyN>=<valueN>.");
  CHECK(ErrorLine({"torchrun", "--rdzv_conf", "join_timeout", "x.py"}) ==
        "ValueError: The rendezvous configuration option 'join_timeout' must have a value "
        "specified.");
  const std::vector<std::string> c10d = {"torchrun", "--rdzv_backend", "c10d", "--rdzv_endpoint",
                                         "h:1234"};
  auto with = [&](const std::string& conf) {
    auto argv = c10d;
    argv.push_back("--rdzv_conf=" + conf);
    argv.push_back("x.py");
    return Plan(argv);
  };
  CHECK(with("store_type=redis").error->ExceptionLine() ==
        "ValueError: Invalid store type given. Currently only supports file and tcp.");
  CHECK(with("is_host=maybe").error->ExceptionLine() ==
        "ValueError: The rendezvous configuration option 'is_host' does not represent a valid "
        "boolean value.");
  CHECK(with("read_timeout=0").error->ExceptionLine() ==
        "ValueError: The read timeout must be a positive integer.");
  CHECK(with("read_timeout=x").error->ExceptionLine() ==
        "ValueError: The rendezvous configuration option 'read_timeout' does not represent a valid "
        "integer value.");
  // A bad timeout surfaces only once the store exists (create_handler).
  auto join = with("join_timeout=0");
  REQUIRE(join.ok());
  REQUIRE(join.config->handler_error);
  CHECK(join.config->handler_error->ExceptionLine() ==
        "ValueError: The join timeout (0:00:00) must be positive.");
  auto good = with("join_timeout=20,last_call_timeout=3,close_timeout=4,read_timeout=9,is_host=1");
  REQUIRE(good.ok());
  CHECK(good.config->timeouts.join == std::chrono::seconds(20));
  CHECK(good.config->timeouts.last_call == std::chrono::seconds(3));
  CHECK(good.config->timeouts.close == std::chrono::seconds(4));
  CHECK(good.config->read_timeout == std::chrono::seconds(9));
  CHECK(good.config->is_host == true);
  CHECK(good.config->store_host == "h");
  CHECK(good.config->store_port == 1234);
}

TEST_CASE("endpoints are parsed with torch's rules and messages") {
  CHECK(ErrorLine({"torchrun", "--rdzv_endpoint", "host", "x.py"}) ==
        "ValueError: port is missing in endpoint: host. Try to specify --master_port");
  CHECK(ErrorLine({"torchrun", "--rdzv_backend=c10d", "--rdzv_endpoint", "h:99999", "x.py"}) ==
        "ValueError: The port number of the rendezvous endpoint 'h:99999' must be an integer "
        "between 0 and 65536.");
  CHECK(ErrorLine({"torchrun", "--rdzv_backend=c10d", "--rdzv_endpoint", "a b:1", "x.py"}) ==
        "ValueError: The hostname of the rendezvous endpoint 'a b:1' must be a dot-separated list "
        "of labels, an IPv4 address, or an IPv6 address.");
  auto c10d = Plan({"torchrun", "--rdzv_backend=c10d", "--rdzv_endpoint=job-worker-0", "x.py"});
  REQUIRE(c10d.ok());
  CHECK(c10d.config->store_port == 29400);  // the c10d default port
  auto stat = Plan({"torchrun", "--master_addr", "10.0.0.1", "--master_port=1234", "x.py"});
  REQUIRE(stat.ok());
  CHECK(stat.config->master_addr == "10.0.0.1");
  CHECK(stat.config->master_port == 1234);
  CHECK(stat.config->rdzv_endpoint == "10.0.0.1:1234");
}

TEST_CASE("python scripts run as python -u, binaries as themselves, modules with -m") {
  auto py = Plan({"torchrun", "train.py", "--lr", "0.1"});
  REQUIRE(py.ok());
  CHECK(py.config->worker_argv ==
        std::vector<std::string>{"/usr/bin/python3", "-u", "train.py", "--lr", "0.1"});
  CHECK(py.config->entrypoint_name == "train.py");
  CHECK(py.config->entrypoint == "/usr/bin/python3");
  auto bin = Plan({"torchrun", "--no_python", "./w.sh", "a"});
  CHECK(bin.config->worker_argv == std::vector<std::string>{"./w.sh", "a"});
  CHECK(bin.config->entrypoint_name == "./w.sh");
  auto mod = Plan({"torchrun", "-m", "pkg.train"}, {{"PYTHON_EXEC", "/opt/py"}});
  CHECK(mod.config->worker_argv == std::vector<std::string>{"/opt/py", "-u", "-m", "pkg.train"});
  CHECK(mod.config->entrypoint_name == "pkg.train");
  CHECK(ErrorLine({"torchrun", "--no_python", "-m", "x"}) ==
        "ValueError: Don't use both the '--no_python' flag and the '--module' flag at the same "
        "time.");
}

TEST_CASE("torch.distributed.launch warns, passes --local_rank, and wants --use_env for binaries") {
  auto plan = Plan({"python3", "-m", "torch.distributed.launch", "x.py", "--a"});
  REQUIRE(plan.ok());
  CHECK(plan.output.front().find("FutureWarning: The module torch.distributed.launch is "
                                 "deprecated") != std::string::npos);
  CHECK(plan.config->worker_argv == std::vector<std::string>{"/usr/bin/python3", "-u", "x.py",
                                                             "--local_rank=${local_rank}", "--a"});
  auto bin = Plan({"python3", "-m", "torch.distributed.launch", "--no_python", "x"});
  REQUIRE(bin.error);
  CHECK(bin.error->ExceptionLine() ==
        "ValueError: When using the '--no_python' flag, you must also set the '--use_env' flag.");
}

TEST_CASE("OMP_NUM_THREADS defaults to 1 with a warning only for several workers and no value") {
  auto two = Plan({"torchrun", "--nproc_per_node=2", "x.py"});
  REQUIRE(two.ok());
  CHECK(two.config->omp_default);
  REQUIRE(two.output.size() == 4);
  CHECK(two.output[0] == "WARNING:torch.distributed.run:");
  CHECK(two.output[1] == std::string(41, '*'));
  CHECK(two.output[2].rfind("Setting OMP_NUM_THREADS environment variable for each process to be 1 "
                            "in default",
                            0) == 0);
  CHECK_FALSE(Plan({"torchrun", "x.py"}).config->omp_default);
  auto set = Plan({"torchrun", "--nproc_per_node=2", "x.py"}, {{"OMP_NUM_THREADS", "4"}});
  CHECK_FALSE(set.config->omp_default);
  CHECK(set.output.empty());
}

TEST_CASE("the standalone flag means c10d on localhost with a fresh run id") {
  auto plan = Plan({"torchrun", "--standalone", "--rdzv_id=ignored", "x.py"});
  REQUIRE(plan.ok());
  CHECK(plan.config->rdzv_backend == "c10d");
  CHECK(plan.config->rdzv_endpoint == "localhost:29400");
  CHECK(plan.config->run_id == "0000-uuid");
  auto two = Plan({"torchrun", "--standalone", "x.py"}, {}, TorchVersion::kTorch2);
  CHECK(two.config->rdzv_endpoint == "localhost:0");
}

TEST_CASE("an empty run id is replaced by a random one, with launch_agent's warning") {
  auto plan = Plan({"torchrun", "--rdzv_id=", "x.py"});
  REQUIRE(plan.ok());
  CHECK(plan.config->run_id == "12345");
  CHECK(plan.output.back() ==
        "WARNING:torch.distributed.launcher.api:config has no run_id, generated a random run_id: "
        "12345");
}

TEST_CASE("the rendezvous timeout defaults to 900 and the static rank comes from --node_rank") {
  auto plan = Plan({"torchrun", "--node_rank", "1", "--nnodes", "2", "x.py"});
  REQUIRE(plan.ok());
  CHECK(plan.config->static_timeout == std::chrono::seconds(900));
  CHECK(plan.config->node_rank == 1);
  CHECK(ErrorLine({"torchrun", "--rdzv_conf", "timeout=soon", "x.py"}) ==
        "ValueError: invalid literal for int() with base 10: 'soon'");
  CHECK(ErrorLine({"torchrun", "-r", "7", "x.py"}) ==
        "ValueError: 7 does not match: <^[0123]$> or <^(\\d:[0123],)*(\\d:[0123])$>");
}

TEST_CASE("a Flyte Elastic config becomes a c10d launch on PET_RDZV_ENDPOINT") {
  FlyteElasticValues v;
  v.nnodes = "2:4";
  v.nproc_per_node = 2;
  v.max_restarts = 3;
  v.run_id = "f3a1b2c3";
  v.worker_argv = {"pyflyte-execute", "--task"};
  auto plan = PlanFlyteElastic(v, {{"PET_RDZV_ENDPOINT", "job-worker-0:23456"}});
  REQUIRE(plan.ok());
  CHECK(plan.config->min_nodes == 2);
  CHECK(plan.config->max_nodes == 4);
  CHECK(plan.config->rdzv_backend == "c10d");
  CHECK(plan.config->store_host == "job-worker-0");
  CHECK(plan.config->store_port == 23456);
  CHECK(plan.config->timeouts.join == std::chrono::seconds(900));
  CHECK(plan.config->monitor_interval == 5);
  CHECK(plan.config->omp_default);
  CHECK(plan.config->entrypoint_name == "spawn_helper");
  auto local = PlanFlyteElastic(FlyteElasticValues{}, {});
  REQUIRE(local.ok());
  CHECK(local.config->rdzv_endpoint == "localhost:0");
  FlyteElasticValues bad;
  bad.nnodes = "1:2:3";
  auto err = PlanFlyteElastic(bad, {});
  REQUIRE(err.error);
  CHECK(err.error->Describe("") ==
        "Elastic.nnodes=\"1:2:3\": RuntimeError: nnodes=1:2:3 is not in \"MIN:MAX\" format");
  FlyteElasticValues reversed;
  reversed.nnodes = "3:2";
  CHECK(PlanFlyteElastic(reversed, {}).error->ExceptionLine() ==
        "ValueError: The maximum number of rendezvous nodes (2) must be greater than or equal to "
        "the minimum number of rendezvous nodes (3).");
}

}  // namespace
}  // namespace ptsim::elastic
