#include "fakes/process/orphan_guard.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>

#include "fakes/process/proc_scan.hpp"

namespace ptsim {
namespace {

// One message on the pipe: an op ('+' watch, '-' unwatch) and a process group
// id, 5 bytes. Encoded byte-wise rather than as a packed struct: a reference to
// a packed struct's int field is misaligned (undefined behaviour; std::set's
// insert(const int&) binds one), and UBSan kills the guard for it. One message
// is less than PIPE_BUF, so writes from several loop threads (ptsim run -j)
// never interleave.
constexpr std::size_t kRecordSize = 1 + sizeof(int);
using Record = std::array<char, kRecordSize>;

Record Encode(char op, int pgid) {
  Record r{};
  r[0] = op;
  std::memcpy(r.data() + 1, &pgid, sizeof pgid);
  return r;
}

int PgidOf(const Record& r) {
  int pgid = 0;
  std::memcpy(&pgid, r.data() + 1, sizeof pgid);
  return pgid;
}

void KillCgroupTree(const std::string& dir) {
  if (dir.empty()) return;
  if (DIR* d = ::opendir(dir.c_str())) {
    while (dirent* e = ::readdir(d)) {
      if (e->d_type == DT_DIR && std::strcmp(e->d_name, ".") != 0 &&
          std::strcmp(e->d_name, "..") != 0) {
        KillCgroupTree(dir + "/" + e->d_name);
      }
    }
    ::closedir(d);
  }
  std::ifstream procs(dir + "/cgroup.procs");
  int pid = 0;
  while (procs >> pid)
    ::kill(pid, SIGKILL);
}

void RemoveCgroupTree(const std::string& dir) {
  if (dir.empty()) return;
  if (DIR* d = ::opendir(dir.c_str())) {
    while (dirent* e = ::readdir(d)) {
      if (e->d_type == DT_DIR && std::strcmp(e->d_name, ".") != 0 &&
          std::strcmp(e->d_name, "..") != 0) {
        RemoveCgroupTree(dir + "/" + e->d_name);
      }
    }
    ::closedir(d);
  }
  for (int attempt = 0; attempt < 50 && ::rmdir(dir.c_str()) != 0 && errno == EBUSY; ++attempt) {
    ::usleep(20'000);  // wall-clock-ok: the guard waits for killed tasks to leave the cgroup
  }
}

// True when `pid` has ended (gone, or a zombie nobody reaped yet).
bool Ended(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) return true;
  const auto close = line.rfind(')');
  return close == std::string::npos || close + 2 >= line.size() || line[close + 2] == 'Z' ||
         line[close + 2] == 'X';
}

void WaitForExit(const std::set<int>& pids) {
  for (int attempt = 0; attempt < 300; ++attempt) {
    bool all = true;
    for (int pid : pids)
      all = all && Ended(pid);
    if (all) return;
    ::usleep(10'000);  // wall-clock-ok: the guard waits for the shims to end their containers
  }
}

[[noreturn]] void GuardMain(int fd, const std::string& marker, const std::string& cgroup_dir) {
  // Survive the terminal's Ctrl-C and hang-up: cleaning up is the point.
  ::signal(SIGINT, SIG_IGN);
  ::signal(SIGTERM, SIG_IGN);
  ::signal(SIGHUP, SIG_IGN);
  ::signal(SIGQUIT, SIG_IGN);
  ::signal(SIGPIPE, SIG_IGN);
  ::prctl(PR_SET_NAME, "ptsim-guard");
  std::set<int> groups;
  Record r{};
  std::size_t have = 0;  // bytes of `r` read so far (a read may return part of one)
  for (;;) {
    const ssize_t n = ::read(fd, r.data() + have, r.size() - have);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // EOF: ptsim is gone
    have += static_cast<std::size_t>(n);
    if (have < r.size()) continue;
    have = 0;
    if (r[0] == '+') groups.insert(PgidOf(r));
    if (r[0] == '-') groups.erase(PgidOf(r));
  }
  for (int pgid : groups)
    ::killpg(pgid, SIGKILL);
  // A container under ptsim-shim: the group's id is the shim's pid, and the shim,
  // outside the group, ends the container's descendants itself when ptsim dies
  // (PR_SET_PDEATHSIG). Let it finish before the sweeps below, which kill it too.
  WaitForExit(groups);
  const int self = ::getpid();
  // Sweep twice: a process may fork while the first sweep runs.
  for (int round = 0; round < 2; ++round) {
    for (int pid : ProcessesWithEnv(marker)) {
      if (pid != self) ::kill(pid, SIGKILL);
    }
    KillCgroupTree(cgroup_dir);
  }
  RemoveCgroupTree(cgroup_dir);
  ::_exit(0);
}

}  // namespace

std::unique_ptr<OrphanGuard> OrphanGuard::Start(const std::string& marker,
                                                const std::string& cgroup_dir) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return nullptr;
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return nullptr;
  }
  if (pid == 0) {
    ::close(fds[1]);
    // Close every other descriptor ptsim had, so that the guard holds nothing open.
    const unsigned keep = static_cast<unsigned>(fds[0]);
    if (keep > 3) ::syscall(SYS_close_range, 3u, keep - 1, 0);
    ::syscall(SYS_close_range, keep + 1, ~0u, 0);
    GuardMain(fds[0], marker, cgroup_dir);
  }
  ::close(fds[0]);
  return std::unique_ptr<OrphanGuard>(new OrphanGuard(pid, fds[1]));
}

OrphanGuard::~OrphanGuard() {
  ::close(fd_);
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
}

void OrphanGuard::Send(char op, int pgid) {
  const Record r = Encode(op, pgid);
  ssize_t n = 0;
  do {
    n = ::write(fd_, r.data(), r.size());
  } while (n < 0 && errno == EINTR);
}

void OrphanGuard::Watch(int pgid) {
  Send('+', pgid);
}
void OrphanGuard::Unwatch(int pgid) {
  Send('-', pgid);
}

}  // namespace ptsim
