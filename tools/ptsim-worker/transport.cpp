#include "tools/ptsim-worker/transport.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <thread>
#include <utility>

namespace ptsim::worker {
namespace {

std::string Reason(int error) {
  switch (error) {
    case EPIPE:
      return "connection closed";
    case ECONNRESET:
      return "connection reset";
    default:
      return std::strerror(error);
  }
}

void SetNoDelay(int fd) {
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

int MillisUntil(Deadline deadline) {
  const auto left = deadline - Clock::now();
  if (left <= Clock::duration::zero()) return 0;
  // Round up so that poll does not return just before the deadline.
  const auto ms = std::chrono::ceil<std::chrono::milliseconds>(left).count();
  return static_cast<int>(std::min<std::int64_t>(ms, 1'000'000));
}

Result<Socket> ListenOn(int family, int port) {
  Socket socket(::socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!socket.valid()) return Error{std::strerror(errno)};
  int one = 1;
  ::setsockopt(socket.fd(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  int bound = 0;
  if (family == AF_INET6) {
    int zero = 0;
    ::setsockopt(socket.fd(), IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
    sockaddr_in6 addr{};
    addr.sin6_family = AF_INET6;
    addr.sin6_addr = in6addr_any;
    addr.sin6_port = htons(static_cast<std::uint16_t>(port));
    bound = ::bind(socket.fd(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
  } else {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_ANY);
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    bound = ::bind(socket.fd(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
  }
  if (bound != 0 || ::listen(socket.fd(), 128) != 0) return Error{std::strerror(errno)};
  return socket;
}

// One attempt to connect to one resolved address, waiting at most until `deadline`.
Result<Socket> ConnectOnce(const addrinfo& ai, Deadline deadline) {
  Socket socket(::socket(ai.ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!socket.valid()) return Error{std::strerror(errno)};
  if (::connect(socket.fd(), ai.ai_addr, ai.ai_addrlen) != 0) {
    if (errno != EINPROGRESS && errno != EINTR) return Error{std::strerror(errno)};
    std::vector<pollfd> fds{{socket.fd(), POLLOUT, 0}};
    auto ready = PollUntil(fds, deadline);
    if (!ready) return Error{ready.error()};
    if (ready.value() == 0) return Error{"connection attempt timed out"};
    int error = 0;
    socklen_t len = sizeof error;
    ::getsockopt(socket.fd(), SOL_SOCKET, SO_ERROR, &error, &len);
    if (error != 0) return Error{std::strerror(error)};
  }
  SetNoDelay(socket.fd());
  return socket;
}

}  // namespace

Socket::Socket(Socket&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

Socket& Socket::operator=(Socket&& other) noexcept {
  if (this != &other) {
    Close();
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

void Socket::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

Result<Socket> ListenOnAllAddresses(int port) {
  auto v6 = ListenOn(AF_INET6, port);
  if (v6) return v6;
  auto v4 = ListenOn(AF_INET, port);
  if (v4) return v4;
  return Error{fmt::format("cannot listen on port {}: {}", port, v4.error())};
}

Result<Socket> AcceptPending(const Socket& listener) {
  for (;;) {
    int fd = ::accept4(listener.fd(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) {
      SetNoDelay(fd);
      return Socket(fd);
    }
    if (errno == EINTR || errno == ECONNABORTED) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return Socket();
    return Error{fmt::format("accept failed: {}", std::strerror(errno))};
  }
}

Result<Socket> ConnectWithRetry(const std::string& host, int port, Duration timeout) {
  const Deadline deadline = Clock::now() + timeout;
  auto backoff = std::chrono::milliseconds(10);
  std::string last_error;
  const std::string service = std::to_string(port);
  for (;;) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* list = nullptr;
    const int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &list);
    if (rc != 0) {
      last_error = fmt::format("cannot resolve {}: {}", host, ::gai_strerror(rc));
    } else {
      for (const addrinfo* ai = list; ai != nullptr; ai = ai->ai_next) {
        auto socket = ConnectOnce(*ai, deadline);
        if (socket) {
          ::freeaddrinfo(list);
          return socket;
        }
        last_error = socket.error();
      }
      ::freeaddrinfo(list);
    }
    const auto now = Clock::now();
    if (now >= deadline) {
      return Error{fmt::format("could not connect to {}:{} within {} (last error: {})", host, port,
                               FormatDuration(timeout), last_error)};
    }
    std::this_thread::sleep_for(std::min<Clock::duration>(backoff, deadline - now));
    backoff = std::min(backoff * 2, std::chrono::milliseconds(200));
  }
}

Result<int> PollUntil(std::vector<pollfd>& fds, Deadline deadline) {
  for (;;) {
    for (pollfd& p : fds)
      p.revents = 0;
    const int n = ::poll(fds.data(), fds.size(), MillisUntil(deadline));
    if (n > 0) return n;
    if (n == 0) {
      if (Clock::now() >= deadline) return 0;
      continue;  // woke a little early
    }
    if (errno != EINTR) return Error{fmt::format("poll failed: {}", std::strerror(errno))};
  }
}

Status Connection::Send(MessageType type, std::span<const std::uint8_t> payload, Duration timeout) {
  const Deadline deadline = Clock::now() + timeout;
  const std::vector<std::uint8_t> frame = EncodeFrame(type, payload);
  std::size_t sent = 0;
  while (sent < frame.size()) {
    const ssize_t n = ::send(fd(), frame.data() + sent, frame.size() - sent, MSG_NOSIGNAL);
    if (n >= 0) {
      sent += static_cast<std::size_t>(n);
      continue;
    }
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) return Error{Reason(errno)};
    std::vector<pollfd> fds{{fd(), POLLOUT, 0}};
    auto ready = PollUntil(fds, deadline);
    if (!ready) return Error{ready.error()};
    if (ready.value() == 0) {
      return Error{fmt::format("could not send within {}", FormatDuration(timeout))};
    }
  }
  return Ok{};
}

void Connection::Fill() {
  std::uint8_t chunk[65536];
  while (!closed_ && error_.empty()) {
    const ssize_t n = ::recv(fd(), chunk, sizeof chunk, 0);
    if (n > 0) {
      buffer_.insert(buffer_.end(), chunk, chunk + n);
    } else if (n == 0) {
      closed_ = true;
    } else if (errno == EINTR) {
      continue;
    } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
      return;
    } else {
      error_ = Reason(errno);
    }
  }
}

Result<std::optional<Frame>> Connection::Next() {
  if (buffer_.size() >= kFrameHeaderSize) {
    auto header = DecodeFrameHeader(buffer_);
    if (!header) return Error{header.error()};
    const std::size_t total = kFrameHeaderSize + header.value().length;
    if (buffer_.size() >= total) {
      Frame frame;
      frame.type = header.value().type;
      frame.payload.assign(buffer_.begin() + kFrameHeaderSize, buffer_.begin() + total);
      buffer_.erase(buffer_.begin(), buffer_.begin() + total);
      return std::optional<Frame>(std::move(frame));
    }
  }
  if (!error_.empty()) return Error{error_};
  if (closed_) {
    return Error{buffer_.empty() ? "connection closed" : "connection closed mid-message"};
  }
  return std::optional<Frame>();
}

Result<Frame> Connection::Receive(Duration timeout) {
  const Deadline deadline = Clock::now() + timeout;
  for (;;) {
    auto next = Next();
    if (!next) return Error{next.error()};
    if (next.value()) return std::move(*next.value());
    std::vector<pollfd> fds{{fd(), POLLIN, 0}};
    auto ready = PollUntil(fds, deadline);
    if (!ready) return Error{ready.error()};
    if (ready.value() == 0) {
      return Error{fmt::format("no message within {}", FormatDuration(timeout))};
    }
    Fill();
  }
}

}  // namespace ptsim::worker
