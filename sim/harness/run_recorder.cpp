#include "sim/harness/run_recorder.hpp"

namespace ptsim {

namespace {

bool SameCondition(const JobCondition& a, const JobCondition& b) {
  return a.type == b.type && a.status == b.status && a.reason == b.reason && a.message == b.message;
}

}  // namespace

ContainerRecord& PodRecord::Container(const std::string& name, bool init) {
  for (auto& c : containers) {
    if (c.name == name) return c;
  }
  ContainerRecord c;
  c.name = name;
  c.init = init;
  containers.push_back(std::move(c));
  return containers.back();
}

RunRecorder::RunRecorder(ApiServer& api) {
  api.collection<Pod>().Watch([this, &api](const WatchEvent<Pod>& e) {
    const std::string& uid = e.object->metadata.uid;
    auto [it, inserted] = pods_.try_emplace(uid);
    if (inserted) {
      pod_order_.push_back(uid);
      for (const auto& c : e.object->spec.init_containers)
        it->second.Container(c.name, true);
      for (const auto& c : e.object->spec.containers)
        it->second.Container(c.name, false);
    }
    it->second.pod = e.object;
    if (e.type == WatchEventType::kDeleted) it->second.deleted_at = api.loop().Now();
  });
  api.collection<Service>().Watch([this, &api](const WatchEvent<Service>& e) {
    const std::string& uid = e.object->metadata.uid;
    auto [it, inserted] = services_.try_emplace(uid);
    if (inserted) service_order_.push_back(uid);
    it->second.service = e.object;
    if (e.type == WatchEventType::kDeleted) it->second.deleted_at = api.loop().Now();
  });
  for (const JobKind* kind : JobKinds()) {
    kind->Watch(api, [this, &api, kind](const AnyJob& job, const AnyJob&, bool deleted) {
      RecordJob(*kind, job, deleted, api.loop().Now());
    });
  }
  api.collection<HorizontalPodAutoscaler>().Watch(
      [this](const WatchEvent<HorizontalPodAutoscaler>& e) {
        if (e.type == WatchEventType::kAdded) hpas_.push_back(e.object);
      });
}

void RunRecorder::RecordJob(const JobKind& kind, const AnyJob& job, bool deleted, Time now) {
  const std::string& uid = job.metadata().uid;
  auto [it, inserted] = jobs_.try_emplace(uid);
  if (inserted) job_order_.push_back(uid);
  JobRecord& r = it->second;
  const std::vector<JobCondition> old =
      r.job ? kind.Conditions(r.job) : std::vector<JobCondition>{};
  for (const auto& c : kind.Conditions(job)) {
    bool seen = false;
    for (const auto& o : old)
      seen = seen || SameCondition(o, c);
    if (!seen) r.history.push_back({now, c});
  }
  r.kind = &kind;
  r.job = job;
  if (deleted) r.deleted_at = now;
}

void RunRecorder::ContainerStarted(const ContainerIncarnation& inc) {
  PodRecord& pod = pods_[inc.pod_uid];
  ContainerRecord& c = pod.Container(inc.container, inc.init);
  c.resolved_env = inc.env;
  c.resolved_argv = inc.argv;
  ContainerRunRecord run;
  run.restart_count = inc.restart_count;
  run.started_at = inc.started_at;
  run.scripted = inc.scripted;
  run.pid = inc.pid;
  run.log_path = inc.log_path;
  c.runs.push_back(run);
}

void RunRecorder::ContainerExited(const ContainerIncarnation& inc, const ProcessExit& exit,
                                  const ContainerStateTerminated& state) {
  PodRecord& pod = pods_[inc.pod_uid];
  ContainerRecord& c = pod.Container(inc.container, inc.init);
  if (c.runs.empty() || c.runs.back().restart_count != inc.restart_count) {
    // A start failure: the incarnation never ran.
    ContainerRunRecord run;
    run.restart_count = inc.restart_count;
    run.started_at = state.started_at;
    run.log_path = inc.log_path;
    c.runs.push_back(run);
  }
  ContainerRunRecord& run = c.runs.back();
  run.finished_at = state.finished_at;
  run.exit_code = state.exit_code;
  run.signal = exit.Signal();
  run.reason = state.reason;
}

void RunRecorder::ContainerLogRotated(const ContainerIncarnation& inc, const std::string&) {
  ContainerRecord& c = pods_[inc.pod_uid].Container(inc.container, inc.init);
  if (!c.runs.empty() && c.runs.back().restart_count == inc.restart_count) {
    ++c.runs.back().log_rotations;
  }
}

void RunRecorder::ContainerLogError(const ContainerIncarnation& inc, const std::string& message) {
  ContainerRecord& c = pods_[inc.pod_uid].Container(inc.container, inc.init);
  if (!c.runs.empty() && c.runs.back().restart_count == inc.restart_count &&
      c.runs.back().log_error.empty()) {
    c.runs.back().log_error = message;
  }
}

void RunRecorder::MarkSurvivors(Time now) {
  for (auto& [uid, pod] : pods_) {
    for (auto& c : pod.containers) {
      if (!c.runs.empty() && !c.runs.back().finished_at) {
        c.runs.back().terminated_by_ptsim = true;
        (void)now;
      }
    }
  }
}

}  // namespace ptsim
