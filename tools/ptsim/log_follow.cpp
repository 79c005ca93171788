#include "tools/ptsim/log_follow.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <thread>

#include "tools/ptsim/log_files.hpp"

namespace ptsim::cli {
namespace fs = std::filesystem;
namespace {

constexpr auto kPoll = std::chrono::milliseconds(100);

void Sleep() {
  std::this_thread::sleep_for(kPoll);  // wall-clock-ok: polls files another process writes
}

// One log file read as it grows, by descriptor: a rotation renames the file
// under us, so what was written before it is still read to its end.
class GrowingFile {
 public:
  GrowingFile() = default;
  ~GrowingFile() { Close(); }
  GrowingFile(const GrowingFile&) = delete;
  GrowingFile& operator=(const GrowingFile&) = delete;

  bool Open(const fs::path& path) {
    Close();
    path_ = path;
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st {};
    if (fd_ < 0 || ::fstat(fd_, &st) != 0) return false;
    inode_ = st.st_ino;
    return true;
  }
  // Everything from the current offset to the end.
  std::string ReadNew() {
    std::string out;
    char buf[65536];
    for (ssize_t n; fd_ >= 0 && (n = ::read(fd_, buf, sizeof buf)) > 0;)
      out.append(buf, static_cast<std::size_t>(n));
    return out;
  }
  // The path now names another file (the log was rotated), or a file that
  // was not there when it was opened.
  bool Replaced() const {
    struct stat st {};
    return ::stat(path_.c_str(), &st) == 0 && (fd_ < 0 || st.st_ino != inode_);
  }
  const fs::path& path() const { return path_; }

 private:
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  fs::path path_;
  int fd_ = -1;
  ino_t inode_ = 0;
};

void Print(const std::string& text) {
  if (!text.empty()) std::cout << text << std::flush;
}

struct Position {
  std::string uid;
  std::string container;
  int restart = 0;
};

// The first log to follow, once it exists: nullopt while waiting (with
// `error` empty), or with `error` set when it cannot come (the run ended).
std::optional<Position> Start(const RunDir& run, const std::string& pod_name,
                              const LogsOptions& options, std::string* error) {
  const bool ended = run.report.has_value();
  std::string why;
  const PodIncarnation* pod =
      PickIncarnation(run, pod_name, options.incarnation, options.pod_uid, &why);
  if (!pod) {
    if (ended) *error = why;
    return std::nullopt;
  }
  auto container = PickContainer(run, *pod, options.container, &why);
  if (!container) {
    if (ended) *error = why;
    return std::nullopt;
  }
  const auto restarts = LoggedRestarts(pod->dir / *container);
  if (restarts.empty()) {
    if (ended) PickRestart(run, *pod, *container, false, error);
    return std::nullopt;
  }
  return Position{pod->uid, *container, restarts.back()};
}

// The log that comes after `at`: the container's next restart, else (when
// following the newest) a newer incarnation's first log.
std::optional<Position> Next(const RunDir& run, const std::string& pod_name, const Position& at,
                             bool newest) {
  const auto pods = run.Named(pod_name);
  auto current = std::find_if(pods.begin(), pods.end(),
                              [&](const PodIncarnation* p) { return p->uid == at.uid; });
  if (current == pods.end()) return std::nullopt;
  for (int r : LoggedRestarts((*current)->dir / at.container)) {
    if (r > at.restart) return Position{at.uid, at.container, r};
  }
  if (!newest) return std::nullopt;
  for (auto it = current + 1; it != pods.end(); ++it) {
    const auto restarts = LoggedRestarts((*it)->dir / at.container);
    if (!restarts.empty()) return Position{(*it)->uid, at.container, restarts.front()};
  }
  return std::nullopt;
}

const PodIncarnation* Find(const RunDir& run, const std::string& uid) {
  for (const auto& p : run.pods) {
    if (p.uid == uid) return &p;
  }
  return nullptr;
}

}  // namespace

int FollowLogs(const RunDir& opened, const ObjectRef& target, const LogsOptions& options) {
  std::string error;
  std::optional<RunDir> run = Reopen(opened, &error);
  std::string pod_name = target.kind == ObjectRef::Kind::kPod ? target.name : "";
  std::optional<Position> start;
  bool said_waiting = false;
  // Wait for the pod (or the job's pod), its container and its first log.
  while (run) {
    if (pod_name.empty()) {
      std::string why;
      auto name = JobPodName(*run, target.name, &why);
      if (name) pod_name = *name;
      if (!name && run->report) error = why;
    }
    if (!pod_name.empty()) start = Start(*run, pod_name, options, &error);
    if (start || !error.empty()) break;
    if (!said_waiting) {
      std::cerr << fmt::format("ptsim logs: waiting for {} in {} (the run is still going)\n",
                               pod_name.empty() ? "pytorchjob/" + target.name : "pod/" + pod_name,
                               run->path.string());
      said_waiting = true;
    }
    Sleep();
    run = Reopen(*run, &error);
  }
  if (!start || !run) {
    std::cerr << "ptsim logs: " << error << "\n";
    return 2;
  }
  Position at = *start;
  const bool newest = !options.incarnation && options.pod_uid.empty();
  GrowingFile file;
  file.Open(LogPath(*Find(*run, at.uid), at.container, at.restart));
  Print(TailLines(file.ReadNew(), options.tail));
  for (;;) {
    Print(file.ReadNew());
    if (file.Replaced()) {  // rotated: the rest is in the new file
      file.Open(file.path());
      continue;
    }
    const bool ended = fs::exists(run->path / "report.json");
    std::optional<RunDir> fresh = Reopen(*run, &error);
    if (fresh) run = std::move(fresh);
    if (auto next = Next(*run, pod_name, at, newest)) {
      const PodIncarnation* pod = Find(*run, next->uid);
      if (next->uid != at.uid) {
        const auto pods = run->Named(pod_name);
        const auto index = std::find(pods.begin(), pods.end(), pod) - pods.begin() + 1;
        std::cerr << fmt::format(
            "ptsim logs: pod {} was recreated: following incarnation {} (uid {})\n", pod_name,
            index, next->uid);
      } else {
        std::cerr << fmt::format(
            "ptsim logs: container {} of pod {} restarted: following "
            "restart {}\n",
            at.container, pod_name, next->restart);
      }
      at = *next;
      file.Open(LogPath(*pod, at.container, at.restart));
      continue;
    }
    if (ended) {
      Print(file.ReadNew());
      return 0;
    }
    Sleep();
  }
}

}  // namespace ptsim::cli
