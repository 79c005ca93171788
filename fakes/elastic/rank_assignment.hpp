// Worker ranks as torch assigns them (agent/server/api.py
// SimpleElasticAgent._assign_worker_ranks and _get_ranks): every agent
// publishes (role, group_rank, local_world_size); a worker's RANK is the sum
// of the local world sizes of the agents with a smaller group rank plus its
// local rank, and ROLE_RANK is the same sum over the agents of its role,
// ordered by role and then group rank (_RoleInstanceInfo.compare). Ranks are
// not stable across rendezvous rounds (run.py: "NEVER hard code any
// assumptions about the stable-ness of ranks"). Pure functions; any thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace ptsim::elastic {

// _RoleInstanceInfo.
struct RoleInstanceInfo {
  std::string role;
  int rank = 0;  // the agent's group rank
  int local_world_size = 0;

  // {"role": "default", "rank": 0, "local_world_size": 2}, as torch serializes it.
  std::string Serialize() const;
  static std::optional<RoleInstanceInfo> Deserialize(const std::string& data);
};

// agent/server/api.py Worker (the rank fields).
struct WorkerRanks {
  int local_rank = 0;
  int global_rank = 0;
  int role_rank = 0;
  int world_size = 0;
  int role_world_size = 0;
};

// REQUIRES: infos[i].rank == i for every i, and 0 <= group_rank < infos.size().
std::vector<WorkerRanks> AssignWorkerRanks(const std::vector<RoleInstanceInfo>& infos,
                                           int group_rank);

}  // namespace ptsim::elastic
