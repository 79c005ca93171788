#include "fakes/elastic/store_server.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/write.hpp>
#include <cstring>

#include "sim/core/asio_context.hpp"

namespace ptsim::elastic {

using boost::asio::ip::tcp;
using wire::Op;

struct StoreServer::Acceptor {
  explicit Acceptor(boost::asio::io_context& io) : acceptor(io) {}
  tcp::acceptor acceptor;
};

struct StoreServer::Connection {
  explicit Connection(boost::asio::io_context& io) : socket(io) {}
  tcp::socket socket;
  std::uint64_t id = 0;
  std::size_t info = 0;  // index in clients_
  std::array<char, 4096> buffer{};
  std::string in;
  std::string out;      // queued replies
  std::string writing;  // the reply being written
  wire::Dialect dialect = wire::Dialect::kUnknown;
  bool closed = false;
};

StoreServer::StoreServer(EventLoop& loop, TcpStore& store)
    : loop_(loop), store_(store), acceptor_(std::make_unique<Acceptor>(IoContext(loop))) {
  store_.SetChangeListener([this](const KeyChange& change) { OnChange(change); });
}

StoreServer::~StoreServer() {
  *alive_ = false;
  store_.SetChangeListener(nullptr);
  boost::system::error_code ignored;
  acceptor_->acceptor.close(ignored);
  for (auto& [id, c] : connections_) {
    c->closed = true;
    c->socket.shutdown(tcp::socket::shutdown_both, ignored);
    c->socket.close(ignored);
  }
}

std::variant<int, std::string> StoreServer::Listen(int port) {
  // torch's tcputil listen (socket.cpp): [::] first, then 0.0.0.0, each with
  // SO_REUSEADDR; the error names both failed binds.
  auto& a = acceptor_->acceptor;
  std::string errors;
  for (const bool v6 : {true, false}) {
    boost::system::error_code ec;
    const tcp::endpoint ep(v6 ? tcp::v6() : tcp::v4(), static_cast<unsigned short>(port));
    a.open(ep.protocol(), ec);
    if (!ec && v6) a.set_option(boost::asio::ip::v6_only(false), ec);
    if (!ec) a.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) a.bind(ep, ec);
    if (!ec) a.listen(boost::asio::socket_base::max_listen_connections, ec);
    if (!ec) {
      port_ = a.local_endpoint().port();
      Accept();
      return port_;
    }
    errors += fmt::format(" The server socket has failed to bind to {}:{} (errno: {} - {}).",
                          v6 ? "[::]" : "0.0.0.0", port, ec.value(), std::strerror(ec.value()));
    boost::system::error_code ignored;
    a.close(ignored);
  }
  return "The server socket has failed to listen on any local network address." + errors;
}

std::size_t StoreServer::open_connections() const {
  return connections_.size();
}

StoreServer::ClientInfo& StoreServer::Info(const ConnectionPtr& c) {
  return clients_.at(c->info);
}

void StoreServer::Accept() {
  auto c = std::make_shared<Connection>(IoContext(loop_));
  std::weak_ptr<bool> alive = alive_;
  acceptor_->acceptor.async_accept(c->socket, [this, alive, c](boost::system::error_code ec) {
    if (alive.expired()) return;
    if (ec == boost::asio::error::operation_aborted) return;
    if (!ec) {
      c->id = next_id_++;
      c->socket.set_option(tcp::no_delay(true), ec);
      ClientInfo info;
      info.id = c->id;
      boost::system::error_code peer_ec;
      const auto peer = c->socket.remote_endpoint(peer_ec);
      info.peer =
          peer_ec ? "unknown" : fmt::format("{}:{}", peer.address().to_string(), peer.port());
      info.connected = loop_.Now();
      c->info = clients_.size();
      clients_.push_back(info);
      connections_[c->id] = c;
      if (observer_) observer_(Event::kConnected, clients_.back());
      Read(c);
    }
    Accept();
  });
}

void StoreServer::Read(const ConnectionPtr& c) {
  std::weak_ptr<bool> alive = alive_;
  c->socket.async_read_some(
      boost::asio::buffer(c->buffer),
      [this, alive, c](boost::system::error_code ec, std::size_t n) {
        if (alive.expired() || c->closed) return;
        if (n > 0) {
          c->in.append(c->buffer.data(), n);
          Process(c);
        }
        if (c->closed) return;
        if (ec) return Close(c, ec == boost::asio::error::eof ? "disconnected" : ec.message());
        Read(c);
      });
}

