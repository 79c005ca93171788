#include "tools/ptsim-worker/log.hpp"

#include <fmt/format.h>

#include <cstdio>

namespace ptsim::worker {

void Log::Line(std::string_view text) const {
  fmt::print(stdout, "{}\n", text);
  std::fflush(stdout);
}

void Log::Error(std::string_view text) const {
  std::fflush(stdout);
  fmt::print(stderr, "ptsim-worker: rank {}: {}\n", rank_, text);
  std::fflush(stderr);
}

}  // namespace ptsim::worker
