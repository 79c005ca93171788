#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>

#include "fakes/process/container_shim.hpp"
#include "fakes/process/memory_cgroups.hpp"
#include "fakes/process/orphan_guard.hpp"
#include "sim/core/atomic_file.hpp"
#include "sim/core/interrupts.hpp"
#include "sim/harness/container_preflight.hpp"
#include "sim/harness/fault_spec.hpp"
#include "sim/harness/image_mapping.hpp"
#include "sim/harness/input_loader.hpp"
#include "sim/harness/report_html.hpp"
#include "sim/harness/report_junit.hpp"
#include "sim/harness/run.hpp"
#include "sim/harness/run_name.hpp"
#include "sim/model/go_duration.hpp"
#include "sim/model/operator_version.hpp"
#include "sim/model/quantity.hpp"
#include "tools/ptsim/commands.hpp"
#include "tools/ptsim/output_paths.hpp"
#include "tools/ptsim/run_summary.hpp"

namespace ptsim::cli {
namespace fs = std::filesystem;
namespace {

constexpr char kRunMarker[] = ".ptsim-run";
// Exit status when a report could not be written (disk full, unwritable
// directory): distinct from 1 (an expectation failed) and 2 (invalid input).
constexpr int kReportsNotWritten = 3;

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

std::string Token() {
  std::random_device device;
  return fmt::format("{}-{:08x}", ::getpid(), device());
}

// One execution of one plan (a plan runs --repeat times).
struct Unit {
  const RunPlan* plan = nullptr;
  int attempt = 0;  // 0-based, for --repeat
  std::string run_dir;
  std::string output;  // what it printed, when buffered
  nlohmann::json report;
  bool passed = false;
  std::uint64_t digest = 0;
  bool ran = false;
  int interrupted_by = 0;   // the signal that interrupted it, 0 when none
  std::string write_error;  // why its reports could not be written
};

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

std::string FinalCondition(const nlohmann::json& report) {
  if (!report["job"].is_object() || report["job"]["status"]["conditions"].empty()) return "-";
  const auto& c = report["job"]["status"]["conditions"].back();
  return c["type"].get<std::string>() + "=" + c["status"].get<std::string>();
}

// --image and --images, decoded and merged (a reference mapped twice,
// differently, is an error naming both).
bool LoadCommandLineImages(const RunOptions& options, PlanOverrides* overrides) {
  std::error_code ec;
  const std::string cwd = fs::current_path(ec).string();
  Diagnostics diags;
  for (const auto& file : options.image_files) {
    auto mappings = LoadImagesFile(file, cwd);
    diags.Append(mappings.diagnostics());
    if (mappings.ok()) MergeImageMappings(*mappings, &overrides->images, &diags);
  }
  for (const auto& text : options.images) {
    auto mapping = ParseImageFlag(text, cwd);
    diags.Append(mapping.diagnostics());
    if (mapping.ok()) MergeImageMappings({*mapping}, &overrides->images, &diags);
  }
  if (!diags.empty()) std::cerr << diags.Render();
  if (diags.ok()) return true;
  std::cerr << fmt::format("ptsim: {} error(s); nothing was run\n", diags.errors());
  return false;
}

}  // namespace

int Run(const RunOptions& options) {
  // From here on SIGINT, SIGTERM and SIGHUP are counted, not fatal: loading
  // stops before anything runs, a run stops promptly and writes its reports
  // (run.hpp), and ptsim exits 128 + the signal, as a shell reports it.
  InterruptCatcher interrupt_catcher;
  auto interrupted = [] {
    if (InterruptCatcher::Count() == 0) return 0;
    return InterruptCatcher::LastSignal();
  };
  // Loading starts nothing and writes nothing: an interrupt ends it at once,
  // even in a read of a FIFO that no one writes to.
  InterruptCatcher::SetExitOnInterrupt(true);
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
    overrides.operator_version = ResolveOperatorRelease(options.operator_version);
    if (!overrides.operator_version) {
      std::cerr << fmt::format("ptsim: --operator-version {}: unknown; choose one of {}\n",
                               options.operator_version, OperatorVersionChoices());
      return 2;
    }
  }
  if (!options.torchrun.empty()) {
    overrides.torchrun = elastic::ParseElasticPolicy(options.torchrun);
    if (!overrides.torchrun) {
      std::cerr << fmt::format("ptsim: --torchrun {}: unknown; choose auto, emulate or real\n",
                               options.torchrun);
      return 2;
    }
  }
  if (!options.torch_version.empty()) {
    overrides.torch_version = elastic::ParseTorchVersion(options.torch_version);
    if (!overrides.torch_version) {
      std::cerr << fmt::format("ptsim: --torch-version {}: unknown; choose 1.13 or 2\n",
                               options.torch_version);
      return 2;
    }
  }
  if (options.jobs < 1 || options.repeat < 1) {
    std::cerr << "ptsim: -j and --repeat must be at least 1\n";
    return 2;
  }
  for (const auto& text : options.faults) {
    auto fault = ParseFaultFlag(text);
    if (!fault.ok()) {
      std::cerr << fault.diagnostics().Render();
      return 2;
    }
    overrides.faults.push_back(*fault);
  }
  if (!LoadCommandLineImages(options, &overrides)) return 2;
  overrides.allowed_host_paths.push_back(fs::absolute(options.runs_dir).string());
  for (const auto& prefix : options.allowed_host_paths) {
    if (prefix.empty()) {
      std::cerr << "ptsim: --allow-host-path: give a directory\n";
      return 2;
    }
    overrides.allowed_host_paths.push_back(fs::absolute(prefix).string());
  }
  ContainerLogPolicy log_policy;
  {
    // The kubelet's own validation: a size of at least one byte, two files or more.
    const auto size = Quantity::Parse(options.container_log_max_size);
    if (!size.ok() || size->units() < 1) {
      std::cerr << fmt::format(
          "ptsim: --container-log-max-size \"{}\": {}; give a size such as 10Mi or 512Ki\n",
          options.container_log_max_size,
          size.ok() ? "must be at least 1 byte" : size.diagnostics().items().front().message);
      return 2;
    }
    if (options.container_log_max_files < 2) {
      std::cerr << fmt::format("ptsim: --container-log-max-files {}: must be at least 2\n",
                               options.container_log_max_files);
      return 2;
    }
    log_policy = {size->units(), options.container_log_max_files};
  }
  const std::vector<std::string> base_env = InheritedEnvironment();

