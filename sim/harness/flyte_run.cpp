#include "sim/harness/flyte_run.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "fakes/flyte/error_document.hpp"
#include "fakes/flyte/pod_task.hpp"
#include "sim/harness/flyte_attempt.hpp"
#include "sim/harness/run_name.hpp"

namespace ptsim {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string ShortPhase(flyte::Phase phase) {
  std::string name(flyte::PhaseName(phase));
  return name.rfind("Phase", 0) == 0 ? name.substr(5) : name;
}

bool IsTerminal(flyte::Phase p) {
  return p == flyte::Phase::kSuccess || p == flyte::Phase::kRetryableFailure ||
         p == flyte::Phase::kPermanentFailure;
}

json ErrorJson(const std::optional<flyte::ExecutionError>& e) {
  if (!e) return json(nullptr);
  return {{"code", e->code}, {"kind", e->kind}, {"message", e->message}};
}

// A time as GetTaskPhase reads it. flytepropeller's informer cache has whole
// seconds (metav1.Time travels as RFC 3339), so on a cluster conditions
// written in the same second tie and the earlier one in the list wins
// ExtractCurrentCondition's stable sort: a job that went from Created to
// Succeeded within a second would stay Queued for good. ptsim keeps the full
// virtual time instead: its pods start in no time (no image pulls, scripted
// containers at virtual time 0), which would make such ties the rule rather
// than the rare exception they are on a cluster. Conditions written at the
// very same virtual instant still tie (Created and Running of scripted pods).
double ConditionSeconds(Time t) {
  return ToSeconds(t);
}

// The PyTorchJob as GetTaskPhase reads it (times in seconds).
json JobJson(const PyTorchJob& job) {
  json specs = json::object();
  if (job.spec.pytorch_replica_specs) {
    for (const auto& [type, spec] : *job.spec.pytorch_replica_specs) {
      specs[type] = {{"replicas", spec.replicas ? json(*spec.replicas) : json(nullptr)}};
    }
  }
  json conditions = json::array();
  for (const auto& c : job.status.conditions) {
    conditions.push_back({{"type", c.type},
                          {"status", c.status},
                          {"reason", c.reason},
                          {"message", c.message},
                          {"lastUpdateTime", ConditionSeconds(c.last_update_time)},
                          {"lastTransitionTime", ConditionSeconds(c.last_transition_time)}});
  }
  json status = {{"conditions", conditions}};
  if (job.status.start_time) status["startTime"] = ConditionSeconds(*job.status.start_time);
  json run_policy = json::object();
  if (job.spec.run_policy.suspend) run_policy["suspend"] = *job.spec.run_policy.suspend;
  return {{"kind", "PyTorchJob"},
          {"metadata", {{"name", job.metadata.name}, {"namespace", job.metadata.namespace_}}},
          {"spec", {{"pytorchReplicaSpecs", specs}, {"runPolicy", run_policy}}},
          {"status", status}};
}

json StateJson(const ContainerState& s) {
  json out = json::object();
  if (s.waiting) out["waiting"] = {{"reason", s.waiting->reason}, {"message", s.waiting->message}};
  if (s.running) out["running"] = json::object();
  if (s.terminated) {
    out["terminated"] = {{"exitCode", s.terminated->exit_code},
                         {"reason", s.terminated->reason},
                         {"message", s.terminated->message}};
  }
  return out;
}

// The Pod as DemystifyPodStatus reads it.
json PodJson(const Pod& pod) {
  json conditions = json::array();
  for (const auto& c : pod.status.conditions) {
    conditions.push_back({{"type", c.type},
                          {"status", c.status},
                          {"reason", c.reason},
                          {"message", c.message},
                          {"lastTransitionTime", ToSeconds(c.last_transition_time)}});
  }
  auto statuses = [](const std::vector<ContainerStatus>& list) {
    json out = json::array();
    for (const auto& s : list) {
      out.push_back({{"name", s.name},
                     {"ready", s.ready},
                     {"state", StateJson(s.state)},
                     {"lastState", StateJson(s.last_state)}});
    }
    return out;
  };
  json annotations = json::object();
  for (const auto& [k, v] : pod.metadata.annotations)
    annotations[k] = v;
  return {{"metadata", {{"name", pod.metadata.name}, {"annotations", annotations}}},
          {"status",
           {{"phase", pod.status.phase},
            {"reason", pod.status.reason},
            {"message", pod.status.message},
            {"conditions", conditions},
            {"initContainerStatuses", statuses(pod.status.init_container_statuses)},
            {"containerStatuses", statuses(pod.status.container_statuses)}}}};
}

flyte::PhaseInfo SystemRetryable(const std::string& code, const std::string& message) {
  // PhaseInfoSystemRetryableFailure.
  flyte::PhaseInfo p;
  p.phase = flyte::Phase::kRetryableFailure;
  p.reason = message;
  p.error = flyte::ExecutionError{code, message, "SYSTEM"};
  return p;
}

}  // namespace

