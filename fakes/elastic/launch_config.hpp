// What one torchrun agent will do, decided before it starts: torch's
// LaunchConfig and WorkerSpec plus the rendezvous handler's parameters, with
// every check torch makes on the way (run.py config_from_args,
// launcher/api.py launch_agent, rendezvous/api.py RendezvousParameters,
// static_tcp_rendezvous.py / c10d_rendezvous_backend.py /
// dynamic_rendezvous.py create_handler), in torch's order and with torch's
// messages. Two sources: a torchrun command line with its PET_* environment
// (PlanTorchrun), or a Flyte Elastic task config as plain values
// (PlanFlyteElastic; the Flyte model in fakes/flyte is not depended on).
// Pure functions; any thread.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "fakes/elastic/torchrun_args.hpp"
#include "fakes/elastic/torchrun_command.hpp"
#include "fakes/elastic/torchrun_error.hpp"
#include "fakes/elastic/torchrun_profile.hpp"
#include "sim/core/time.hpp"

namespace ptsim::elastic {

// dynamic_rendezvous.py RendezvousTimeout._DEFAULT_TIMEOUTS.
struct RendezvousTimeouts {
  Duration join = std::chrono::seconds(600);
  Duration last_call = std::chrono::seconds(30);
  Duration close = std::chrono::seconds(30);
  Duration heartbeat = std::chrono::seconds(5);
};

struct ElasticLaunchConfig {
  // LaunchConfig.
  int min_nodes = 1;
  int max_nodes = 1;
  int nproc_per_node = 1;
  std::string run_id = "none";
  std::string role = "default";
  std::string rdzv_backend = "static";
  std::string rdzv_endpoint;
  std::vector<std::pair<std::string, std::string>> rdzv_configs;  // in insertion order
  int max_restarts = 0;
  double monitor_interval = 5;
  std::string start_method = "spawn";
  std::optional<std::string> log_dir;
  // LogsSpecs: where workers' output goes (worker_output.hpp).
  std::string redirects = "0";
  std::string tee = "0";
  std::optional<std::set<int>> local_ranks_filter;  // torch 2
  std::vector<std::string> duplicate_stdout_filters;
  std::vector<std::string> duplicate_stderr_filters;
  std::string log_line_prefix_template;  // torch 2: TORCHELASTIC_LOG_LINE_PREFIX_TEMPLATE
  // torch 2's other LaunchConfig fields.
  std::string event_log_handler = "null";
  std::optional<std::string> local_addr;
  std::optional<std::string> numa_binding;
  std::string signals_to_handle = "SIGTERM,SIGINT,SIGHUP,SIGQUIT";
  Duration shutdown_timeout = std::chrono::seconds(30);  // PContext.close's join timeout
  bool virtual_local_rank = false;

  // static backend (StaticTCPRendezvous): the TCPStore on master_addr:master_port,
  // hosted by node_rank 0; `static_timeout` is rdzv_configs["timeout"].
  std::string master_addr;
  int master_port = 0;
  int node_rank = 0;
  Duration static_timeout = std::chrono::seconds(900);

  // c10d backend (C10dRendezvousBackend + DynamicRendezvousHandler).
  std::string store_type = "tcp";  // or "file"
  std::string store_host;          // the endpoint's host (or the file path)
  int store_port = 29400;
  std::optional<bool> is_host;  // rdzv_conf is_host; unset: the hostname heuristic
  Duration read_timeout = std::chrono::seconds(60);
  RendezvousTimeouts timeouts;
  // An error create_handler raises after the TCPStore was created (a bad
  // join/last_call/close timeout): it surfaces only once the store connects.
  std::optional<TorchrunError> handler_error;

  // The workers: argv with "${local_rank}" still to substitute (macros.py).
  std::vector<std::string> worker_argv;
  std::string entrypoint;       // the binary SubprocessContext runs ("of binary: ...")
  std::string entrypoint_name;  // _get_entrypoint_name: ChildFailedError's title
  bool omp_default = false;     // torchrun put OMP_NUM_THREADS=1 in its environment
};

// What the environment torch would consult provides.
struct LaunchInputs {
  std::string python_executable = "python3";  // sys.executable (PYTHON_EXEC wins)
  std::string standalone_run_id;              // --standalone's uuid4
  std::string generated_run_id;               // launch_agent's uuid4().int when run_id is ""
  int cpu_count = 1;                          // os.cpu_count() for nproc_per_node cpu/auto
};

struct LaunchPlan {
  std::optional<ElasticLaunchConfig> config;
  std::optional<TorchrunError> error;
  std::vector<std::string> output;  // lines torchrun prints before starting (warnings)
  std::string prog = "torchrun";    // argparse's prog, for error output
  bool ok() const { return config.has_value() && !error.has_value(); }
};

// The whole pipeline for a container's torchrun command line.
// REQUIRES: RecognizeTorchrun(argv) succeeds.
LaunchPlan PlanTorchrun(const std::vector<std::string>& argv, const EnvMap& env,
                        const TorchrunProfile& profile, const LaunchInputs& inputs);
// From parsed arguments (config_from_args onward).
LaunchPlan PlanFromArgs(const TorchrunCommand& command, const TorchrunArgs& args, const EnvMap& env,
                        const TorchrunProfile& profile, const LaunchInputs& inputs);

// A Flyte Elastic task config (flytekitplugins.kfpytorch Elastic), as plain
// values; PytorchElasticFunctionTask._execute builds the LaunchConfig.
struct FlyteElasticValues {
  std::string nnodes = "1";  // an int or "min:max", str()'d as flytekit does
  int nproc_per_node = 1;
  std::string start_method = "spawn";
  int monitor_interval = 5;
  int max_restarts = 0;
  std::vector<std::pair<std::string, std::string>> rdzv_configs = {{"timeout", "900"},
                                                                   {"join_timeout", "900"}};
  std::string run_id = "local";  // the Flyte execution's name
  std::string entrypoint_name = "spawn_helper";
  std::vector<std::string> worker_argv;  // the command each worker process runs
};
LaunchPlan PlanFlyteElastic(const FlyteElasticValues& values, const EnvMap& env);

}  // namespace ptsim::elastic
