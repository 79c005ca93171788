// The table of fault actions (sim/harness/faults/fault_action.hpp), which a
// tool can enumerate: every action decodes from a scenario's YAML and
// from the --fault flag into the same fault, for every kind of target it
// takes; its Describe text and FaultFlagText read back as the same fault; and
// both forms refuse the same mistakes in the same words.
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>
#include <catch2/catch.hpp>

#include <fstream>
#include <set>
#include <sstream>

#include "sim/core/signals.hpp"
#include "sim/harness/fault_spec.hpp"
#include "sim/harness/faults/fault_argument.hpp"
#include "sim/harness/faults/fault_flag.hpp"
#include "sim/harness/faults/yaml_fault_fields.hpp"
#include "sim/model/go_duration.hpp"

namespace ptsim {
namespace {

// Every field of a fault but its name and source, as one line to compare.
std::string Canonical(const FaultSpec& f) {
  const FaultTarget& t = f.target;
  const FaultTrigger& w = f.when;
  auto d = [](const std::optional<Duration>& v) { return v ? GoDurationString(*v) : "-"; };
  return fmt::format(
      "{} sig={} exit={} replicas={} delay={} message={} duration={} grace={} repeat={}{} | "
      "pod={} type={} index={} selector={} node={} job={} container={} ns={}{} mode={} value={} "
      "| at={} every={} after={} log={} incarnation={} condition={} delay={}",
      f.action->name(), SignalName(f.signal), f.exit_code, f.replicas, GoDurationString(f.delay),
      f.message, d(f.duration), f.grace_period.value_or(-1), f.repeat,
      f.repeat_always ? " always" : "", t.pod, t.replica_type, t.replica_index.value_or(-1),
      t.selector, t.node, t.job, t.container, t.ns, t.ns_given ? " given" : "",
      static_cast<int>(t.mode), t.value, d(w.at), d(w.every), d(w.after_running), w.log_line,
      w.incarnation.value_or(0), w.condition, GoDurationString(w.delay));
}

// Decodes one item of `faults:`; its diagnostics go to `errors`.
FaultSpec FromYaml(const std::string& yaml, std::string* errors) {
  Diagnostics diagnostics;
  DecodeContext ctx("scenario.yaml", &diagnostics);
  FaultSpec f;
  DecodeFault(ctx, YAML::Load(yaml), "faults[0]", &f);
  *errors = diagnostics.Render();
  return f;
}

FaultSpec FromFlag(const std::string& flag) {
  auto f = ParseFaultFlag(flag);
  INFO(f.diagnostics().Render());
  REQUIRE(f.ok());
  return *f;
}

// A target of each kind, as the flag and a scenario write it.
struct Aim {
  std::string flag;
  std::string yaml;
};
Aim AimOf(FaultTargetKind kind) {
  switch (kind) {
    case FaultTargetKind::kEveryPod:
      return {"*/pytorch", "{container: pytorch}"};
    case FaultTargetKind::kPod:
      return {"pod=mnist-worker-0", "{pod: mnist-worker-0}"};
    case FaultTargetKind::kReplicaType:
      return {"Worker-1", "{replicaType: Worker, replicaIndex: 1}"};
    case FaultTargetKind::kSelector:
      return {"selector=app=x,tier!=db", "{selector: \"app=x,tier!=db\"}"};
    case FaultTargetKind::kNode:
      return {"node=node-2", "{node: node-2}"};
    case FaultTargetKind::kJob:
      return {"job=mnist", "{job: mnist}"};
  }
  return {};
}

TEST_CASE("the action table names each action once and says what it takes") {
  std::set<std::string_view> names;
  for (const FaultAction* a : FaultActions()) {
    INFO(a->name());
    CHECK(names.insert(a->name()).second);
    CHECK(FindFaultAction(a->name()) == a);
    CHECK(a->job_level() == (a->scope() == FaultScope::kJob));
    CHECK_FALSE(a->target_kinds().empty());
    if (a->argument() != FaultArgument::kNone) {
      CHECK_FALSE(ArgumentInfo(a->argument()).field.empty());
    }
  }
  CHECK(FindFaultAction("explode") == nullptr);
  CHECK(&DefaultFaultAction() == FindFaultAction("kill"));
  CHECK(FaultActionNames([](const FaultAction& a) { return a.job_level(); }) ==
        "suspend, resume and scale");
}

TEST_CASE("every action decodes alike from a scenario and from --fault, for each of its targets") {
  for (const FaultAction* a : FaultActions()) {
    const FaultArgument argument = a->argument();
    const FaultArgumentInfo& info = ArgumentInfo(argument);
    const std::string arg = argument == FaultArgument::kNone ? "" : std::string(info.example);
    const auto options = a->options();
    const bool lasts = std::find(options.begin(), options.end(), "duration") != options.end();
    for (FaultTargetKind kind : a->target_kinds()) {
      const Aim aim = AimOf(kind);
      const std::string flag =
          fmt::format("{}{}@{}@at=10s,repeat=2{}", a->name(), arg.empty() ? "" : ":" + arg,
                      aim.flag, lasts ? ",duration=5m" : "");
      const std::string yaml =
          fmt::format("{{action: {}, {}target: {}, when: {{at: 10s}}, repeat: 2{}}}", a->name(),
                      arg.empty() ? "" : fmt::format("{}: {}, ", info.field, arg), aim.yaml,
                      lasts ? ", duration: 5m" : "");
      INFO(flag << "\n" << yaml);
      std::string errors;
      const FaultSpec from_yaml = FromYaml(yaml, &errors);
      CHECK(errors.empty());
      const FaultSpec from_flag = FromFlag(flag);
      CHECK(from_flag.action == a);
      CHECK(Canonical(from_yaml) == Canonical(from_flag));
      // Describe is the ACTION[:ARG] the flag was written with.
      CHECK(a->Describe(from_yaml) == flag.substr(0, flag.find('@')));
      const auto text = FaultFlagText(from_yaml);
      REQUIRE(text);
      CHECK(Canonical(FromFlag(*text)) == Canonical(from_yaml));
      CHECK(FaultFlagText(FromFlag(*text)) == text);
    }
  }
}

TEST_CASE("FaultFlagText declines what only a scenario can say") {
  std::string errors;
  for (const char* yaml : {
           "{action: kill, target: {pod: p, namespace: team-a}}",
           "{action: kill, target: {replicaType: Worker, mode: one}}",
           "{action: delete, gracePeriodSeconds: 5, target: {pod: p}}",
           "{action: exit, signal: SIGTERM, target: {pod: p}}",
           "{action: kill, target: {node: node-1, container: c}}",
           "{action: scale, replicas: 2, target: {job: j, replicaType: Worker}}",
           "{action: kill, target: {pod: p}, when: {logLine: \"a,b\"}}",
       }) {
    INFO(yaml);
    const FaultSpec f = FromYaml(yaml, &errors);
    CHECK(errors.empty());
    CHECK_FALSE(FaultFlagText(f));
  }
}

// A scenario's fault and a flag that make the same mistake.
struct Mistake {
  const char* yaml;
  const char* flag;
  const char* message;
};

TEST_CASE("a scenario and --fault refuse the same mistakes in the same words") {
  for (const Mistake& m : std::initializer_list<Mistake>{
           {"{action: explode}", "explode@*@at=1s", "unknown fault \"explode\"; faults are kill"},
           {"{action: \"\"}", "@*@at=1s", "unknown fault \"\"; faults are kill"},
           {"{action: kill, signal: SIGFOO}", "kill:SIGFOO@*@at=1s",
            "unknown signal \"SIGFOO\"; use a name like SIGKILL or a number"},
           {"{action: kill, when: {condition: Done}}", "kill@*@condition=Done",
            "Unsupported value: \"Done\": supported values: \"Created\""},
           {"{action: kill, when: {at: 1s, logLine: x}}", "kill@*@at=1s,log=x", "give one trigger"},
           {"{action: kill, when: {every: 1m}}", "kill@*@every=1m", "needs `at`"},
           {"{action: kill, when: {logLine: \"(\"}}", "kill@*@log=(",
            "bad regular expression \"(\""},
           {"{action: kill, repeat: 0}", "kill@*@at=1s,repeat=0",
            "repeat: Invalid value: 0: must be from 1 to 1000"},
           {"{action: kill, when: {incarnation: 0}}", "kill@*@incarnation=0",
            "when.incarnation: Invalid value: 0: must be at least 1 (incarnations count from 1)"},
           {"{action: scale, replicas: -1, target: {replicaType: Worker}}", "scale:-1@Worker@at=1s",
            "replicas: Invalid value: -1: must be from 0 to 10000"},
           {"{action: kill, target: {replicaType: Worker, replicaIndex: -1}}",
            "kill@Worker--1@at=1s", "target.replicaIndex: Invalid value: -1: must be at least 0"},
           {"{action: kill, target: {selector: \"a in b\"}}", "kill@selector=a in b@at=1s",
            "invalid label selector \"a in b\""},
       }) {
    INFO(m.yaml << "\n" << m.flag);
    std::string errors;
    FromYaml(m.yaml, &errors);
    CHECK_THAT(errors, Catch::Contains(m.message));
    auto flag = ParseFaultFlag(m.flag);
    REQUIRE_FALSE(flag.ok());
    CHECK_THAT(flag.diagnostics().Render(), Catch::Contains(m.message));
    CHECK_THAT(flag.diagnostics().Render(), Catch::StartsWith("--fault: error: "));
  }
}

TEST_CASE("an empty log or condition option is as if it were not given") {
  const FaultSpec f = FromFlag("kill@pod=p@log=,condition=");
  CHECK_FALSE(f.when.log_regex);
  CHECK(f.when.condition.empty());
  CHECK(f.when.Describe() == "at 0s");
}

TEST_CASE("a flag names the option a mistake is in, and its first mistake only") {
  auto f = ParseFaultFlag("kill@*@condition=Done,at=soon");
  REQUIRE_FALSE(f.ok());
  CHECK(f.diagnostics().items().size() == 1);
  CHECK_THAT(f.diagnostics().Render(),
             Catch::Contains("\"kill@*@condition=Done,at=soon\": at: invalid duration \"soon\""));
  CHECK_THAT(ParseFaultFlag("scale@Worker@at=1m").diagnostics().Render(),
             Catch::Contains("scale needs the new number of replicas, e.g. scale:4@Worker@at=1m"));
  std::string errors;
  FromYaml("{action: scale, target: {replicaType: Worker}}", &errors);
  CHECK_THAT(errors, Catch::Contains("scale needs `replicas`, the new number of replicas"));
}

// The docs' table of actions (docs/scenarios.md#actions) has a row for each.
TEST_CASE("every action in the table is documented") {
  std::ifstream in(std::string(PTSIM_SOURCE_DIR) + "/docs/scenarios.md");
  std::stringstream text;
  text << in.rdbuf();
  const std::string doc = text.str();
  const auto start = doc.find("### Actions");
  REQUIRE(start != std::string::npos);
  const std::string section = doc.substr(start, doc.find("\n### ", start + 1) - start);
  for (const FaultAction* a : FaultActions()) {
    CHECK_THAT(section, Catch::Contains(fmt::format("`{}`", a->name())));
  }
}

}  // namespace
}  // namespace ptsim
