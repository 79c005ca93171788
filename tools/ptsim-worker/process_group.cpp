#include "tools/ptsim-worker/process_group.hpp"

#include <fmt/format.h>

#include <bit>
#include <utility>

namespace ptsim::worker {
namespace {

std::string During(std::int64_t step) {
  return step > 0 ? fmt::format("at step {}", step) : "during rendezvous";
}

// Settings every rank must share, as rank 0 checks them in a hello.
Status CheckHello(const Hello& peer, const Hello& self,
                  const std::vector<std::optional<Connection>>& by_rank) {
  if (peer.rank == 0) {
    return Error{"another process also says it is rank 0; check RANK on every process"};
  }
  if (peer.rank < 0 || peer.rank >= self.world_size) {
    return Error{fmt::format("a process says it is rank {}, but WORLD_SIZE is {} (ranks 0 to {})",
                             peer.rank, self.world_size, self.world_size - 1)};
  }
  if (by_rank[static_cast<std::size_t>(peer.rank)]) {
    return Error{
        fmt::format("two processes say they are rank {}; check RANK on every process", peer.rank)};
  }
  const auto mismatch = [&](std::string_view what, auto theirs, auto ours) {
    return Error{fmt::format("rank {} was started with {} {} but rank 0 with {} {}", peer.rank,
                             what, theirs, what, ours)};
  };
  if (peer.world_size != self.world_size) {
    return mismatch("WORLD_SIZE", peer.world_size, self.world_size);
  }
  if (peer.dim != self.dim) return mismatch("--dim", peer.dim, self.dim);
  if (peer.steps != self.steps) return mismatch("--steps", peer.steps, self.steps);
  if (std::bit_cast<std::uint64_t>(peer.lr) != std::bit_cast<std::uint64_t>(self.lr)) {
    return mismatch("--lr", peer.lr, self.lr);
  }
  return Ok{};
}

// The step values in `frame`, checked against what this rank expects now.
Result<StepValues> ExpectStepValues(const Frame& frame, MessageType type, std::int64_t step,
                                    int dim) {
  if (frame.type != type) {
    return Error{fmt::format("protocol error: expected a {} message, got a {} message",
                             MessageName(type), MessageName(frame.type))};
  }
  auto values = DecodeStepValues(frame.payload);
  if (!values) return values;
  if (values.value().step != step ||
      values.value().values.size() != static_cast<std::size_t>(dim)) {
    return Error{fmt::format(
        "protocol error: expected a {} message for step {} with {} values, "
        "got one for step {} with {}",
        MessageName(type), step, dim, values.value().step, values.value().values.size())};
  }
  return values;
}

}  // namespace

Result<ProcessGroup> ProcessGroup::Form(const GroupConfig& config, const Log& log) {
  ProcessGroup group(config);
  if (config.self.world_size > 1) {
    Status formed = config.self.rank == 0 ? group.FormAsRankZero(log) : group.FormAsOtherRank();
    if (!formed) return Error{formed.error()};
  }
  return group;
}

Status ProcessGroup::FormAsRankZero(const Log& log) {
  const Hello& self = config_.self;
  auto listener = ListenOnAllAddresses(config_.port);
  if (!listener) return Error{listener.error()};
  const Deadline deadline = Clock::now() + config_.connect_timeout;
  std::vector<Connection> pending;  // accepted, no hello yet
  std::vector<std::optional<Connection>> by_rank(static_cast<std::size_t>(self.world_size));
  int missing = self.world_size - 1;
  while (missing > 0) {
    std::vector<pollfd> fds{{listener.value().fd(), POLLIN, 0}};
    for (const Connection& c : pending)
      fds.push_back({c.fd(), POLLIN, 0});
    auto ready = PollUntil(fds, deadline);
    if (!ready) return Error{ready.error()};
    if (ready.value() == 0) {
      std::string ranks;
      for (std::size_t r = 1; r < by_rank.size(); ++r) {
        if (!by_rank[r]) ranks += fmt::format("{}{}", ranks.empty() ? "" : ", ", r);
      }
      return Error{fmt::format(
          "timed out after {} waiting for rank {} to connect to port {} "
          "({} of {} ranks missing)",
          FormatDuration(config_.connect_timeout), ranks, config_.port, missing, self.world_size)};
    }
    std::vector<Connection> still_pending;
    for (std::size_t i = 0; i < pending.size(); ++i) {
      Connection& connection = pending[i];
      if (fds[i + 1].revents != 0) connection.Fill();
      auto next = connection.Next();
      if (!next) {
        log.Error(fmt::format("ignoring a connection to port {}: {}", config_.port, next.error()));
        continue;
      }
      if (!next.value()) {
        still_pending.push_back(std::move(connection));
        continue;
      }
      const Frame& frame = *next.value();
      auto hello = frame.type == MessageType::kHello
                       ? DecodeHello(frame.payload)
                       : Result<Hello>(Error{fmt::format("it sent a {} message before hello",
                                                         MessageName(frame.type))});
      if (!hello) {
        log.Error(fmt::format("ignoring a connection to port {}: {}", config_.port, hello.error()));
        continue;
      }
      Status checked = CheckHello(hello.value(), self, by_rank);
      if (!checked) return checked;
      by_rank[static_cast<std::size_t>(hello.value().rank)] = std::move(connection);
      --missing;
    }
    pending = std::move(still_pending);
    if (fds[0].revents != 0) {
      for (;;) {
        auto accepted = AcceptPending(listener.value());
        if (!accepted) return Error{accepted.error()};
        if (!accepted.value().valid()) break;
        pending.emplace_back(std::move(accepted.value()));
      }
    }
  }
  // The listener closes here: a late or restarted process is refused rather
  // than left waiting on a group that has already formed.
  for (std::size_t r = 1; r < by_rank.size(); ++r) {
    links_.push_back(Link{static_cast<int>(r), std::move(*by_rank[r])});
  }
  return Ok{};
}

Status ProcessGroup::FormAsOtherRank() {
  auto socket = ConnectWithRetry(config_.master_addr, config_.port, config_.connect_timeout);
  if (!socket) return Error{fmt::format("cannot reach rank 0: {}", socket.error())};
  Connection connection(std::move(socket.value()));
  Status sent =
      connection.Send(MessageType::kHello, EncodeHello(config_.self), config_.peer_timeout);
  if (!sent) return Lost(0, 0, sent.error());
  links_.push_back(Link{0, std::move(connection)});
  return Ok{};
}

Result<Welcome> ProcessGroup::Broadcast(const Welcome& state) {
  if (config_.self.rank == 0) {
    const std::vector<std::uint8_t> payload = EncodeWelcome(state);
    for (Link& link : links_) {
      Status sent = link.connection.Send(MessageType::kWelcome, payload, config_.peer_timeout);
      if (!sent) return Lost(link.peer_rank, 0, sent.error());
    }
    return state;
  }
  // Rank 0 may still be waiting for other ranks, so allow the connect timeout.
  auto frame = links_.front().connection.Receive(config_.connect_timeout);
  if (!frame) return Lost(0, 0, frame.error());
  if (frame.value().type != MessageType::kWelcome) {
    return Lost(0, 0,
                fmt::format("protocol error: expected a welcome message, got a {} message",
                            MessageName(frame.value().type)));
  }
  auto welcome = DecodeWelcome(frame.value().payload);
  if (!welcome) return Lost(0, 0, welcome.error());
  if (welcome.value().params.size() != static_cast<std::size_t>(config_.self.dim)) {
    return Lost(0, 0, "protocol error: rank 0 sent parameters of another dimension");
  }
  return welcome;
}

Result<StepValues> ProcessGroup::AllReduce(const StepValues& mine) {
  if (links_.empty()) return mine;  // a world of one: the mean of one value is itself
  return config_.self.rank == 0 ? ReduceAsRankZero(mine) : ReduceAsOtherRank(mine);
}

Result<StepValues> ProcessGroup::ReduceAsRankZero(const StepValues& mine) {
  const Deadline deadline = Clock::now() + config_.peer_timeout;
  std::vector<std::optional<StepValues>> received(links_.size());
  std::size_t count = 0;
  for (;;) {
    std::vector<pollfd> fds;
    std::vector<std::size_t> waiting;
    for (std::size_t i = 0; i < links_.size(); ++i) {
      if (received[i]) continue;
      auto next = links_[i].connection.Next();
      if (!next) return Lost(links_[i].peer_rank, mine.step, next.error());
      if (next.value()) {
        auto values =
            ExpectStepValues(*next.value(), MessageType::kGradient, mine.step, config_.self.dim);
        if (!values) return Lost(links_[i].peer_rank, mine.step, values.error());
        received[i] = std::move(values.value());
        ++count;
        continue;
      }
      fds.push_back({links_[i].connection.fd(), POLLIN, 0});
      waiting.push_back(i);
    }
    if (count == links_.size()) break;
    auto ready = PollUntil(fds, deadline);
    if (!ready) return Lost(links_[waiting.front()].peer_rank, mine.step, ready.error());
    if (ready.value() == 0) {
      return Lost(links_[waiting.front()].peer_rank, mine.step,
                  fmt::format("no message within {}", FormatDuration(config_.peer_timeout)));
    }
    for (std::size_t k = 0; k < fds.size(); ++k) {
      if (fds[k].revents != 0) links_[waiting[k]].connection.Fill();
    }
  }

  // Sum in rank order, then divide: the same operations in the same order on
  // every run, so the result is bit-reproducible.
  StepValues reduced = mine;
  for (const std::optional<StepValues>& values : received) {
    reduced.loss += values->loss;
    for (std::size_t j = 0; j < reduced.values.size(); ++j)
      reduced.values[j] += values->values[j];
  }
  const auto world = static_cast<double>(config_.self.world_size);
  reduced.loss /= world;
  for (double& v : reduced.values)
    v /= world;

  const std::vector<std::uint8_t> payload = EncodeStepValues(reduced);
  for (Link& link : links_) {
    Status sent = link.connection.Send(MessageType::kReduced, payload, config_.peer_timeout);
    if (!sent) return Lost(link.peer_rank, mine.step, sent.error());
  }
  return reduced;
}

Result<StepValues> ProcessGroup::ReduceAsOtherRank(const StepValues& mine) {
  Connection& connection = links_.front().connection;
  Status sent =
      connection.Send(MessageType::kGradient, EncodeStepValues(mine), config_.peer_timeout);
  if (!sent) return Lost(0, mine.step, sent.error());
  auto frame = connection.Receive(config_.peer_timeout);
  if (!frame) return Lost(0, mine.step, frame.error());
  auto reduced =
      ExpectStepValues(frame.value(), MessageType::kReduced, mine.step, config_.self.dim);
  if (!reduced) return Lost(0, mine.step, reduced.error());
  return reduced;
}

Error ProcessGroup::Lost(int peer_rank, std::int64_t step, const std::string& reason) const {
  return Error{fmt::format("lost connection to rank {} {} ({})", peer_rank, During(step), reason)};
}

}  // namespace ptsim::worker