FlyteRun::FlyteRun(Simulation& sim, const RunPlan& plan, Options options)
    : sim_(sim), plan_(plan), flyte_(*plan.flyte), options_(std::move(options)), launcher_(sim) {
  sim_.AddInterceptor(&launcher_);
  std::weak_ptr<bool> alive = alive_;
  auto concerns = [this](const std::string& ns, const std::string& name, const std::string& kind) {
    return !attempts_.empty() && attempts_.back().kind == kind && attempts_.back().ns == ns &&
           attempts_.back().name == name;
  };
  sim_.api().collection<PyTorchJob>().Watch([this, alive, concerns](const auto& e) {
    if (alive.expired() || ended_) return;
    if (concerns(e.object->metadata.namespace_, e.object->metadata.name, "PyTorchJob")) Round();
  });
  sim_.api().collection<Pod>().Watch([this, alive, concerns](const auto& e) {
    if (alive.expired() || ended_) return;
    if (concerns(e.object->metadata.namespace_, e.object->metadata.name, "Pod")) Round();
  });
}

FlyteRun::~FlyteRun() {
  *alive_ = false;
  sim_.loop().Cancel(round_timer_);
}

void FlyteRun::Line(const std::string& text) {
  if (options_.timeline) {
    *options_.timeline << FormatTimestamp(sim_.loop().Now()) << " flyte: " << text << "\n";
  }
}

void FlyteRun::Start() {
  Submit(0);
}

std::optional<FlyteAttemptObject> FlyteRun::PreparedAttempt(int64_t number) const {
  std::optional<FlyteAttemptObject> object;
  for (const auto& prepared : flyte_.attempts) {
    if (prepared.number != number) continue;
    FlyteAttemptObject o;
    o.kind = prepared.kind;
    o.name = prepared.name;
    o.manifest = prepared.manifest;
    o.ns = prepared.manifest["metadata"].value("namespace", "");
    if (prepared.kind == "PyTorchJob") {
      o.job = *plan_.jobs.at(prepared.index).As<PyTorchJob>();
    } else {
      o.pod = plan_.pods.at(prepared.index);
    }
    object = std::move(o);
  }
  return object;
}

Diagnostics FlyteRun::CreateAttempt(const FlyteAttemptObject& object, std::string* uid) {
  if (object.job) {
    auto r = sim_.api().collection<PyTorchJob>().Create(*object.job);
    if (r.ok()) *uid = (*r)->metadata.uid;
    return r.diagnostics();
  }
  auto r = sim_.api().collection<Pod>().Create(*object.pod);
  if (r.ok()) *uid = (*r)->metadata.uid;
  return r.diagnostics();
}

