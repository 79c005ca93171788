// The TCPStore server an emulated agent hosts, byte by byte: both wire
// dialects (torch 1.13 and 2.x) on a real socket, the model and the socket
// sharing one store, malformed and partial requests, a client that goes away
// mid-message, and the server's end closing every connection. The client is a
// plain blocking socket; the loop runs until the reply arrives (bounded).
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <string>

#include "fakes/elastic/store_server.hpp"
#include "fakes/elastic/store_wire.hpp"
#include "fakes/elastic/tcp_store.hpp"
#include "sim/core/wall_clock.hpp"

namespace ptsim::elastic {
namespace {

using wire::Dialect;
using wire::Op;

class Client {
 public:
  explicit Client(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  }
  ~Client() { Close(); }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  void Send(const std::string& bytes) const {
    REQUIRE(::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
            static_cast<ssize_t>(bytes.size()));
  }
  // Bytes waiting to be read, without blocking; nullopt once the server closed.
  std::optional<std::string> Available() {
    pollfd p{fd_, POLLIN, 0};
    while (::poll(&p, 1, 0) == 1) {
      char buf[4096];
      const ssize_t n = ::recv(fd_, buf, sizeof buf, MSG_DONTWAIT);
      if (n == 0) {
        closed_ = true;
        break;
      }
      if (n < 0) break;
      received_.append(buf, static_cast<std::size_t>(n));
    }
    if (closed_ && received_.empty()) return std::nullopt;
    return received_;
  }
  std::string Take(std::size_t n) {
    std::string out = received_.substr(0, n);
    received_.erase(0, n);
    return out;
  }
  bool closed() const { return closed_; }

 private:
  int fd_ = -1;
  std::string received_;
  bool closed_ = false;
};

struct ServerFixture {
  ServerFixture() : loop(wall), store(loop, "127.0.0.1:0", false) {
    REQUIRE(store.StartServer(1));
    auto bound = store.ServeReal(0);
    REQUIRE(std::holds_alternative<int>(bound));
    port = std::get<int>(bound);
  }
  // Runs the loop until `c` has `n` bytes (or was closed), at most 5 s.
  std::string Reply(Client& c, std::size_t n) {
    auto hold = loop.HoldRealTime();
    loop.Run(loop.Now() + std::chrono::seconds(5), [&] {
      auto got = c.Available();
      return !got || got->size() >= n;
    });
    REQUIRE(c.Available().has_value());
    REQUIRE(c.Available()->size() >= n);
    return c.Take(n);
  }
  // Runs the loop until `c` was closed by the server, at most 5 s.
  bool ClosedByServer(Client& c) {
    auto hold = loop.HoldRealTime();
    loop.Run(loop.Now() + std::chrono::seconds(5), [&] {
      c.Available();
      return c.closed();
    });
    return c.closed();
  }
  // Runs the loop for a moment, to let the server read what was sent.
  void Settle() {
    auto hold = loop.HoldRealTime();
    loop.Run(loop.Now() + std::chrono::milliseconds(100));
  }

