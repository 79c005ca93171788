#include "tools/ptsim-worker/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace ptsim::worker {
namespace {

Status WriteAll(int fd, std::string_view contents) {
  std::size_t written = 0;
  while (written < contents.size()) {
    const ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error{std::strerror(errno)};
    written += static_cast<std::size_t>(n);
  }
  return Ok{};
}

}  // namespace

Status WriteFileAtomically(const std::string& path, std::string_view contents) {
  const std::string temp = fmt::format("{}.tmp.{}", path, ::getpid());
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Error{fmt::format("cannot create {}: {}", temp, std::strerror(errno))};
  Status written = WriteAll(fd, contents);
  if (written && ::fsync(fd) != 0) written = Error{std::strerror(errno)};
  if (::close(fd) != 0 && written) written = Error{std::strerror(errno)};
  if (!written) {
    ::unlink(temp.c_str());
    return Error{fmt::format("cannot write {}: {}", temp, written.error())};
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(temp.c_str());
    return Error{fmt::format("cannot rename {} to {}: {}", temp, path, std::strerror(error))};
  }
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  const std::string dir = parent.empty() ? std::string(".") : parent.string();
  const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);  // best effort: the rename is already visible to readers
    ::close(dir_fd);
  }
  return Ok{};
}

}  // namespace ptsim::worker