void StoreServer::Process(const ConnectionPtr& c) {
  while (!c->closed) {
    if (c->dialect == wire::Dialect::kUnknown) {
      c->dialect = wire::DetectDialect(c->in);
      if (c->dialect == wire::Dialect::kUnknown) return;
      Info(c).dialect = c->dialect;
    }
    const wire::Parsed p = wire::ParseRequest(c->dialect, c->in);
    if (p.status == wire::Parsed::Status::kNeedMore) return;
    if (p.status == wire::Parsed::Status::kMalformed) return Close(c, "malformed: " + p.error);
    c->in.erase(0, p.consumed);
    ++Info(c).requests;
    std::string reply;
    if (!Handle(c, p.request, &reply)) return;
    if (!reply.empty()) Send(c, std::move(reply));
  }
}

bool StoreServer::Handle(const ConnectionPtr& c, const wire::Request& r, std::string* reply) {
  const bool v2 = c->dialect == wire::Dialect::kTorch2;
  const std::string key = r.keys.empty() ? std::string() : r.keys.front();
  auto present = [&](const std::string& k) {
    return store_.RawGet(k).has_value() || (v2 && store_.QueueNonEmpty(k));
  };
  switch (r.op) {
    case Op::kValidate:
      // LibUVStoreDaemon: only a new connection's first message may validate.
      if (Info(c).requests != 1) {
        Close(c, "malformed: VALIDATE after the first request");
        return false;
      }
      return true;
    case Op::kPing:
      wire::PutU32(reply, r.number);
      return true;
    case Op::kSet:
      store_.RawSet(key, r.values.at(0));
      return true;
    case Op::kCompareSet:
      wire::PutBytes(reply, store_.RawCompareSet(key, r.values.at(0), r.values.at(1), v2));
      return true;
    case Op::kGet: {
      auto v = store_.RawGet(key);
      if (!v && !v2) {  // 1.13: tcpStore_.at(key) throws; the daemon drops the client
        Close(c, "GET of a missing key");
        return false;
      }
      wire::PutBytes(reply, v.value_or(""));
      return true;
    }
    case Op::kAdd: {
      auto v = store_.RawAdd(key, r.delta);
      if (!v) {  // std::stoll throws on a non-integer value
        Close(c, "ADD to a key whose value is not an integer");
        return false;
      }
      if (key == "init/") Info(c).registered = true;
      wire::PutI64(reply, *v);
      return true;
    }
    case Op::kCheck: {
      const bool ready = std::all_of(r.keys.begin(), r.keys.end(), present);
      wire::PutU8(reply, static_cast<std::uint8_t>(ready ? wire::CheckResponse::kReady
                                                         : wire::CheckResponse::kNotReady));
      return true;
    }
    case Op::kWait: {
      if (std::all_of(r.keys.begin(), r.keys.end(), present)) {
        wire::PutU8(reply, static_cast<std::uint8_t>(wire::WaitResponse::kStopWaiting));
        return true;
      }
      // Only keys not set yet are awaited, once per occurrence.
      std::size_t n = 0;
      for (const auto& k : r.keys) {
        if (store_.RawGet(k)) continue;
        waiting_[k].push_back(c->id);
        ++n;
      }
      awaited_[c->id] = n;
      return true;
    }
    case Op::kGetNumKeys:
      wire::PutI64(reply, store_.NumKeys());
      return true;
    case Op::kWatchKey:
      watchers_[key].push_back(c->id);
      wire::PutU8(reply, static_cast<std::uint8_t>(wire::WatchResponse::kKeyCallbackRegistered));
      return true;
    case Op::kDeleteKey:
      wire::PutI64(reply, store_.RawDelete(key) ? 1 : 0);
      return true;
    case Op::kAppend:
      store_.RawAppend(key, r.values.at(0));
      return true;
    case Op::kMultiGet:
      for (const auto& k : r.keys)
        wire::PutBytes(reply, store_.RawGet(k).value_or(""));
      return true;
    case Op::kMultiSet:
      for (std::size_t i = 0; i < r.keys.size(); ++i)
        store_.RawSet(r.keys[i], r.values.at(i));
      return true;
    case Op::kCancelWait:
      ClearWaits(c->id);
      wire::PutU8(reply, static_cast<std::uint8_t>(wire::WaitResponse::kWaitCanceled));
      return true;
    case Op::kQueuePush: {
      store_.queue(key).push_back(r.values.at(0));
      // wakeupOneWaitingClient: the first waiter whose last key this was.
      auto it = waiting_.find(key);
      if (it == waiting_.end()) return true;
      for (auto w = it->second.begin(); w != it->second.end(); ++w) {
        if (--awaited_[*w] != 0) continue;
        const std::uint64_t id = *w;
        it->second.erase(w);
        if (auto conn = connections_.find(id); conn != connections_.end()) {
          std::string stop;
          wire::PutU8(&stop, static_cast<std::uint8_t>(wire::WaitResponse::kStopWaiting));
          Send(conn->second, std::move(stop));
        }
        break;
      }
      return true;
    }
    case Op::kQueuePop: {
      auto& q = store_.queue(key);
      wire::PutI64(reply, static_cast<std::int64_t>(q.size()));
      if (!q.empty()) {
        wire::PutBytes(reply, q.front());
        q.pop_front();
      }
      return true;
    }
    case Op::kQueueLen:
      wire::PutI64(reply, store_.QueueNonEmpty(key)
                              ? static_cast<std::int64_t>(store_.queue(key).size())
                              : 0);
      return true;
  }
  return true;
}

