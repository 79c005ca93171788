#include "fakes/elastic/rendezvous_registry.hpp"

#include <fmt/format.h>

namespace ptsim::elastic {

std::string RendezvousRegistry::Address(const std::string& host, int port,
                                        const std::string& local_address) {
  std::string h = host;
  if (h == "localhost" || h == "127.0.0.1" || h == "::1" || h == "0.0.0.0") {
    h = local_address.empty() ? "127.0.0.1" : local_address;
  }
  return fmt::format("{}:{}", h, port);
}

TcpStore& RendezvousRegistry::TcpStoreAt(const std::string& host, int port,
                                         const std::string& local_address) {
  const std::string key = Address(host, port, local_address);
  auto& slot = stores_[key];
  if (!slot) slot = std::make_unique<TcpStore>(loop_, key, false);
  return *slot;
}

TcpStore& RendezvousRegistry::FileStoreAt(const std::string& path) {
  const std::string key = "file:" + path;
  auto& slot = stores_[key];
  if (!slot) slot = std::make_unique<TcpStore>(loop_, key, true);
  return *slot;
}

}  // namespace ptsim::elastic
