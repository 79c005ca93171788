#include "fakes/kubelet/kubelet.hpp"

#include <fmt/format.h>
#include <signal.h>

#include <algorithm>
#include <filesystem>

#include "fakes/kubelet/container_launch.hpp"
#include "fakes/kubelet/pod_phase.hpp"
#include "sim/core/signals.hpp"
#include "sim/model/go_duration.hpp"

namespace ptsim {
namespace {

// pkg/kubelet/kuberuntime: the kubelet never gives a container less than this
// between SIGTERM and SIGKILL (minimumGracePeriodInSeconds).
constexpr std::int64_t kMinimumGracePeriodSeconds = 2;

// format.Pod: "name_namespace(uid)".
std::string PodDesc(const Pod& pod) {
  return fmt::format("{}_{}({})", pod.metadata.name, pod.metadata.namespace_, pod.metadata.uid);
}

// pkg/kubelet/pleg/generic.go: the kubelet learns that a container has died
// from its pod lifecycle event generator, which relists the runtime's
// containers every second (relistPeriod, kubelet.go). The relists are aligned
// to whole virtual seconds, so the moment is deterministic. Strictly after
// `now`: a death is never confirmed in the instant it happened.
constexpr Duration kRelistPeriod = std::chrono::seconds(1);
Time NextRelist(Time now) {
  const auto since_start = now - kRunStart;
  return kRunStart + (since_start / kRelistPeriod + 1) * kRelistPeriod;
}

}  // namespace

struct Kubelet::ContainerRuntime {
  enum class State { kWaiting, kRunning, kBackoff, kTerminated };
  std::string name;
  std::uint32_t serial = 0;  // the key in Kubelet::containers_
  bool init = false;
  State state = State::kWaiting;
  std::string waiting_reason;
  std::string waiting_message;
  ProcessId process = 0;
  ProcessRunner* runner = nullptr;  // the runner `process` belongs to
  int starts = 0;                   // incarnations started so far; restartCount is starts - 1
  Time started_at{};
  std::optional<ContainerStateTerminated> last;      // the newest termination
  std::optional<ContainerStateTerminated> previous;  // the one before it
  CrashLoopBackoff backoff;
  CrashLoopBackoff pull_backoff;
  EventLoop::TimerId timer;  // a pending restart, pull or pull retry
  bool pulling = false;
  ContainerIncarnation incarnation;

  int restart_count() const { return std::max(0, starts - 1); }
};

struct Kubelet::PodWorker {
  std::shared_ptr<const Pod> pod;
  std::string uid;
  std::string ns;
  std::string name;
  std::vector<ContainerRuntime> init;
  std::vector<ContainerRuntime> app;
  Time start_time{};
  std::string pod_ip;
  bool terminating = false;       // containers are being stopped for good
  bool terminal = false;          // everything stopped; the phase is final
  bool removed_from_api = false;  // force-deleted: no more status writes
  std::string status_reason;      // Evicted, DeadlineExceeded
  std::string status_message;
  bool evicted = false;
  EventLoop::TimerId kill_timer;
  EventLoop::TimerId deadline_timer;
  EventLoop::TimerId relist_timer;  // a termination check at the next PLEG relist

