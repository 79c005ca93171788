// TCP for ptsim-worker: non-blocking, close-on-exec sockets driven by poll()
// with deadlines, and Connection, which frames messages (wire.hpp) on top.
// Failures are values with short reasons ("connection closed", "connection
// reset", "no message within 30s") that callers wrap with who and when. Writes
// use MSG_NOSIGNAL, so a dead peer is an error rather than SIGPIPE; EINTR is
// retried everywhere. Not thread-safe: one thread owns all sockets.
#pragma once

#include <poll.h>

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "tools/ptsim-worker/duration.hpp"
#include "tools/ptsim-worker/result.hpp"
#include "tools/ptsim-worker/wire.hpp"

namespace ptsim::worker {

using Clock = std::chrono::steady_clock;
using Deadline = Clock::time_point;

// Owns one file descriptor (or none, when default-constructed or moved from).
class Socket {
 public:
  Socket() = default;
  explicit Socket(int fd) : fd_(fd) {}
  Socket(Socket&& other) noexcept;
  Socket& operator=(Socket&& other) noexcept;
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  ~Socket() { Close(); }

  int fd() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  void Close();

 private:
  int fd_ = -1;
};

// Listens on the wildcard address at `port` with SO_REUSEADDR, as torch's
// TCPStore does: IPv6 dual-stack ("::") when the host has IPv6, else 0.0.0.0.
Result<Socket> ListenOnAllAddresses(int port);

// One connection waiting on `listener`, or an invalid Socket when none is.
Result<Socket> AcceptPending(const Socket& listener);

// Connects to host:port (a name or an address), retrying while the connection
// is refused, the host is unreachable or the name does not resolve yet, for at
// most `timeout`. The error names the endpoint, the timeout and the last failure.
Result<Socket> ConnectWithRetry(const std::string& host, int port, Duration timeout);

// poll() until an entry of `fds` has events or `deadline` passes; returns the
// number of entries with events (0 on timeout).
Result<int> PollUntil(std::vector<pollfd>& fds, Deadline deadline);

// A framed message stream over a connected socket.
class Connection {
 public:
  explicit Connection(Socket socket) : socket_(std::move(socket)) {}

  int fd() const { return socket_.fd(); }

  // Sends one frame, waiting for buffer space at most `timeout`.
  Status Send(MessageType type, std::span<const std::uint8_t> payload, Duration timeout);

  // Reads whatever has arrived, without blocking. End of stream and errors are
  // remembered and reported by Next() once the frames before them are taken.
  void Fill();

  // The next complete frame; nullopt when more bytes are needed; an error when
  // the stream has ended or broken and no complete frame is left.
  Result<std::optional<Frame>> Next();

  // Waits at most `timeout` for the next frame.
  Result<Frame> Receive(Duration timeout);

 private:
  Socket socket_;
  std::vector<std::uint8_t> buffer_;
  bool closed_ = false;  // the peer ended the stream
  std::string error_;    // set when reading failed
};

}  // namespace ptsim::worker
