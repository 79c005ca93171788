// The process group of one training run, formed over TCP the way gloo forms
// one from MASTER_ADDR/MASTER_PORT, in a star around rank 0. Rank 0 listens and
// accepts one connection per other rank; each says hello with its rank and the
// settings that must agree. Broadcast then hands every rank rank 0's state
// (as DDP does at construction), and AllReduce averages per-step gradients
// through rank 0, summing in rank order so every run is bit-reproducible.
// Any failure - a peer gone, silent past --peer-timeout, or out of step - is
// an error naming the peer, like a failed gloo collective. One thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tools/ptsim-worker/log.hpp"
#include "tools/ptsim-worker/transport.hpp"
#include "tools/ptsim-worker/wire.hpp"

namespace ptsim::worker {

struct GroupConfig {
  Hello self;  // this rank, the world size, and the settings every rank must share
  std::string master_addr;
  int port = 0;  // MASTER_PORT + port offset
  Duration connect_timeout{};
  Duration peer_timeout{};
};

class ProcessGroup {
 public:
  // Rank 0: listen on the wildcard address and wait up to connect_timeout for
  // a hello from every other rank; a duplicate or out-of-range rank, or
  // settings that differ, are errors. Other ranks: connect to rank 0 (retrying
  // until connect_timeout) and say hello. A world of one needs no network.
  static Result<ProcessGroup> Form(const GroupConfig& config, const Log& log);

  // Rank 0 sends `state` to every rank and returns it; the others wait up to
  // connect_timeout for rank 0's state and return that (their `state` is unused).
  Result<Welcome> Broadcast(const Welcome& state);

  // Averages `mine` (this rank's loss and gradient at `mine.step`) over all
  // ranks: the returned values are the mean gradient and the mean loss,
  // identical on every rank.
  Result<StepValues> AllReduce(const StepValues& mine);

 private:
  struct Link {
    int peer_rank = 0;
    Connection connection;
  };

  explicit ProcessGroup(GroupConfig config) : config_(std::move(config)) {}

  Status FormAsRankZero(const Log& log);
  Status FormAsOtherRank();
  Result<StepValues> ReduceAsRankZero(const StepValues& mine);
  Result<StepValues> ReduceAsOtherRank(const StepValues& mine);
  Error Lost(int peer_rank, std::int64_t step, const std::string& reason) const;

  GroupConfig config_;
  // Rank 0: one link per other rank, in rank order. Others: one link, to rank 0.
  std::vector<Link> links_;
};

}  // namespace ptsim::worker
