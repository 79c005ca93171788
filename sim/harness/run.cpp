#include "sim/harness/run.hpp"

#include <fmt/format.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <iostream>

#include "sim/core/asio_context.hpp"
#include "sim/core/notes.hpp"
#include "sim/core/signals.hpp"
#include "sim/harness/fault_injector.hpp"
#include "sim/harness/flyte_report.hpp"
#include "sim/harness/flyte_run.hpp"
#include "sim/harness/live_status.hpp"
#include "sim/harness/pod_journal.hpp"
#include "sim/harness/report_json.hpp"
#include "sim/harness/run_recorder.hpp"
#include "sim/harness/summary_text.hpp"
#include "sim/harness/timeline.hpp"

namespace ptsim {
namespace {

// True when every job the run created has finished, its clean-pod policy has
// been applied and its TTL deletion (if any) has happened, no live kubelet is
// still stopping a deleted pod, and every pod the run created directly has
// finished.
bool AllFinished(Simulation& sim, const RunPlan& plan,
                 const std::vector<std::shared_ptr<const Pod>>& bare_pods) {
  // What this instant already set in motion (a watch delivery, the garbage
  // collector reacting to a deleted job) happens before the run can end.
  if (sim.loop().due_now()) return false;
  for (const auto& entry : plan.jobs) {
    if (plan.deferred.count("PyTorchJob/" + entry.job.metadata.name)) continue;  // the driver's
    if (!sim.controller().Settled(entry.job.metadata.namespace_, entry.job.metadata.name))
      return false;
  }
  // Deletions under way on a live node finish first (pods of a job its TTL
  // deleted, pods its cleanPodPolicy deleted); a dead node's never do.
  for (const auto& k : sim.kubelets().all()) {
    if (!k->crashed() && k->terminating_pods() > 0) return false;
  }
  for (const auto& created : bare_pods) {
    auto live =
        sim.api().collection<Pod>().Get(created->metadata.namespace_, created->metadata.name);
    if (!live || live->metadata.uid != created->metadata.uid) continue;  // deleted
    if (!live->IsTerminal() || live->metadata.deletion_timestamp) return false;
  }
  return true;
}

// How long real processes may keep running after every job has finished
// before ptsim terminates them.
constexpr Duration kSurvivorGrace = std::chrono::seconds(1);
// How long (wall clock) pods may take to go after an interrupt before every
// process left is killed: the run ends within about a second of Ctrl-C.
constexpr Duration kInterruptGrace = std::chrono::milliseconds(800);

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
  options.operator_version = plan.operator_version;
  options.elastic_policy = plan.torchrun;
  options.torch_version = plan.torch_version;
  options.name = plan.name;
  options.processes.working_dir = plan.working_dir;
  // Real workers stamp failures with the real time (torch error files).
  const auto start = std::chrono::system_clock::now();  // wall-clock-ok: Unix time of virtual 0
  options.unix_epoch_seconds = std::chrono::duration<double>(start.time_since_epoch()).count();
  Simulation sim(options);
  for (const auto& mapping : plan.images)
    sim.images().Add(mapping.ref, mapping.spec);
  RunRecorder recorder(sim.api());
  sim.AddObserver(&recorder);
  std::unique_ptr<PodJournal> journal;
  if (!settings.run_dir.empty())
    journal = std::make_unique<PodJournal>(sim.api(), settings.run_dir + "/pods.jsonl");
  FaultInjector faults(sim, plan.faults);
  std::unique_ptr<Timeline> timeline;
  if (settings.timeline_out)
    timeline = std::make_unique<Timeline>(sim, *settings.timeline_out, settings.color);
  Notes& notes = sim.notes();
  for (const auto& note : plan.notes)
    notes.Add(sim.loop().Now(), note.text, note.ref);
  // A Flyte task's driver submits its attempts (flyte_run.hpp).
  std::unique_ptr<FlyteRun> flyte;
  if (plan.flyte) {
    FlyteRun::Options flyte_options;
    flyte_options.run_dir = settings.run_dir;
    flyte_options.timeline = settings.timeline_out;
    flyte = std::make_unique<FlyteRun>(sim, plan, flyte_options);
  }

