#include "fakes/process/real_process_runner.hpp"

#include "fakes/process/container_log.hpp"
#include "fakes/process/log_line_splitter.hpp"

// Boost.Process 1.74 pitfalls handled here, each confirmed on Debian 12's
// libboost 1.74 (1.81's Process v2 fixes the zombie one):
//  - <utility> before Asio under C++20 (asio_context.hpp does it);
//  - on_exit's code is "evaluated" (a signal looks like an exit code): we read
//    the raw wait status with native_exit_code();
//  - ~child() on a running child leaves a zombie: we always reap ourselves and
//    detach;
//  - no descriptor hygiene: our initializer marks every fd >= 3 close-on-exec,
//    which keeps Boost's exec-error pipe working;
//  - never waitpid(-1) and never SIG_IGN for SIGCHLD (Boost's sigchld service
//    reaps registered children by pid);
//  - bp::environment's operator[] reads past the end of a heap block
//    (boostorg/process#122, found by AddressSanitizer): we build the child's
//    envp ourselves and hand it to the executor (ChildSetup::on_setup).
// Children start with vfork (bp::posix::use_vfork): no copy of ptsim's page
// tables, so a spawn costs about what posix_spawn costs. The setup handler
// below therefore only makes system calls and writes to its own stack.
// Boost.Process 1.74 only enables vfork for pre-2008 POSIX feature levels;
// glibc still provides it, and it is what makes a spawn cheap.
#define BOOST_POSIX_HAS_VFORK 1

#include "sim/core/asio_context.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/post.hpp>
#include <boost/process/args.hpp>
#include <boost/process/async.hpp>
#include <boost/process/async_pipe.hpp>
#include <boost/process/child.hpp>
#include <boost/process/exe.hpp>
#include <boost/process/extend.hpp>
#include <boost/process/io.hpp>
#include <boost/process/posix.hpp>
#include <boost/process/start_dir.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <unordered_map>

#include "fakes/process/container_shim.hpp"
#include "fakes/process/proc_scan.hpp"
#include "fakes/process/spawn_failure.hpp"

namespace bp = boost::process;

namespace ptsim {
namespace {

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

// The child's environment as execve wants it: "NAME=value" entries, each name
// once, at its first position with its last value (a later entry overrides an
// earlier one, as Kubernetes' env list does), entries without a name dropped.
std::vector<std::string> ChildEnvironment(const std::vector<std::string>& env) {
  std::vector<std::string> out;
  std::unordered_map<std::string, std::size_t> position;  // name -> index in `out`
  for (const auto& entry : env) {
    const auto eq = entry.find('=');
    if (eq == std::string::npos || eq == 0) continue;
    auto [it, added] = position.try_emplace(entry.substr(0, eq), out.size());
    if (added) {
      out.push_back(entry);
    } else {
      out[it->second] = entry;
    }
  }
  return out;
}

// Sets up the child: its environment (in the parent, before the fork) and,
// between fork and exec, its process group, death signal, cgroup, signal
// dispositions and descriptors. The second part runs in the child: only
// async-signal-safe calls.
struct ChildSetup : bp::extend::handler {
  int cgroup_procs_fd = -1;
  int inherited_fd = -1;  // stays open across the exec (the shim's handshake)
  pid_t parent = 0;
  char** envp = nullptr;  // null-terminated; owned by Spawn, alive until exec

  template <class Executor>
  void on_setup(Executor& exec) const {
    exec.env = envp;
  }

