// One container incarnation's log file, rotated and capped as the kubelet's
// container log manager does (pkg/kubelet/logs/container_log_manager.go:
// containerLogMaxSize, default 10 MiB, and containerLogMaxFiles, default 5,
// counting the current file). Before a write would take the file past the
// maximum size it is renamed to "<path>.<n>" (n = 1, 2, ...: the kubelet uses
// a timestamp and gzips all but the newest rotated file; ptsim keeps them
// plain) and the oldest rotated files beyond max_files - 1 are deleted, so a
// container never keeps more than max_files * max_size bytes of log. Owned by
// the process runner's per-container state; loop thread only.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ptsim {

struct ContainerLogPolicy {
  std::int64_t max_size_bytes = 10 * 1024 * 1024;  // containerLogMaxSize
  int max_files = 5;                               // containerLogMaxFiles
};

class ContainerLogFile {
 public:
  // Opens `path` for appending, making its directory when missing. Null, with
  // errno set, on failure. REQUIRES: policy.max_files >= 2 (the kubelet's own
  // validation) and policy.max_size_bytes > 0.
  static std::unique_ptr<ContainerLogFile> Open(const std::string& path, ContainerLogPolicy policy);
  ~ContainerLogFile();
  ContainerLogFile(const ContainerLogFile&) = delete;
  ContainerLogFile& operator=(const ContainerLogFile&) = delete;

  // Appends `text` and then '\n' when `newline`, rotating first when the file
  // would grow past the maximum size. Returns the rotated file's path when
  // this write rotated, else an empty string.
  std::string Write(std::string_view text, bool newline);
  // Writes what is buffered. Like Write, records the first failure.
  void Flush();
  int rotations() const { return rotations_; }
  // The first failed write, rotation or flush, once ("cannot write <path>:
  // No space left on device; the log is cut after <n> bytes"), then "". After a
  // failure nothing more is written: the log ends where it was cut, and says so
  // through the runner (on_log_error).
  std::string TakeError();

 private:
  ContainerLogFile(std::string path, ContainerLogPolicy policy, std::FILE* file, std::int64_t size);
  std::string Rotate();
  void Fail(const std::string& what, int error);

  std::string path_;
  ContainerLogPolicy policy_;
  std::FILE* file_;
  std::int64_t size_;
  int rotations_ = 0;
  std::string error_;
  bool failed_ = false;
};

// The files a container incarnation's log is kept in, oldest first: the
// rotated ones ("<path>.<n>", by n), then `path` itself when it exists.
std::vector<std::string> KeptLogFiles(const std::string& path);

}  // namespace ptsim
