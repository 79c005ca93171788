#include "sim/core/event_loop.hpp"

#include <sys/eventfd.h>

#include <algorithm>
#include <boost/asio/posix/stream_descriptor.hpp>

#include "sim/core/asio_context.hpp"
#include "sim/core/interrupts.hpp"

namespace ptsim {

// Registered with the InterruptCatcher: its handler's write completes the
// pending read, which wakes a Run() blocked on the world.
struct EventLoop::InterruptWake {
  explicit InterruptWake(boost::asio::io_context& io)
      : descriptor(io, ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)), fd(descriptor.native_handle()) {
    registered = InterruptCatcher::AddWakeFd(fd);
    Arm();
  }
  ~InterruptWake() { Unregister(); }
  // Before the descriptor is closed: once closed, its number may be reused by a
  // file (a report being written), which the signal handler would then write to.
  void Unregister() {
    if (registered) InterruptCatcher::RemoveWakeFd(fd);
    registered = false;
  }
  void Arm() {
    descriptor.async_read_some(boost::asio::buffer(&counter, sizeof counter),
                               [this](const boost::system::error_code& ec, std::size_t) {
                                 if (!ec) Arm();
                               });
  }
  boost::asio::posix::stream_descriptor descriptor;
  int fd;  // the eventfd registered with the InterruptCatcher
  std::uint64_t counter = 0;
  bool registered = false;
};

EventLoop::Hold::Hold(EventLoop* loop, Kind kind) : loop_(loop), kind_(kind) {
  loop_->Acquire(kind_);
}

EventLoop::Hold::Hold(Hold&& other) noexcept
    : loop_(std::exchange(other.loop_, nullptr)), kind_(other.kind_) {}

EventLoop::Hold& EventLoop::Hold::operator=(Hold&& other) noexcept {
  if (this != &other) {
    Release();
    loop_ = std::exchange(other.loop_, nullptr);
    kind_ = other.kind_;
  }
  return *this;
}

void EventLoop::Hold::Release() {
  if (loop_ != nullptr) std::exchange(loop_, nullptr)->Drop(kind_);
}

EventLoop::EventLoop(WallClock& wall) : wall_(wall), impl_(std::make_unique<Impl>()) {}

EventLoop::~EventLoop() {
  if (interrupt_wake_) {
    interrupt_wake_->Unregister();
    interrupt_wake_->descriptor.close();
  }
  interrupt_wake_.reset();
}

void EventLoop::WatchInterrupts(std::function<void(int signal)> on_interrupt) {
  on_interrupt_ = std::move(on_interrupt);
  interrupts_seen_ = InterruptCatcher::Count();
  if (!interrupt_wake_) interrupt_wake_ = std::make_unique<InterruptWake>(impl_->io);
}

void EventLoop::DeliverInterrupts() {
  for (std::uint64_t now = InterruptCatcher::Count(); interrupts_seen_ < now; ++interrupts_seen_)
    on_interrupt_(InterruptCatcher::LastSignal());
}

Time EventLoop::Now() const {
  if (real_time_holds_ == 0) return now_;
  return std::max(now_, anchor_virtual_ + (wall_.Now() - anchor_wall_));
}

void EventLoop::FollowWall() {
  if (real_time_holds_ > 0) now_ = Now();
}

EventLoop::TimerId EventLoop::At(Time when, Callback cb) {
  TimerId id{std::max(when, Now()), next_seq_++};
  impl_->queue.emplace(std::make_pair(id.at, id.seq), std::move(cb));
  return id;
}

bool EventLoop::Cancel(TimerId& id) {
  if (!id) return false;
  const bool erased = impl_->queue.erase({id.at, id.seq}) > 0;
  id = TimerId{};
  return erased;
}

void EventLoop::Acquire(Hold::Kind kind) {
  if (kind == Hold::kIo) {
    ++io_holds_;
    return;
  }
  if (real_time_holds_++ == 0) {
    anchor_wall_ = wall_.Now();
    anchor_virtual_ = now_;
  }
}

void EventLoop::Drop(Hold::Kind kind) {
  if (kind == Hold::kIo) {
    --io_holds_;
    return;
  }
  FollowWall();
  --real_time_holds_;
}

std::size_t EventLoop::pending() const {
  return impl_->queue.size();
}

bool EventLoop::due_now() const {
  const auto& queue = impl_->queue;
  return !queue.empty() && queue.begin()->first.first <= Now();
}

bool EventLoop::RunOneDue(Time limit) {
  auto& queue = impl_->queue;
  if (queue.empty()) return false;
  auto it = queue.begin();
  if (it->first.first > limit) return false;
  now_ = std::max(now_, it->first.first);
  Callback cb = std::move(it->second);
  queue.erase(it);
  ++callbacks_run_;
  cb();
  return true;
}

EventLoop::Outcome EventLoop::Run(Time deadline, const std::function<bool()>& done) {
  auto& io = impl_->io;
  stop_ = false;
  for (;;) {
    if (on_interrupt_ && InterruptCatcher::Count() != interrupts_seen_) DeliverInterrupts();
    if (io_holds_ > 0 || real_time_holds_ > 0) io.poll();
    if (stop_) return Outcome::kStopped;
    if (done && done()) return Outcome::kPredicate;
    FollowWall();
    // Run everything that is due by the deadline, one callback at a time so
    // that a callback that stops the loop or satisfies `done` is noticed at
    // once. Events due by the deadline run even when the wall clock has
    // already carried virtual time past it (Run(Now()) drains what is due).
    if (RunOneDue(std::min(now_, deadline))) continue;
    // Virtual time never goes back: past the deadline, Now() stays where the
    // wall clock took it.
    if (now_ >= deadline) return Outcome::kDeadline;

    auto& queue = impl_->queue;
    const Time next = queue.empty() ? kNever : queue.begin()->first.first;
    if (real_time_holds_ > 0) {
      // A real process is runnable: wait for the world or the next timer.
      const Time wake = std::min(next, deadline);
      if (wake == kNever) {
        io.run_one();
      } else {
        io.run_one_for(std::max(Duration{0}, wake - Now()));
      }
      continue;
    }
    // Nothing real is runnable: virtual time may jump.
    if (!queue.empty() && next <= deadline) {
      RunOneDue(next);
      continue;
    }
    if (deadline != kNever) {
      now_ = deadline;
      return Outcome::kDeadline;
    }
    if (io_holds_ > 0) {
      io.run_one();  // a frozen process or a draining pipe may still report
      continue;
    }
    return Outcome::kIdle;
  }
}

}  // namespace ptsim
