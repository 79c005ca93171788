#include "fakes/elastic/rank_assignment.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace ptsim::elastic {

namespace {

// _RoleInstanceInfo.compare: by role, then by rank.
bool Less(const RoleInstanceInfo& a, const RoleInstanceInfo& b) {
  if (a.role == b.role) return a.rank < b.rank;
  return a.role < b.role;
}

// SimpleElasticAgent._get_ranks: (total local world size over [start, end),
// the ranks of infos[index]'s workers).
std::pair<int, std::vector<int>> GetRanks(const std::vector<RoleInstanceInfo>& infos, int index,
                                          std::size_t start, std::size_t end) {
  int prefix = 0;
  int total = 0;
  for (std::size_t i = start; i < end; ++i) {
    if (static_cast<std::size_t>(index) > i) prefix += infos[i].local_world_size;
    total += infos[i].local_world_size;
  }
  std::vector<int> ranks;
  for (int r = prefix; r < prefix + infos[static_cast<std::size_t>(index)].local_world_size; ++r)
    ranks.push_back(r);
  return {total, ranks};
}

}  // namespace

std::string RoleInstanceInfo::Serialize() const {
  // json.dumps: insertion order and ", " / ": " separators.
  return "{\"role\": " + nlohmann::json(role).dump() + ", \"rank\": " + std::to_string(rank) +
         ", \"local_world_size\": " + std::to_string(local_world_size) + "}";
}

std::optional<RoleInstanceInfo> RoleInstanceInfo::Deserialize(const std::string& data) {
  auto j = nlohmann::json::parse(data, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  RoleInstanceInfo info;
  info.role = j.value("role", "");
  info.rank = j.value("rank", 0);
  info.local_world_size = j.value("local_world_size", 0);
  return info;
}

std::vector<WorkerRanks> AssignWorkerRanks(const std::vector<RoleInstanceInfo>& infos,
                                           int group_rank) {
  const RoleInstanceInfo mine = infos[static_cast<std::size_t>(group_rank)];
  auto [world_size, global_ranks] = GetRanks(infos, group_rank, 0, infos.size());
  std::vector<RoleInstanceInfo> sorted = infos;
  std::stable_sort(sorted.begin(), sorted.end(), Less);
  // find_role_boundaries.
  int role_start = -1;
  int role_end = -1;
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    if (sorted[i].role == mine.role) {
      if (role_start == -1) role_start = static_cast<int>(i);
      role_end = static_cast<int>(i);
    }
  }
  int role_pos = 0;
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    if (sorted[i].role == mine.role && sorted[i].rank == mine.rank) {
      role_pos = static_cast<int>(i);
      break;
    }
  }
  auto [role_world_size, role_ranks] =
      GetRanks(sorted, role_pos, static_cast<std::size_t>(role_start),
               static_cast<std::size_t>(role_end + 1));
  std::vector<WorkerRanks> workers;
  for (int i = 0; i < mine.local_world_size; ++i) {
    WorkerRanks w;
    w.local_rank = i;
    w.global_rank = global_ranks[static_cast<std::size_t>(i)];
    w.role_rank = role_ranks[static_cast<std::size_t>(i)];
    w.world_size = world_size;
    w.role_world_size = role_world_size;
    workers.push_back(w);
  }
  return workers;
}

}  // namespace ptsim::elastic
