#include "sim/harness/faults/fault_decoder.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "sim/core/go_quote.hpp"
#include "sim/core/signals.hpp"
#include "sim/harness/faults/fault_argument.hpp"
#include "sim/model/label_selector.hpp"
#include "sim/model/pytorchjob.hpp"
#include "sim/model/user_regex.hpp"

namespace ptsim {
namespace {

std::string TextOf(FaultFields& in, std::string_view field) {
  return in.Text(field).value_or("");
}

void DecodeAction(FaultFields& in, FaultSpec* f) {
  f->name = TextOf(in, "name");
  const std::optional<std::string> action = in.Text("action");
  if (!action) {
    if (!in.Has("action")) in.Error("action", "Required value");
    return;
  }
  if (f->name.empty()) f->name = *action;
  if (const FaultAction* a = FindFaultAction(*action)) {
    f->action = a;
  } else {
    in.Error("action",
             fmt::format("unknown fault {}; faults are {}", GoQuote(*action), FaultActionNames()));
  }
}

// The argument fields and the options any action may carry (only the actions
// that use them look at them), and `replicas`, which only scale may carry.
void DecodeArguments(FaultFields& in, FaultSpec* f) {
  if (const std::string signal = TextOf(in, "signal"); !signal.empty()) {
    if (auto number = ParseSignal(signal)) {
      f->signal = *number;
    } else {
      in.Error("signal", fmt::format("unknown signal {}; use a name like SIGKILL or a number",
                                     GoQuote(signal)));
    }
  }
  f->exit_code = in.Int32("exitCode").value_or(f->exit_code);
  f->duration = in.Time("duration");
  f->delay = in.Time("delay").value_or(f->delay);
  f->grace_period = in.Int64("gracePeriodSeconds");
  f->message = TextOf(in, "message");
  const FaultArgumentInfo& replicas = ArgumentInfo(FaultArgument::kReplicas);
  const bool takes = f->action->argument() == FaultArgument::kReplicas;
  const std::optional<std::int32_t> n = in.Int32(replicas.field);
  if (n && takes) {
    f->replicas = *n;
  } else if (takes && !in.Has(replicas.field)) {
    in.Missing(f->action->name(), replicas.field, replicas.what, replicas.example);
  } else if (n) {
    in.Error(replicas.field, fmt::format("`{}` is for the {} action", replicas.field,
                                         FaultActionNames([](const FaultAction& a) {
                                           return a.argument() == FaultArgument::kReplicas;
                                         })));
  }
}

void DecodeRepeat(FaultFields& in, FaultSpec* f) {
  if (in.Is("repeat", "always")) {
    f->repeat_always = true;
  } else if (auto n = in.Int32("repeat")) {
    f->repeat = *n;
  }
}

FaultTarget::Mode DecodeMode(FaultFields& in) {
  static constexpr std::array<std::pair<std::string_view, FaultTarget::Mode>, 5> kModes = {{
      {"one", FaultTarget::Mode::kOne},
      {"all", FaultTarget::Mode::kAll},
      {"fixed", FaultTarget::Mode::kFixed},
      {"fixed-percent", FaultTarget::Mode::kFixedPercent},
      {"random-max-percent", FaultTarget::Mode::kRandomMaxPercent},
  }};
  const std::string text = TextOf(in, "target.mode");
  if (text.empty()) return FaultTarget::Mode::kAll;
  for (const auto& [name, mode] : kModes) {
    if (text == name) return mode;
  }
  in.Error("target.mode",
           fmt::format("Unsupported value: \"{}\": supported values: \"one\", \"all\", \"fixed\", "
                       "\"fixed-percent\", \"random-max-percent\"",
                       text));
  return FaultTarget::Mode::kAll;
}

// The checks between the target's fields: one way to pick pods, a known
// replica type, an index only with a type, a valid selector, a mode's value.
void CheckTarget(FaultFields& in, const FaultTarget& t) {
  const int given = (t.pod.empty() ? 0 : 1) + (t.replica_type.empty() ? 0 : 1) +
                    (t.replicated_job.empty() ? 0 : 1) + (t.selector.empty() ? 0 : 1) +
                    (t.node.empty() ? 0 : 1);
  if (given > 1) {
    in.Error("target", "give only one of pod, replicaType, replicatedJob, selector and node");
  }
  if (t.job_index && t.replicated_job.empty()) {
    in.Error("target.jobIndex", "jobIndex needs replicatedJob");
  }
  if (t.pod_index && t.replicated_job.empty()) {
    in.Error("target.podIndex", "podIndex needs replicatedJob");
  }
  if (!t.replica_type.empty() && t.replica_type != kReplicaTypeMaster &&
      t.replica_type != kReplicaTypeWorker) {
    in.Error("target.replicaType",
             fmt::format("Unsupported value: \"{}\": supported values: \"Master\", \"Worker\"",
                         t.replica_type));
  }
  if (t.replica_index && t.replica_type.empty()) {
    in.Error("target.replicaIndex", "replicaIndex needs replicaType");
  }
  if (!t.selector.empty()) {
    auto selector = LabelSelector::Parse(t.selector);
    for (const auto& d : selector.diagnostics().items())
      in.Error("target.selector", d.message);
  }
  const bool percent =
      t.mode == FaultTarget::Mode::kFixedPercent || t.mode == FaultTarget::Mode::kRandomMaxPercent;
  if ((percent || t.mode == FaultTarget::Mode::kFixed) && t.value <= 0) {
    in.Error("target.value", "this mode needs a positive `value`");
  }
  if (percent && t.value > 100) in.Error("target.value", "a percentage must be at most 100");
}

void DecodeTarget(FaultFields& in, FaultTarget* t) {
  t->pod = TextOf(in, "target.pod");
  t->replica_type = TextOf(in, "target.replicaType");
  t->replica_index = in.Int32("target.replicaIndex");
  t->replicated_job = TextOf(in, "target.replicatedJob");
  t->job_index = in.Int32("target.jobIndex");
  t->pod_index = in.Int32("target.podIndex");
  t->selector = TextOf(in, "target.selector");
  t->node = TextOf(in, "target.node");
  t->job = TextOf(in, "target.job");
  t->container = TextOf(in, "target.container");
  if (const std::string ns = TextOf(in, "target.namespace"); !ns.empty()) {
    t->ns = ns;
    t->ns_given = true;
  }
  t->mode = DecodeMode(in);
  t->value = in.Int32("target.value").value_or(t->value);
  CheckTarget(in, *t);
}

void DecodeCondition(FaultFields& in, FaultTrigger* w) {
  static constexpr std::array<std::string_view, 6> kConditions = {
      "Created", "Running", "Restarting", "Succeeded", "Failed", "Suspended"};
  w->condition = TextOf(in, "when.condition");
  if (w->condition.empty()) return;
  if (std::find(kConditions.begin(), kConditions.end(), w->condition) != kConditions.end()) return;
  in.Error("when.condition",
           fmt::format("Unsupported value: \"{}\": supported values: \"Created\", \"Running\", "
                       "\"Restarting\", \"Succeeded\", \"Failed\", \"Suspended\"",
                       w->condition));
}

// One trigger at most; `every` repeats `at`.
void CheckTrigger(FaultFields& in, const FaultTrigger& w) {
  const int kinds = (w.at ? 1 : 0) + (w.after_running ? 1 : 0) + (w.log_line.empty() ? 0 : 1) +
                    (w.condition.empty() ? 0 : 1);
  auto name = [&](std::string_view field) { return in.Name(field); };
  if (kinds > 1) {
    in.Error("when", fmt::format("give one trigger: {}, {}, {} or {} ({} may accompany {} or {})",
                                 name("when.at"), name("when.afterRunning"), name("when.logLine"),
                                 name("when.condition"), name("when.incarnation"),
                                 name("when.afterRunning"), name("when.logLine")));
  }
  if (w.every && !w.at) {
    in.Error("when", fmt::format("`{}` needs `{}`", name("when.every"), name("when.at")));
  }
}

void DecodeTrigger(FaultFields& in, FaultTrigger* w) {
  w->at = in.Time("when.at");
  w->every = in.Time("when.every");
  w->after_running = in.Time("when.afterRunning");
  w->log_line = TextOf(in, "when.logLine");
  if (!w->log_line.empty()) {
    std::string why;
    w->log_regex = CompileUserRegex(w->log_line, &why);
    if (!w->log_regex) {
      in.Error("when.logLine",
               fmt::format("bad regular expression {}: {}", GoQuote(w->log_line), why));
    }
  }
  w->incarnation = in.Int32("when.incarnation");
  DecodeCondition(in, w);
  w->delay = in.Time("when.delay").value_or(w->delay);
  CheckTrigger(in, *w);
}

}  // namespace

void DecodeFaultFields(FaultFields& in, FaultSpec* f) {
  f->where = in.where();
  DecodeAction(in, f);
  DecodeArguments(in, f);
  DecodeRepeat(in, f);
  DecodeTarget(in, &f->target);
  DecodeTrigger(in, &f->when);
}

}  // namespace ptsim
