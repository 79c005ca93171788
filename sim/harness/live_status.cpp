#include "sim/harness/live_status.hpp"

#include <fmt/format.h>

#include <map>

namespace ptsim {

LiveStatus::LiveStatus(ApiServer& api, std::ostream& out, std::string name)
    : api_(api), out_(out), name_(std::move(name)) {
  api_.collection<Pod>().Watch([this](const WatchEvent<Pod>&) { Redraw(); });
  Tick();
}

LiveStatus::~LiveStatus() {
  api_.loop().Cancel(ticker_);
}

void LiveStatus::Tick() {
  // Refresh the clock once per virtual second while real processes run.
  ticker_ = api_.loop().After(std::chrono::seconds(1), [this] {
    if (api_.loop().real_time()) Redraw();
    Tick();
  });
}

void LiveStatus::Redraw(bool force) {
  const Duration wall = api_.loop().wall().Now();
  if (!force && last_draw_ >= Duration{0} && wall - last_draw_ < std::chrono::milliseconds(100)) {
    return;
  }
  last_draw_ = wall;
  std::map<std::string, int> phases;
  int restarts = 0;
  for (const auto& pod : api_.collection<Pod>().List()) {
    phases[pod->metadata.deletion_timestamp ? "Terminating" : pod->status.phase]++;
    for (const auto& s : pod->status.container_statuses)
      restarts += s.restart_count;
  }
  std::string counts;
  for (const auto& [phase, n] : phases)
    counts += fmt::format("{}{} {}", counts.empty() ? "" : ", ", n, phase);
  const std::string line =
      fmt::format("[{:>9}] {}: {} · restarts {} · {}", FormatTimestamp(api_.loop().Now()), name_,
                  counts.empty() ? "no pods" : counts, restarts,
                  api_.loop().real_time() ? "real processes running" : "virtual time");
  out_ << "\r\x1b[K" << line << std::flush;
  last_width_ = line.size();
}

void LiveStatus::Clear() {
  if (last_width_ > 0) out_ << "\r\x1b[K" << std::flush;
  last_width_ = 0;
}

}  // namespace ptsim