void FlyteRun::Submit(int64_t number) {
  Attempt a;
  a.number = number;
  a.submitted_at = ToSeconds(sim_.loop().Now());
  // The object the plan prepared for this attempt, or (past the prepared
  // ones) built now.
  std::optional<FlyteAttemptObject> object = PreparedAttempt(number);
  if (!object) {
    auto built = BuildFlyteAttempt(flyte_, number, plan_.operator_version);
    if (!built.ok()) {
      // launchResource: a resource that cannot be built fails the task for good.
      return Fail(
          {"FailedToBuildResource",
           "could not build resource for task: " + built.diagnostics().items().front().message,
           "USER"},
          number);
    }
    object = std::move(built.value());
  }
  // The name becomes a directory that is emptied below: one component under
  // <run dir>/flyte, never anything else (run_name.hpp).
  if (auto why = CheckRunName(object->name); !why.empty()) {
    return Fail({"BadTaskFormat", "the attempt's name: " + why, "USER"}, number);
  }
  a.kind = object->kind;
  a.name = object->name;
  a.ns = object->ns;
  a.manifest = object->manifest;
  const fs::path dir = fs::path(options_.run_dir) / "flyte" / a.name;
  a.outputs_dir = (dir / "outputs").string();
  std::error_code ec;
  fs::remove_all(dir, ec);
  fs::create_directories(a.outputs_dir, ec);
  SetContainerEnv(&*object, kFlyteOutputDirEnv, a.outputs_dir);
  if (object->pod) {
    const json annotations = a.manifest["metadata"].value("annotations", json::object());
    a.primary_container = annotations.value(flyte::kPrimaryContainerAnnotation, "");
    if (a.primary_container.empty() && !object->pod->spec.containers.empty()) {
      a.primary_container = object->pod->spec.containers.front().name;
    }
  }
  if (flyte_.elastic) {
    FlyteElasticLauncher::Target target{*flyte_.elastic, a.outputs_dir, (dir / "workers").string()};
    if (object->job) {
      launcher_.AddJob(a.ns, a.name, target);
    } else {
      launcher_.AddPod(a.ns, a.name, a.primary_container, target);
    }
  }
  const Diagnostics created = CreateAttempt(*object, &a.uid);
  attempts_.push_back(std::move(a));
  Line(fmt::format("attempt {}: {} {} submitted", number, attempts_.back().kind,
                   attempts_.back().name));
  if (!created.ok()) {
    // launchResource: an invalid object is a permanent "BadTaskFormat" failure.
    return Fail({"BadTaskFormat", created.items().front().message, "USER"}, number);
  }
  flyte::PhaseInfo queued;
  queued.phase = flyte::Phase::kQueued;
  queued.reason = "task submitted to K8s";
  queued.info.occurred_at = ToSeconds(sim_.loop().Now());
  Record(queued);
  ScheduleRound();
}

void FlyteRun::ScheduleRound() {
  sim_.loop().Cancel(round_timer_);
  std::weak_ptr<bool> alive = alive_;
  round_timer_ = sim_.loop().After(options_.resync, [this, alive] {
    if (alive.expired()) return;
    round_timer_ = {};
    Round();
    if (!ended_) ScheduleRound();
  });
}

void FlyteRun::Round() {
  if (ended_ || attempts_.empty()) return;
  Attempt& a = attempts_.back();
  if (a.ended_at) return;
  const double now = ToSeconds(sim_.loop().Now());
  flyte::PhaseInfo p;
  if (a.kind == "PyTorchJob") {
    auto job = sim_.api().collection<PyTorchJob>().Get(a.ns, a.name);
    if (!job || job->metadata.uid != a.uid) {
      // checkResourcePhase: the object is gone.
      return Observe(SystemRetryable(
          "ResourceDeletedExternally",
          fmt::format("resource not found, name [{}/{}]. reason: pytorchjobs.kubeflow.org "
                      "\"{}\" not found",
                      a.ns, a.name, a.name)));
    }
    flyte::JobObservation obs{JobJson(*job), ConditionSeconds(job->metadata.creation_timestamp),
                              now};
    auto r = flyte::GetTaskPhase(obs, a.state, AttemptExecution(flyte_, a.number),
                                 flyte_.task_template, flyte_.propeller);
    if (!r.ok()) {
      // An error from the plugin fails the round; flytepropeller retries it.
      const std::string message = r.diagnostics().items().front().message;
      if (round_errors_.empty() || round_errors_.back().value("message", "") != message) {
        round_errors_.push_back({{"attempt", a.number}, {"at", now}, {"message", message}});
        Line(fmt::format("attempt {}: round failed: {}", a.number, message));
      }
      return;
    }
    p = r.value();
    NoteWholeSecondTie(job->metadata.name, obs.job);
    a.log_links = json::array();
    for (const auto& l : p.info.logs)
      a.log_links.push_back(l.ToJson());
    if (!IsTerminal(p.phase) && job->metadata.deletion_timestamp) {
      p = SystemRetryable(
          "UnexpectedObjectDeletion",
          fmt::format("object [{}/{}] terminated in the background, manually", a.ns, a.name));
    }
  } else {
    auto pod = sim_.api().collection<Pod>().Get(a.ns, a.name);
    if (!pod || pod->metadata.uid != a.uid) {
      return Observe(SystemRetryable(
          "ResourceDeletedExternally",
          fmt::format("resource not found, name [{}/{}]. reason: pods \"{}\" not found", a.ns,
                      a.name, a.name)));
    }
    p = flyte::GetPodTaskPhase(PodJson(*pod), now, a.state);
    if (!IsTerminal(p.phase) && pod->metadata.deletion_timestamp) {
      p = SystemRetryable(
          "UnexpectedObjectDeletion",
          fmt::format("object [{}/{}] terminated in the background, manually", a.ns, a.name));
    }
  }
  Observe(p);
}

