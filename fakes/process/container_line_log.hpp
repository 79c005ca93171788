// The log of a container whose output ptsim itself writes, line by line:
// scripted containers and the emulated torchrun agent. It opens the file on
// the first line (no directory is made for a container that prints nothing),
// rotates and caps it as the kubelet does (ContainerLogFile), and passes the
// first failure to open or write it (a full disk) to the container's
// callbacks, once, exactly as RealProcessRunner does for a real process: to
// on_log_error, or to stderr when the caller gave none. A rotation goes to
// on_log_rotated. Loop thread only; owned by the container's state.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "fakes/process/container_log.hpp"
#include "fakes/process/process_runner.hpp"

namespace ptsim {

class ContainerLineLog {
 public:
  // An empty path writes nothing. `callbacks` must outlive this object.
  ContainerLineLog(std::string path, const ProcessRunner::Callbacks& callbacks,
                   ContainerLogPolicy policy = {});
  ~ContainerLineLog();
  ContainerLineLog(const ContainerLineLog&) = delete;
  ContainerLineLog& operator=(const ContainerLineLog&) = delete;

  // Appends `line` and a newline, and flushes. After a failure nothing more
  // is written; the failure has been reported.
  void Write(std::string_view line);

 private:
  void Report(const std::string& message);

  std::string path_;
  const ProcessRunner::Callbacks& callbacks_;
  ContainerLogPolicy policy_;
  std::unique_ptr<ContainerLogFile> file_;
  bool failed_ = false;
};

}  // namespace ptsim
