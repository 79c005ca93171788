#include "fakes/process/orphan_guard.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <thread>

namespace ptsim {
namespace {

// A `sleep` in a process group of its own, as the runner starts containers.
pid_t StartGroupLeader() {
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::setpgid(0, 0);
    ::execl("/bin/sleep", "sleep", "30", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::setpgid(pid, pid);
  return pid;
}

// Reaps `pid` if it ends within `limit` (the guard kills asynchronously; a
// guard that died itself kills nothing, and the test must fail, not hang).
bool ReapedWithin(pid_t pid, int* status, std::chrono::milliseconds limit) {
  for (auto waited = std::chrono::milliseconds(0); waited < limit;
       waited += std::chrono::milliseconds(10)) {
    if (::waitpid(pid, status, WNOHANG) == pid) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, status, 0);
  return false;
}

TEST_CASE("the orphan guard kills the groups it watches when ptsim's end of its pipe closes") {
  const pid_t watched = StartGroupLeader();
  const pid_t unwatched = StartGroupLeader();
  const pid_t many = StartGroupLeader();
  REQUIRE(watched > 0);
  REQUIRE(unwatched > 0);
  REQUIRE(many > 0);
  {
    auto guard =
        OrphanGuard::Start("PTSIM_RUN=orphan-guard-test-" + std::to_string(::getpid()), "");
    REQUIRE(guard != nullptr);
    guard->Watch(watched);
    guard->Watch(unwatched);
    guard->Unwatch(unwatched);
    // Enough messages to fill more than one pipe read of the guard.
    for (int i = 0; i < 5000; ++i) {
      guard->Watch(many);
      guard->Unwatch(many);
    }
    guard->Watch(many);
    // The guard goes: its pipe closes, it kills the watched groups, and the
    // destructor waits for it.
  }
  int status = 0;
  CHECK(ReapedWithin(watched, &status, std::chrono::seconds(5)));
  CHECK(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGKILL);
  CHECK(ReapedWithin(many, &status, std::chrono::seconds(5)));
  // An unwatched group is left alone.
  CHECK(::waitpid(unwatched, &status, WNOHANG) == 0);
  ::kill(unwatched, SIGKILL);
  ::waitpid(unwatched, &status, 0);
}

}  // namespace
}  // namespace ptsim