void FlyteRun::NoteWholeSecondTie(const std::string& name, const json& job) {
  auto conditions = flyte::ParseConditions(job.value("status", json::object()));
  if (!conditions.ok()) return;
  std::vector<JobCondition> whole = conditions.value();
  for (auto& c : whole)
    c.last_transition_time = std::chrono::floor<std::chrono::seconds>(c.last_transition_time);
  // The condition flytepropeller picks, with exact times and with times as
  // the API server keeps them.
  const auto here = flyte::ExtractCurrentCondition(conditions.value());
  const auto cluster = flyte::ExtractCurrentCondition(std::move(whole));
  if (!here.ok() || !cluster.ok() || here->type == cluster->type) return;
  sim_.notes().AddOnce(
      sim_.loop().Now(),
      fmt::format("Flyte: PyTorchJob {} had conditions {} and {} set within the same second; "
                  "flytepropeller reads condition times in whole seconds (the API server's "
                  "precision) and its ExtractCurrentCondition keeps list order on a tie, so on a "
                  "cluster the task would show the phase of {} here, not of {} "
                  "(flyteplugins kfoperators/common/common_operator.go)",
                  name, cluster->type, here->type, cluster->type, here->type));
}

void FlyteRun::Observe(const flyte::PhaseInfo& observed) {
  Attempt& a = attempts_.back();
  flyte::PhaseInfo p = observed;
  if (p.phase == flyte::Phase::kSuccess) p = ReadOutputs(&a, p);
  Record(p);
  if (IsTerminal(p.phase)) Ended(p);
}

void FlyteRun::Record(const flyte::PhaseInfo& p) {
  Attempt& a = attempts_.back();
  const std::string phase = ShortPhase(p.phase);
  // The k8s plugin manager stores every round's phase, version and reason
  // (the state MaybeUpdatePhaseVersion compares with next round).
  a.state = flyte::PluginState{p.phase, p.version, p.reason};
  // nodes/task/handler.go sends an event when the phase or the version
  // changed, even to a lower version (Queued v1 "JobCreated", then Queued v0
  // "JobCreated" the next round); flyteadmin's CreateTaskExecutionEvent
  // rejects one whose phase it has recorded at the same or a higher version
  // (AlreadyExists). The timeline is what flyteadmin recorded.
  if (a.phase == phase && p.version <= a.recorded_version) return;
  a.phase = phase;
  a.recorded_version = p.version;
  PhaseEntry e;
  e.attempt = a.number;
  e.phase = phase;
  e.version = p.version;
  e.at = ToSeconds(sim_.loop().Now());
  e.reason = p.error ? std::string() : p.reason;
  e.error = p.error;
  phases_.push_back(e);
  std::string text = fmt::format("attempt {}: {}", a.number, phase);
  if (!e.reason.empty()) text += " (" + e.reason + ")";
  if (p.error) text += fmt::format(" {} {}: {}", p.error->kind, p.error->code, p.error->message);
  Line(text);
}