  ContainerRuntime* Find(const std::string& container) {
    for (auto& c : init) {
      if (c.name == container) return &c;
    }
    for (auto& c : app) {
      if (c.name == container) return &c;
    }
    return nullptr;
  }
  const Container& Spec(const ContainerRuntime& c) const {
    const auto& list = c.init ? pod->spec.init_containers : pod->spec.containers;
    for (const auto& spec : list) {
      if (spec.name == c.name) return spec;
    }
    return list.front();
  }
  bool AnyRunning() const {
    for (const auto* list : {&init, &app}) {
      for (const auto& c : *list) {
        if (c.state == ContainerRuntime::State::kRunning) return true;
      }
    }
    return false;
  }
};

Kubelet::Kubelet(ApiServer& api, ProcessRunner& runner, HostNetwork& network,
                 const ImageRegistry& images, ImagePuller& puller, KubeletConfig config)
    : api_(api),
      runner_(runner),
      network_(network),
      images_(images),
      puller_(puller),
      config_(std::move(config)),
      dns_wait_(api.loop(), network) {}

Kubelet::~Kubelet() {
  for (auto& [uid, w] : workers_) {
    api_.loop().Cancel(w->kill_timer);
    api_.loop().Cancel(w->deadline_timer);
    api_.loop().Cancel(w->relist_timer);
    for (auto* list : {&w->init, &w->app}) {
      for (auto& c : *list)
        api_.loop().Cancel(c.timer);
    }
  }
}

std::string Kubelet::PodDir(const PodWorker& w) const {
  return fmt::format("{}/pods/{}_{}_{}", config_.run_dir, w.ns, w.name, w.uid);
}

void Kubelet::OnPodEvent(const WatchEvent<Pod>& event) {
  const Pod& pod = *event.object;
  const std::string& uid = pod.metadata.uid;
  auto it = workers_.find(uid);
  if (event.type == WatchEventType::kDeleted) {
    if (it == workers_.end()) return;
    PodWorker& w = *it->second;
    w.removed_from_api = true;
    if (w.AnyRunning()) {
      // Orphaned containers are killed with a 1s override, raised to the 2s floor.
      BeginTermination(w, 1);
    } else {
      CleanUp(w);
    }
    return;
  }
  if (crashed_) return;
  if (it == workers_.end()) {
    auto current = api_.collection<Pod>().Get(pod.metadata.namespace_, pod.metadata.name);
    if (!current || current->metadata.uid != uid || current->IsTerminal()) return;
    Admit(*current);
    return;
  }
  PodWorker& w = *it->second;
  w.pod = event.object;
  if (pod.metadata.deletion_timestamp && !w.terminating) {
    BeginTermination(
        w, pod.metadata.deletion_grace_period_seconds.value_or(pod.spec.GracePeriodSeconds()));
  } else if (pod.metadata.deletion_timestamp && w.terminal && !w.removed_from_api) {
    MaybeFinishTermination(w);
  }
}

void Kubelet::Admit(const Pod& pod) {
  auto w = std::make_unique<PodWorker>();
  w->pod = api_.collection<Pod>().Get(pod.metadata.namespace_, pod.metadata.name);
  w->uid = pod.metadata.uid;
  w->ns = pod.metadata.namespace_;
  w->name = pod.metadata.name;
  w->start_time = api_.loop().Now();
  w->pod_ip = network_.PodIP(w->ns, w->name);
  const bool has_init = !pod.spec.init_containers.empty();
  for (const auto& c : pod.spec.init_containers) {
    ContainerRuntime rt;
    rt.name = c.name;
    rt.init = true;
    rt.waiting_reason = "PodInitializing";
    w->init.push_back(std::move(rt));
  }
  for (const auto& c : pod.spec.containers) {
    ContainerRuntime rt;
    rt.name = c.name;
    rt.waiting_reason = has_init ? "PodInitializing" : "ContainerCreating";
    w->app.push_back(std::move(rt));
  }
  const std::string uid = w->uid;
  api_.trace().Recordf(api_.loop().Now(), "kubelet", "{}: admit pod {}/{} ip {}", config_.node_name,
                       w->ns, w->name, w->pod_ip);
  if (pod.spec.active_deadline_seconds) {
    w->deadline_timer = api_.loop().After(std::chrono::seconds(*pod.spec.active_deadline_seconds),
                                          [this, uid] { CheckActiveDeadline(uid); });
  }
  PodWorker& ref = *w;
  for (auto* list : {&ref.init, &ref.app}) {
    for (auto& c : *list) {
      c.serial = next_serial_++;
      containers_.emplace(c.serial, std::make_pair(&ref, &c));
    }
  }
  workers_.emplace(uid, std::move(w));
  if (pod.metadata.deletion_timestamp) {
    BeginTermination(ref, pod.metadata.deletion_grace_period_seconds.value_or(0));
    return;
  }
  WriteStatus(ref);
  Sync(uid);
}

// The heart of pkg/kubelet/kuberuntime computePodActions: what to start next.
void Kubelet::Sync(const std::string& uid) {
  auto it = workers_.find(uid);
  if (it == workers_.end() || crashed_) return;
  PodWorker& w = *it->second;
  if (w.terminating) {
    MaybeFinishTermination(w);
    return;
  }
  using State = ContainerRuntime::State;
  // Init containers run one at a time, in order; each must succeed.
  bool initialized = true;
  for (auto& c : w.init) {
    if (c.state == State::kTerminated && c.last && c.last->exit_code == 0) continue;
    initialized = false;
    if (c.state == State::kWaiting && !c.pulling && !c.timer) StartContainer(w, c);
    break;
  }
  // Once any app container has run, init containers are never run again.
  for (const auto& c : w.app) {
    if (c.starts > 0) initialized = true;
  }
  if (initialized) {
    for (auto& c : w.app) {
      if (c.state == State::kWaiting && c.starts == 0 && !c.pulling && !c.timer) {
        StartContainer(w, c);
      }
    }
  }
  WriteStatus(w);
}

void Kubelet::StartContainer(PodWorker& w, ContainerRuntime& c) {
  const Container& spec = w.Spec(c);
  const PullOutcome pull = puller_.Pull(*w.pod, spec);
  const std::string uid = w.uid;
  const std::string name = c.name;
  if (!pull.error.empty()) {
    // pkg/kubelet/images/image_manager.go EnsureImageExists: a failed pull
    // shows ErrImagePull, then ImagePullBackOff until the back-off window
    // (10s doubling to 300s, from the failure) has passed.
    c.state = ContainerRuntime::State::kWaiting;
    c.waiting_reason = "ErrImagePull";
    c.waiting_message = pull.error;
    RecordEvent(w, name, "Warning", "Failed",
                fmt::format("Failed to pull image \"{}\": {}", spec.image, pull.error));
    RecordEvent(w, name, "Warning", "Failed", "Error: ErrImagePull");
    const Time now = api_.loop().Now();
    c.pull_backoff.Next(now, now);
    const Duration window = c.pull_backoff.current();
    c.timer =
        api_.loop().After(std::min(Duration(std::chrono::seconds(1)), window), [this, uid, name] {
          auto found = workers_.find(uid);
          if (found == workers_.end()) return;
          PodWorker& pw = *found->second;
          ContainerRuntime* rt = pw.Find(name);
          if (rt == nullptr || pw.terminating) return;
          const Container& s = pw.Spec(*rt);
          rt->waiting_reason = "ImagePullBackOff";
          rt->waiting_message = fmt::format("Back-off pulling image \"{}\"", s.image);
          RecordEvent(pw, name, "Normal", "BackOff", rt->waiting_message);
          RecordEvent(pw, name, "Warning", "Failed", "Error: ImagePullBackOff");
          WriteStatus(pw);
        });
    // The retry happens when the window has passed.
    api_.loop().After(window, [this, uid, name] {
      auto found = workers_.find(uid);
      if (found == workers_.end()) return;
      ContainerRuntime* rt = found->second->Find(name);
      if (rt == nullptr || found->second->terminating) return;
      api_.loop().Cancel(rt->timer);
      StartContainer(*found->second, *rt);
    });
    WriteStatus(w);
    return;
  }
  if (pull.delay > Duration{0}) {
    c.pulling = true;
    RecordEvent(w, name, "Normal", "Pulling", fmt::format("Pulling image \"{}\"", spec.image));
    const Duration delay = pull.delay;
    c.timer = api_.loop().After(delay, [this, uid, name, delay] {
      auto found = workers_.find(uid);
      if (found == workers_.end()) return;
      PodWorker& pw = *found->second;
      ContainerRuntime* rt = pw.Find(name);
      if (rt == nullptr) return;
      rt->timer = {};
      rt->pulling = false;
      if (pw.terminating || crashed_) return;
      const std::string took = GoDurationString(delay);
      RecordEvent(pw, name, "Normal", "Pulled",
                  fmt::format("Successfully pulled image \"{}\" in {} ({} including waiting)",
                              pw.Spec(*rt).image, took, took));
      LaunchContainer(pw, *rt);
    });
    return;
  }
  RecordEvent(w, name, "Normal", "Pulled",
              fmt::format("Container image \"{}\" already present on machine", spec.image));
  LaunchContainer(w, c);
}

void Kubelet::LaunchContainer(PodWorker& w, ContainerRuntime& c) {
  const Pod& pod = *w.pod;
  const Container& spec = w.Spec(c);
  std::shared_ptr<const ContainerScript> annotated;
  if (auto a = pod.metadata.annotations.find(ScriptAnnotation(c.name));
      a != pod.metadata.annotations.end()) {
    auto cached = annotation_scripts_.find(a->second);
    if (cached == annotation_scripts_.end()) {
      auto parsed = ParseContainerScript(a->second, {}, "");
      if (parsed.ok()) {
        cached =
            annotation_scripts_.emplace(a->second, std::make_shared<const ContainerScript>(*parsed))
                .first;
      }
    }
    if (cached != annotation_scripts_.end()) annotated = cached->second;
  }
  const auto mounts = PlanVolumes(pod, spec, PodDir(w), config_.run_dir);
  LaunchPlan plan =
      PlanContainer(pod, spec, images_.Find(spec.image), annotated, config_.base_env, mounts);
  if (!plan.error_reason.empty()) {
    c.state = ContainerRuntime::State::kWaiting;
    c.waiting_reason = plan.error_reason;
    c.waiting_message = plan.error_message;
    RecordEvent(w, c.name, "Warning", "Failed", "Error: " + plan.error_message);
    WriteStatus(w);
    return;
  }
  if (!plan.script) network_.AddC10dHostHint(w.ns, w.name, &plan.env);
  network_.Rewrite(w.ns, &plan.env, &plan.argv, config_.remap_ports && !plan.script,
                   plan.downward_api_env);

  const int incarnation = c.starts;
  const std::string log_dir = fmt::format("{}/{}", PodDir(w), c.name);
  ProcessSpec ps;
  ps.name = fmt::format("{}/{}/{}", w.ns, w.name, c.name);
  ps.argv = plan.argv;
  for (const auto& [k, v] : plan.env)
    ps.env.push_back(k + "=" + v);
  ps.working_dir = plan.working_dir;
  ps.log_path = fmt::format("{}/{}.log", log_dir, incarnation);
  if (auto mem = spec.resources.limits.find("memory"); mem != spec.resources.limits.end()) {
    ps.memory_limit_bytes = mem->second.units();
  }
  ps.script = plan.script.get();
  ps.incarnation = incarnation;

  ContainerIncarnation inc;
  inc.namespace_ = w.ns;
  inc.pod = w.name;
  inc.pod_uid = w.uid;
  inc.container = c.name;
  inc.init = c.init;
  inc.restart_count = incarnation;
  inc.argv = plan.argv;
  inc.env = plan.env;
  inc.log_path = ps.log_path;
  inc.scripted = plan.script != nullptr;

  const std::string uid = w.uid;
  const std::string name = c.name;
  RecordEvent(w, name, "Normal", "Created", fmt::format("Created container {}", name));
  // Interceptors (the init-pytorch DNS wait, torchrun) run some commands themselves.
  ProcessRunner* chosen = &runner_;
  if (dns_wait_.Intercepts(ps)) {
    chosen = &dns_wait_;
  } else {
    for (CommandInterceptor* i : interceptors_) {
      if (i->Intercepts(ps)) {
        chosen = i;
        break;
      }
    }
  }
  ProcessRunner& runner = *chosen;
  c.runner = &runner;
  const std::uint32_t serial = c.serial;
  ProcessRunner::Callbacks callbacks{
      [this, serial, incarnation](std::string_view line) {
        PodWorker* pw = nullptr;
        ContainerRuntime* rt = FindBySerial(serial, &pw);
        if (rt == nullptr || rt->incarnation.restart_count != incarnation) return;
        for (auto* o : observers_)
          o->ContainerOutput(rt->incarnation, line);
      },
      [this, serial, incarnation](const ProcessExit& exit) {
        OnContainerExit(serial, incarnation, exit);
      },
      [this, serial, incarnation](const std::string& rotated_path) {
        OnLogRotated(serial, incarnation, rotated_path);
      }};
  callbacks.on_log_error = [this, serial, incarnation](const std::string& message) {
    OnLogError(serial, incarnation, message);
  };
  auto spawned = runner.Spawn(ps, std::move(callbacks));
  c.starts++;
  c.started_at = api_.loop().Now();
  inc.started_at = c.started_at;
  c.incarnation = inc;
  if (!spawned.ok()) {
    // containerd reports a failed start as terminated, reason StartError, exit 128.
    const std::string message = spawned.diagnostics().items().front().message;
    RecordEvent(w, name, "Warning", "Failed", "Error: " + message);
    c.previous = c.last;
    ContainerStateTerminated t;
    t.exit_code = 128;
    t.reason = "StartError";
    t.message = message;
    t.started_at = c.started_at;
    t.finished_at = c.started_at;
    c.last = t;
    c.state = ContainerRuntime::State::kTerminated;
    api_.trace().Recordf(api_.loop().Now(), "kubelet", "{}: {}/{} container {} failed to start: {}",
                         config_.node_name, w.ns, w.name, name, message);
    for (auto* o : observers_)
      o->ContainerExited(c.incarnation, ProcessExit::Exited(128), t);
    if (ShouldRestart(w, c)) ScheduleRestart(w, c);
    WriteStatus(w);
    Sync(uid);
    return;
  }
  c.process = *spawned;
  c.state = ContainerRuntime::State::kRunning;
  c.incarnation.pid = runner.Pid(c.process);
  RecordEvent(w, name, "Normal", "Started", fmt::format("Started container {}", name));
  api_.trace().Recordf(api_.loop().Now(), "kubelet",
                       "{}: {}/{} container {} started (restart {}{})", config_.node_name, w.ns,
                       w.name, name, incarnation, plan.script ? ", scripted" : "");
  for (auto* o : observers_)
    o->ContainerStarted(c.incarnation);
  // Observers have what they need of the command line and environment; keep
  // only the incarnation's identity for its output and its end.
  c.incarnation.argv = {};
  c.incarnation.env = {};
  WriteStatus(w);
}

Kubelet::ContainerRuntime* Kubelet::FindBySerial(std::uint32_t serial, PodWorker** worker) const {
  auto it = containers_.find(serial);
  if (it == containers_.end()) return nullptr;
  *worker = it->second.first;
  return it->second.second;
}

// The container log manager rotated an incarnation's log
// (pkg/kubelet/logs/container_log_manager.go): traced, and told to observers.
void Kubelet::OnLogRotated(std::uint32_t serial, int incarnation, const std::string& rotated_path) {
  PodWorker* w = nullptr;
  ContainerRuntime* c = FindBySerial(serial, &w);
  if (c == nullptr || c->incarnation.restart_count != incarnation) return;
  api_.trace().Recordf(api_.loop().Now(), "kubelet", "{}: {}/{} container {} log rotated to {}",
                       config_.node_name, w->ns, w->name, c->name, rotated_path);
  for (auto* o : observers_)
    o->ContainerLogRotated(c->incarnation, rotated_path);
}

// The incarnation's log could not be written (a full disk): a node would lose
// the lines too; ptsim says so in the trace and tells observers (the report).
void Kubelet::OnLogError(std::uint32_t serial, int incarnation, const std::string& message) {
  PodWorker* w = nullptr;
  ContainerRuntime* c = FindBySerial(serial, &w);
  if (c == nullptr || c->incarnation.restart_count != incarnation) return;
  api_.trace().Recordf(api_.loop().Now(), "kubelet", "{}: {}/{} container {} log error: {}",
                       config_.node_name, w->ns, w->name, c->name, message);
  for (auto* o : observers_)
    o->ContainerLogError(c->incarnation, message);
}

void Kubelet::OnContainerExit(std::uint32_t serial, int incarnation, const ProcessExit& exit) {
  PodWorker* found = nullptr;
  ContainerRuntime* c = FindBySerial(serial, &found);
  if (c == nullptr) return;
  PodWorker& w = *found;
  const std::string uid = w.uid;
  const std::string& name = c->name;
  if (c->state != ContainerRuntime::State::kRunning ||
      c->incarnation.restart_count != incarnation) {
    return;
  }
  // Terminated reasons come from the CRI runtime (containerd): Completed,
  // Error, OOMKilled. The signal field stays 0: CRI has no place for it.
  ContainerStateTerminated t;
  t.exit_code = exit.ExitCode();
  t.reason = exit.oom_killed ? "OOMKilled" : (t.exit_code == 0 ? "Completed" : "Error");
  t.started_at = c->started_at;
  t.finished_at = api_.loop().Now();
  c->previous = c->last;
  c->last = t;
  c->state = ContainerRuntime::State::kTerminated;
  c->process = 0;
  api_.trace().Recordf(api_.loop().Now(), "kubelet", "{}: {}/{} container {} exited: {}{}",
                       config_.node_name, w.ns, w.name, name, exit.Describe(),
                       crashed_ ? " (node down)" : "");
  for (auto* o : observers_)
    o->ContainerExited(c->incarnation, exit, t);
  if (crashed_) return;
  if (w.terminating) {
    ConfirmTerminationAtRelist(w);
    return;
  }
  if (ShouldRestart(w, *c)) ScheduleRestart(w, *c);
  WriteStatus(w);
  Sync(uid);
}

bool Kubelet::ShouldRestart(const PodWorker& w, const ContainerRuntime& c) const {
  if (w.terminating || !c.last) return false;
  const std::string& policy = w.pod->spec.restart_policy;
  const bool failed = c.last->exit_code != 0;
  if (c.init) return failed && policy != "Never";
  if (policy == "Always") return true;
  if (policy == "OnFailure") return failed;
  return false;
}

void Kubelet::ScheduleRestart(PodWorker& w, ContainerRuntime& c) {
  const Time now = api_.loop().Now();
  const Time finished = c.last->finished_at;
  const Time at = c.backoff.RestartAt(finished, now);
  if (at <= now) {
    // No back-off yet (first failure, or 10 minutes of clean running): restart now.
    c.backoff.Next(finished, now);
    c.state = ContainerRuntime::State::kWaiting;
    StartContainer(w, c);
    return;
  }
  // doBackOff: CrashLoopBackOff until finishedAt + backoff.
  c.state = ContainerRuntime::State::kBackoff;
  c.waiting_reason = "CrashLoopBackOff";
  c.waiting_message = fmt::format("back-off {} restarting failed container={} pod={}",
                                  GoDurationString(c.backoff.current()), c.name, PodDesc(*w.pod));
  RecordEvent(
      w, c.name, "Warning", "BackOff",
      fmt::format("Back-off restarting failed container {} in pod {}", c.name, PodDesc(*w.pod)));
  api_.trace().Recordf(now, "kubelet", "{}: {}/{} container {} in CrashLoopBackOff until {}",
                       config_.node_name, w.ns, w.name, c.name, FormatTimestamp(at));
  const std::string uid = w.uid;
  const std::string name = c.name;
  c.timer = api_.loop().At(at, [this, uid, name, finished] {
    auto found = workers_.find(uid);
    if (found == workers_.end() || crashed_) return;
    PodWorker& pw = *found->second;
    ContainerRuntime* rt = pw.Find(name);
    if (rt == nullptr || pw.terminating) return;
    rt->timer = {};
    rt->backoff.Next(finished, api_.loop().Now());
    rt->state = ContainerRuntime::State::kWaiting;
    StartContainer(pw, *rt);
    WriteStatus(pw);
  });
}

void Kubelet::BeginTermination(PodWorker& w, std::int64_t grace_seconds) {
  if (w.terminating) return;
  w.terminating = true;
  api_.loop().Cancel(w.deadline_timer);
  const std::int64_t grace = std::max(grace_seconds, kMinimumGracePeriodSeconds);
  for (auto* list : {&w.init, &w.app}) {
    for (auto& c : *list) {
      api_.loop().Cancel(c.timer);
      c.pulling = false;
      if (c.state == ContainerRuntime::State::kBackoff)
        c.state = ContainerRuntime::State::kTerminated;
      if (c.state != ContainerRuntime::State::kRunning) continue;
      RecordEvent(w, c.name, "Normal", "Killing", fmt::format("Stopping container {}", c.name));
      c.runner->Signal(c.process, SIGTERM);
    }
  }
  api_.trace().Recordf(api_.loop().Now(), "kubelet", "{}: terminate pod {}/{} (grace {}s)",
                       config_.node_name, w.ns, w.name, grace);
  const std::string uid = w.uid;
  w.kill_timer = api_.loop().After(std::chrono::seconds(grace), [this, uid] {
    auto found = workers_.find(uid);
    if (found == workers_.end()) return;
    PodWorker& pw = *found->second;
    pw.kill_timer = {};
    for (auto* list : {&pw.init, &pw.app}) {
      for (auto& c : *list) {
        if (c.state == ContainerRuntime::State::kRunning) c.runner->Signal(c.process, SIGKILL);
      }
    }
  });
  MaybeFinishTermination(w);
}

void Kubelet::ConfirmTerminationAtRelist(PodWorker& w) {
  if (w.relist_timer) return;
  const std::string uid = w.uid;
  w.relist_timer = api_.loop().At(NextRelist(api_.loop().Now()), [this, uid] {
    auto found = workers_.find(uid);
    if (found == workers_.end()) return;
    found->second->relist_timer = {};
    MaybeFinishTermination(*found->second);
  });
}

void Kubelet::MaybeFinishTermination(PodWorker& w) {
  if (w.AnyRunning()) return;
  api_.loop().Cancel(w.kill_timer);
  if (!w.terminal) {
    w.terminal = true;
    WriteStatus(w);
  }
  if (w.removed_from_api) {
    CleanUp(w);
    return;
  }
  // pkg/kubelet/status/status_manager.go canBeDeleted: a deleted pod is removed
  // (grace 0) once its API copy shows a terminal phase.
  auto current = api_.collection<Pod>().Get(w.ns, w.name);
  if (current && current->metadata.uid == w.uid && current->metadata.deletion_timestamp &&
      current->IsTerminal()) {
    const std::string ns = w.ns, name = w.name;
    CleanUp(w);
    api_.collection<Pod>().Remove(ns, name);
  }
}

void Kubelet::CleanUp(PodWorker& w) {
  // emptyDir volumes go with the pod; logs stay for `ptsim logs`.
  std::error_code ignored;
  bool empty_dirs = false;
  for (const auto& v : w.pod->spec.volumes)
    empty_dirs = empty_dirs || v.kind == Volume::Kind::kEmptyDir;
  if (empty_dirs) std::filesystem::remove_all(PodDir(w) + "/volumes", ignored);
  api_.loop().Cancel(w.kill_timer);
  api_.loop().Cancel(w.deadline_timer);
  api_.loop().Cancel(w.relist_timer);
  for (auto* list : {&w.init, &w.app}) {
    for (auto& c : *list) {
      api_.loop().Cancel(c.timer);
      containers_.erase(c.serial);
    }
  }
  workers_.erase(w.uid);
}

void Kubelet::CheckActiveDeadline(const std::string& uid) {
  auto it = workers_.find(uid);
  if (it == workers_.end() || crashed_) return;
  PodWorker& w = *it->second;
  w.deadline_timer = {};
  if (w.terminating) return;
  // pkg/kubelet/active_deadline.go
  w.status_reason = "DeadlineExceeded";
  w.status_message = "Pod was active on the node longer than the specified deadline";
  RecordEvent(w, "", "Normal", "DeadlineExceeded", w.status_message);
  BeginTermination(w, w.pod->spec.GracePeriodSeconds());
}

void Kubelet::Evict(const std::string& ns, const std::string& pod, const std::string& message) {
  for (auto& [uid, w] : workers_) {
    if (w->ns != ns || w->name != pod || w->terminating) continue;
    w->evicted = true;
    w->status_reason = "Evicted";
    w->status_message = message;
    RecordEvent(*w, "", "Warning", "Evicted", message);
    BeginTermination(*w, 0);
    return;
  }
}

void Kubelet::Crash() {
  if (crashed_) return;
  crashed_ = true;
  api_.trace().Recordf(api_.loop().Now(), "kubelet", "{}: node down, every process on it dies",
                       config_.node_name);
  for (auto& [uid, w] : workers_) {
    for (auto* list : {&w->init, &w->app}) {
      for (auto& c : *list) {
        api_.loop().Cancel(c.timer);
        c.pulling = false;
        if (c.state == ContainerRuntime::State::kRunning) c.runner->Signal(c.process, SIGKILL);
      }
    }
    api_.loop().Cancel(w->kill_timer);
    api_.loop().Cancel(w->deadline_timer);
  }
}

void Kubelet::Shutdown(Duration grace) {
  crashed_ = true;
  std::vector<std::pair<ProcessRunner*, ProcessId>> processes;
  for (auto& [uid, w] : workers_) {
    api_.loop().Cancel(w->kill_timer);
    api_.loop().Cancel(w->deadline_timer);
    for (auto* list : {&w->init, &w->app}) {
      for (auto& c : *list) {
        api_.loop().Cancel(c.timer);
        if (c.state == ContainerRuntime::State::kRunning)
          processes.emplace_back(c.runner, c.process);
      }
    }
  }
  for (auto [runner, p] : processes) {
    runner->Signal(p, SIGCONT);  // a frozen process cannot act on SIGTERM
    runner->Signal(p, SIGTERM);
  }
  api_.loop().After(grace, [processes] {
    for (auto [runner, p] : processes)
      runner->Signal(p, SIGKILL);
  });
}

std::size_t Kubelet::running_containers() const {
  std::size_t n = 0;
  for (const auto& [uid, w] : workers_) {
    for (const auto* list : {&w->init, &w->app}) {
      for (const auto& c : *list)
        n += c.state == ContainerRuntime::State::kRunning ? 1 : 0;
    }
  }
  return n;
}

std::size_t Kubelet::terminating_pods() const {
  std::size_t n = 0;
  for (const auto& [uid, w] : workers_)
    n += w->terminating && !w->terminal ? 1 : 0;
  return n;
}

void Kubelet::Recover() {
  if (!crashed_) return;
  crashed_ = false;
  api_.trace().Recordf(api_.loop().Now(), "kubelet", "{}: node back, kubelet resyncs its pods",
                       config_.node_name);
  std::vector<std::string> uids;
  for (const auto& [uid, w] : workers_)
    uids.push_back(uid);
  for (const auto& uid : uids) {
    auto it = workers_.find(uid);
    if (it == workers_.end()) continue;
    PodWorker& w = *it->second;
    auto current = api_.collection<Pod>().Get(w.ns, w.name);
    if (!current || current->metadata.uid != uid) {
      CleanUp(w);
      continue;
    }
    w.pod = current;
    // The machine rebooted: containers that ran are gone (ContainerStatusUnknown).
    for (auto* list : {&w.init, &w.app}) {
      for (auto& c : *list) {
        if (c.state == ContainerRuntime::State::kTerminated && c.last &&
            c.last->finished_at == c.last->started_at && c.last->reason == "StartError") {
          continue;
        }
        if (c.state == ContainerRuntime::State::kTerminated && c.last && c.last->exit_code == 137 &&
            c.last->reason == "Error") {
          c.last->reason = "ContainerStatusUnknown";
          c.last->message = "The container could not be located when the pod was terminated";
        }
        if (c.state == ContainerRuntime::State::kWaiting && c.starts == 0) continue;
        if (c.state == ContainerRuntime::State::kTerminated && ShouldRestart(w, c)) {
          ScheduleRestart(w, c);
        }
      }
    }
    if (current->metadata.deletion_timestamp) {
      BeginTermination(w, current->metadata.deletion_grace_period_seconds.value_or(0));
      continue;
    }
    Sync(uid);
  }
}

std::vector<Kubelet::RunningContainer> Kubelet::RunningContainers(const std::string& ns,
                                                                  const std::string& pod) const {
  std::vector<RunningContainer> out;
  for (const auto& [uid, w] : workers_) {
    if (w->ns != ns || (!pod.empty() && w->name != pod)) continue;
    for (const auto* list : {&w->init, &w->app}) {
      for (const auto& c : *list) {
        if (c.state == ContainerRuntime::State::kRunning)
          out.push_back({w->name, c.name, c.process, c.runner});
      }
    }
  }
  return out;
}

ContainerStatus Kubelet::BuildStatus(const PodWorker& w, const ContainerRuntime& c) const {
  ContainerStatus s;
  s.name = c.name;
  s.image = w.Spec(c).image;
  s.restart_count = c.restart_count();
  if (c.starts > 0)
    s.container_id = fmt::format("ptsim://{}-{}-{}", w.uid.substr(0, 8), c.name, c.starts - 1);
  switch (c.state) {
    case ContainerRuntime::State::kWaiting:
      s.state.waiting = ContainerStateWaiting{c.waiting_reason, c.waiting_message};
      if (c.last) s.last_state.terminated = c.last;
      break;
    case ContainerRuntime::State::kRunning:
      s.state.running = ContainerStateRunning{c.started_at};
      if (c.last) s.last_state.terminated = c.last;
      s.ready = !c.init;
      s.started = true;
      break;
    case ContainerRuntime::State::kBackoff:
      s.state.waiting = ContainerStateWaiting{c.waiting_reason, c.waiting_message};
      s.last_state.terminated = c.last;
      break;
    case ContainerRuntime::State::kTerminated:
      s.state.terminated = c.last;
      if (c.previous) s.last_state.terminated = c.previous;
      // An init container is ready once it succeeded.
      s.ready = c.init && c.last && c.last->exit_code == 0;
      break;
  }
  return s;
}

void Kubelet::WriteStatus(PodWorker& w) {
  if (w.removed_from_api || crashed_) return;
  const Time now = api_.loop().Now();
  auto& pods = api_.collection<Pod>();
  const auto current = pods.Get(w.ns, w.name);
  // A pod of the same name but another uid is not this worker's to write.
  if (!current || current->metadata.uid != w.uid) return;
  PodStatus st = current->status;
  const bool was_terminal = current->IsTerminal();
  st.host_ip = "127.0.0.1";
  st.pod_ip = w.pod_ip;
  st.start_time = w.start_time;
  st.init_container_statuses.clear();
  for (const auto& c : w.init)
    st.init_container_statuses.push_back(BuildStatus(w, c));
  st.container_statuses.clear();
  for (const auto& c : w.app)
    st.container_statuses.push_back(BuildStatus(w, c));
  std::string phase = PodPhase(current->spec, st, w.terminal);
  if (!w.status_reason.empty() && w.terminal) phase = "Failed";
  // Pods never leave a terminal phase (generateAPIPodStatus).
  if (was_terminal) phase = st.phase;
  st.phase = phase;
  if (!w.status_reason.empty()) {
    st.reason = w.status_reason;
    st.message = w.status_message;
  }
  SetPodConditions(current->spec, &st, now);
  if (w.evicted) {
    st.SetCondition({"DisruptionTarget", "True", "TerminationByKubelet", w.status_message, now});
  }
  // pkg/kubelet/status/status_manager.go: a status equal to the one the API
  // server has is not sent (no new resourceVersion, no watch event).
  if (st == current->status) {
    w.pod = current;
    return;
  }
  auto updated = pods.Mutate(w.ns, w.name, [&](Pod& pod) { pod.status = std::move(st); });
  if (updated) w.pod = updated;
}

void Kubelet::RecordEvent(const PodWorker& w, const std::string& container, const std::string& type,
                          const std::string& reason, const std::string& message) {
  ObjectReference ref{"Pod", w.ns, w.name, w.uid,
                      container.empty() ? "" : fmt::format("spec.containers{{{}}}", container)};
  if (!container.empty()) {
    for (const auto& c : w.init) {
      if (c.name == container) ref.field_path = fmt::format("spec.initContainers{{{}}}", container);
    }
  }
  api_.events().Record(ref, type, reason, message, "kubelet");
}

Kubelets::Kubelets(ApiServer& api) {
  api.collection<Pod>().Watch([this](const WatchEvent<Pod>& event) {
    std::string node = event.object->spec.node_name;
    if (node.empty()) return;
    if (Kubelet* k = Find(node)) k->OnPodEvent(event);
  });
}

Kubelet& Kubelets::Add(std::unique_ptr<Kubelet> kubelet) {
  Kubelet& ref = *kubelet;
  by_node_[ref.node_name()] = &ref;
  kubelets_.push_back(std::move(kubelet));
  return ref;
}

Kubelet* Kubelets::Find(const std::string& node) const {
  auto it = by_node_.find(node);
  return it == by_node_.end() ? nullptr : it->second;
}

}  // namespace ptsim
