#include "fakes/elastic/worker_group.hpp"

#include <fmt/format.h>
#include <signal.h>

#include "sim/core/signals.hpp"

namespace ptsim::elastic {

namespace {

constexpr std::string_view kLogger = "torch.distributed.elastic.multiprocessing.api";

}  // namespace

LocalWorkerGroup::LocalWorkerGroup(EventLoop& loop, ProcessRunner& runner,
                                   std::function<void(std::string_view)> output,
                                   int* next_synthetic_pid)
    : loop_(loop),
      runner_(runner),
      output_(std::move(output)),
      next_synthetic_pid_(next_synthetic_pid) {}

LocalWorkerGroup::~LocalWorkerGroup() {
  loop_.Cancel(close_timer_);
  KillAll();
}

std::optional<TorchrunError> LocalWorkerGroup::Start(const std::vector<Launch>& workers,
                                                     const Options& options) {
  for (std::size_t i = 0; i < workers.size(); ++i) {
    const Launch& w = workers[i];
    ProcessSpec spec;
    spec.name = fmt::format("{}/worker-{}", options.name, i);
    spec.argv = w.argv;
    spec.env = w.env;
    spec.working_dir = options.working_dir;
    spec.script = options.script;
    spec.incarnation = options.incarnation;
    std::weak_ptr<bool> alive = alive_;
    auto worker_output = options.worker_output;
    const int local_rank = static_cast<int>(i);
    auto spawned =
        runner_.Spawn(spec, {[this, alive, worker_output, local_rank](std::string_view line) {
                               if (alive.expired()) return;
                               if (worker_output) return worker_output(local_rank, line);
                               if (output_) output_(line);
                             },
                             [this, alive, i](const ProcessExit& exit) {
                               if (!alive.expired()) OnExit(i, exit);
                             }});
    if (!spawned.ok()) {
      // subprocess.Popen raises; torch's message names the program.
      return TorchrunError::Exception("FileNotFoundError",
                                      fmt::format("[Errno 2] No such file or directory: '{}'",
                                                  w.argv.empty() ? "" : w.argv[0]));
    }
    Worker worker;
    worker.id = *spawned;
    worker.pid = runner_.Pid(worker.id);
    if (worker.pid == 0) worker.pid = (*next_synthetic_pid_)++;
    worker.error_file = w.error_file;
    workers_.push_back(worker);
  }
  return std::nullopt;
}

void LocalWorkerGroup::OnExit(std::size_t index, const ProcessExit& exit) {
  if (index >= workers_.size()) {
    // An exit reported while Start() was still spawning: record it once the slot exists.
    loop_.Post([this, alive = std::weak_ptr<bool>(alive_), index, exit] {
      if (!alive.expired()) OnExit(index, exit);
    });
    return;
  }
  Worker& w = workers_[index];
  w.exitcode = exit.kind == ProcessExit::Kind::kExited ? exit.value : -exit.value;
  if (close_done_)
    loop_.Post([this, alive = std::weak_ptr<bool>(alive_)] {
      if (!alive.expired()) CheckClosed();
    });
}

LocalWorkerGroup::PollResult LocalWorkerGroup::Poll(std::int64_t unix_now,
                                                    std::string* parse_error) {
  PollResult r;
  bool any_running = false;
  for (std::size_t i = 0; i < workers_.size(); ++i) {
    Worker& w = workers_[i];
    if (w.polled) continue;
    if (!w.exitcode) {
      any_running = true;
      continue;
    }
    w.polled = true;
    if (*w.exitcode != 0) {  // failed or signaled
      r.failures.emplace(static_cast<int>(i),
                         MakeProcessFailure(static_cast<int>(i), w.pid, *w.exitcode, w.error_file,
                                            unix_now, parse_error));
    }
  }
  if (!r.failures.empty()) {
    r.state = State::kFailed;
  } else if (!any_running) {
    r.state = State::kSucceeded;
  }
  return r;
}

bool LocalWorkerGroup::AnyRunning() const {
  for (const auto& w : workers_)
    if (!w.exitcode) return true;
  return false;
}

void LocalWorkerGroup::Close(int signal, Duration timeout, std::function<void()> done) {
  loop_.Cancel(close_timer_);  // a second close (a signal mid-close) starts over
  close_done_ = std::move(done);
  close_signal_ = signal;
  for (auto& w : workers_) {
    if (w.exitcode) continue;
    if (output_) {
      output_(fmt::format("WARNING:{}:Sending process {} closing signal {}", kLogger, w.pid,
                          SignalName(signal)));
    }
    runner_.Signal(w.id, signal);
  }
  std::weak_ptr<bool> alive = alive_;
  close_timer_ = loop_.After(timeout, [this, alive] {
    if (alive.expired()) return;
    close_timer_ = {};
    // Still running after the timeout: SIGKILL, then wait without limit.
    for (auto& w : workers_) {
      if (w.exitcode) continue;
      if (output_) {
        output_(fmt::format(
            "WARNING:{}:Unable to shutdown process {} via {}, forcefully exitting via {}", kLogger,
            w.pid, close_signal_, SIGKILL));
      }
      runner_.Signal(w.id, SIGKILL);
    }
  });
  loop_.Post([this, alive] {
    if (!alive.expired()) CheckClosed();
  });
}

void LocalWorkerGroup::CheckClosed() {
  if (!close_done_ || AnyRunning()) return;
  loop_.Cancel(close_timer_);
  auto done = std::move(close_done_);
  close_done_ = nullptr;
  done();
}

void LocalWorkerGroup::KillAll() {
  for (auto& w : workers_)
    if (!w.exitcode && runner_.Running(w.id)) runner_.Signal(w.id, SIGKILL);
}

void LocalWorkerGroup::Forward(int signal) {
  for (auto& w : workers_)
    if (!w.exitcode) runner_.Signal(w.id, signal);
}

std::string GroupFailureLine(const std::map<int, ProcessFailure>& failures,
                             const std::string& entrypoint) {
  const ProcessFailure& first = failures.at(FirstFailureRank(failures));
  return fmt::format("ERROR:{}:failed (exitcode: {}) local_rank: {} (pid: {}) of binary: {}",
                     kLogger, first.exitcode, first.local_rank, first.pid, entrypoint);
}

}  // namespace ptsim::elastic