void StoreServer::OnChange(const KeyChange& change) {
  if (change.wakes_waiters) {
    if (auto it = waiting_.find(change.key); it != waiting_.end()) {
      std::vector<std::uint64_t> ids = std::move(it->second);
      waiting_.erase(it);
      for (std::uint64_t id : ids) {
        if (--awaited_[id] != 0) continue;
        if (auto conn = connections_.find(id); conn != connections_.end()) {
          std::string stop;
          wire::PutU8(&stop, static_cast<std::uint8_t>(wire::WaitResponse::kStopWaiting));
          Send(conn->second, std::move(stop));
        }
      }
    }
  }
  if (!change.changed) return;
  auto it = watchers_.find(change.key);
  if (it == watchers_.end()) return;
  // sendKeyUpdatesToClients: type, key, old value, new value.
  std::string msg;
  const auto type = change.kind == KeyChange::Kind::kCreated   ? wire::WatchResponse::kKeyCreated
                    : change.kind == KeyChange::Kind::kDeleted ? wire::WatchResponse::kKeyDeleted
                                                               : wire::WatchResponse::kKeyUpdated;
  wire::PutU8(&msg, static_cast<std::uint8_t>(type));
  wire::PutBytes(&msg, change.key);
  wire::PutBytes(&msg, change.old_value);
  wire::PutBytes(&msg, change.new_value);
  for (std::uint64_t id : it->second)
    if (auto conn = connections_.find(id); conn != connections_.end()) Send(conn->second, msg);
}

void StoreServer::Send(const ConnectionPtr& c, std::string bytes) {
  if (c->closed) return;
  c->out += bytes;
  if (c->writing.empty()) Flush(c);
}

void StoreServer::Flush(const ConnectionPtr& c) {
  if (c->closed || c->out.empty()) return;
  c->writing = std::move(c->out);
  c->out.clear();
  std::weak_ptr<bool> alive = alive_;
  boost::asio::async_write(c->socket, boost::asio::buffer(c->writing),
                           [this, alive, c](boost::system::error_code ec, std::size_t) {
                             if (alive.expired() || c->closed) return;
                             c->writing.clear();
                             if (ec) return Close(c, ec.message());
                             Flush(c);
                           });
}

void StoreServer::Close(const ConnectionPtr& c, const std::string& reason) {
  if (c->closed) return;
  c->closed = true;
  boost::system::error_code ignored;
  c->socket.shutdown(tcp::socket::shutdown_both, ignored);
  c->socket.close(ignored);
  ClearWaits(c->id);
  for (auto& [key, ids] : watchers_)
    ids.erase(std::remove(ids.begin(), ids.end(), c->id), ids.end());
  connections_.erase(c->id);
  ClientInfo& info = Info(c);
  info.closed = loop_.Now();
  info.close_reason = reason;
  if (observer_) observer_(Event::kClosed, info);
}

void StoreServer::ClearWaits(std::uint64_t id) {
  awaited_.erase(id);
  for (auto it = waiting_.begin(); it != waiting_.end();) {
    auto& ids = it->second;
    ids.erase(std::remove(ids.begin(), ids.end(), id), ids.end());
    it = ids.empty() ? waiting_.erase(it) : std::next(it);
  }
}

}  // namespace ptsim::elastic