flyte::PhaseInfo FlyteRun::ReadOutputs(Attempt* a, flyte::PhaseInfo success) {
  const double now = ToSeconds(sim_.loop().Now());
  // The error reader: "error.json", or every error*.json with Earliest.
  std::vector<flyte::FoundErrorDocument> documents;
  std::vector<std::string> files;
  std::error_code ec;
  for (fs::directory_iterator it(a->outputs_dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind("error", 0) == 0 && it->path().extension() == ".json") files.push_back(name);
  }
  std::sort(files.begin(), files.end());
  for (const auto& name : files) {
    std::ifstream in(fs::path(a->outputs_dir) / name);
    std::stringstream text;
    text << in.rdbuf();
    const json doc = json::parse(text.str(), nullptr, false);
    auto error = flyte::ContainerErrorFromJson(doc.is_discarded() ? json() : doc, name);
    if (error.ok()) documents.push_back({name, error.value()});
  }
  auto picked =
      flyte::PickErrorDocument(documents, flyte_.propeller.enable_distributed_error_aggregation);
  if (picked) {
    a->error_document = picked->error.ToJson()["error"];
    a->error_document["file"] = picked->file;
    return flyte::PhaseOfTaskError(picked->error, now);
  }
  std::ifstream in(fs::path(a->outputs_dir) / "return.json");
  if (in) {
    std::stringstream text;
    text << in.rdbuf();
    a->return_value = json::parse(text.str(), nullptr, false);
    if (a->return_value.is_discarded()) a->return_value = text.str();
  }
  std::vector<std::string> decks;
  for (fs::directory_iterator it(fs::path(a->outputs_dir) / "decks", ec), end; !ec && it != end;
       it.increment(ec)) {
    if (it->path().extension() == ".html") decks.push_back(it->path().stem().string());
  }
  std::sort(decks.begin(), decks.end());
  for (const auto& d : decks) {
    a->decks.push_back(
        {{"name", d}, {"path", (fs::path(a->outputs_dir) / "decks" / (d + ".html")).string()}});
  }
  return success;
}

void FlyteRun::Ended(const flyte::PhaseInfo& p) {
  Attempt& a = attempts_.back();
  a.ended_at = ToSeconds(sim_.loop().Now());
  a.error = p.error;
  if (p.phase == flyte::Phase::kSuccess) {
    ended_ = true;
    final_phase_ = "Success";
    sim_.loop().Cancel(round_timer_);
    Line("task succeeded");
    return;
  }
  const flyte::ExecutionError error = p.error.value_or(flyte::ExecutionError{});
  if (p.phase == flyte::Phase::kPermanentFailure) return Fail(error, a.number);
  // RetryableFailure: nodes/executor.go execute + handleRetryableFailure.
  const flyte::RetryDecision d = flyte::IsEligibleForRetry(flyte_.retry, node_, error.kind);
  if (!d.eligible) {
    flyte::CountFailure(&node_, error.kind, false);
    return Fail(flyte::RetriesExhausted(d, error), a.number);
  }
  flyte::CountFailure(&node_, error.kind, true);
  Line(fmt::format("attempt {} failed ({} error); retrying as attempt {}", a.number, error.kind,
                   node_.attempts));
  Submit(node_.attempts);
}

void FlyteRun::Fail(const flyte::ExecutionError& error, int64_t attempt) {
  ended_ = true;
  final_phase_ = "PermanentFailure";
  final_error_ = error;
  sim_.loop().Cancel(round_timer_);
  if (!attempts_.empty() && !attempts_.back().ended_at) {
    attempts_.back().ended_at = ToSeconds(sim_.loop().Now());
    attempts_.back().error = error;
    attempts_.back().phase = "PermanentFailure";
  }
  PhaseEntry e;
  e.attempt = attempt;
  e.phase = "PermanentFailure";
  e.at = ToSeconds(sim_.loop().Now());
  e.error = error;
  if (phases_.empty() || phases_.back().phase != e.phase || phases_.back().attempt != attempt ||
      !phases_.back().error || phases_.back().error->code != error.code) {
    phases_.push_back(e);
  }
  Line(fmt::format("task failed: {} {}: {}", error.kind, error.code, error.message));
}

void FlyteRun::Abort(const std::string& reason) {
  if (ended_) return;
  ended_ = true;
  final_phase_ = "Aborted";
  final_error_ = flyte::ExecutionError{"NodeAborted", reason, "USER"};
  sim_.loop().Cancel(round_timer_);
}