  std::unique_ptr<LiveStatus> live;
  if (settings.live && settings.status_out) {
    live = std::make_unique<LiveStatus>(sim.api(), *settings.status_out, plan.name);
  }

  // Ctrl-C: the first interrupt deletes every pod gracefully, the second kills.
  // The loop notices an interrupt between any two callbacks (event_loop.hpp),
  // so a busy scripted run stops as promptly as an idle one.
  int interrupts = 0;
  int interrupt_signal = 0;
  Duration interrupted_at{0};
  auto on_interrupt = [&](int signal) {
    ++interrupts;
    if (live) live->Clear();
    if (interrupts == 1) {
      interrupt_signal = signal;
      interrupted_at = SteadyWallClock().Now();
      const auto pods = sim.api().collection<Pod>().List();
      if (settings.status_out) {
        *settings.status_out << fmt::format(
            "ptsim: interrupted ({}): deleting {} pods gracefully; interrupt again to kill them "
            "now\n",
            strsignal(signal), pods.size());
      }
      notes.Add(sim.loop().Now(),
                fmt::format("interrupted by {}: pods deleted gracefully", strsignal(signal)));
      if (flyte) flyte->Abort(fmt::format("interrupted by {}", strsignal(signal)));
      // Jobs first, so that the operator does not recreate what is deleted;
      // their pods go by garbage collection, gracefully.
      for (const auto& j : sim.api().collection<PyTorchJob>().List())
        sim.api().collection<PyTorchJob>().Delete(j->metadata.namespace_, j->metadata.name);
      for (const auto& p : pods)
        sim.api().collection<Pod>().Delete(p->metadata.namespace_, p->metadata.name);
      // Wakes a loop waiting on real processes when the grace is over.
      sim.loop().After(kInterruptGrace, [] {});
    } else {
      if (settings.status_out && interrupts == 2)
        *settings.status_out << "ptsim: interrupted again: killing every process now\n";
      sim.real_runner().SignalAll(SIGKILL);
      sim.loop().Stop();
    }
  };
  if (settings.handle_interrupts) sim.loop().WatchInterrupts(on_interrupt);

  std::vector<std::shared_ptr<const Pod>> bare_pods;
  for (const auto& pod : plan.pods) {
    if (plan.deferred.count("Pod/" + pod.metadata.name)) continue;  // created by the Flyte driver
    auto created = sim.api().collection<Pod>().Create(pod);
    if (created.ok()) bare_pods.push_back(*created);
    if (!created.ok() && settings.status_out)
      *settings.status_out << created.diagnostics().Render();
  }
  for (const auto& entry : plan.jobs) {
    if (plan.deferred.count("PyTorchJob/" + entry.job.metadata.name)) continue;
    auto created = sim.api().collection<PyTorchJob>().Create(entry.job);
    if (!created.ok() && settings.status_out)
      *settings.status_out << created.diagnostics().Render();
    const auto& specs = entry.job.spec.pytorch_replica_specs;
    if (specs && !specs->count(kReplicaTypeMaster) && !entry.job.spec.elastic_policy) {
      notes.Add(
          sim.loop().Now(),
          fmt::format("PyTorchJob {} has no Master and no elasticPolicy: the operator sets no "
                      "MASTER_ADDR, MASTER_PORT, WORLD_SIZE or RANK in its pods",
                      entry.job.metadata.name),
          "kubeflow/training-operator#1991");
    }
  }

