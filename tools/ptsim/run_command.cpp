#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>

#include "fakes/process/memory_cgroups.hpp"
#include "fakes/process/orphan_guard.hpp"
#include "sim/harness/fault_spec.hpp"
#include "sim/harness/input_loader.hpp"
#include "sim/harness/run.hpp"
#include "sim/model/go_duration.hpp"
#include "sim/model/operator_version.hpp"
#include "tools/ptsim/commands.hpp"

namespace ptsim::cli {
namespace fs = std::filesystem;
namespace {

constexpr char kRunMarker[] = ".ptsim-run";

// Empties (or creates) a run directory, refusing to touch one ptsim did not make.
bool PrepareRunDir(const fs::path& dir, std::string* error) {
  std::error_code ec;
  if (fs::exists(dir)) {
    if (!fs::exists(dir / kRunMarker)) {
      *error = fmt::format(
          "{} exists and is not a ptsim run directory; remove it or choose "
          "another --runs-dir",
          dir.string());
      return false;
    }
    fs::remove_all(dir, ec);
  }
  fs::create_directories(dir, ec);
  if (ec) {
    *error = fmt::format("cannot create {}: {}", dir.string(), ec.message());
    return false;
  }
  std::ofstream(dir / kRunMarker) << "ptsim " << PTSIM_VERSION << "\n";
  return true;
}

std::string Token() {
  std::random_device device;
  return fmt::format("{}-{:08x}", ::getpid(), device());
}

}  // namespace

int Run(const RunOptions& options) {
  PlanOverrides overrides;
  overrides.seed = options.seed;
  if (!options.timeout.empty()) {
    std::string error;
    auto timeout = ParseGoDuration(options.timeout, &error);
    if (!timeout || *timeout <= Duration{0}) {
      std::cerr << fmt::format("ptsim: --timeout {}: {}\n", options.timeout,
                               timeout ? "must be positive" : error);
      return 2;
    }
    overrides.timeout = timeout;
  }
  if (!options.operator_version.empty()) {
    overrides.operator_version = ParseOperatorVersion(options.operator_version);
    if (!overrides.operator_version) {
      std::cerr << fmt::format("ptsim: --operator-version {}: unknown; choose one of {}\n",
                               options.operator_version, OperatorVersionChoices());
      return 2;
    }
  }
  for (const auto& text : options.faults) {
    auto fault = ParseFaultFlag(text);
    if (!fault.ok()) {
      std::cerr << fault.diagnostics().Render();
      return 2;
    }
    overrides.faults.push_back(*fault);
  }
  const std::vector<std::string> base_env = InheritedEnvironment();

  // Everything is decoded and checked before anything runs.
  std::vector<RunPlan> plans;
  Diagnostics all;
  for (const auto& file : options.files) {
    auto plan = LoadRunPlan(file, overrides);
    all.Append(plan.diagnostics());
    if (!plan.ok()) continue;
    CheckContainersCanStart(*plan, base_env, &all);
    plans.push_back(std::move(*plan));
  }
  if (!all.empty()) std::cerr << all.Render();
  if (!all.ok()) {
    std::cerr << fmt::format("ptsim: {} error(s); nothing was run\n", all.errors());
    return 2;
  }

  const std::string token = Token();
  MemoryCgroups cgroups(token);
  auto guard = OrphanGuard::Start("PTSIM_RUN=" + token, cgroups.parent_dir());
  ProcessEnvironment processes;
  processes.guard = guard.get();
  processes.cgroups = &cgroups;
  processes.marker_env = "PTSIM_RUN=" + token;
  processes.base_env = base_env;

  const bool tty = ::isatty(STDERR_FILENO) != 0;
  bool all_passed = true;
  nlohmann::json reports = nlohmann::json::array();
  for (const auto& plan : plans) {
    RunSettings settings;
    settings.processes = processes;
    settings.run_dir = fs::absolute(fs::path(options.runs_dir) / plan.name).string();
    std::string error;
    if (!PrepareRunDir(settings.run_dir, &error)) {
      std::cerr << "ptsim: " << error << "\n";
      return 2;
    }
    settings.live = tty && !options.quiet;
    settings.handle_interrupts = true;
    settings.status_out = &std::cerr;
    if (!plan.ignored.empty() && !options.quiet) {
      std::cerr << fmt::format("ptsim: {}: ignored (not simulated): {}\n", plan.source_file,
                               fmt::join(plan.ignored, ", "));
    }
    RunResult result = ExecuteRun(plan, settings);
    all_passed = all_passed && result.passed;
    if (!options.quiet) {
      std::cout << fmt::format("== {} ({}) ==\n", plan.name, plan.source_file);
      std::cout << result.summary;
      for (const auto& f : result.report["faults"]) {
        for (const auto& fired : f["fired"]) {
          std::cout << fmt::format("fault: {:>9.3f}s {} ({}) -> {}\n", fired["time"].get<double>(),
                                   f["name"].get<std::string>(), f["action"].get<std::string>(),
                                   fired["targets"].dump());
        }
      }
      for (const auto& e : result.report["expectations"]) {
        const bool ok = e["passed"].get<bool>();
        std::cout << fmt::format("{} {}\n", ok ? "  ok  " : "  FAIL",
                                 e["description"].get<std::string>());
        if (!ok) {
          std::cout << fmt::format("         want: {}\n         got:  {}\n", e["expected"].dump(),
                                   e["actual"].dump());
        }
      }
      for (const auto& note : result.report["notes"]) {
        std::cout << fmt::format("note: {}\n", note["text"].get<std::string>());
      }
      std::cout << fmt::format("{}: {} in {:.1f}s virtual, {:.2f}s wall (seed {}, run dir {})\n",
                               result.passed ? "PASS" : "FAIL", plan.name, result.virtual_seconds,
                               result.wall_seconds, plan.seed, settings.run_dir);
    }
    if (options.print_trace) std::cout << result.trace;
    std::ofstream(fs::path(settings.run_dir) / "report.json") << result.report.dump(2) << "\n";
    std::ofstream(fs::path(settings.run_dir) / "trace.txt") << result.trace;
    reports.push_back(std::move(result.report));
  }
  if (!options.json_path.empty()) {
    std::ofstream out(options.json_path);
    if (!out) {
      std::cerr << fmt::format("ptsim: cannot write {}\n", options.json_path);
      return 2;
    }
    if (reports.size() == 1) {
      out << reports[0].dump(2) << "\n";
    } else {
      out << nlohmann::json{{"passed", all_passed}, {"runs", reports}}.dump(2) << "\n";
    }
  }
  return all_passed ? 0 : 1;
}

}  // namespace ptsim::cli
