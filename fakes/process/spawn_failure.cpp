#include "fakes/process/spawn_failure.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace ptsim {

std::string SpawnFailure(const std::string& exe, const std::string& what) {
  std::vector<int> probe;
  int error = 0;
  for (int i = 0; i < kDescriptorsPerSpawn; ++i) {
    const int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      error = errno;
      break;
    }
    probe.push_back(fd);
  }
  for (int fd : probe)
    ::close(fd);
  if (error == EMFILE) {
    rlimit limit{};
    ::getrlimit(RLIMIT_NOFILE, &limit);
    return fmt::format(
        "cannot start {}: too many open files (EMFILE): ptsim is at its limit of {} open files "
        "(ulimit -n); raise the limit or run fewer containers at once ({})",
        exe, limit.rlim_cur, what);
  }
  if (error == ENFILE) {
    return fmt::format(
        "cannot start {}: too many open files in the system (ENFILE): the machine's open-file "
        "table is full ({})",
        exe, what);
  }
  return fmt::format("cannot start {}: {}", exe, what);
}

}  // namespace ptsim