  template <class Executor>
  void on_exec_setup(Executor& /*exec*/) const {
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);  // ptsim died between fork and here
    if (cgroup_procs_fd >= 0) {
      char buf[24];
      const int n = std::snprintf(buf, sizeof buf, "%d", ::getpid());
      if (::write(cgroup_procs_fd, buf, static_cast<std::size_t>(n)) != n) ::_exit(127);
    }
    // Signals ptsim ignores or blocks must not stay ignored/blocked in the child.
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    for (int sig = 1; sig < 32; ++sig) {
      if (sig != SIGKILL && sig != SIGSTOP) ::signal(sig, SIG_DFL);
    }
    ::syscall(SYS_close_range, 3u, ~0u, CLOSE_RANGE_CLOEXEC);
    if (inherited_fd >= 0) ::fcntl(inherited_fd, F_SETFD, 0);
  }
};

std::string EnvLookup(const std::vector<std::string>& env, const std::string& name) {
  const std::string prefix = name + "=";
  std::string found;
  for (const auto& e : env) {
    if (e.rfind(prefix, 0) == 0) found = e.substr(prefix.size());  // last wins
  }
  return found;
}

bool IsExecutableFile(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

}  // namespace

std::string ResolveExecutable(const std::string& command, const std::vector<std::string>& env,
                              std::string* why) {
  if (command.empty()) {
    *why = "the command is empty";
    return "";
  }
  if (command.find('/') != std::string::npos) {
    struct stat st {};
    if (::stat(command.c_str(), &st) != 0) {
      *why = fmt::format("\"{}\": no such file or directory", command);
      return "";
    }
    if (!S_ISREG(st.st_mode) || ::access(command.c_str(), X_OK) != 0) {
      *why = fmt::format("\"{}\": permission denied (not an executable file)", command);
      return "";
    }
    return command;
  }
  std::string path = EnvLookup(env, "PATH");
  if (path.empty()) {
    const char* own = std::getenv("PATH");
    path = own ? own : "/usr/local/bin:/usr/bin:/bin";
  }
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t end = path.find(':', start);
    std::string dir =
        path.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (dir.empty()) dir = ".";
    const std::string candidate = dir + "/" + command;
    if (IsExecutableFile(candidate)) return candidate;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  *why = fmt::format("exec: \"{}\": executable file not found in $PATH", command);
  return "";
}

struct RealProcessRunner::Child {
  Child(boost::asio::io_context& io) : pipe(io) {}
  std::int64_t memory_limit_bytes = 0;  // the only part of the spec needed after the spawn
  Callbacks callbacks;
  bp::async_pipe pipe;
  bp::child process;
  int pid = 0;
  std::unique_ptr<ContainerLogFile> log;
  std::array<char, 16384> buffer{};
  LogLineSplitter lines;
  EventLoop::Hold real_time;
  EventLoop::Hold io_hold;
  bool frozen = false;
  bool exited = false;
  bool sampled_oom = false;
  std::optional<MemoryCgroups::Slot> cgroup;
};

RealProcessRunner::RealProcessRunner(EventLoop& loop, Options options)
    : loop_(loop), options_(std::move(options)) {
  // A child that exits while we write to it must not kill ptsim.
  ::signal(SIGPIPE, SIG_IGN);
}

RealProcessRunner::~RealProcessRunner() {
  loop_.Cancel(sampler_);
  for (auto& [id, child] : children_) {
    if (child->exited) continue;
    ::killpg(child->pid, SIGKILL);
    int status = 0;
    while (::waitpid(child->pid, &status, 0) < 0 && errno == EINTR) {
    }
    child->process.detach();
    if (options_.guard) options_.guard->Unwatch(child->pid);
    if (child->cgroup && options_.cgroups) options_.cgroups->Remove(*child->cgroup);
  }
}

Result<ProcessId> RealProcessRunner::Spawn(const ProcessSpec& spec, Callbacks callbacks) {
  Diagnostics diags;
  std::vector<std::string> env = spec.env;
  if (!options_.marker_env.empty()) env.push_back(options_.marker_env);
  if (spec.argv.empty()) {
    diags.Error({}, spec.name, "", "no command to run");
    return diags;
  }
  std::string why;
  const std::string dir_for_exe =
      spec.working_dir.empty() ? options_.default_working_dir : spec.working_dir;
  std::string command = spec.argv[0];
  // A relative path with a slash is relative to the process's working directory.
  if (command.find('/') != std::string::npos && command[0] != '/' && !dir_for_exe.empty()) {
    command = dir_for_exe + "/" + command;
  }
  const std::string exe = ResolveExecutable(command, env, &why);
  if (exe.empty()) {
    diags.Error({}, spec.name, "", why);
    return diags;
  }
  auto& io = IoContext(loop_);
  std::unique_ptr<Child> child;
  try {
    child = std::make_unique<Child>(io);  // makes the output pipe
  } catch (const std::exception& e) {
    diags.Error({}, spec.name, "", SpawnFailure(exe, e.what()));
    return diags;
  }
  child->memory_limit_bytes = spec.memory_limit_bytes;
  child->callbacks = std::move(callbacks);
  if (spec.memory_limit_bytes > 0 && options_.cgroups &&
      options_.cgroups->mechanism() == MemoryCgroups::Mechanism::kCgroupV1) {
    child->cgroup = options_.cgroups->Create(fmt::format("{}-{}", options_.cgroup_prefix, next_id_),
                                             spec.memory_limit_bytes);
  }

  std::vector<std::string> environment = ChildEnvironment(env);
  std::vector<char*> envp;
  envp.reserve(environment.size() + 1);
  for (auto& entry : environment)
    envp.push_back(entry.data());
  envp.push_back(nullptr);
  std::vector<std::string> args(spec.argv.begin() + 1, spec.argv.end());
  ChildSetup setup;
  setup.envp = envp.data();
  setup.cgroup_procs_fd = child->cgroup ? child->cgroup->procs_fd : -1;
  setup.parent = ::getpid();
  // Under the shim, every process the container starts ends with it (container_shim.hpp).
  std::optional<ShimLaunch> shim;
  if (!options_.shim.empty()) {
    shim.emplace(options_.shim, exe, args);
    if (!shim->ok()) {
      if (child->cgroup && options_.cgroups) options_.cgroups->Remove(*child->cgroup);
      diags.Error({}, spec.name, "", SpawnFailure(exe, shim->error()));
      return diags;
    }
    setup.inherited_fd = shim->write_fd();
  }
  const std::string& run_exe = shim ? shim->exe() : exe;
  const std::vector<std::string>& run_args = shim ? shim->args() : args;
  const ProcessId id = next_id_++;
  const std::string dir =
      spec.working_dir.empty() ? options_.default_working_dir : spec.working_dir;
  try {
    // Boost 1.74's sigchld service runs this handler inline when the child
    // has already exited by the time bp::child registers it from inside the
    // io_context (an immediate restart of a process that dies at once), i.e.
    // before `children_` holds the child. Posting defers it until Spawn has
    // returned; the wait status is already stored in the child's shared exit
    // status, which native_exit_code() reads.
    auto on_exit = [this, id](int, const std::error_code&) {
      boost::asio::post(IoContext(loop_), [this, id] {
        auto it = children_.find(id);
        if (it == children_.end() || it->second->exited) return;
        OnExit(id, it->second->process.native_exit_code());
      });
    };
    if (dir.empty()) {
      child->process = bp::child(bp::exe = run_exe, bp::args = run_args,
                                 bp::std_in<bp::null, (bp::std_out & bp::std_err)> child->pipe, io,
                                 bp::on_exit = on_exit, setup, bp::posix::use_vfork);
    } else {
      child->process = bp::child(bp::exe = run_exe, bp::args = run_args, bp::start_dir = dir,
                                 bp::std_in<bp::null, (bp::std_out & bp::std_err)> child->pipe, io,
                                 bp::on_exit = on_exit, setup, bp::posix::use_vfork);
    }
  } catch (const std::exception& e) {
    if (child->cgroup && options_.cgroups) options_.cgroups->Remove(*child->cgroup);
    diags.Error({}, spec.name, "", SpawnFailure(exe, e.what()));
    return diags;
  }
  child->pid = child->process.id();
  if (shim) {
    if (const int err = shim->AwaitExec()) {
      // The shim ends at once when its program could not be executed.
      ::waitpid(child->pid, nullptr, 0);
      child->process.detach();
      if (child->cgroup && options_.cgroups) options_.cgroups->Remove(*child->cgroup);
      diags.Error({}, spec.name, "", fmt::format("cannot start {}: {}", exe, std::strerror(err)));
      return diags;
    }
  }
  // Also from the parent, so the group exists even before the child ran its setup.
  ::setpgid(child->pid, child->pid);
  if (options_.guard) options_.guard->Watch(child->pid);
  child->real_time = loop_.HoldRealTime();
  child->io_hold = loop_.HoldIo();
  const bool sample = spec.memory_limit_bytes > 0 && !child->cgroup;
  children_.emplace(id, std::move(child));
  if (!spec.log_path.empty()) {
    // The log is opened after the exec, off the path from pod creation to a
    // running process: making a container's directories costs more than the
    // spawn itself on ext4. Posted now, it runs before any output of the
    // child is read (the reads complete later, through the reactor) and
    // before its exit is handled (OnExit drains the pipe in a handler it
    // posts itself).
    boost::asio::post(io, [this, id, path = spec.log_path, name = spec.name] {
      auto it = children_.find(id);
      if (it == children_.end()) return;
      it->second->log = ContainerLogFile::Open(path, options_.log_policy);
      if (it->second->log == nullptr) {
        // The process runs on, as a container does when its runtime cannot
        // write its log; its output still reaches triggers and expectations.
        const std::string message = fmt::format(
            "cannot open log file {}: {}; its output is not saved", path, std::strerror(errno));
        if (it->second->callbacks.on_log_error) {
          it->second->callbacks.on_log_error(message);
        } else {
          fmt::print(stderr, "ptsim: {}: {}\n", name, message);
        }
      }
    });
  }
  StartReading(id);
  if (sample && !sampler_) {
    sampler_ = loop_.After(Millis(100), [this] { SampleMemory(); });
  }
  return id;
}

void RealProcessRunner::StartReading(ProcessId id) {
  auto it = children_.find(id);
  if (it == children_.end()) return;
  Child& c = *it->second;
  c.pipe.async_read_some(boost::asio::buffer(c.buffer),
                         [this, id](const boost::system::error_code& ec, std::size_t n) {
                           auto found = children_.find(id);
                           if (found == children_.end()) return;
                           Child& child = *found->second;
                           if (n > 0) {
                             child.lines.Feed(
                                 std::string_view(child.buffer.data(), n),
                                 [&](std::string_view line, bool) { Deliver(child, line, true); });
                             if (child.log) {
                               child.log->Flush();
                               ReportLogError(child);
                             }
                           }
                           if (!ec) StartReading(id);
                         });
}

void RealProcessRunner::Deliver(Child& child, std::string_view line, bool newline) {
  if (child.log) {
    const std::string rotated = child.log->Write(line, newline);
    if (!rotated.empty() && child.callbacks.on_log_rotated) child.callbacks.on_log_rotated(rotated);
  }
  if (child.callbacks.on_output) child.callbacks.on_output(line);
}

void RealProcessRunner::ReportLogError(Child& child) {
  const std::string error = child.log->TakeError();
  if (error.empty()) return;
  if (child.callbacks.on_log_error) {
    child.callbacks.on_log_error(error);
  } else {
    fmt::print(stderr, "ptsim: {}\n", error);
  }
}

void RealProcessRunner::OnExit(ProcessId id, int native_status) {
  Child& c = *children_.at(id);
  c.exited = true;
  // The container's other processes die with its main process.
  ::killpg(c.pid, SIGKILL);
  if (c.frozen) ::killpg(c.pid, SIGCONT);
  ProcessExit exit;
  if (WIFSIGNALED(native_status)) {
    exit = ProcessExit::Signaled(WTERMSIG(native_status));
  } else {
    exit = ProcessExit::Exited(WEXITSTATUS(native_status));
  }
  if (c.cgroup && options_.cgroups) {
    exit.oom_killed = options_.cgroups->OomKilled(*c.cgroup) && exit.Signal() == SIGKILL;
  }
  if (c.sampled_oom) exit.oom_killed = true;
  // Deliver output that is still queued before reporting the exit.
  boost::asio::post(IoContext(loop_), [this, id, exit] {
    auto it = children_.find(id);
    if (it == children_.end()) return;
    Child& child = *it->second;
    const int fd = child.pipe.native_source();
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    for (;;) {
      const ssize_t n = ::read(fd, child.buffer.data(), child.buffer.size());
      if (n <= 0) break;
      child.lines.Feed(std::string_view(child.buffer.data(), static_cast<std::size_t>(n)),
                       [&](std::string_view line, bool) { Deliver(child, line, true); });
    }
    // Output that ended without a newline stays without one in the log.
    child.lines.Flush([&](std::string_view line, bool) { Deliver(child, line, false); });
    if (child.log) {
      child.log->Flush();
      ReportLogError(child);
    }
    auto on_exit = std::move(child.callbacks.on_exit);
    Finish(id);
    if (on_exit) on_exit(exit);
  });
}

void RealProcessRunner::Finish(ProcessId id) {
  auto it = children_.find(id);
  Child& c = *it->second;
  boost::system::error_code ignored;
  c.pipe.close(ignored);
  c.log.reset();
  if (options_.guard) options_.guard->Unwatch(c.pid);
  if (c.cgroup && options_.cgroups) options_.cgroups->Remove(*c.cgroup);
  c.process.detach();
  // Release the holds last: the loop may now jump.
  children_.erase(it);
}

void RealProcessRunner::Signal(ProcessId id, int signal) {
  auto it = children_.find(id);
  if (it == children_.end() || it->second->exited) return;
  Child& c = *it->second;
  ::killpg(c.pid, signal);
  if (signal == SIGSTOP && !c.frozen) {
    c.frozen = true;
    c.real_time.Release();
  } else if (signal == SIGCONT && c.frozen) {
    c.frozen = false;
    c.real_time = loop_.HoldRealTime();
  } else if (c.frozen && (signal == SIGKILL)) {
    // A frozen process dies of SIGKILL at once: wait for its exit in real time.
    c.real_time = loop_.HoldRealTime();
  }
}

bool RealProcessRunner::Running(ProcessId id) const {
  auto it = children_.find(id);
  return it != children_.end() && !it->second->exited;
}

int RealProcessRunner::Pid(ProcessId id) const {
  auto it = children_.find(id);
  return it == children_.end() ? 0 : it->second->pid;
}

std::size_t RealProcessRunner::alive() const {
  std::size_t n = 0;
  for (const auto& [id, c] : children_)
    n += c->exited ? 0 : 1;
  return n;
}

void RealProcessRunner::SignalAll(int signal) {
  std::vector<ProcessId> ids;
  for (const auto& [id, c] : children_)
    ids.push_back(id);
  for (ProcessId id : ids)
    Signal(id, signal);
}

void RealProcessRunner::SampleMemory() {
  sampler_ = {};
  bool any = false;
  for (auto& [id, c] : children_) {
    if (c->exited || c->cgroup || c->memory_limit_bytes <= 0) continue;
    any = true;
    long long rss = 0;
    for (int pid : ProcessesInGroup(c->pid))
      rss += ResidentBytes(pid);
    if (rss > c->memory_limit_bytes) {
      c->sampled_oom = true;
      ::killpg(c->pid, SIGKILL);
    }
  }
  if (any) sampler_ = loop_.After(Millis(100), [this] { SampleMemory(); });
}

}  // namespace ptsim
