// Rank assignment as SimpleElasticAgent._assign_worker_ranks does it.
#include "fakes/elastic/rank_assignment.hpp"

#include <catch2/catch.hpp>

namespace ptsim::elastic {
namespace {

TEST_CASE("global ranks are prefix sums of the local world sizes in group-rank order") {
  std::vector<RoleInstanceInfo> infos = {{"default", 0, 2}, {"default", 1, 3}, {"default", 2, 1}};
  auto w1 = AssignWorkerRanks(infos, 1);
  REQUIRE(w1.size() == 3);
  CHECK(w1[0].global_rank == 2);
  CHECK(w1[2].global_rank == 4);
  CHECK(w1[1].local_rank == 1);
  CHECK(w1[0].world_size == 6);
  CHECK(w1[0].role_rank == 2);
  CHECK(w1[0].role_world_size == 6);
  auto w2 = AssignWorkerRanks(infos, 2);
  CHECK(w2[0].global_rank == 5);
}

TEST_CASE("role ranks count only the agents of the same role, ordered by role then rank") {
  std::vector<RoleInstanceInfo> infos = {{"trainer", 0, 2}, {"eval", 1, 1}, {"trainer", 2, 2}};
  auto t2 = AssignWorkerRanks(infos, 2);
  CHECK(t2[0].global_rank == 3);
  CHECK(t2[0].world_size == 5);
  CHECK(t2[0].role_rank == 2);
  CHECK(t2[1].role_rank == 3);
  CHECK(t2[0].role_world_size == 4);
  auto e = AssignWorkerRanks(infos, 1);
  CHECK(e[0].global_rank == 2);
  CHECK(e[0].role_rank == 0);
  CHECK(e[0].role_world_size == 1);
}

TEST_CASE("role info serializes as torch's JSON and reads back") {
  RoleInstanceInfo info{"default", 3, 8};
  CHECK(info.Serialize() == R"({"role": "default", "rank": 3, "local_world_size": 8})");
  auto back = RoleInstanceInfo::Deserialize(info.Serialize());
  REQUIRE(back);
  CHECK(back->rank == 3);
  CHECK(back->local_world_size == 8);
  CHECK_FALSE(RoleInstanceInfo::Deserialize("nope"));
}

}  // namespace
}  // namespace ptsim::elastic
