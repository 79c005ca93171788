#include "fakes/elastic/store_util.hpp"

#include <fmt/format.h>

#include <ctime>
#include <variant>

#include "fakes/elastic/store_server.hpp"

namespace ptsim::elastic {

TorchrunError StoreConnectionLost() {
  return TorchrunError::Exception("RuntimeError", "Connection reset by peer");
}

TorchrunError StoreTimeout() {
  return TorchrunError::Exception("RuntimeError", "Socket Timeout");
}

namespace {

std::vector<std::string> Keys(const StoreHandle& store, const std::string& prefix, int world_size,
                              const std::string& suffix) {
  std::vector<std::string> keys;
  for (int i = 0; i < world_size; ++i)
    keys.push_back(store.Key(fmt::format("{}{}{}", prefix, i, suffix)));
  return keys;
}

void WaitForKeys(EventLoop* loop, const StoreHandle& store, std::vector<std::string> keys,
                 Duration timeout, std::function<void(std::optional<TorchrunError>)> done) {
  if (!store.connected()) {
    loop->Post([done] { done(StoreConnectionLost()); });
    return;
  }
  TcpStore* s = store.store;
  s->Wait(
      store.epoch,
      [s, keys] {
        for (const auto& k : keys)
          if (!s->Get(k)) return false;
        return true;
      },
      timeout,
      [done](TcpStore::WaitEnd end) {
        if (end == TcpStore::WaitEnd::kReady) return done(std::nullopt);
        done(end == TcpStore::WaitEnd::kTimeout ? StoreTimeout() : StoreConnectionLost());
      });
}

}  // namespace

void Synchronize(const AgentContext& ctx, const StoreHandle& store, std::string data, int rank,
                 int world_size, const std::string& key_prefix, Duration timeout, SyncDone done) {
  if (!store.connected()) {
    ctx.loop->Post([done] { done(StoreConnectionLost()); });
    return;
  }
  store.store->Set(store.Key(fmt::format("{}{}", key_prefix, rank)), std::move(data));
  const auto keys = Keys(store, key_prefix, world_size, "");
  // get_all: every agent's data, then this agent's FIN; rank 0 waits for all FINs.
  EventLoop* loop = ctx.loop;
  WaitForKeys(loop, store, keys, timeout,
              [loop, store, keys, rank, world_size, key_prefix, timeout,
               done](std::optional<TorchrunError> error) {
                if (error) return done(*error);
                if (!store.connected()) return done(StoreConnectionLost());
                std::vector<std::string> values;
                for (const auto& k : keys)
                  values.push_back(store.store->Get(k).value_or(""));
                store.store->Set(store.Key(fmt::format("{}{}.FIN", key_prefix, rank)), "FIN");
                if (rank != 0) return done(values);
                WaitForKeys(loop, store, Keys(store, key_prefix, world_size, ".FIN"), timeout,
                            [values, done](std::optional<TorchrunError> e) {
                              if (e) return done(*e);
                              done(values);
                            });
              });
}

void Barrier(const AgentContext& ctx, const StoreHandle& store, int rank, int world_size,
             const std::string& key_prefix, Duration timeout,
             std::function<void(std::optional<TorchrunError>)> done) {
  Synchronize(ctx, store, std::to_string(rank), rank, world_size, key_prefix, timeout,
              [done](std::variant<std::vector<std::string>, TorchrunError> r) {
                if (auto* e = std::get_if<TorchrunError>(&r)) return done(*e);
                done(std::nullopt);
              });
}

}  // namespace ptsim::elastic

namespace ptsim::elastic {

std::string GlogLine(const AgentContext& ctx, char level, int line, const std::string& text) {
  const double now = ctx.UnixNow();
  const std::time_t secs = static_cast<std::time_t>(now);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  const int micros = static_cast<int>((now - static_cast<double>(secs)) * 1e6);
  return fmt::format("{}{:04}{:02}{:02} {:02}:{:02}:{:02}.{:06} {} socket.cpp:{}] {}", level,
                     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                     micros, ctx.pid, line, text);
}

bool ServeStore(const AgentContext& ctx, TcpStore& store, int port, std::string* error) {
  if (!ctx.real_sockets) return true;
  auto bound = store.ServeReal(port);
  if (std::holds_alternative<int>(bound)) {
    // Who connected, and how each connection ended, goes to the trace.
    if (auto record = ctx.record) {
      const std::string bound_port = std::to_string(std::get<int>(bound));
      std::string where = "store " + store.address();
      if (where.size() < bound_port.size() + 1 ||
          where.compare(where.size() - bound_port.size() - 1, std::string::npos,
                        ":" + bound_port) != 0) {
        where += " (port " + bound_port + ")";  // a store on port 0 got a free one
      }
      store.real_server()->SetObserver(
          [record, where](StoreServer::Event event, const StoreServer::ClientInfo& c) {
            if (event == StoreServer::Event::kConnected) {
              record(fmt::format("{}: client {} connected", where, c.peer));
              return;
            }
            record(fmt::format("{}: client {} ({}, {} requests{}) closed: {}", where, c.peer,
                               c.dialect == wire::Dialect::kTorch2      ? "torch 2 protocol"
                               : c.dialect == wire::Dialect::kTorch1_13 ? "torch 1.13 protocol"
                                                                        : "no request",
                               c.requests, c.registered ? ", registered" : "", c.close_reason));
          });
    }
    return true;
  }
  *error = std::get<std::string>(bound);
  // socket.cpp logs each failed bind, then the failure to listen.
  constexpr std::string_view kBind = " The server socket has failed to bind to ";
  ctx.Log("WARNING: Logging before InitGoogleLogging() is written to STDERR");
  for (auto pos = error->find(kBind); pos != std::string::npos;) {
    const auto next = error->find(kBind, pos + 1);
    ctx.Log(GlogLine(ctx, 'W', 426, "[c10d]" + error->substr(pos, next - pos)));
    pos = next;
  }
  ctx.Log(GlogLine(ctx, 'E', 462,
                   "[c10d] The server socket has failed to listen on any local network address."));
  return false;
}

}  // namespace ptsim::elastic

namespace ptsim::elastic {

std::string DescribeEndpoint(const AgentContext& ctx, const std::string& host, int port) {
  const std::string address = fmt::format("{}:{}", host, port);
  const std::string named = ctx.name_endpoint ? ctx.name_endpoint(host, port) : "";
  return named.empty() || named == address ? address : fmt::format("{} ({})", named, address);
}

}  // namespace ptsim::elastic
