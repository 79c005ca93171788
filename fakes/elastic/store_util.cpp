#include "fakes/elastic/store_util.hpp"

#include <fmt/format.h>

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
