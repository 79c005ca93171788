#include "sim/harness/report_builder.hpp"

#include <fmt/format.h>

#include "sim/core/signals.hpp"
#include "sim/harness/report_json.hpp"

namespace ptsim {
namespace {

using nlohmann::json;

const char* OutcomeName(RunOutcome outcome) {
  switch (outcome) {
    case RunOutcome::kCompleted:
      return "completed";
    case RunOutcome::kTimedOut:
      return "timedOut";
    case RunOutcome::kInterrupted:
      return "interrupted";
  }
  return "completed";
}

// Whether the run ended as it should: completed, or timed out where an
// `outcome` expectation asks for it.
bool EndedAsItShould(const RunPlan& plan, RunOutcome outcome) {
  const bool expects_outcome = JudgesOutcome(plan.expectations);
  return outcome == RunOutcome::kCompleted || (expects_outcome && outcome == RunOutcome::kTimedOut);
}

// A log cut by a full disk (or never opened) fails the run: the expectations
// and `ptsim logs` would see only part of what the container wrote. Notes
// each such log; returns whether every log is whole.
bool NoteIncompleteLogs(const RunRecorder& recorder, Time end, std::vector<Note>* notes) {
  bool whole = true;
  for (const auto& uid : recorder.pod_order()) {
    const PodRecord& pod = recorder.pods().at(uid);
    for (const auto& c : pod.containers) {
      for (const auto& r : c.runs) {
        if (r.log_error.empty()) continue;
        whole = false;
        notes->push_back({end,
                          fmt::format("the log of {}/{} run {} is incomplete: {}",
                                      pod.pod->metadata.name, c.name, r.restart_count, r.log_error),
                          ""});
      }
    }
  }
  return whole;
}

// The spec a recorded job was submitted with: the driver's when there is one,
// else its plan entry's (FindPlannedJob: by kind, namespace and name, never
// by position).
json SpecAsSubmitted(const RunRecord& run, const JobRecord& job) {
  const ObjectMeta& m = job.job.metadata();
  if (run.submitted_spec) return run.submitted_spec(m.namespace_, m.name);
  const PlannedJob* entry = FindPlannedJob(*run.plan, *job.kind, m.namespace_, m.name);
  return entry ? entry->spec : json();
}

// Whether the job is owned by another job of the run (a JobSet's Jobs):
// only top-level jobs are the report's.
bool OwnedByAJob(const RunRecorder& recorder, const JobRecord& job) {
  const OwnerReference* owner = job.job.metadata().ControllerRef();
  return owner && recorder.jobs().count(owner->uid) > 0;
}

json JobsJson(const RunRecord& run) {
  json jobs = json::array();
  for (const auto& uid : run.recorder->job_order()) {
    const JobRecord& r = run.recorder->jobs().at(uid);
    if (OwnedByAJob(*run.recorder, r)) continue;
    jobs.push_back(JobJson(r, SpecAsSubmitted(run, r)));
  }
  return jobs;
}

json HpasJson(const RunRecorder& recorder) {
  json hpas = json::array();
  for (const auto& h : recorder.hpas()) {
    hpas.push_back({{"name", h->metadata.name},
                    {"minReplicas", h->spec.min_replicas ? json(*h->spec.min_replicas) : json()},
                    {"maxReplicas", h->spec.max_replicas},
                    {"scaleTargetRef",
                     {{"kind", h->spec.scale_target_ref.kind},
                      {"name", h->spec.scale_target_ref.name},
                      {"apiVersion", h->spec.scale_target_ref.api_version}}},
                    {"metrics", h->spec.metrics},
                    {"createdAt", ToSeconds(h->metadata.creation_timestamp)}});
  }
  return hpas;
}

int RealProcesses(const RunRecorder& recorder) {
  int n = 0;
  for (const auto& uid : recorder.pod_order()) {
    for (const auto& c : recorder.pods().at(uid).containers) {
      for (const auto& r : c.runs)
        n += (!r.scripted && r.pid != 0) ? 1 : 0;
    }
  }
  return n;
}

// The run's identity, settings, verdict and times.
void AddRunFields(const RunRecord& run, bool logs_whole, json* report) {
  const RunPlan& plan = *run.plan;
  json& r = *report;
  r["ptsimVersion"] = PTSIM_VERSION;
  r["name"] = plan.name;
  r["description"] = plan.description;
  r["source"] = plan.source_file;
  r["passed"] = EndedAsItShould(plan, run.outcome) && logs_whole;
  r["outcome"] = OutcomeName(run.outcome);
  if (run.interrupt_signal != 0) r["interruptedBy"] = SignalName(run.interrupt_signal);
  r["operatorVersion"] = std::string(OperatorVersionName(plan.operator_version));
  r["torchrun"] = {{"mode", std::string(elastic::ElasticPolicyName(plan.torchrun))},
                   {"torchVersion", std::string(elastic::TorchVersionName(plan.torch_version))}};
  r["seed"] = plan.seed;
  r["virtualSeconds"] = ToSeconds(run.end);
  r["wallSeconds"] = run.wall_seconds;
  r["runDir"] = run.run_dir;
  r["traceDigest"] = fmt::format("{:016x}", run.trace_digest);
  r["ignored"] = plan.ignored;
}

}  // namespace

json BuildReport(const RunRecord& run) {
  const RunRecorder& recorder = *run.recorder;
  std::vector<Note> notes = run.notes;
  const bool logs_whole = NoteIncompleteLogs(recorder, run.end, &notes);
  json report;
  AddRunFields(run, logs_whole, &report);
  json jobs = JobsJson(run);
  report["job"] = jobs.empty() ? json(nullptr) : jobs[0];
  report["jobs"] = std::move(jobs);
  report["horizontalPodAutoscalers"] = HpasJson(recorder);
  json pods = json::array();
  for (const auto& uid : recorder.pod_order())
    pods.push_back(PodJson(recorder.pods().at(uid)));
  report["pods"] = std::move(pods);
  json services = json::array();
  for (const auto& uid : recorder.service_order())
    services.push_back(ServiceJson(recorder.services().at(uid)));
  report["services"] = std::move(services);
  report["nodes"] = NodesJson(run.nodes);
  report["events"] = EventsJson(run.events ? *run.events : std::vector<Event>{});
  report["notes"] = NotesJson(notes);
  report["faults"] = run.faults;
  report["flyte"] = run.flyte;
  report["realProcesses"] = RealProcesses(recorder);
  ReplaceInvalidUtf8(&report);
  return report;
}

void AddExpectationResults(const std::vector<ExpectationSpec>& expectations, json* report) {
  // Each expectation sees the results of those before it, as a `report:`
  // expectation reading /expectations always has.
  (*report)["expectations"] = json::array();
  bool passed = (*report)["passed"].get<bool>();
  for (const auto& spec : expectations) {
    ExpectationResult r = Evaluate(spec, *report);
    passed = passed && r.passed;
    (*report)["expectations"].push_back({{"description", r.description},
                                         {"passed", r.passed},
                                         {"expected", r.expected},
                                         {"actual", r.actual}});
  }
  (*report)["passed"] = passed;
  ReplaceInvalidUtf8(report);  // what expectations quoted from logs, too
}

}  // namespace ptsim
