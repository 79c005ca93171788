#include "sim/harness/timeline.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "sim/harness/summary_text.hpp"

namespace ptsim {
namespace {

constexpr const char* kRed = "\x1b[31m";
constexpr const char* kGreen = "\x1b[32m";
constexpr const char* kYellow = "\x1b[33m";
constexpr const char* kMagenta = "\x1b[35m";
constexpr const char* kCyan = "\x1b[36m";
constexpr const char* kDim = "\x1b[2m";

const char* ConditionColor(const JobCondition& c) {
  if (c.status != "True") return kDim;
  if (c.type == "Succeeded") return kGreen;
  if (c.type == "Failed") return kRed;
  if (c.type == "Restarting") return kYellow;
  return kCyan;
}

}  // namespace

Timeline::Timeline(Simulation& sim, std::ostream& out, bool color)
    : sim_(sim), out_(out), color_(color) {
  sim_.AddObserver(this);
  sim_.api().collection<Pod>().Watch([this](const WatchEvent<Pod>& e) {
    const Pod& pod = *e.object;
    const std::string& uid = pod.metadata.uid;
    if (e.type == WatchEventType::kAdded) {
      pod_phase_[uid] = pod.status.phase;
      Line(fmt::format("pod {} created", pod.metadata.name), kDim);
      return;
    }
    if (e.type == WatchEventType::kDeleted) {
      Line(fmt::format("pod {} deleted", pod.metadata.name), kDim);
      pod_phase_.erase(uid);
      return;
    }
    if (e.old && e.old->spec.node_name.empty() && !pod.spec.node_name.empty()) {
      Line(fmt::format("pod {} scheduled to {}", pod.metadata.name, pod.spec.node_name), kDim);
    }
    if (e.old && !e.old->metadata.deletion_timestamp && pod.metadata.deletion_timestamp) {
      Line(fmt::format("pod {} terminating (grace {}s)", pod.metadata.name,
                       pod.metadata.deletion_grace_period_seconds.value_or(0)));
    }
    std::string& phase = pod_phase_[uid];
    if (phase != pod.status.phase) {
      phase = pod.status.phase;
      std::string text = fmt::format("pod {} {}", pod.metadata.name, phase);
      if (!pod.status.reason.empty()) text += " (" + pod.status.reason + ")";
      Line(text, phase == "Failed" ? kRed : (phase == "Succeeded" ? kGreen : nullptr));
    }
  });
  for (const JobKind* kind : JobKinds()) {
    kind->Watch(sim_.api(), [this, kind](const AnyJob& job, const AnyJob& old, bool deleted) {
      JobChanged(*kind, job, old, deleted);
    });
  }
  sim_.trace().Subscribe([this](const TraceEntry& e) {
    if (e.actor == "fault") Line("FAULT " + e.text, kMagenta);
  });
}

void Timeline::JobChanged(const JobKind& kind, const AnyJob& job, const AnyJob& old, bool deleted) {
  const ObjectMeta& m = job.metadata();
  const std::string label = fmt::format("{} {}", kind.kind(), m.name);
  if (deleted) {
    FlushConditions(&conditions_[m.uid]);
    conditions_.erase(m.uid);
    Line(label + " deleted", kMagenta);
    return;
  }
  // Print the conditions that are new or changed by this write.
  const std::vector<JobCondition> before = old ? kind.Conditions(old) : std::vector<JobCondition>{};
  for (const auto& c : kind.Conditions(job)) {
    const JobCondition* prev = nullptr;
    for (const auto& o : before) {
      if (o.type == c.type) prev = &o;
    }
    if (prev && prev->status == c.status && prev->reason == c.reason) continue;
    Condition(m.uid, label, c);
  }
}

void Timeline::ContainerStarted(const ContainerIncarnation& inc) {
  std::string text = fmt::format("{}/{} started", inc.pod, inc.container);
  if (inc.restart_count > 0) text += fmt::format(" (restart {})", inc.restart_count);
  if (inc.scripted) text += " [scripted]";
  if (inc.pid) text += fmt::format(" pid {}", inc.pid);
  // A kubelet may start a container inside its own watch callback for the
  // pod's binding, before this timeline's callback for the same write has
  // printed "scheduled": the line waits for the callbacks of that write to
  // finish (the same virtual time, and before the kubelet's status write).
  // Like the watches, the posted task relies on the timeline outliving the
  // loop's running.
  sim_.loop().Post([this, text] { Line(text); });
}

void Timeline::ContainerExited(const ContainerIncarnation& inc, const ProcessExit& exit,
                               const ContainerStateTerminated& state) {
  Line(fmt::format("{}/{} exited: {} [{}]", inc.pod, inc.container, exit.Describe(), state.reason),
       state.exit_code == 0 ? kGreen : kRed);
}

void Timeline::Condition(const std::string& job_uid, const std::string& job,
                         const JobCondition& c) {
  const Time now = sim_.loop().Now();
  const std::string key = c.type + "=" + c.status + " " + c.reason;
  std::vector<ConditionRun>& runs = conditions_[job_uid];
  for (auto& run : runs) {
    if (run.key != key) continue;
    ++run.count;
    run.last = now;
    run.last_message = c.message;
    return;
  }
  // Something new: the flapping (if any) is over.
  FlushConditions(&runs);
  ConditionRun run;
  run.key = key;
  run.head = fmt::format("{}: {}={} {}", job, c.type, c.status, c.reason);
  run.color = ConditionColor(c);
  run.first = run.last = now;
  run.last_message = c.message;
  Line(run.head + " — " + c.message, run.color);
  runs.push_back(std::move(run));
  if (runs.size() > 2) runs.erase(runs.begin());
}

void Timeline::FlushConditions(std::vector<ConditionRun>* runs) {
  for (auto it = runs->begin(); it != runs->end();) {
    if (it->count == 1) {
      ++it;
      continue;
    }
    Line(fmt::format("{} (x{} over {}) — {}", it->head, it->count,
                     HumanDuration(it->last - it->first), it->last_message),
         it->color);
    it = runs->erase(it);
  }
}

void Timeline::Finish() {
  for (auto& [uid, runs] : conditions_)
    FlushConditions(&runs);
  PrintNotes();
}

void Timeline::PrintNotes() {
  // Notes arrive between lines; print them, oldest first, before what follows.
  const auto& notes = sim_.notes().list();
  std::vector<const Note*> pending;
  for (; notes_printed_ < notes.size(); ++notes_printed_)
    pending.push_back(&notes[notes_printed_]);
  std::stable_sort(pending.begin(), pending.end(),
                   [](const Note* a, const Note* b) { return a->time < b->time; });
  for (const Note* n : pending) {
    out_ << FormatTimestamp(n->time) << " NOTE " << n->text
         << (n->ref.empty() ? "" : " (" + n->ref + ")") << "\n";
  }
}

void Timeline::Line(const std::string& text, const char* color) {
  PrintNotes();
  const std::string time = FormatTimestamp(sim_.loop().Now());
  if (color_ && color) {
    out_ << kDim << time << "\x1b[0m " << color << text << "\x1b[0m\n";
  } else {
    out_ << time << " " << text << "\n";
  }
}

}  // namespace ptsim
