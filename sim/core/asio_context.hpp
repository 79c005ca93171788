// Access to the Boost.Asio io_context behind an EventLoop, for the adapters that
// talk to the real world (the process supervisor, signal handling). Everything
// else stays free of Asio headers.
#pragma once

#include <utility>  // asio 1.18 asio/awaitable.hpp needs std::exchange before <boost/asio.hpp>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <map>

#include "sim/core/event_loop.hpp"

namespace ptsim {

struct EventLoop::Impl {
  boost::asio::io_context io{1};
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard{io.get_executor()};
  // Ordered by (time, sequence): equal times run in scheduling order.
  std::map<std::pair<Time, std::uint64_t>, Callback> queue;
};

inline boost::asio::io_context& IoContext(EventLoop& loop) { return loop.impl().io; }

}  // namespace ptsim
