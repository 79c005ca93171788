// A model of one c10d store (torch's TCPStore, or a FileStore): its keys,
// whether a server is listening, and the c10d rendezvous states it holds.
// The agent that hosts a TCPStore owns its server: when that agent's process
// ends, the server goes away with every key, and clients connected to it see
// their next operation fail, as a real TCPStore's clients do. Blocking store
// calls (get of a missing key, a client connecting before the server is up)
// become waits that end ready, timed out or disconnected, in virtual time.
// A FileStore has no server and never disconnects. Loop thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "fakes/elastic/dynamic_rendezvous.hpp"
#include "sim/core/event_loop.hpp"

namespace ptsim::elastic {

class TcpStore {
 public:
  enum class WaitEnd { kReady, kTimeout, kDisconnected };
  using WaitId = std::uint64_t;
  using Done = std::function<void(WaitEnd)>;

  TcpStore(EventLoop& loop, std::string address, bool file_store);
  ~TcpStore();
  TcpStore(const TcpStore&) = delete;
  TcpStore& operator=(const TcpStore&) = delete;

  const std::string& address() const { return address_; }
  bool file_store() const { return file_store_; }

  // The server. Each server start is a new epoch; a client belongs to the
  // epoch it connected in. StartServer fails (EADDRINUSE) while one serves.
  bool serving() const { return file_store_ || server_owner_ != 0; }
  std::uint64_t epoch() const { return epoch_; }
  std::uint64_t server_owner() const { return server_owner_; }
  bool StartServer(std::uint64_t owner);
  // Only the owner's end stops the server; keys and rendezvous states go with it.
  void StopServer(std::uint64_t owner);
  // A client of `epoch` can still talk to the server.
  bool Connected(std::uint64_t epoch) const { return serving() && epoch_ == epoch; }
  // Clients connected in this epoch (a static master waits for world_size).
  int connections() const { return connections_; }
  void Connect() { ++connections_, Changed(); }

  void Set(const std::string& key, std::string value);
  std::optional<std::string> Get(const std::string& key) const;
  // add(): the new value of a counter.
  std::int64_t Add(const std::string& key, std::int64_t delta);

  // Calls `done` once `ready()` holds (checked now and after every change),
  // or with kTimeout after `timeout`, or with kDisconnected when `epoch` is
  // non-zero and that server goes away. Never calls `done` synchronously.
  WaitId Wait(std::uint64_t epoch, std::function<bool()> ready, Duration timeout, Done done);
  void Cancel(WaitId id);

  // The c10d rendezvous state of `run_id` (the key "torch.rendezvous.<run_id>").
  RendezvousState& rendezvous(const std::string& run_id) { return rendezvous_[run_id]; }

 private:
  struct Waiter {
    std::uint64_t epoch = 0;
    std::function<bool()> ready;
    Done done;
    EventLoop::TimerId timer;
  };
  void Changed();
  void Recheck();
  void Finish(WaitId id, WaitEnd end);

  EventLoop& loop_;
  std::string address_;
  bool file_store_;
  std::uint64_t server_owner_ = 0;
  std::uint64_t epoch_ = 0;
  int connections_ = 0;
  std::map<std::string, std::string> keys_;
  std::map<std::string, RendezvousState> rendezvous_;
  std::map<WaitId, Waiter> waiters_;
  WaitId next_wait_ = 1;
  EventLoop::TimerId recheck_;
};

}  // namespace ptsim::elastic