  // Everything is decoded and checked before anything runs.
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
    return 2;
  }
  if (!options.quiet) {
    for (const auto& plan : plans) {
      for (const auto& note : plan.notes) {
        if (!note.warned) std::cerr << fmt::format("{}: note: {}\n", plan.source_file, note.text);
      }
    }
  }
  InterruptCatcher::SetExitOnInterrupt(false);
  if (const int signal = interrupted()) {
    std::cerr << fmt::format("ptsim: interrupted ({}) before anything ran\n", strsignal(signal));
    return InterruptedExitStatus(signal);
  }
  if (!PrepareOutputs(options)) return 2;

  std::string cgroups_error;
  const auto use_cgroups = MemoryCgroups::UseFromEnvironment(&cgroups_error);
  if (!use_cgroups) {
    std::cerr << "ptsim: " << cgroups_error << "\n";
    return 2;
  }
  const std::string token = Token();
  MemoryCgroups cgroups(token, *use_cgroups);
  auto guard = OrphanGuard::Start("PTSIM_RUN=" + token, cgroups.parent_dir());
  ProcessEnvironment processes;
  processes.guard = guard.get();
  processes.cgroups = &cgroups;
  processes.marker_env = "PTSIM_RUN=" + token;
  processes.base_env = base_env;
  processes.log_policy = log_policy;
  std::string no_shim;
  processes.shim = FindContainerShim(&no_shim);
  if (processes.shim.empty() && !options.quiet) {
    std::cerr << fmt::format(
        "ptsim: warning: containers run without ptsim-shim ({}): a process that leaves its "
        "process group and clears its environment can outlive its container\n",
        no_shim);
  }

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
  for (auto& u : units) {
    std::string error;
    if (!MayReplaceRunDir(u.run_dir, &error)) {
      std::cerr << "ptsim: " << error << "\n";
      return 2;
    }
  }
  for (auto& u : units) {
    std::string error;
    if (!PrepareRunDir(u.run_dir, &error)) {
      std::cerr << "ptsim: " << error << "\n";
      return 2;
    }
  }

  const bool parallel = options.jobs > 1 && units.size() > 1;
  const bool tty_err = ::isatty(STDERR_FILENO) != 0;
  const bool tty_out = ::isatty(STDOUT_FILENO) != 0;
  std::mutex output;
  auto execute = [&](Unit& u) {
    const RunPlan& plan = *u.plan;
    std::ostringstream buffer;
    std::ostream& out = parallel ? static_cast<std::ostream&>(buffer) : std::cout;
    RunSettings settings;
    settings.processes = processes;
    settings.run_dir = u.run_dir;
    settings.live = tty_err && !options.quiet && !parallel;
    settings.handle_interrupts = true;
    settings.status_out = &std::cerr;
    settings.color = tty_out && !parallel;
    if (!options.quiet) {
      if (!parallel) out << fmt::format("== {} ({}) ==\n", plan.name, plan.source_file);
      if (!plan.ignored.empty()) {
        out << fmt::format("ignored (not simulated): {}\n", fmt::join(plan.ignored, ", "));
      }
      if (!options.no_timeline) settings.timeline_out = &out;
    }
    if (interrupted()) return;  // not started: an interrupt ends the whole invocation
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
      std::lock_guard<std::mutex> lock(output);
      std::cerr << fmt::format("ptsim: {}: {}; the run's reports are lost\n", plan.name,
                               u.write_error);
    }
    if (!options.quiet) {
      out << RunSummary(u.report);
    } else if (!u.passed) {
      // -q still says what failed.
      out << ExpectationLines(u.report, true) << Verdict(u.report);
    }
    if (options.print_trace) out << result.trace;
    if (parallel && (!options.quiet || !u.passed)) {
      std::lock_guard<std::mutex> lock(output);
      std::cout << fmt::format("== {} ({}) ==\n", plan.name, plan.source_file) << buffer.str()
                << std::flush;
    }
  };
  if (!parallel) {
    for (auto& u : units)
      execute(u);
  } else {
    std::atomic<std::size_t> next{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < std::min<int>(options.jobs, static_cast<int>(units.size())); ++t) {
      threads.emplace_back([&] {
        for (std::size_t i; (i = next++) < units.size();)
          execute(units[i]);
      });
    }
    for (auto& t : threads)
      t.join();
  }

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
  if (interrupt_signal == 0) interrupt_signal = interrupted();
  if (interrupt_signal != 0) {
    // Only what ran is reported; the rest of the invocation was not started.
    units.erase(std::remove_if(units.begin(), units.end(), [](const Unit& u) { return !u.ran; }),
                units.end());
  }
  // --repeat: were the outcomes (and, for scripted runs, the traces) identical?
  if (options.repeat > 1) {
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
      std::cout << fmt::format("repeat {}: {} runs with seed {}: {}, {}\n", plan.name,
                               options.repeat, plan.seed,
                               same_outcome ? "identical outcomes"
                                            : fmt::format("{} different outcomes", outcomes.size()),
                               traces);
      if (!same_outcome || (scripted && digests.size() != 1)) all_passed = false;
    }
  }
  if (units.size() > 1 && !options.quiet) {
    std::cout << fmt::format("\n{:<44} {:<6} {:>10} {:>8}  {}\n", "RUN", "RESULT", "VIRTUAL",
                             "WALL", "JOB");
    for (const auto& u : units) {
      std::cout << fmt::format("{:<44} {:<6} {:>9.1f}s {:>7.2f}s  {}\n",
                               fs::path(u.run_dir).filename().string(), u.passed ? "PASS" : "FAIL",
                               u.report["virtualSeconds"].get<double>(),
                               u.report["wallSeconds"].get<double>(), FinalCondition(u.report));
    }
    int failed = 0;
    for (const auto& u : units)
      failed += u.passed ? 0 : 1;
    std::cout << fmt::format("{} run(s): {} passed, {} failed\n", units.size(),
                             units.size() - failed, failed);
  }
  auto write = [&](const std::string& path, const std::string& content) {
    if (auto error = WriteFileAtomically(path, content)) {
      std::cerr << fmt::format("ptsim: {}\n", *error);
      write_failed = true;
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
  if (interrupt_signal != 0) return InterruptedExitStatus(interrupt_signal);
  if (write_failed) return kReportsNotWritten;
  return all_passed ? 0 : 1;
}

}  // namespace ptsim::cli
