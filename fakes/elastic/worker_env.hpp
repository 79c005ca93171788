// The environment and argv of each worker process, exactly as torchrun builds
// them (agent/server/local_elastic_agent.py LocalElasticAgent._start_workers
// and multiprocessing/__init__.py start_processes): the agent's own
// environment, updated with RANK, LOCAL_RANK, GROUP_RANK, ROLE_RANK,
// ROLE_NAME, LOCAL_WORLD_SIZE, WORLD_SIZE, GROUP_WORLD_SIZE, ROLE_WORLD_SIZE,
// MASTER_ADDR, MASTER_PORT, TORCHELASTIC_RESTART_COUNT, _MAX_RESTARTS,
// _RUN_ID, _USE_AGENT_STORE ("True" only for the static backend), the NCCL
// async-error variable (the agent's value, else "1"), OMP_NUM_THREADS when the
// agent has one (torchrun sets 1 for nproc_per_node > 1), and
// TORCHELASTIC_ERROR_FILE. "${local_rank}" in argv becomes the local rank
// (utils/macros.py). Pure functions; any thread.
#pragma once

#include <string>
#include <vector>

#include "fakes/elastic/rank_assignment.hpp"

namespace ptsim::elastic {

struct WorkerGroupInfo {
  std::string role = "default";
  int local_world_size = 1;
  int group_rank = 0;
  int group_world_size = 1;
  std::string master_addr;
  int master_port = 0;
  int restart_count = 0;
  int max_restarts = 0;
  std::string run_id;
  bool use_agent_store = false;
  std::string nccl_async_env = "NCCL_ASYNC_ERROR_HANDLING";
};

// `agent_env`: the agent's environment ("NAME=value"), after torchrun's own
// changes (OMP_NUM_THREADS). Existing names keep their place; new ones are
// appended in torch's order.
std::vector<std::string> WorkerEnv(const std::vector<std::string>& agent_env,
                                   const WorkerGroupInfo& group, const WorkerRanks& worker,
                                   const std::string& error_file);

// macros.substitute: "${local_rank}" -> the local rank.
std::vector<std::string> WorkerArgv(const std::vector<std::string>& argv, int local_rank);

}  // namespace ptsim::elastic