  faults.Start();
  if (flyte) flyte->Start();
  const Time deadline = kRunStart + plan.timeout;
  auto finished = [&] {
    if (interrupts > 0) {
      return sim.api().collection<Pod>().size() == 0 ||
             SteadyWallClock().Now() - interrupted_at >= kInterruptGrace;
    }
    return AllFinished(sim, plan, bare_pods) && (!flyte || flyte->Finished());
  };
  auto outcome = sim.loop().Run(deadline, finished);
  if (outcome == EventLoop::Outcome::kPredicate && interrupts == 0 &&
      sim.real_runner().alive() > 0) {
    // Real processes that outlive their finished job (a worker still
    // finishing when the Master's success decided the job, a millisecond
    // race) get a moment to end on their own, as they would on a cluster,
    // before they are reported as survivors. Scripted containers need no
    // grace: their end is decided in virtual time.
    const Time grace_end = std::min(deadline, sim.loop().Now() + kSurvivorGrace);
    sim.loop().Run(grace_end, [&] { return interrupts > 0 || sim.real_runner().alive() == 0; });
    if (interrupts > 0) outcome = sim.loop().Run(deadline, finished);
  }
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

  // Whatever still runs is terminated and reported as such; an interrupted
  // run kills at once (its grace was the time since the interrupt).
  recorder.MarkSurvivors(end);
  const std::size_t survivors = RunningContainers(sim);
  if (survivors > 0) {
    const Duration grace = interrupts > 0 ? Duration{0} : Duration{std::chrono::seconds(2)};
    notes.Add(
        end, fmt::format("{} container(s) were still running at the end of the run and were "
                         "terminated by ptsim ({})",
                         survivors, interrupts > 0 ? "SIGKILL" : "SIGTERM, then SIGKILL after 2s"));
    for (const auto& k : sim.kubelets().all())
      k->Shutdown(grace);
    sim.loop().Run(end + std::chrono::seconds(10), [&] { return RunningContainers(sim) == 0; });
  }
  if (interrupts > 0) sim.real_runner().SignalAll(SIGKILL);
  if (timeline) timeline->Finish();
  result.interrupt_signal = interrupt_signal;

  result.virtual_seconds = ToSeconds(end);
  result.wall_seconds = ToSeconds(SteadyWallClock().Now() - wall_start);
  result.trace = sim.trace().Render();
  result.trace_digest = sim.trace().Digest();
  bool expects_outcome = false;
  for (const auto& e : plan.expectations)
    expects_outcome = expects_outcome || e.kind == ExpectationSpec::Kind::kOutcome;
  result.passed = result.outcome == RunResult::Outcome::kCompleted ||
                  (expects_outcome && result.outcome == RunResult::Outcome::kTimedOut);
  // A log cut by a full disk (or never opened) fails the run: the expectations
  // and `ptsim logs` would see only part of what the container wrote.
  for (const auto& uid : recorder.pod_order()) {
    const PodRecord& pod = recorder.pods().at(uid);
    for (const auto& c : pod.containers) {
      for (const auto& r : c.runs) {
        if (r.log_error.empty()) continue;
        result.passed = false;
        notes.Add(end, fmt::format("the log of {}/{} run {} is incomplete: {}",
                                   pod.pod->metadata.name, c.name, r.restart_count, r.log_error));
      }
    }
  }

