#include "sim/harness/run.hpp"

#include <fmt/format.h>
#include <signal.h>

#include <boost/asio/signal_set.hpp>
#include <filesystem>
#include <iostream>

#include "sim/core/asio_context.hpp"
#include "sim/core/notes.hpp"
#include "sim/harness/live_status.hpp"
#include "sim/harness/report_json.hpp"
#include "sim/harness/run_recorder.hpp"
#include "sim/harness/summary_text.hpp"

namespace ptsim {
namespace {

// True when nothing the run created can still change by itself.
bool AllFinished(ApiServer& api, const RunRecorder& recorder) {
  for (const auto& uid : recorder.pod_order()) {
    const PodRecord& r = recorder.pods().at(uid);
    if (r.deleted_at) continue;
    auto live = api.collection<Pod>().Get(r.pod->metadata.namespace_, r.pod->metadata.name);
    if (!live || live->metadata.uid != uid) continue;
    if (!live->IsTerminal() || live->metadata.deletion_timestamp) return false;
  }
  return !recorder.pod_order().empty();
}

std::size_t RunningContainers(Simulation& sim) {
  std::size_t n = 0;
  for (const auto& k : sim.kubelets().all())
    n += k->running_containers();
  return n;
}

}  // namespace

RunResult ExecuteRun(const RunPlan& plan, const RunSettings& settings) {
  const Duration wall_start = SteadyWallClock().Now();
  SimulationOptions options;
  options.seed = plan.seed;
  options.run_dir = settings.run_dir;
  options.nodes = plan.nodes;
  options.processes = settings.processes;
  Simulation sim(options);
  for (const auto& [image, spec] : plan.images)
    sim.images().Add(image, spec);
  RunRecorder recorder(sim.api());
  sim.AddObserver(&recorder);
  Notes notes;

  std::unique_ptr<LiveStatus> live;
  if (settings.live && settings.status_out) {
    live = std::make_unique<LiveStatus>(sim.api(), *settings.status_out, plan.name);
  }

  // Ctrl-C: the first interrupt deletes every pod gracefully, the second kills.
  int interrupts = 0;
  std::unique_ptr<boost::asio::signal_set> signals;
  if (settings.handle_interrupts) {
    signals =
        std::make_unique<boost::asio::signal_set>(IoContext(sim.loop()), SIGINT, SIGTERM, SIGHUP);
  }
  std::function<void()> arm = [&] {
    if (!signals) return;
    signals->async_wait([&](const boost::system::error_code& ec, int signal) {
      if (ec) return;
      ++interrupts;
      if (live) live->Clear();
      if (interrupts == 1) {
        const auto pods = sim.api().collection<Pod>().List();
        if (settings.status_out) {
          *settings.status_out << fmt::format(
              "ptsim: interrupted ({}): deleting {} pods gracefully; interrupt again to kill them "
              "now\n",
              strsignal(signal), pods.size());
        }
        notes.Add(sim.loop().Now(),
                  fmt::format("interrupted by {}: pods deleted gracefully", strsignal(signal)));
        for (const auto& p : pods)
          sim.api().collection<Pod>().Delete(p->metadata.namespace_, p->metadata.name);
        arm();
      } else {
        if (settings.status_out)
          *settings.status_out << "ptsim: interrupted again: killing every process now\n";
        sim.real_runner().SignalAll(SIGKILL);
        sim.loop().Stop();
      }
    });
  };
  arm();

  for (const auto& pod : plan.pods) {
    auto created = sim.api().collection<Pod>().Create(pod);
    if (!created.ok() && settings.status_out)
      *settings.status_out << created.diagnostics().Render();
  }

  const Time deadline = kRunStart + plan.timeout;
  auto finished = [&] {
    if (interrupts > 0) return sim.api().collection<Pod>().size() == 0;
    return AllFinished(sim.api(), recorder);
  };
  const auto outcome = sim.loop().Run(deadline, finished);
  RunResult result;
  if (interrupts > 0) {
    result.outcome = RunResult::Outcome::kInterrupted;
  } else if (outcome == EventLoop::Outcome::kDeadline) {
    result.outcome = RunResult::Outcome::kTimedOut;
    notes.Add(sim.loop().Now(),
              fmt::format("the run reached its timeout of {}", FormatDuration(plan.timeout)));
  }
  // Deliver what is already due (watch events of the last writes) before looking.
  sim.loop().Run(sim.loop().Now());
  const Time end = sim.loop().Now();
  if (live) live->Clear();
  live.reset();

  // Whatever still runs is terminated and reported as such.
  recorder.MarkSurvivors(end);
  const std::size_t survivors = RunningContainers(sim);
  if (survivors > 0) {
    notes.Add(end, fmt::format("{} container(s) were still running at the end of the run and were "
                               "terminated by ptsim (SIGTERM, then SIGKILL after 2s)",
                               survivors));
    for (const auto& k : sim.kubelets().all())
      k->Shutdown(std::chrono::seconds(2));
    sim.loop().Run(end + std::chrono::seconds(10), [&] { return RunningContainers(sim) == 0; });
  }
  if (signals) signals->cancel();

  result.virtual_seconds = ToSeconds(end);
  result.wall_seconds = ToSeconds(SteadyWallClock().Now() - wall_start);
  result.trace = sim.trace().Render();
  result.trace_digest = sim.trace().Digest();
  result.passed = result.outcome == RunResult::Outcome::kCompleted;

  nlohmann::json report;
  report["ptsimVersion"] = PTSIM_VERSION;
  report["name"] = plan.name;
  report["source"] = plan.source_file;
  report["passed"] = result.passed;
  report["outcome"] = result.outcome == RunResult::Outcome::kCompleted  ? "completed"
                      : result.outcome == RunResult::Outcome::kTimedOut ? "timedOut"
                                                                        : "interrupted";
  report["operatorVersion"] = nullptr;
  report["seed"] = plan.seed;
  report["virtualSeconds"] = result.virtual_seconds;
  report["wallSeconds"] = result.wall_seconds;
  report["runDir"] = settings.run_dir;
  report["traceDigest"] = fmt::format("{:016x}", result.trace_digest);
  report["job"] = nullptr;
  nlohmann::json pods = nlohmann::json::array();
  for (const auto& uid : recorder.pod_order())
    pods.push_back(PodJson(recorder.pods().at(uid)));
  report["pods"] = pods;
  nlohmann::json services = nlohmann::json::array();
  for (const auto& uid : recorder.service_order())
    services.push_back(ServiceJson(recorder.services().at(uid)));
  report["services"] = services;
  report["events"] = EventsJson(sim.api().events().list());
  report["notes"] = NotesJson(notes.list());
  report["expectations"] = nlohmann::json::array();
  report["ignored"] = plan.ignored;
  result.report = std::move(report);
  result.summary = PodTable(recorder, end);
  return result;
}

}  // namespace ptsim
