#include "tests/tools/ptsim_worker/worker_process.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <utility>

#ifndef PTSIM_WORKER_PATH
#define PTSIM_WORKER_PATH ""
#endif

namespace ptsim::worker::testing {
namespace {

ExitStatus FromWaitStatus(int status) {
  ExitStatus out;
  if (WIFEXITED(status)) {
    out.exited = true;
    out.code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    out.signaled = true;
    out.signal = WTERMSIG(status);
  }
  return out;
}

}  // namespace

std::string WorkerPath() {
  return PTSIM_WORKER_PATH;
}

int FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_ANY);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    throw std::runtime_error("cannot find a free port");
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

Env RankEnv(int rank, int world, int port) {
  return {{"MASTER_ADDR", "127.0.0.1"},
          {"MASTER_PORT", std::to_string(port)},
          {"WORLD_SIZE", std::to_string(world)},
          {"RANK", std::to_string(rank)}};
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string ExitStatus::Describe() const {
  if (exited) return "exited " + std::to_string(code);
  if (signaled) return "killed by signal " + std::to_string(signal);
  return "unknown";
}

std::string Outcome(const std::optional<ExitStatus>& status) {
  return status ? status->Describe() : "still running";
}

WorkerProcess::WorkerProcess(const TempDir& dir, const std::string& name,
                             const std::vector<std::string>& args, const Env& env)
    : out_path_(dir / (name + ".out")), err_path_(dir / (name + ".err")) {
  const std::string path = WorkerPath();
  std::vector<std::string> argv_strings{path};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& s : argv_strings)
    argv.push_back(s.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_strings;
  for (const auto& [key, value] : env)
    env_strings.push_back(key + "=" + value);
  std::vector<char*> envp;
  for (std::string& s : env_strings)
    envp.push_back(s.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_addopen(&actions, 2, err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  const int rc = ::posix_spawn(&pid_, path.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot spawn " + path);
}

WorkerProcess::WorkerProcess(WorkerProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      status_(std::move(other.status_)),
      out_path_(std::move(other.out_path_)),
      err_path_(std::move(other.err_path_)) {}

WorkerProcess::~WorkerProcess() {
  if (pid_ <= 0 || status_) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
}

bool WorkerProcess::Running() {
  if (status_) return false;
  int status = 0;
  const pid_t rc = ::waitpid(pid_, &status, WNOHANG);
  if (rc == pid_) status_ = FromWaitStatus(status);
  return !status_;
}

std::optional<ExitStatus> WorkerProcess::Wait(milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (Running()) {
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(milliseconds(1));
  }
  return status_;
}

bool WorkerProcess::WaitForOutput(std::string_view text, milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (Stdout().find(text) != std::string::npos) return true;
    if (!Running() || std::chrono::steady_clock::now() >= deadline) {
      return Stdout().find(text) != std::string::npos;
    }
    std::this_thread::sleep_for(milliseconds(1));
  }
}

std::vector<WorkerProcess> StartRanks(const TempDir& dir, int world, int port,
                                      const std::vector<std::string>& args, const Env& extra) {
  std::vector<WorkerProcess> ranks;
  ranks.reserve(static_cast<std::size_t>(world));
  for (int rank = 0; rank < world; ++rank) {
    Env env = RankEnv(rank, world, port);
    for (const auto& [key, value] : extra)
      env[key] = value;
    ranks.emplace_back(dir, "rank" + std::to_string(rank), args, env);
  }
  return ranks;
}

std::vector<std::optional<ExitStatus>> WaitAll(std::vector<WorkerProcess>& processes,
                                               milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::vector<std::optional<ExitStatus>> out;
  for (WorkerProcess& p : processes) {
    const auto left =
        std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now());
    out.push_back(p.Wait(std::max(left, milliseconds(0))));
  }
  return out;
}

std::vector<std::string> LinesStartingWith(const std::string& text, std::string_view prefix) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with(prefix)) lines.push_back(line);
  }
  return lines;
}

}  // namespace ptsim::worker::testing
