// What an emulated agent knows about where it runs, shared with its
// rendezvous handler: the loop, the simulation's rendezvous registry, its
// identity (ptsim's agent id, the pod's hostname and address, the pid its
// workers would see), its own random stream, where its log lines go, and the
// Unix time that virtual time 0 stands for (timestamps torch prints), and
// whether the stores it hosts are served on real sockets. Owned by the agent;
// loop thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "fakes/elastic/rendezvous_registry.hpp"
#include "sim/core/event_loop.hpp"
#include "sim/core/random.hpp"

namespace ptsim::elastic {

struct AgentContext {
  EventLoop* loop = nullptr;
  RendezvousRegistry* registry = nullptr;
  std::uint64_t agent_id = 0;          // unique within the simulation, never 0
  std::string hostname = "localhost";  // socket.getfqdn(): the pod's hostname
  std::string address;                 // the pod's address; empty when unknown
  int pid = 1;                         // torchrun is a container's main process
  Random random{1};
  std::function<void(const std::string&)> log;     // one line of the container's output
  std::function<void(const std::string&)> record;  // one line of the trace (may be unset)
  double epoch_seconds = 0;                        // Unix time at virtual time 0
  // The stores this agent hosts open real sockets (store_server.hpp): its
  // container is a real process and the runner allows it. Off for scripted
  // containers, whose workers open no sockets.
  bool real_sockets = false;
  // Names the pod behind a loopback address the way the user wrote it
  // ("job-master-0:23456"), or "" when the address is no pod's (unset: "").
  std::function<std::string(const std::string& host, int port)> name_endpoint;

  // Unix time now (virtual).
  double UnixNow() const { return epoch_seconds + ToSeconds(loop->Now()); }
  void Log(const std::string& line) const {
    if (log) log(line);
  }
};

// A client connection to a store, as the agent holds one: the store, the
// server epoch it connected in, and its PrefixStore prefix.
struct StoreHandle {
  TcpStore* store = nullptr;
  std::uint64_t epoch = 0;
  std::string prefix;

  bool connected() const { return store != nullptr && store->Connected(epoch); }
  std::string Key(const std::string& key) const {
    return prefix.empty() ? key : prefix + "/" + key;
  }
};

// "job-master-0:23456 (127.0.1.2:40001)": the pod and declared port behind a
// host:port, with what it was mapped to, for notes; "host:port" alone when
// the address is no pod's.
std::string DescribeEndpoint(const AgentContext& ctx, const std::string& host, int port);

// glog's line for c10d's C++ logging, as torch 1.13 prints it to stderr:
// "W20261128 23:29:19.105638 30349 socket.cpp:426] text".
std::string GlogLine(const AgentContext& ctx, char level, int line, const std::string& text);

// Starts the real socket of `store` on `port` when the agent serves real
// sockets: true when it serves (or need not). On a failed bind it logs
// c10d's lines, as TCPStore does, and sets `*error` to torch's RuntimeError
// text; the caller stops the model server.
bool ServeStore(const AgentContext& ctx, TcpStore& store, int port, std::string* error);

}  // namespace ptsim::elastic

namespace ptsim::elastic {

// Callbacks that outlive their owner, or the operation that scheduled them,
// must do nothing: an owner holds a LifeToken, bumps it to abandon what is in
// flight, and wraps each continuation with Wrap().
class LifeToken {
 public:
  // Invalidates every continuation wrapped so far.
  void Abandon() { ++*generation_; }
  template <typename F>
  auto Wrap(F f) const {
    return [weak = std::weak_ptr<std::uint64_t>(generation_), gen = *generation_,
            f = std::move(f)](auto&&... args) mutable {
      auto live = weak.lock();
      if (!live || *live != gen) return;
      f(std::forward<decltype(args)>(args)...);
    };
  }

 private:
  std::shared_ptr<std::uint64_t> generation_ = std::make_shared<std::uint64_t>(0);
};

}  // namespace ptsim::elastic
