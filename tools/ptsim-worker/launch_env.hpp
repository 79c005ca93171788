// The environment a launcher gives a trainer. The Kubeflow training-operator
// sets MASTER_ADDR, MASTER_PORT, WORLD_SIZE and RANK; torchrun sets the same
// plus LOCAL_RANK, GROUP_RANK, TORCHELASTIC_RESTART_COUNT,
// TORCHELASTIC_USE_AGENT_STORE and friends. Without WORLD_SIZE the trainer runs
// alone (rank 0 of 1), like the upstream mnist example. Environment access goes
// through an EnvLookup so that parsing is testable; ProcessEnv() reads the real
// environment. Pure functions; any thread.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "tools/ptsim-worker/result.hpp"

namespace ptsim::worker {

// The value of an environment variable, or nullopt when it is unset.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// Looks variables up in this process's environment.
EnvLookup ProcessEnv();

struct LaunchEnv {
  int rank = 0;
  int world_size = 1;
  std::string master_addr;          // empty when MASTER_ADDR is unset
  std::optional<int> master_port;   // nullopt when MASTER_PORT is unset
  std::string restart_count = "0";  // TORCHELASTIC_RESTART_COUNT as given
  // TORCHELASTIC_USE_AGENT_STORE is "True" (also accepted: "true", "1"): under
  // torchrun the elastic agent's own TCPStore already listens on MASTER_PORT.
  bool use_agent_store = false;
};

// Reads and checks RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT and the
// TORCHELASTIC_* variables above. A world of more than one rank needs
// MASTER_ADDR and MASTER_PORT, and RANK must lie in [0, WORLD_SIZE). Errors
// name the variable and its value.
Result<LaunchEnv> ReadLaunchEnv(const EnvLookup& env);

// The port offset used when --port-offset is not given: 1 when the agent store
// owns MASTER_PORT, else 0.
int DefaultPortOffset(const LaunchEnv& launch);

// "env NAME=VALUE" for each rendezvous-related variable that is set, sorted by
// name (RANK, LOCAL_RANK, GROUP_RANK, ROLE_RANK, ROLE_NAME, the *WORLD_SIZE
// variables, MASTER_ADDR, MASTER_PORT, TORCHELASTIC_*, OMP_NUM_THREADS).
std::vector<std::string> RendezvousEnvLines(const EnvLookup& env);

}  // namespace ptsim::worker
