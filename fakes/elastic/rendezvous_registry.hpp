// Where the agents of one simulation find each other: the c10d stores by the
// address they are served at. A TCPStore is keyed by "host:port" of its
// endpoint after ptsim's host networking resolved names to pod addresses
// (PET_RDZV_ENDPOINT and --master_addr arrive resolved); an endpoint on
// localhost belongs to the pod it is named in, as a pod's loopback does on a
// real cluster, so the agent passes its pod's address for "localhost". A
// FileStore is keyed by "file:<path>". One registry is shared by every
// ElasticAgentRunner of a simulation; separate simulations never share.
// Loop thread only.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "fakes/elastic/tcp_store.hpp"

namespace ptsim::elastic {

class RendezvousRegistry {
 public:
  explicit RendezvousRegistry(EventLoop& loop) : loop_(loop) {}

  // The TCPStore at host:port; `local_address` stands for localhost/127.0.0.1
  // (the pod's own address; empty: keep 127.0.0.1).
  TcpStore& TcpStoreAt(const std::string& host, int port, const std::string& local_address);
  TcpStore& FileStoreAt(const std::string& path);
  std::size_t size() const { return stores_.size(); }
  // A fresh agent id (never 0): server ownership and node identity.
  std::uint64_t NextAgentId() { return ++last_agent_id_; }

  // "127.0.0.1:29500" for ("localhost", 29500, ""): the key TcpStoreAt uses.
  static std::string Address(const std::string& host, int port, const std::string& local_address);

 private:
  EventLoop& loop_;
  std::map<std::string, std::unique_ptr<TcpStore>> stores_;
  std::uint64_t last_agent_id_ = 0;
};

}  // namespace ptsim::elastic
