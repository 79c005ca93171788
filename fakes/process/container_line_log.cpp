#include "fakes/process/container_line_log.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>

namespace ptsim {

ContainerLineLog::ContainerLineLog(std::string path, const ProcessRunner::Callbacks& callbacks,
                                   ContainerLogPolicy policy)
    : path_(std::move(path)), callbacks_(callbacks), policy_(policy) {}

ContainerLineLog::~ContainerLineLog() = default;

void ContainerLineLog::Write(std::string_view line) {
  if (path_.empty() || failed_) return;
  if (file_ == nullptr) {
    file_ = ContainerLogFile::Open(path_, policy_);
    if (file_ == nullptr) {
      failed_ = true;
      Report(fmt::format("cannot open log file {}: {}; its output is not saved", path_,
                         std::strerror(errno)));
      return;
    }
  }
  const std::string rotated = file_->Write(line, true);
  if (!rotated.empty() && callbacks_.on_log_rotated) callbacks_.on_log_rotated(rotated);
  file_->Flush();
  const std::string error = file_->TakeError();
  if (!error.empty()) {
    failed_ = true;
    Report(error);
  }
}

void ContainerLineLog::Report(const std::string& message) {
  if (callbacks_.on_log_error) {
    callbacks_.on_log_error(message);
  } else {
    fmt::print(stderr, "ptsim: {}\n", message);
  }
}

}  // namespace ptsim