bool FlyteRun::Finished() const {
  if (!ended_) return false;
  for (const auto& a : attempts_) {
    if (a.uid.empty()) continue;
    if (a.kind == "PyTorchJob") {
      if (!sim_.controller().Settled(a.ns, a.name)) return false;
    } else {
      auto pod = sim_.api().collection<Pod>().Get(a.ns, a.name);
      if (pod && pod->metadata.uid == a.uid && !pod->IsTerminal() &&
          !pod->metadata.deletion_timestamp) {
        return false;
      }
    }
  }
  return true;
}

json FlyteRun::SubmittedSpec(const std::string& ns, const std::string& name) const {
  for (const auto& a : attempts_) {
    if (a.kind == "PyTorchJob" && a.ns == ns && a.name == name) {
      return a.manifest.value("spec", json());
    }
  }
  return json(nullptr);
}

json FlyteRun::Report() const {
  json phases = json::array();
  for (const auto& e : phases_) {
    phases.push_back({{"attempt", e.attempt},
                      {"phase", e.phase},
                      {"version", e.version},
                      {"at", e.at},
                      {"reason", e.reason.empty() ? json(nullptr) : json(e.reason)},
                      {"error", ErrorJson(e.error)}});
  }
  json attempts = json::array();
  for (const auto& a : attempts_) {
    json pods = json::array();
    for (const auto& r : launcher_.results()) {
      const bool mine = a.kind == "Pod" ? r.pod == a.name : r.pod.rfind(a.name + "-", 0) == 0;
      if (!mine) continue;
      pods.push_back({{"pod", r.pod},
                      {"at", r.at},
                      {"outcome", r.outcome},
                      {"errorFile", r.error_file.empty() ? json(nullptr) : json(r.error_file)},
                      {"detail", r.detail.empty() ? json(nullptr) : json(r.detail)}});
    }
    attempts.push_back({{"attempt", a.number},
                        {"name", a.name},
                        {"kind", a.kind},
                        {"namespace", a.ns},
                        {"jobName", a.kind == "PyTorchJob" ? json(a.name) : json(nullptr)},
                        {"podName", a.kind == "Pod" ? json(a.name) : json(nullptr)},
                        {"phase", a.phase},
                        {"submittedAt", a.submitted_at},
                        {"endedAt", a.ended_at ? json(*a.ended_at) : json(nullptr)},
                        {"error", ErrorJson(a.error)},
                        {"errorDocument", a.error_document},
                        {"outputDir", a.outputs_dir},
                        {"returnValue", a.return_value},
                        {"decks", a.decks},
                        {"elasticPods", flyte_.elastic ? pods : json(nullptr)},
                        {"logLinks", a.log_links}});
  }
  const Attempt* last = attempts_.empty() ? nullptr : &attempts_.back();
  const bool succeeded = final_phase_ == "Success" && last != nullptr;
  flyte::NodeAttempts none;
  const flyte::RetryDecision user = flyte::IsEligibleForRetry(flyte_.retry, none, "USER");
  const flyte::TaskExecution& e = flyte_.execution;
  // A run that ended before the task did reports the phase it had reached.
  const std::string phase =
      ended_ ? final_phase_ : (last != nullptr ? last->phase : std::string("Undefined"));
  std::optional<flyte::ExecutionError> error = final_error_;
  if (!ended_ && last != nullptr) error = last->error;
  return {
      {"input", flyte_.input},
      {"config", flyte_.config.empty() ? json(nullptr) : json(flyte_.config)},
      {"taskType", flyte_.task_type},
      {"taskTypeVersion", flyte_.task_type_version},
      {"execution",
       {{"project", e.execution_id.project},
        {"domain", e.execution_id.domain},
        {"name", e.execution_id.name},
        {"nodeId", e.node_id},
        {"namespace", e.k8s_namespace}}},
      {"retries", flyte_.retry.retries},
      {"maxAttempts", user.max_attempts},
      {"maxSystemRetries", flyte_.retry.max_node_retries_system_failures},
      {"systemFailures", node_.system_failures},
      {"ended", ended_},
      {"phase", phase},
      {"error", ErrorJson(error)},
      {"phases", phases},
      {"attempts", attempts},
      {"roundErrors", round_errors_},
      {"returnValue", succeeded ? last->return_value : json(nullptr)},
      {"decks", succeeded ? last->decks : json::array()},
      {"warnings", flyte_.warnings},
  };
}

}  // namespace ptsim
