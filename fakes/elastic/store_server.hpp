// The real socket of a TcpStore (tcp_store.hpp): a c10d TCPStore server on
// the simulation's io_context (Boost.Asio, single-threaded, loop thread), so
// that real worker processes running torch can use the store an emulated
// agent hosts, as they use the one real torchrun's agent hosts. It binds the
// port on every local address as torch does ([::] dual-stack, else 0.0.0.0,
// SO_REUSEADDR) and speaks both wire dialects (store_wire.hpp), chosen per
// connection from its first bytes, with each server's semantics: torch
// 1.13's TCPStoreMasterDaemon (a GET of a missing key or an ADD to a
// non-number closes the connection, compare_set and delete wake no WAIT
// client, WATCH_KEY callbacks) and torch 2.x's LibUVStoreDaemon (VALIDATE,
// PING, APPEND, MULTI_GET/SET, CANCEL_WAIT, queues; a missing key reads
// empty). Malformed input closes that connection only. Owned by its TcpStore,
// which destroys it when its hosting agent ends: the listener and every
// connection close at once. It records who connected (clients()), for the
// agent's notes and the trace.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "fakes/elastic/store_wire.hpp"
#include "fakes/elastic/tcp_store.hpp"
#include "sim/core/event_loop.hpp"

namespace ptsim::elastic {

class StoreServer {
 public:
  struct ClientInfo {
    std::uint64_t id = 0;
    std::string peer;  // "127.0.0.1:40112"
    Time connected{};
    std::optional<Time> closed;
    wire::Dialect dialect = wire::Dialect::kUnknown;
    int requests = 0;
    bool registered = false;   // ADD "init/": a TCPStore client constructed with a world size
    std::string close_reason;  // "disconnected", "malformed: ...", "server closed"
  };
  enum class Event { kConnected, kClosed };

  StoreServer(EventLoop& loop, TcpStore& store);
  ~StoreServer();
  StoreServer(const StoreServer&) = delete;
  StoreServer& operator=(const StoreServer&) = delete;

  // Binds `port` (0: a free one) and starts accepting. Returns the bound
  // port, or the RuntimeError text torch's TCPStore raises when both binds fail.
  std::variant<int, std::string> Listen(int port);
  int port() const { return port_; }
  const std::vector<ClientInfo>& clients() const { return clients_; }
  std::size_t open_connections() const;
  void SetObserver(std::function<void(Event, const ClientInfo&)> observer) {
    observer_ = std::move(observer);
  }

 private:
  struct Connection;
  using ConnectionPtr = std::shared_ptr<Connection>;
  struct Acceptor;

  void Accept();
  void Read(const ConnectionPtr& c);
  void Process(const ConnectionPtr& c);
  // False when the request closes the connection.
  bool Handle(const ConnectionPtr& c, const wire::Request& r, std::string* reply);
  void Send(const ConnectionPtr& c, std::string bytes);
  void Flush(const ConnectionPtr& c);
  void Close(const ConnectionPtr& c, const std::string& reason);
  void ClearWaits(std::uint64_t id);
  void OnChange(const KeyChange& change);
  ClientInfo& Info(const ConnectionPtr& c);

  EventLoop& loop_;
  TcpStore& store_;
  std::unique_ptr<Acceptor> acceptor_;
  int port_ = 0;
  std::map<std::uint64_t, ConnectionPtr> connections_;
  std::vector<ClientInfo> clients_;
  // WAIT: key -> waiting connections (one entry per awaited occurrence), and
  // each connection's count of keys still awaited.
  std::map<std::string, std::vector<std::uint64_t>> waiting_;
  std::map<std::uint64_t, std::size_t> awaited_;
  std::map<std::string, std::vector<std::uint64_t>> watchers_;  // 1.13 WATCH_KEY
  std::function<void(Event, const ClientInfo&)> observer_;
  std::uint64_t next_id_ = 1;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace ptsim::elastic