  nlohmann::json report;
  report["ptsimVersion"] = PTSIM_VERSION;
  report["name"] = plan.name;
  report["source"] = plan.source_file;
  report["passed"] = result.passed;
  report["outcome"] = result.outcome == RunResult::Outcome::kCompleted  ? "completed"
                      : result.outcome == RunResult::Outcome::kTimedOut ? "timedOut"
                                                                        : "interrupted";
  if (interrupt_signal != 0) report["interruptedBy"] = SignalName(interrupt_signal);
  report["operatorVersion"] = std::string(OperatorVersionName(plan.operator_version));
  report["torchrun"] = {
      {"mode", std::string(elastic::ElasticPolicyName(plan.torchrun))},
      {"torchVersion", std::string(elastic::TorchVersionName(plan.torch_version))}};
  report["seed"] = plan.seed;
  report["virtualSeconds"] = result.virtual_seconds;
  report["wallSeconds"] = result.wall_seconds;
  report["runDir"] = settings.run_dir;
  report["traceDigest"] = fmt::format("{:016x}", result.trace_digest);
  nlohmann::json jobs = nlohmann::json::array();
  for (const auto& uid : recorder.job_order()) {
    const JobRecord& r = recorder.jobs().at(uid);
    // The plan entry of the same namespace and name: the first one, the one
    // the API server accepted (a later one with its key was AlreadyExists).
    nlohmann::json spec;
    for (const auto& entry : plan.jobs) {
      if (entry.job.metadata.namespace_ == r.job->metadata.namespace_ &&
          entry.job.metadata.name == r.job->metadata.name) {
        spec = entry.spec;
        break;
      }
    }
    // A Flyte run's jobs are its attempts, created in whatever order they came.
    if (flyte) spec = flyte->SubmittedSpec(r.job->metadata.namespace_, r.job->metadata.name);
    jobs.push_back(JobJson(r, spec));
  }
  report["job"] = jobs.empty() ? nlohmann::json(nullptr) : jobs[0];
  report["jobs"] = jobs;
  nlohmann::json hpas = nlohmann::json::array();
  for (const auto& h : recorder.hpas()) {
    hpas.push_back({{"name", h->metadata.name},
                    {"minReplicas", h->spec.min_replicas ? nlohmann::json(*h->spec.min_replicas)
                                                         : nlohmann::json()},
                    {"maxReplicas", h->spec.max_replicas},
                    {"scaleTargetRef",
                     {{"kind", h->spec.scale_target_ref.kind},
                      {"name", h->spec.scale_target_ref.name},
                      {"apiVersion", h->spec.scale_target_ref.api_version}}},
                    {"metrics", h->spec.metrics},
                    {"createdAt", ToSeconds(h->metadata.creation_timestamp)}});
  }
  report["horizontalPodAutoscalers"] = hpas;
  nlohmann::json pods = nlohmann::json::array();
  for (const auto& uid : recorder.pod_order())
    pods.push_back(PodJson(recorder.pods().at(uid)));
  report["pods"] = pods;
  nlohmann::json services = nlohmann::json::array();
  for (const auto& uid : recorder.service_order())
    services.push_back(ServiceJson(recorder.services().at(uid)));
  report["services"] = services;
  report["nodes"] = NodesJson(sim.api().collection<Node>().List());
  report["events"] = EventsJson(sim.api().events().list());
  report["notes"] = NotesJson(notes.list());
  report["description"] = plan.description;
  report["faults"] = faults.Report();
  report["flyte"] = flyte ? flyte->Report() : nlohmann::json(nullptr);
  ReplaceInvalidUtf8(&report);
  report["expectations"] = nlohmann::json::array();
  for (const auto& spec : plan.expectations) {
    ExpectationResult r = Evaluate(spec, report);
    result.passed = result.passed && r.passed;
    report["expectations"].push_back({{"description", r.description},
                                      {"passed", r.passed},
                                      {"expected", r.expected},
                                      {"actual", r.actual}});
  }
  report["passed"] = result.passed;
  report["ignored"] = plan.ignored;
  int real_processes = 0;
  for (const auto& uid : recorder.pod_order()) {
    for (const auto& c : recorder.pods().at(uid).containers) {
      for (const auto& r : c.runs)
        real_processes += (!r.scripted && r.pid != 0) ? 1 : 0;
    }
  }
  report["realProcesses"] = real_processes;
  ReplaceInvalidUtf8(&report);  // what expectations quoted from logs, too
  result.report = std::move(report);
  result.summary = ConditionHistoryText(result.report) + FlyteSummaryText(result.report["flyte"]) +
                   PodTable(result.report);
  return result;
}

}  // namespace ptsim
