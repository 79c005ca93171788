#include "fakes/elastic/tcp_store.hpp"

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <vector>

#include "fakes/elastic/store_server.hpp"

namespace ptsim::elastic {

namespace {

// std::stoll as the server applies it to a stored counter: leading blanks, a
// sign, digits, anything after them ignored; no digits or overflow throws.
std::optional<std::int64_t> Stoll(const std::string& s) {
  errno = 0;
  char* end = nullptr;
  const long long v = std::strtoll(s.c_str(), &end, 10);
  if (end == s.c_str() || errno == ERANGE) return std::nullopt;
  return static_cast<std::int64_t>(v);
}

}  // namespace

TcpStore::TcpStore(EventLoop& loop, std::string address, bool file_store)
    : loop_(loop), address_(std::move(address)), file_store_(file_store) {
  if (file_store_) epoch_ = 1;
}

TcpStore::~TcpStore() {
  real_.reset();
  loop_.Cancel(recheck_);
  for (auto& [id, w] : waiters_)
    loop_.Cancel(w.timer);
}

bool TcpStore::StartServer(std::uint64_t owner) {
  if (serving()) return false;
  server_owner_ = owner;
  ++epoch_;
  Changed();
  return true;
}

std::variant<int, std::string> TcpStore::ServeReal(int port) {
  real_.reset();
  auto server = std::make_unique<StoreServer>(loop_, *this);
  auto bound = server->Listen(port);
  if (std::holds_alternative<int>(bound)) real_ = std::move(server);
  return bound;
}

void TcpStore::StopServer(std::uint64_t owner) {
  if (file_store_ || owner == 0 || server_owner_ != owner) return;
  server_owner_ = 0;
  // The process that served it is gone: its socket and every connection close.
  real_.reset();
  keys_.clear();
  queues_.clear();
  rendezvous_.clear();
  // Whoever watches the server hears of its end (after this change is done).
  auto listeners = std::move(stop_listeners_);
  stop_listeners_.clear();
  for (auto& [id, cb] : listeners)
    loop_.Post(cb);
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

std::uint64_t TcpStore::AddStopListener(std::function<void()> listener) {
  const std::uint64_t id = next_stop_listener_++;
  stop_listeners_.emplace(id, std::move(listener));
  return id;
}

int TcpStore::connections() const {
  auto v = RawGet("init/");
  return v ? static_cast<int>(Stoll(*v).value_or(0)) : 0;
}

void TcpStore::RawSet(const std::string& key, std::string value) {
  auto it = keys_.find(key);
  KeyChange c{key, it == keys_.end() ? KeyChange::Kind::kCreated : KeyChange::Kind::kUpdated,
              it == keys_.end() ? std::string() : it->second, value, true};
  keys_[key] = std::move(value);
  Notify(std::move(c));
}

std::optional<std::string> TcpStore::RawGet(const std::string& key) const {
  auto it = keys_.find(key);
  if (it == keys_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::int64_t> TcpStore::RawAdd(const std::string& key, std::int64_t delta) {
  // TCPStore's addHandler: the value is a decimal string (std::stoll).
  std::int64_t value = delta;
  auto it = keys_.find(key);
  std::string old;
  if (it != keys_.end()) {
    auto parsed = Stoll(it->second);
    if (!parsed) return std::nullopt;
    old = it->second;
    value += *parsed;
  }
  const bool created = it == keys_.end();
  keys_[key] = std::to_string(value);
  Notify({key, created ? KeyChange::Kind::kCreated : KeyChange::Kind::kUpdated, old,
          std::to_string(value), true});
  return value;
}

std::string TcpStore::RawCompareSet(const std::string& key, const std::string& expected,
                                    std::string desired, bool wakes_waiters) {
  // compareSetHandler / LibUVStoreDaemon::compareAndSet.
  auto it = keys_.find(key);
  if (it == keys_.end()) {
    if (!expected.empty()) {
      // "lying" to the caller: the expected value comes back, nothing is stored.
      if (wakes_waiters) Notify({key, KeyChange::Kind::kUpdated, "", "", true, false});
      return expected;
    }
    keys_[key] = desired;
    Notify({key, KeyChange::Kind::kCreated, "", desired, wakes_waiters});
    return desired;
  }
  if (it->second == expected) {
    std::string old = it->second;
    it->second = std::move(desired);
    Notify({key, KeyChange::Kind::kUpdated, old, it->second, wakes_waiters});
  } else if (wakes_waiters) {
    Notify({key, KeyChange::Kind::kUpdated, it->second, it->second, true, false});
  }
  return it->second;
}

bool TcpStore::RawDelete(const std::string& key) {
  auto it = keys_.find(key);
  if (it == keys_.end()) return false;
  std::string old = std::move(it->second);
  keys_.erase(it);
  Notify({key, KeyChange::Kind::kDeleted, old, "", false, true});
  return true;
}

void TcpStore::RawAppend(const std::string& key, const std::string& value) {
  auto it = keys_.find(key);
  const bool created = it == keys_.end();
  std::string old = created ? std::string() : it->second;
  keys_[key] = old + value;
  Notify({key, created ? KeyChange::Kind::kCreated : KeyChange::Kind::kUpdated, old, keys_[key],
          true});
}

bool TcpStore::QueueNonEmpty(const std::string& key) const {
  auto it = queues_.find(key);
  return it != queues_.end() && !it->second.empty();
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

void TcpStore::Notify(KeyChange change) {
  // The model's gate: a FileStore's keys and a served store's keys alike.
  if (listener_) listener_(change);
  Changed();
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
