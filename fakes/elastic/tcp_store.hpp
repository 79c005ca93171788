// A model of one c10d store (torch's TCPStore, or a FileStore): its keys,
// whether a server is listening, and the c10d rendezvous states it holds.
// The agent that hosts a TCPStore owns its server: when that agent's process
// ends, the server goes away with every key, and clients connected to it see
// their next operation fail, as a real TCPStore's clients do. Blocking store
// calls (get of a missing key, a client connecting before the server is up)
// become waits that end ready, timed out or disconnected, in virtual time.
// A FileStore has no server and never disconnects.
//
// The model and the real server are one store: ServeReal() opens a real
// socket (StoreServer, store_server.hpp) that speaks torch's wire protocol to
// real worker processes over the same keys. Keys are held as they travel on
// the wire: the agent's keys carry TCPStore's "/" prefix (Set("a") stores
// "/a"), "init/" counts the clients that registered (TCPStore's
// waitForWorkers), and every change, from the agent or from a socket,
// reaches both the agent's waits and the socket's WAIT/WATCH_KEY clients.
// The c10d rendezvous states are kept as structured values, not as torch's
// pickled bytes: a socket client does not see them. Loop thread only.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "fakes/elastic/dynamic_rendezvous.hpp"
#include "sim/core/event_loop.hpp"

namespace ptsim::elastic {

class StoreServer;

// A change to one key, as the server reports it to WAIT and WATCH_KEY clients.
struct KeyChange {
  enum class Kind { kCreated, kUpdated, kDeleted };
  std::string key;  // as on the wire
  Kind kind = Kind::kUpdated;
  std::string old_value;
  std::string new_value;
  bool wakes_waiters = true;  // torch 1.13's compare_set and delete wake no WAIT client
  bool changed = true;        // false: a 2.x compare_set that stored nothing (wakes only)
};

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
  // Only the owner's end stops the server; keys, rendezvous states and the
  // real socket go with it.
  void StopServer(std::uint64_t owner);
  // Opens the real socket of the running server on `port` of every local
  // address (0: a free port). Returns the port, or torch's bind error text.
  // REQUIRES: serving() and not a FileStore.
  std::variant<int, std::string> ServeReal(int port);
  StoreServer* real_server() { return real_.get(); }
  // A client of `epoch` can still talk to the server.
  bool Connected(std::uint64_t epoch) const { return serving() && epoch_ == epoch; }
  // Clients that registered with the server ("init/"; a static master waits
  // for world_size of them).
  int connections() const;
  void Connect() { RawAdd("init/", 1); }

  // The agent's keys (TCPStore adds "/").
  void Set(const std::string& key, std::string value) { RawSet("/" + key, std::move(value)); }
  std::optional<std::string> Get(const std::string& key) const { return RawGet("/" + key); }
  std::int64_t Add(const std::string& key, std::int64_t delta) {
    return RawAdd("/" + key, delta).value_or(0);
  }

  // Keys as on the wire (the server's operations).
  void RawSet(const std::string& key, std::string value);
  std::optional<std::string> RawGet(const std::string& key) const;
  // Nullopt when the value is not an integer (the server closes the connection).
  std::optional<std::int64_t> RawAdd(const std::string& key, std::int64_t delta);
  // The value after the operation, as the server answers it.
  std::string RawCompareSet(const std::string& key, const std::string& expected,
                            std::string desired, bool wakes_waiters);
  bool RawDelete(const std::string& key);
  void RawAppend(const std::string& key, const std::string& value);
  std::int64_t NumKeys() const { return static_cast<std::int64_t>(keys_.size()); }
  std::deque<std::string>& queue(const std::string& key) { return queues_[key]; }
  bool QueueNonEmpty(const std::string& key) const;
  // Called when the running server stops (its hosting agent ended); the id
  // removes it. Never called for a FileStore.
  std::uint64_t AddStopListener(std::function<void()> listener);
  void RemoveStopListener(std::uint64_t id) { stop_listeners_.erase(id); }
  // Every change to a key (the real server wakes and notifies its clients).
  void SetChangeListener(std::function<void(const KeyChange&)> listener) {
    listener_ = std::move(listener);
  }

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
  void Notify(KeyChange change);
  void Recheck();
  void Finish(WaitId id, WaitEnd end);

  EventLoop& loop_;
  std::string address_;
  bool file_store_;
  std::uint64_t server_owner_ = 0;
  std::uint64_t epoch_ = 0;
  std::map<std::string, std::string> keys_;
  std::map<std::string, std::deque<std::string>> queues_;
  std::map<std::string, RendezvousState> rendezvous_;
  std::map<WaitId, Waiter> waiters_;
  WaitId next_wait_ = 1;
  EventLoop::TimerId recheck_;
  std::function<void(const KeyChange&)> listener_;
  std::map<std::uint64_t, std::function<void()>> stop_listeners_;
  std::uint64_t next_stop_listener_ = 1;
  std::unique_ptr<StoreServer> real_;
};

}  // namespace ptsim::elastic
