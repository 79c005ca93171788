// The run loop of a simulation: one thread, one queue of timed callbacks, and
// one Boost.Asio io_context for the real world (process exits, pipes, signals).
//
// Virtual time (docs/ARCHITECTURE.md#time): while at least one RealTimeHold is
// alive (a real process is runnable), virtual time follows the wall clock; when
// none is, the clock jumps straight to the next queued callback. Callbacks due
// at the same virtual time run in the order they were scheduled, so a run with
// no real processes is fully deterministic.
//
// Interrupts (sim/core/interrupts.hpp): once WatchInterrupts() is called, Run()
// compares the process-wide interrupt count with the last one it handled
// between any two callbacks (one atomic load) and, when it grew, calls the
// handler before anything else runs; a wait on the world is woken at once.
//
// Threading: an EventLoop and everything scheduled on it belong to the thread
// that calls Run(). Nothing here is thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "sim/core/time.hpp"
#include "sim/core/wall_clock.hpp"

namespace ptsim {

class EventLoop {
 public:
  using Callback = std::function<void()>;

  // Identifies a scheduled callback; default-constructed means "none".
  struct TimerId {
    Time at{};
    std::uint64_t seq = 0;
    explicit operator bool() const { return seq != 0; }
  };

  // Keeps the loop in real-time mode (kind kRealTime) or keeps it from
  // declaring itself idle while I/O completions may still arrive (kIo).
  // Move-only; releases on destruction.
  class Hold {
   public:
    enum Kind { kRealTime, kIo };
    Hold() = default;
    Hold(Hold&& other) noexcept;
    Hold& operator=(Hold&& other) noexcept;
    Hold(const Hold&) = delete;
    Hold& operator=(const Hold&) = delete;
    ~Hold() { Release(); }
    void Release();
    explicit operator bool() const { return loop_ != nullptr; }

   private:
    friend class EventLoop;
    Hold(EventLoop* loop, Kind kind);
    EventLoop* loop_ = nullptr;
    Kind kind_ = kRealTime;
  };

  enum class Outcome { kIdle, kStopped, kDeadline, kPredicate };

  explicit EventLoop(WallClock& wall);
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  Time Now() const;

  // Schedules `cb` at virtual time `when` (a time in the past means now).
  TimerId At(Time when, Callback cb);
  TimerId After(Duration delay, Callback cb) { return At(Now() + delay, std::move(cb)); }
  // Runs `cb` at the current virtual time, after everything already due now.
  TimerId Post(Callback cb) { return At(Now(), std::move(cb)); }
  // Returns false when the callback already ran or was cancelled. Resets `id`.
  bool Cancel(TimerId& id);

  Hold HoldRealTime() { return Hold(this, Hold::kRealTime); }
  Hold HoldIo() { return Hold(this, Hold::kIo); }
  bool real_time() const { return real_time_holds_ > 0; }

  // Runs until Stop(), until nothing can happen any more (kIdle), until
  // virtual time reaches `deadline` with every event due by then run
  // (kDeadline; Now() is then `deadline`, or later when a real process kept
  // virtual time following the wall clock past it: time never goes back), or
  // until `done` returns true after a callback (kPredicate).
  Outcome Run(Time deadline = kNever, const std::function<bool()>& done = {});
  void Stop() { stop_ = true; }

  // `on_interrupt(signal)` runs inside Run(), on the loop's thread, once per
  // interrupt caught after this call. REQUIRES: an InterruptCatcher for the
  // handler to be called at all.
  void WatchInterrupts(std::function<void(int signal)> on_interrupt);

  std::size_t pending() const;
  // True when a callback is due at the current virtual time: work of this
  // instant (watch deliveries, posted reactions) is still in flight.
  bool due_now() const;
  std::uint64_t callbacks_run() const { return callbacks_run_; }
  WallClock& wall() const { return wall_; }

  struct Impl;  // holds the io_context; see asio_context.hpp
  Impl& impl() { return *impl_; }

 private:
  void Acquire(Hold::Kind kind);
  void Drop(Hold::Kind kind);
  void FollowWall();
  bool RunOneDue(Time limit);
  void DeliverInterrupts();
  struct InterruptWake;  // the eventfd the signal handler writes to

  WallClock& wall_;
  std::unique_ptr<Impl> impl_;
  Time now_{};
  Duration anchor_wall_{0};
  Time anchor_virtual_{};
  int real_time_holds_ = 0;
  int io_holds_ = 0;
  std::uint64_t next_seq_ = 1;
  std::uint64_t callbacks_run_ = 0;
  bool stop_ = false;
  std::function<void(int)> on_interrupt_;
  std::uint64_t interrupts_seen_ = 0;
  std::unique_ptr<InterruptWake> interrupt_wake_;
};

}  // namespace ptsim