  SteadyWallClock wall;
  EventLoop loop;
  TcpStore store;
  int port = 0;
};

std::string Query(Dialect d, Op op) {
  std::string out;
  wire::PutU8(&out, static_cast<std::uint8_t>(wire::QueryByte(d, op)));
  return out;
}
std::string Str(std::string_view s) {
  std::string out;
  wire::PutBytes(&out, s);
  return out;
}
std::string I64(std::int64_t v) {
  std::string out;
  wire::PutI64(&out, v);
  return out;
}
std::string U64(std::uint64_t v) {
  std::string out;
  wire::PutU64(&out, v);
  return out;
}
std::string Validate() {
  std::string out = Query(Dialect::kTorch2, Op::kValidate);
  wire::PutU32(&out, wire::kValidationMagic);
  return out;
}

constexpr Dialect k13 = Dialect::kTorch1_13;
constexpr Dialect k2 = Dialect::kTorch2;

TEST_CASE("the query bytes of both dialects are torch's") {
  CHECK(wire::QueryByte(k13, Op::kSet) == 0);
  CHECK(wire::QueryByte(k13, Op::kWatchKey) == 7);
  CHECK(wire::QueryByte(k13, Op::kDeleteKey) == 8);
  CHECK(wire::QueryByte(k13, Op::kPing) == -1);
  CHECK(wire::QueryByte(k2, Op::kValidate) == 0);
  CHECK(wire::QueryByte(k2, Op::kGetNumKeys) == 7);
  CHECK(wire::QueryByte(k2, Op::kPing) == 13);
  CHECK(wire::QueryByte(k2, Op::kQueueLen) == 16);
  CHECK(wire::QueryByte(k2, Op::kWatchKey) == -1);
}

TEST_CASE("a connection's first bytes tell its dialect") {
  CHECK(wire::DetectDialect("") == Dialect::kUnknown);
  CHECK(wire::DetectDialect(std::string(1, '\x03')) == k13);
  CHECK(wire::DetectDialect(std::string(1, '\0')) == Dialect::kUnknown);
  CHECK(wire::DetectDialect(Validate()) == k2);
  CHECK(wire::DetectDialect(Query(k13, Op::kSet) + Str("/k")) == k13);
}

TEST_CASE("a request is parsed only once all of it has arrived") {
  const std::string set = Query(k13, Op::kSet) + Str("/key") + Str("value");
  for (std::size_t n = 0; n < set.size(); ++n) {
    CHECK(wire::ParseRequest(k13, set.substr(0, n)).status == wire::Parsed::Status::kNeedMore);
  }
  auto p = wire::ParseRequest(k13, set + "extra");
  REQUIRE(p.status == wire::Parsed::Status::kRequest);
  CHECK(p.consumed == set.size());
  CHECK(p.request.keys == std::vector<std::string>{"/key"});
  CHECK(p.request.values == std::vector<std::string>{"value"});
}

TEST_CASE("unknown query types, bad magic and oversized lengths are malformed") {
  CHECK(wire::ParseRequest(k13, std::string(1, '\x09')).status == wire::Parsed::Status::kMalformed);
  CHECK(wire::ParseRequest(k2, std::string(1, '\x11')).status == wire::Parsed::Status::kMalformed);
  std::string bad = Query(k2, Op::kValidate);
  wire::PutU32(&bad, 0x12345678);
  CHECK(wire::ParseRequest(k2, bad).status == wire::Parsed::Status::kMalformed);
  const std::string huge_key = Query(k2, Op::kGet) + U64(wire::kMaxKey2 + 1);
  CHECK(wire::ParseRequest(k2, huge_key).status == wire::Parsed::Status::kMalformed);
  const std::string huge_13 = Query(k13, Op::kSet) + U64(wire::kMaxPayload13 + 1);
  CHECK(wire::ParseRequest(k13, huge_13).status == wire::Parsed::Status::kMalformed);
}

TEST_CASE_METHOD(ServerFixture, "torch 1.13 clients set, get, add, compare_set, check and count") {
  Client c(port);
  c.Send(Query(k13, Op::kSet) + Str("/a") + Str("1"));
  c.Send(Query(k13, Op::kGet) + Str("/a"));
  CHECK(Reply(c, 9) == Str("1"));
  c.Send(Query(k13, Op::kAdd) + Str("/n") + I64(5));
  CHECK(Reply(c, 8) == I64(5));
  c.Send(Query(k13, Op::kAdd) + Str("/n") + I64(-2));
  CHECK(Reply(c, 8) == I64(3));
  c.Send(Query(k13, Op::kCompareSet) + Str("/a") + Str("1") + Str("2"));
  CHECK(Reply(c, 9) == Str("2"));
  c.Send(Query(k13, Op::kCompareSet) + Str("/a") + Str("9") + Str("3"));
  CHECK(Reply(c, 9) == Str("2"));  // no swap: the current value comes back
  c.Send(Query(k13, Op::kCompareSet) + Str("/none") + Str("x") + Str("y"));
  CHECK(Reply(c, 9) == Str("x"));  // a missing key: the expected value, nothing stored
  c.Send(Query(k13, Op::kCheck) + U64(2) + Str("/a") + Str("/none"));
  CHECK(Reply(c, 1) == std::string(1, '\x01'));  // NOT_READY
  c.Send(Query(k13, Op::kCheck) + U64(2) + Str("/a") + Str("/n"));
  CHECK(Reply(c, 1) == std::string(1, '\x00'));  // READY
  c.Send(Query(k13, Op::kGetNumKeys));
  CHECK(Reply(c, 8) == I64(2));
  c.Send(Query(k13, Op::kDeleteKey) + Str("/a"));
  CHECK(Reply(c, 8) == I64(1));
  c.Send(Query(k13, Op::kDeleteKey) + Str("/a"));
  CHECK(Reply(c, 8) == I64(0));
  CHECK(store.RawGet("/n") == "3");
  REQUIRE(store.real_server()->clients().size() == 1);
  CHECK(store.real_server()->clients()[0].dialect == k13);
}

TEST_CASE_METHOD(ServerFixture, "a WAIT ends when another client, or the agent, sets the key") {
  Client waiter(port);
  Client setter(port);
  waiter.Send(Query(k13, Op::kWait) + U64(2) + Str("/x") + Str("/y"));
  setter.Send(Query(k13, Op::kSet) + Str("/x") + Str("1"));
  setter.Send(Query(k13, Op::kGetNumKeys));
  CHECK(Reply(setter, 8) == I64(1));
  CHECK(waiter.Available() == std::string());         // still waiting for /y
  store.Set("y", "2");                                // the agent's key "y" is "/y" on the wire
  CHECK(Reply(waiter, 1) == std::string(1, '\x00'));  // STOP_WAITING
}

TEST_CASE_METHOD(ServerFixture, "torch 1.13's compare_set wakes no WAIT client, its SET does") {
  Client waiter(port);
  Client other(port);
  waiter.Send(Query(k13, Op::kWait) + U64(1) + Str("/k"));
  other.Send(Query(k13, Op::kCompareSet) + Str("/k") + Str("") + Str("v"));
  CHECK(Reply(other, 9) == Str("v"));
  Settle();
  CHECK(waiter.Available() == std::string());
  other.Send(Query(k13, Op::kSet) + Str("/k") + Str("w"));
  CHECK(Reply(waiter, 1) == std::string(1, '\x00'));
}

TEST_CASE_METHOD(ServerFixture, "torch 1.13's WATCH_KEY reports creation, update and deletion") {
  Client watcher(port);
  Client c(port);
  watcher.Send(Query(k13, Op::kWatchKey) + Str("/w"));
  CHECK(Reply(watcher, 1) == std::string(1, '\x03'));  // KEY_CALLBACK_REGISTERED
  c.Send(Query(k13, Op::kSet) + Str("/w") + Str("1"));
  CHECK(Reply(watcher, 1 + 10 + 8 + 9) == "\x01" + Str("/w") + Str("") + Str("1"));
  c.Send(Query(k13, Op::kAdd) + Str("/w") + I64(1));
  CHECK(Reply(watcher, 1 + 10 + 9 + 9) == std::string(1, '\0') + Str("/w") + Str("1") + Str("2"));
  c.Send(Query(k13, Op::kDeleteKey) + Str("/w"));
  CHECK(Reply(watcher, 1 + 10 + 9 + 8) == "\x02" + Str("/w") + Str("2") + Str(""));
}

TEST_CASE_METHOD(ServerFixture,
                 "torch 1.13's server drops a client for a missing GET or a bad ADD") {
  Client c(port);
  c.Send(Query(k13, Op::kGet) + Str("/missing"));
  CHECK(ClosedByServer(c));
  store.RawSet("/text", "abc");
  Client d(port);
  d.Send(Query(k13, Op::kAdd) + Str("/text") + I64(1));
  CHECK(ClosedByServer(d));
  Client e(port);  // the server still serves
  e.Send(Query(k13, Op::kGetNumKeys));
  CHECK(Reply(e, 8) == I64(1));
}

TEST_CASE_METHOD(ServerFixture, "torch 2 clients validate, ping and use the 2.x queries") {
  Client c(port);
  std::string ping = Query(k2, Op::kPing);
  wire::PutU32(&ping, 0xABCDEF01);
  c.Send(Validate() + ping);
  std::string nonce;
  wire::PutU32(&nonce, 0xABCDEF01);
  CHECK(Reply(c, 4) == nonce);
  c.Send(Query(k2, Op::kGet) + Str("/missing"));
  CHECK(Reply(c, 8) == Str(""));  // libuv: a missing key reads empty
  c.Send(Query(k2, Op::kMultiSet) + U64(2) + Str("/a") + Str("1") + Str("/b") + Str("2"));
  c.Send(Query(k2, Op::kAppend) + Str("/a") + Str("x"));
  c.Send(Query(k2, Op::kMultiGet) + U64(2) + Str("/a") + Str("/b"));
  CHECK(Reply(c, 10 + 9) == Str("1x") + Str("2"));
  c.Send(Query(k2, Op::kWait) + U64(1) + Str("/later"));
  c.Send(Query(k2, Op::kCancelWait));
  CHECK(Reply(c, 1) == std::string(1, '\x01'));  // WAIT_CANCELED
  c.Send(Query(k2, Op::kQueuePush) + Str("q") + Str("item"));
  c.Send(Query(k2, Op::kQueueLen) + Str("q"));
  CHECK(Reply(c, 8) == I64(1));
  c.Send(Query(k2, Op::kQueuePop) + Str("q"));
  CHECK(Reply(c, 8 + 12) == I64(1) + Str("item"));
  c.Send(Query(k2, Op::kGetNumKeys));
  CHECK(Reply(c, 8) == I64(2));
  CHECK(store.real_server()->clients().at(0).dialect == k2);
}

TEST_CASE_METHOD(ServerFixture, "torch 2's compare_set wakes WAIT clients") {
  Client waiter(port);
  Client c(port);
  waiter.Send(Validate() + Query(k2, Op::kWait) + U64(1) + Str("/k"));
  c.Send(Validate() + Query(k2, Op::kCompareSet) + Str("/k") + Str("") + Str("v"));
  CHECK(Reply(c, 9) == Str("v"));
  CHECK(Reply(waiter, 1) == std::string(1, '\x00'));
}

TEST_CASE_METHOD(ServerFixture,
                 "a second VALIDATE, a bad magic or garbage closes that connection") {
  Client twice(port);
  twice.Send(Validate() + Validate());
  CHECK(ClosedByServer(twice));
  Client magic(port);
  std::string bad = Query(k2, Op::kValidate);
  wire::PutU32(&bad, wire::kValidationMagic);
  bad[1] = 'X';
  bad += std::string(4, '\0');
  magic.Send(bad);
  CHECK(ClosedByServer(magic));  // read as a torch 1.13 SET with a 1 GB key
  Client garbage(port);
  garbage.Send("\xff\xff\xff");
  CHECK(ClosedByServer(garbage));
  Client ok(port);
  ok.Send(Query(k13, Op::kGetNumKeys));
  CHECK(Reply(ok, 8) == I64(0));
}

TEST_CASE_METHOD(ServerFixture, "a request split into single bytes is served once complete") {
  Client c(port);
  const std::string set = Query(k13, Op::kSet) + Str("/slow") + Str("v");
  for (char b : set) {
    c.Send(std::string(1, b));
    Settle();
  }
  c.Send(Query(k13, Op::kGet) + Str("/slow"));
  CHECK(Reply(c, 9) == Str("v"));
}

TEST_CASE_METHOD(ServerFixture,
                 "a client that disconnects mid-message or while waiting is dropped") {
  {
    Client half(port);
    half.Send((Query(k13, Op::kSet) + Str("/half") + Str("value")).substr(0, 7));
    Client waiting(port);
    waiting.Send(Query(k13, Op::kWait) + U64(1) + Str("/never"));
    Settle();
  }
  Settle();
  Client c(port);
  c.Send(Query(k13, Op::kSet) + Str("/never") + Str("1"));  // wakes nobody: the waiter left
  c.Send(Query(k13, Op::kGetNumKeys));
  CHECK(Reply(c, 8) == I64(1));
  CHECK(store.real_server()->open_connections() == 1);
  int disconnected = 0;
  for (const auto& info : store.real_server()->clients())
    disconnected += info.close_reason == "disconnected";
  CHECK(disconnected == 2);
}

TEST_CASE_METHOD(ServerFixture, "the server's end closes every connection and frees the port") {
  Client c(port);
  c.Send(Query(k13, Op::kAdd) + Str("init/") + I64(1));
  CHECK(Reply(c, 8) == I64(1));
  CHECK(store.connections() == 1);
  CHECK(store.real_server()->clients().at(0).registered);
  store.StopServer(1);
  CHECK(ClosedByServer(c));
  CHECK(store.RawGet("init/") == std::nullopt);
  REQUIRE(store.StartServer(1));
  CHECK(std::get<int>(store.ServeReal(port)) == port);
}

TEST_CASE_METHOD(ServerFixture, "a port in use fails with torch's bind message") {
  TcpStore other(loop, "127.0.0.1:x", false);
  REQUIRE(other.StartServer(2));
  auto bound = other.ServeReal(port);
  REQUIRE(std::holds_alternative<std::string>(bound));
  CHECK_THAT(std::get<std::string>(bound),
             Catch::StartsWith("The server socket has failed to listen on any local network "
                               "address. The server socket has failed to bind to [::]:" +
                               std::to_string(port) + " (errno: 98 - Address already in use)."));
}

}  // namespace
}  // namespace ptsim::elastic
