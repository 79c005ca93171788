#include "fakes/process/container_shim.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace ptsim {

std::string FindContainerShim(std::string* why) {
  if (const char* forced = std::getenv("PTSIM_CONTAINER_SHIM")) {
    if (std::string(forced) == "none") {
      *why = "PTSIM_CONTAINER_SHIM=none";
      return "";
    }
    if (::access(forced, X_OK) != 0) {
      *why = fmt::format("PTSIM_CONTAINER_SHIM={}: {}", forced, std::strerror(errno));
      return "";
    }
    return forced;
  }
  std::array<char, 4096> self{};
  const ssize_t n = ::readlink("/proc/self/exe", self.data(), self.size() - 1);
  if (n <= 0) {
    *why = fmt::format("cannot read /proc/self/exe: {}", std::strerror(errno));
    return "";
  }
  std::string path(self.data(), static_cast<std::size_t>(n));
  path = path.substr(0, path.rfind('/') + 1) + "ptsim-shim";
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || ::access(path.c_str(), X_OK) != 0) {
    *why = fmt::format("{} is missing or not executable", path);
    return "";
  }
  return path;
}

ShimLaunch::ShimLaunch(const std::string& shim, const std::string& exe,
                       const std::vector<std::string>& args)
    : shim_(shim) {
  if (::pipe2(fds_, O_CLOEXEC) != 0) {
    error_ = fmt::format("pipe(2) failed: {}", std::strerror(errno));
    fds_[0] = fds_[1] = -1;
    return;
  }
  args_.reserve(args.size() + 2);
  args_.push_back(std::to_string(fds_[1]));
  args_.push_back(exe);
  args_.insert(args_.end(), args.begin(), args.end());
}

ShimLaunch::~ShimLaunch() {
  for (int fd : fds_) {
    if (fd >= 0) ::close(fd);
  }
}

int ShimLaunch::AwaitExec() {
  ::close(fds_[1]);
  fds_[1] = -1;
  int err = 0;
  std::size_t have = 0;
  // The shim closes its copy after the fork and the child's closes at its exec:
  // end of file means the program runs. Bounded, so that a shim stopped before
  // it forked cannot hang ptsim.
  while (have < sizeof err) {
    pollfd p{fds_[0], POLLIN, 0};
    const int ready = ::poll(&p, 1, 10'000);
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return ETIMEDOUT;
    const ssize_t n = ::read(fds_[0], reinterpret_cast<char*>(&err) + have, sizeof err - have);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    have += static_cast<std::size_t>(n);
  }
  ::close(fds_[0]);
  fds_[0] = -1;
  return have == sizeof err ? err : 0;
}

}  // namespace ptsim
