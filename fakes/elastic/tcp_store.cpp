#include "fakes/elastic/tcp_store.hpp"

#include <vector>

namespace ptsim::elastic {

TcpStore::TcpStore(EventLoop& loop, std::string address, bool file_store)
    : loop_(loop), address_(std::move(address)), file_store_(file_store) {
  if (file_store_) epoch_ = 1;
}

TcpStore::~TcpStore() {
  loop_.Cancel(recheck_);
  for (auto& [id, w] : waiters_)
    loop_.Cancel(w.timer);
}

bool TcpStore::StartServer(std::uint64_t owner) {
  if (serving()) return false;
  server_owner_ = owner;
  ++epoch_;
  connections_ = 0;
  Changed();
  return true;
}

void TcpStore::StopServer(std::uint64_t owner) {
  if (file_store_ || owner == 0 || server_owner_ != owner) return;
  server_owner_ = 0;
  keys_.clear();
  rendezvous_.clear();
  connections_ = 0;
  // Every client of the old epoch loses its connection.
  std::vector<WaitId> lost;
  for (const auto& [id, w] : waiters_)
    if (w.epoch != 0) lost.push_back(id);
  for (WaitId id : lost) {
    loop_.Cancel(waiters_[id].timer);
    waiters_[id].ready = [] { return false; };
    loop_.Post([this, id] { Finish(id, WaitEnd::kDisconnected); });
  }
}

void TcpStore::Set(const std::string& key, std::string value) {
  keys_[key] = std::move(value);
  Changed();
}

std::optional<std::string> TcpStore::Get(const std::string& key) const {
  auto it = keys_.find(key);
  if (it == keys_.end()) return std::nullopt;
  return it->second;
}

std::int64_t TcpStore::Add(const std::string& key, std::int64_t delta) {
  std::int64_t value = 0;
  if (auto it = keys_.find(key); it != keys_.end()) value = std::stoll(it->second);
  value += delta;
  keys_[key] = std::to_string(value);
  Changed();
  return value;
}

TcpStore::WaitId TcpStore::Wait(std::uint64_t epoch, std::function<bool()> ready, Duration timeout,
                                Done done) {
  const WaitId id = next_wait_++;
  Waiter w;
  w.epoch = epoch;
  w.ready = std::move(ready);
  w.done = std::move(done);
  w.timer = loop_.After(timeout, [this, id] { Finish(id, WaitEnd::kTimeout); });
  waiters_.emplace(id, std::move(w));
  Changed();
  return id;
}

void TcpStore::Cancel(WaitId id) {
  auto it = waiters_.find(id);
  if (it == waiters_.end()) return;
  loop_.Cancel(it->second.timer);
  waiters_.erase(it);
}

void TcpStore::Changed() {
  if (recheck_) return;
  recheck_ = loop_.Post([this] {
    recheck_ = {};
    Recheck();
  });
}

void TcpStore::Recheck() {
  std::vector<WaitId> ready;
  for (const auto& [id, w] : waiters_) {
    if (w.epoch != 0 && !Connected(w.epoch)) continue;  // StopServer ends these
    if (w.ready()) ready.push_back(id);
  }
  for (WaitId id : ready)
    Finish(id, WaitEnd::kReady);
}

void TcpStore::Finish(WaitId id, WaitEnd end) {
  auto it = waiters_.find(id);
  if (it == waiters_.end()) return;
  Waiter w = std::move(it->second);
  waiters_.erase(it);
  loop_.Cancel(w.timer);
  if (w.done) w.done(end);
}

}  // namespace ptsim::elastic
