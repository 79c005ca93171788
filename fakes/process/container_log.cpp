#include "fakes/process/container_log.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <utility>

namespace ptsim {
namespace fs = std::filesystem;
namespace {

// n when `name` is "<base>.<n>" with n all digits, else 0.
long RotationNumber(const std::string& name, const std::string& base) {
  if (name.size() <= base.size() + 1 || name.compare(0, base.size(), base) != 0 ||
      name[base.size()] != '.') {
    return 0;
  }
  const std::string digits = name.substr(base.size() + 1);
  if (digits.size() > 9 ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return 0;
  }
  return std::stol(digits);
}

// The rotated files of `path`, oldest first, with their numbers.
std::vector<std::pair<long, std::string>> Rotated(const std::string& path) {
  std::vector<std::pair<long, std::string>> out;
  const fs::path p(path);
  const std::string base = p.filename().string();
  std::error_code ec;
  for (fs::directory_iterator it(p.parent_path().empty() ? "." : p.parent_path(), ec), end;
       !ec && it != end; it.increment(ec)) {
    const long n = RotationNumber(it->path().filename().string(), base);
    if (n > 0) out.emplace_back(n, it->path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

std::unique_ptr<ContainerLogFile> ContainerLogFile::Open(const std::string& path,
                                                         ContainerLogPolicy policy) {
  std::FILE* file = std::fopen(path.c_str(), "ae");
  if (file == nullptr && errno == ENOENT) {
    std::error_code ignored;
    fs::create_directories(fs::path(path).parent_path(), ignored);
    file = std::fopen(path.c_str(), "ae");
  }
  if (file == nullptr) return nullptr;
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  return std::unique_ptr<ContainerLogFile>(
      new ContainerLogFile(path, policy, file, ec ? 0 : static_cast<std::int64_t>(size)));
}

ContainerLogFile::ContainerLogFile(std::string path, ContainerLogPolicy policy, std::FILE* file,
                                   std::int64_t size)
    : path_(std::move(path)), policy_(policy), file_(file), size_(size) {}

ContainerLogFile::~ContainerLogFile() {
  if (file_ != nullptr) std::fclose(file_);
}

std::string ContainerLogFile::Write(std::string_view text, bool newline) {
  const auto n = static_cast<std::int64_t>(text.size() + (newline ? 1 : 0));
  std::string rotated;
  if (failed_) return rotated;
  if (size_ > 0 && size_ + n > policy_.max_size_bytes) rotated = Rotate();
  if (file_ == nullptr) return rotated;
  if (std::fwrite(text.data(), 1, text.size(), file_) != text.size() ||
      (newline && std::fputc('\n', file_) == EOF)) {
    Fail("write", errno);
    return rotated;
  }
  size_ += n;
  return rotated;
}

void ContainerLogFile::Flush() {
  if (file_ != nullptr && !failed_ && std::fflush(file_) != 0) Fail("write", errno);
}

void ContainerLogFile::Fail(const std::string& what, int error) {
  failed_ = true;
  error_ = fmt::format("cannot {} {}: {}; the log is cut after about {} bytes", what, path_,
                       std::strerror(error), size_);
  if (file_ != nullptr) {
    std::fclose(file_);  // what stdio still holds is lost with the rest
    file_ = nullptr;
  }
}

std::string ContainerLogFile::TakeError() {
  return std::exchange(error_, std::string());
}

// As the kubelet's rotateLatestLog and removeExcessLogs: drop the oldest
// rotated files so that, with the one rotated now and the fresh current file,
// at most max_files remain; rename the current file; start a new one.
std::string ContainerLogFile::Rotate() {
  const bool closed = std::fclose(file_) == 0;
  file_ = nullptr;
  if (!closed) {
    Fail("write", errno);
    return "";
  }
  auto rotated = Rotated(path_);
  const long next = rotated.empty() ? 1 : rotated.back().first + 1;
  const std::size_t keep = static_cast<std::size_t>(std::max(policy_.max_files - 2, 0));
  std::error_code ec;
  for (std::size_t i = 0; i + keep < rotated.size(); ++i)
    fs::remove(rotated[i].second, ec);
  const std::string target = fmt::format("{}.{}", path_, next);
  fs::rename(path_, target, ec);
  file_ = std::fopen(path_.c_str(), "we");
  if (file_ == nullptr) Fail("rotate to a fresh", errno);
  size_ = 0;
  ++rotations_;
  return target;
}

std::vector<std::string> KeptLogFiles(const std::string& path) {
  std::vector<std::string> out;
  for (auto& [n, file] : Rotated(path))
    out.push_back(std::move(file));
  std::error_code ec;
  if (fs::exists(path, ec)) out.push_back(path);
  return out;
}

}  // namespace ptsim
