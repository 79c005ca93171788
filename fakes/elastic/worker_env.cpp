#include "fakes/elastic/worker_env.hpp"

#include <utility>

namespace ptsim::elastic {

namespace {

void Put(std::vector<std::string>* env, const std::string& name, const std::string& value) {
  const std::string prefix = name + "=";
  for (auto& kv : *env) {
    if (kv.rfind(prefix, 0) == 0) {
      kv = prefix + value;
      return;
    }
  }
  env->push_back(prefix + value);
}

const std::string* Find(const std::vector<std::string>& env, const std::string& name) {
  const std::string prefix = name + "=";
  const std::string* found = nullptr;
  for (const auto& kv : env)
    if (kv.rfind(prefix, 0) == 0) found = &kv;  // the last one wins, as execve's getenv sees it
  return found;
}

}  // namespace

std::vector<std::string> WorkerEnv(const std::vector<std::string>& agent_env,
                                   const WorkerGroupInfo& group, const WorkerRanks& worker,
                                   const std::string& error_file) {
  std::vector<std::string> env = agent_env;  // SubprocessHandler: os.environ.copy(), then update
  std::string nccl = "1";
  if (const std::string* v = Find(agent_env, group.nccl_async_env)) {
    nccl = v->substr(group.nccl_async_env.size() + 1);
  }
  const std::vector<std::pair<std::string, std::string>> vars = {
      {"LOCAL_RANK", std::to_string(worker.local_rank)},
      {"RANK", std::to_string(worker.global_rank)},
      {"GROUP_RANK", std::to_string(group.group_rank)},
      {"ROLE_RANK", std::to_string(worker.role_rank)},
      {"ROLE_NAME", group.role},
      {"LOCAL_WORLD_SIZE", std::to_string(group.local_world_size)},
      {"WORLD_SIZE", std::to_string(worker.world_size)},
      {"GROUP_WORLD_SIZE", std::to_string(group.group_world_size)},
      {"ROLE_WORLD_SIZE", std::to_string(worker.role_world_size)},
      {"MASTER_ADDR", group.master_addr},
      {"MASTER_PORT", std::to_string(group.master_port)},
      {"TORCHELASTIC_RESTART_COUNT", std::to_string(group.restart_count)},
      {"TORCHELASTIC_MAX_RESTARTS", std::to_string(group.max_restarts)},
      {"TORCHELASTIC_RUN_ID", group.run_id},
      {"TORCHELASTIC_USE_AGENT_STORE", group.use_agent_store ? "True" : "False"},
      {group.nccl_async_env, nccl},
  };
  for (const auto& [k, v] : vars)
    Put(&env, k, v);
  // OMP_NUM_THREADS is copied from the agent only if present: already in `env`.
  Put(&env, "TORCHELASTIC_ERROR_FILE", error_file);
  return env;
}

std::vector<std::string> WorkerArgv(const std::vector<std::string>& argv, int local_rank) {
  std::vector<std::string> out;
  const std::string macro = "${local_rank}";
  for (std::string a : argv) {
    for (auto pos = a.find(macro); pos != std::string::npos; pos = a.find(macro, pos)) {
      a.replace(pos, macro.size(), std::to_string(local_rank));
    }
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace ptsim::elastic
