#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <random>
#include <set>

#include "fakes/process/container_shim.hpp"
#include "fakes/process/memory_cgroups.hpp"
#include "fakes/process/orphan_guard.hpp"
#include "sim/core/atomic_file.hpp"
#include "sim/core/interrupts.hpp"
#include "sim/harness/container_preflight.hpp"
#include "sim/harness/input_loader.hpp"
#include "sim/harness/report_html.hpp"
#include "sim/harness/report_junit.hpp"
#include "sim/harness/run_name.hpp"
#include "tools/ptsim/commands.hpp"
#include "tools/ptsim/output_paths.hpp"
#include "tools/ptsim/run_flags.hpp"
#include "tools/ptsim/run_summary.hpp"
#include "tools/ptsim/run_units.hpp"

namespace ptsim::cli {
namespace fs = std::filesystem;
namespace {

// Exit status when a report could not be written (disk full, unwritable
// directory): distinct from 1 (an expectation failed) and 2 (invalid input).
constexpr int kReportsNotWritten = 3;

int Interrupted() {
  return InterruptCatcher::Count() == 0 ? 0 : InterruptCatcher::LastSignal();
}

std::string Token() {
  std::random_device device;
  return fmt::format("{}-{:08x}", ::getpid(), device());
}

// Every file decoded and checked, its containers too; nullopt after printing
// the errors (nothing was run). Runs that would share a name get "-2", "-3".
std::optional<std::vector<RunPlan>> LoadPlans(const RunOptions& options,
                                              const PlanOverrides& overrides,
                                              const std::vector<std::string>& base_env) {
  std::vector<RunPlan> plans;
  Diagnostics all;
  std::vector<std::string> images;  // of every container of every file
  for (const auto& file : options.files) {
    auto plan = LoadRunPlan(file, overrides);
    all.Append(plan.diagnostics());
    if (!plan.ok()) continue;
    if (auto why = CheckRunName(plan->name); !why.empty()) {
      all.Error({file, 0, 0}, "", "",
                fmt::format("{}; rename the file, or run it as a scenario with a `name`", why));
      continue;
    }
    CheckContainersCanStart(&*plan, base_env, &all);
    for (auto& image : ContainerImages(*plan))
      images.push_back(std::move(image));
    plans.push_back(std::move(*plan));
  }
  if (plans.size() == options.files.size()) WarnUnusedMappings(overrides.images, images, &all);
  // Two runs may not share a run directory.
  std::map<std::string, int> names;
  for (auto& plan : plans) {
    if (int n = names[plan.name]++; n > 0) plan.name += fmt::format("-{}", n + 1);
  }
  if (!all.empty()) std::cerr << all.Render();
  if (!all.ok()) {
    std::cerr << fmt::format("ptsim: {} error(s); nothing was run\n", all.errors());
    return std::nullopt;
  }
  if (!options.quiet) {
    for (const auto& plan : plans) {
      for (const auto& note : plan.notes) {
        if (!note.warned) std::cerr << fmt::format("{}: note: {}\n", plan.source_file, note.text);
      }
    }
  }
  return plans;
}

// Where the runs' real processes come from: one cgroup parent, one orphan
// guard and the shim, shared by every run of this invocation.
struct ProcessHost {
  std::unique_ptr<MemoryCgroups> cgroups;
  std::unique_ptr<OrphanGuard> guard;
  ProcessEnvironment processes;
};

std::optional<ProcessHost> StartProcessHost(const RunOptions& options,
                                            std::vector<std::string> base_env,
                                            ContainerLogPolicy log_policy) {
  std::string cgroups_error;
  const auto use_cgroups = MemoryCgroups::UseFromEnvironment(&cgroups_error);
  if (!use_cgroups) {
    std::cerr << "ptsim: " << cgroups_error << "\n";
    return std::nullopt;
  }
  const std::string token = Token();
  ProcessHost host;
  host.cgroups = std::make_unique<MemoryCgroups>(token, *use_cgroups);
  host.guard = OrphanGuard::Start("PTSIM_RUN=" + token, host.cgroups->parent_dir());
  ProcessEnvironment& processes = host.processes;
  processes.guard = host.guard.get();
  processes.cgroups = host.cgroups.get();
  processes.marker_env = "PTSIM_RUN=" + token;
  processes.base_env = std::move(base_env);
  processes.log_policy = log_policy;
  std::string no_shim;
  processes.shim = FindContainerShim(&no_shim);
  if (processes.shim.empty() && !options.quiet) {
    std::cerr << fmt::format(
        "ptsim: warning: containers run without ptsim-shim ({}): a process that leaves its "
        "process group and clears its environment can outlive its container\n",
        no_shim);
  }
  return host;
}

// --repeat: were the outcomes (and, for scripted runs, the traces)
// identical? Prints one line per plan; false when they were not.
bool CheckRepeats(const std::vector<RunPlan>& plans, const std::vector<Unit>& units, int repeat) {
  bool same = true;
  for (const auto& plan : plans) {
    std::set<std::string> outcomes;
    std::set<std::uint64_t> digests;
    bool scripted = true;
    for (const auto& u : units) {
      if (u.plan != &plan) continue;
      outcomes.insert(fmt::format("{} {} {}", u.passed ? "PASS" : "FAIL",
                                  u.report["outcome"].get<std::string>(),
                                  FinalCondition(u.report)));
      digests.insert(u.digest);
      scripted = scripted && u.report["realProcesses"].get<int>() == 0;
    }
    const bool same_outcome = outcomes.size() == 1;
    std::string traces =
        scripted ? (digests.size() == 1 ? "identical traces"
                                        : fmt::format("{} different traces", digests.size()))
                 : "traces not compared (real processes run on real time)";
    std::cout << fmt::format(
        "repeat {}: {} runs with seed {}: {}, {}\n", plan.name, repeat, plan.seed,
        same_outcome ? "identical outcomes" : fmt::format("{} different outcomes", outcomes.size()),
        traces);
    if (!same_outcome || (scripted && digests.size() != 1)) same = false;
  }
  return same;
}

void PrintRunsTable(const std::vector<Unit>& units) {
  std::cout << fmt::format("\n{:<44} {:<6} {:>10} {:>8}  {}\n", "RUN", "RESULT", "VIRTUAL", "WALL",
                           "JOB");
  int failed = 0;
  for (const auto& u : units) {
    failed += u.passed ? 0 : 1;
    std::cout << fmt::format("{:<44} {:<6} {:>9.1f}s {:>7.2f}s  {}\n",
                             fs::path(u.run_dir).filename().string(), u.passed ? "PASS" : "FAIL",
                             u.report["virtualSeconds"].get<double>(),
                             u.report["wallSeconds"].get<double>(), FinalCondition(u.report));
  }
  std::cout << fmt::format("{} run(s): {} passed, {} failed\n", units.size(), units.size() - failed,
                           failed);
}

// --json, --junit and --html over every run that ran; false when one could
// not be written.
bool WriteOutputs(const RunOptions& options, const std::vector<nlohmann::json>& reports,
                  bool all_passed) {
  bool written = true;
  auto write = [&](const std::string& path, const std::string& content) {
    if (auto error = WriteFileAtomically(path, content)) {
      std::cerr << fmt::format("ptsim: {}\n", *error);
      written = false;
    }
  };
  if (!options.json_path.empty()) {
    const nlohmann::json json = reports.size() == 1
                                    ? reports[0]
                                    : nlohmann::json{{"passed", all_passed}, {"runs", reports}};
    write(options.json_path, json.dump(2) + "\n");
  }
  if (!options.junit_path.empty()) write(options.junit_path, JUnitXml(reports));
  if (!options.html_path.empty()) {
    const std::string html_dir = fs::path(options.html_path).parent_path().string();
    write(options.html_path, HtmlReport(reports, html_dir.empty() ? "." : html_dir));
  }
  return written;
}

// What the executed units add up to: the exit status of the invocation.
int Conclude(const RunOptions& options, const std::vector<RunPlan>& plans,
             std::vector<Unit>& units) {
  bool all_passed = true;
  bool write_failed = false;
  int interrupt_signal = 0;
  std::vector<nlohmann::json> reports;
  for (const auto& u : units) {
    all_passed = all_passed && u.passed;
    write_failed = write_failed || !u.write_error.empty();
    if (interrupt_signal == 0) interrupt_signal = u.interrupted_by;
    if (u.ran) reports.push_back(u.report);
  }
  if (interrupt_signal == 0) interrupt_signal = Interrupted();
  if (interrupt_signal != 0) {
    // Only what ran is reported; the rest of the invocation was not started.
    units.erase(std::remove_if(units.begin(), units.end(), [](const Unit& u) { return !u.ran; }),
                units.end());
  }
  if (options.repeat > 1 && !CheckRepeats(plans, units, options.repeat)) all_passed = false;
  if (units.size() > 1 && !options.quiet) PrintRunsTable(units);
  if (!WriteOutputs(options, reports, all_passed)) write_failed = true;
  if (interrupt_signal != 0) return InterruptedExitStatus(interrupt_signal);
  if (write_failed) return kReportsNotWritten;
  return all_passed ? 0 : 1;
}

}  // namespace

int Run(const RunOptions& options) {
  // From here on SIGINT, SIGTERM and SIGHUP are counted, not fatal: loading
  // stops before anything runs, a run stops promptly and writes its reports
  // (run.hpp), and ptsim exits 128 + the signal, as a shell reports it.
  InterruptCatcher interrupt_catcher;
  // Loading starts nothing and writes nothing: an interrupt ends it at once,
  // even in a read of a FIFO that no one writes to.
  InterruptCatcher::SetExitOnInterrupt(true);
  const auto overrides = OverridesFromFlags(options);
  if (!overrides) return 2;
  const auto log_policy = LogPolicyFromFlags(options);
  if (!log_policy) return 2;
  const std::vector<std::string> base_env = InheritedEnvironment();
  // Everything is decoded and checked before anything runs.
  const auto plans = LoadPlans(options, *overrides, base_env);
  if (!plans) return 2;
  InterruptCatcher::SetExitOnInterrupt(false);
  if (const int signal = Interrupted()) {
    std::cerr << fmt::format("ptsim: interrupted ({}) before anything ran\n", strsignal(signal));
    return InterruptedExitStatus(signal);
  }
  if (!PrepareOutputs(options)) return 2;
  auto host = StartProcessHost(options, base_env, *log_policy);
  if (!host) return 2;
  std::vector<Unit> units = MakeUnits(*plans, options);
  if (!PrepareRunDirs(units)) return 2;
  ExecuteUnits(units, options, host->processes);
  return Conclude(options, *plans, units);
}

}  // namespace ptsim::cli
