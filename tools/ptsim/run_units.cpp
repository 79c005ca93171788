#include "tools/ptsim/run_units.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>

#include "sim/core/atomic_file.hpp"
#include "sim/core/interrupts.hpp"
#include "sim/harness/report_html.hpp"
#include "tools/ptsim/run_summary.hpp"

namespace ptsim::cli {
namespace fs = std::filesystem;
namespace {

constexpr char kRunMarker[] = ".ptsim-run";

// Whether a run directory may be emptied: it does not exist, or ptsim made it
// (it holds the marker). Checked for every run before any is touched.
bool MayReplaceRunDir(const fs::path& dir, std::string* error) {
  std::error_code ec;
  const auto status = fs::symlink_status(dir, ec);
  if (ec && ec != std::errc::no_such_file_or_directory) {
    *error = fmt::format("cannot use {}: {}", dir.string(), ec.message());
    return false;
  }
  if (!fs::exists(status)) return true;
  if (!fs::is_directory(status) || !fs::is_regular_file(dir / kRunMarker, ec)) {
    *error = fmt::format(
        "{} exists and is not a ptsim run directory; remove it or choose "
        "another --runs-dir",
        dir.string());
    return false;
  }
  return true;
}

// Empties (or creates) a run directory. REQUIRES: MayReplaceRunDir(dir).
bool PrepareRunDir(const fs::path& dir, std::string* error) {
  std::error_code ec;
  if (fs::exists(dir, ec)) {
    fs::remove_all(dir, ec);
    if (ec) {
      *error = fmt::format("cannot empty {}: {}", dir.string(), ec.message());
      return false;
    }
  }
  fs::create_directories(dir, ec);
  if (ec) {
    *error = fmt::format("cannot create {}: {}", dir.string(), ec.message());
    return false;
  }
  if (auto failed = WriteFileAtomically((dir / kRunMarker).string(),
                                        fmt::format("ptsim {}\n", PTSIM_VERSION))) {
    *error = *failed;
    return false;
  }
  return true;
}

// Writes the run directory's reports, each whole or not at all
// (atomic_file.hpp); returns the first error.
std::string WriteRunReports(const Unit& u, const std::string& trace) {
  const fs::path dir(u.run_dir);
  const std::pair<const char*, std::string> files[] = {
      {"report.json", u.report.dump(2) + "\n"},
      {"report.html", HtmlReport({u.report}, u.run_dir)},
      {"trace.txt", trace}};
  for (const auto& [name, content] : files) {
    if (auto error = WriteFileAtomically((dir / name).string(), content)) return *error;
  }
  return "";
}

// How one unit runs and prints.
struct UnitContext {
  UnitContext(const RunOptions& o, const ProcessEnvironment& p) : options(o), processes(p) {}
  const RunOptions& options;
  const ProcessEnvironment& processes;
  bool parallel = false;
  bool tty_err = false;
  bool tty_out = false;
  std::mutex output;
};

RunSettings SettingsFor(UnitContext& ctx, const Unit& u, std::ostream& out) {
  RunSettings settings;
  settings.processes = ctx.processes;
  settings.run_dir = u.run_dir;
  settings.live = ctx.tty_err && !ctx.options.quiet && !ctx.parallel;
  settings.handle_interrupts = true;
  settings.status_out = &std::cerr;
  settings.color = ctx.tty_out && !ctx.parallel;
  if (!ctx.options.quiet && !ctx.options.no_timeline) settings.timeline_out = &out;
  return settings;
}

void ExecuteUnit(UnitContext& ctx, Unit& u) {
  const RunPlan& plan = *u.plan;
  const RunOptions& options = ctx.options;
  std::ostringstream buffer;
  std::ostream& out = ctx.parallel ? static_cast<std::ostream&>(buffer) : std::cout;
  const RunSettings settings = SettingsFor(ctx, u, out);
  if (!options.quiet) {
    if (!ctx.parallel) out << fmt::format("== {} ({}) ==\n", plan.name, plan.source_file);
    if (!plan.ignored.empty()) {
      out << fmt::format("ignored (not simulated): {}\n", fmt::join(plan.ignored, ", "));
    }
  }
  if (InterruptCatcher::Count() > 0) return;  // not started: an interrupt ends the invocation
  RunResult result = ExecuteRun(plan, settings);
  u.ran = true;
  u.passed = result.passed;
  u.digest = result.trace_digest;
  u.interrupted_by = result.interrupt_signal;
  u.report = std::move(result.report);
  // The reports first: a run whose reports are lost has not passed.
  u.write_error = WriteRunReports(u, result.trace);
  if (!u.write_error.empty()) {
    u.passed = false;
    u.report["passed"] = false;
    std::lock_guard<std::mutex> lock(ctx.output);
    std::cerr << fmt::format("ptsim: {}: {}; the run's reports are lost\n", plan.name,
                             u.write_error);
  }
  if (!options.quiet) {
    out << RunSummary(u.report);
  } else if (!u.passed) {
    out << ExpectationLines(u.report, true) << Verdict(u.report);  // -q still says what failed
  }
  if (options.print_trace) out << result.trace;
  if (ctx.parallel && (!options.quiet || !u.passed)) {
    std::lock_guard<std::mutex> lock(ctx.output);
    std::cout << fmt::format("== {} ({}) ==\n", plan.name, plan.source_file) << buffer.str()
              << std::flush;
  }
}

}  // namespace

std::vector<Unit> MakeUnits(const std::vector<RunPlan>& plans, const RunOptions& options) {
  std::vector<Unit> units;
  for (const auto& plan : plans) {
    for (int i = 0; i < options.repeat; ++i) {
      const std::string dir_name =
          options.repeat > 1 ? fmt::format("{}-r{}", plan.name, i + 1) : plan.name;
      Unit unit;
      unit.plan = &plan;
      unit.attempt = i;
      unit.run_dir = fs::absolute(fs::path(options.runs_dir) / dir_name).string();
      units.push_back(std::move(unit));
    }
  }
  return units;
}

bool PrepareRunDirs(const std::vector<Unit>& units) {
  std::string error;
  for (const auto& u : units) {
    if (!MayReplaceRunDir(u.run_dir, &error)) {
      std::cerr << "ptsim: " << error << "\n";
      return false;
    }
  }
  for (const auto& u : units) {
    if (!PrepareRunDir(u.run_dir, &error)) {
      std::cerr << "ptsim: " << error << "\n";
      return false;
    }
  }
  return true;
}

void ExecuteUnits(std::vector<Unit>& units, const RunOptions& options,
                  const ProcessEnvironment& processes) {
  UnitContext ctx(options, processes);
  ctx.parallel = options.jobs > 1 && units.size() > 1;
  ctx.tty_err = ::isatty(STDERR_FILENO) != 0;
  ctx.tty_out = ::isatty(STDOUT_FILENO) != 0;
  if (!ctx.parallel) {
    for (auto& u : units)
      ExecuteUnit(ctx, u);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < std::min<int>(options.jobs, static_cast<int>(units.size())); ++t) {
    threads.emplace_back([&] {
      for (std::size_t i; (i = next++) < units.size();)
        ExecuteUnit(ctx, units[i]);
    });
  }
  for (auto& t : threads)
    t.join();
}

}  // namespace ptsim::cli
