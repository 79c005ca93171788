// Bad scenarios are rejected before anything runs, with file, line, object and advice.
#include <catch2/catch.hpp>

#include "tests/harness/run_support.hpp"

namespace ptsim {
namespace {

using testing::LoadErrors;
using testing::TempDir;

const char* kJob = R"(job:
  apiVersion: kubeflow.org/v1
  kind: PyTorchJob
  metadata: {name: mnist}
  spec:
    pytorchReplicaSpecs:
      Master:
        replicas: 1
        template:
          metadata: {annotations: {script.ptsim.io/pytorch: "run 10s"}}
          spec: {containers: [{name: pytorch, image: trainer}]}
      Worker:
        replicas: 2
        template:
          metadata: {annotations: {script.ptsim.io/pytorch: "run 10s"}}
          spec: {containers: [{name: pytorch, image: trainer}]}
)";

std::string Scenario(const std::string& rest) {
  return std::string("apiVersion: ptsim.io/v1\nkind: Scenario\nname: s\n") + kJob + rest;
}

TEST_CASE("a valid scenario loads without errors") {
  TempDir dir;
  CHECK(LoadErrors(
            dir,
            Scenario("faults:\n- action: kill\n  target: {replicaType: Worker, replicaIndex: 1}\n"
                     "  when: {at: 5s}\nexpect:\n- finalCondition: {type: Succeeded}\n")) == "");
}

TEST_CASE("an unknown top-level key is reported with its line and a suggestion") {
  TempDir dir;
  CHECK(LoadErrors(dir, "apiVersion: ptsim.io/v1\nkind: Scenario\nname: s\ntimeuot: 5m\n" +
                            std::string(kJob)) ==
        "scenario.yaml:4:1: error: Scenario \"s\": timeuot: unknown field \"timeuot\"; did you "
        "mean \"timeout\"?\n");
}

TEST_CASE("job-level expectations may name their job") {
  TempDir dir;
  CHECK(LoadErrors(dir, Scenario("expect:\n- finalCondition: {type: Succeeded}\n  job: mnist\n"
                                 "- jobDeleted: false\n  job: mnist\n")) == "");
  const std::string unknown =
      LoadErrors(dir, Scenario("expect:\n- neverCondition: Restarting\n  job: other\n"));
  CHECK(unknown.find("no PyTorchJob named \"other\" in this run; jobs: mnist") !=
        std::string::npos);
  const std::string misplaced =
      LoadErrors(dir, Scenario("expect:\n- restartCount: {pod: mnist-master-0, equals: 0}\n"
                               "  job: mnist\n"));
  CHECK(misplaced.find("`job` is for finalCondition, conditions, neverCondition and jobDeleted, "
                       "not restartCount") != std::string::npos);
  const std::string two = LoadErrors(
      dir, Scenario("expect:\n- finalCondition: {type: Succeeded}\n  outcome: completed\n"));
  CHECK(two.find("exactly one key (and optionally `job`)") != std::string::npos);
}

TEST_CASE("an unknown fault kind names the line and lists the faults") {
  TempDir dir;
  const std::string errors =
      LoadErrors(dir, Scenario("faults:\n- action: explode\n  target: {pod: mnist-master-0}\n"));
  CHECK(errors.find("scenario.yaml:21:11: error: Scenario \"s\": faults[0].action: unknown fault "
                    "\"explode\"") == 0);
  CHECK(errors.find("kill, exit, oom, freeze") != std::string::npos);
}

TEST_CASE("a fault target that matches nothing is an error before the run") {
  TempDir dir;
  CHECK(LoadErrors(dir, Scenario("faults:\n- action: kill\n  target: {pod: mnist-worker-7}\n"))
            .find("error: fault \"kill\": target.pod: no pod named \"mnist-worker-7\" can exist in "
                  "this run; pods: "
                  "mnist-master-0, mnist-worker-0, mnist-worker-1") != std::string::npos);
  CHECK(LoadErrors(
            dir,
            Scenario("faults:\n- action: kill\n  target: {replicaType: Worker, replicaIndex: 2}\n"))
            .find("the job has no Worker replica with index 2") != std::string::npos);
  CHECK(LoadErrors(dir, Scenario("faults:\n- action: node-down\n  target: {node: node-9}\n"))
            .find("no node named \"node-9\" in the cluster") != std::string::npos);
  CHECK(LoadErrors(dir, Scenario("faults:\n- action: kill\n  target: {selector: app=nothing}\n"))
            .find("selector \"app=nothing\" matches no pod of this run") != std::string::npos);
}

TEST_CASE("bad regular expressions and durations are errors with their line") {
  TempDir dir;
  CHECK(LoadErrors(dir, Scenario("faults:\n- action: kill\n  target: {pod: mnist-master-0}\n  "
                                 "when: {logLine: \"step (\"}\n"))
            .find("scenario.yaml:23:19: error: Scenario \"s\": faults[0].when.logLine: bad regular "
                  "expression \"step (\"") == 0);
  CHECK(LoadErrors(
            dir,
            Scenario(
                "faults:\n- action: kill\n  target: {pod: mnist-master-0}\n  when: {at: 5}\n")) ==
        "scenario.yaml:23:14: error: Scenario \"s\": faults[0].when.at: missing unit in duration "
        "\"5\"; write it like 5s\n");
  // RE2 syntax: a back-reference or a lookahead is refused where it is written.
  CHECK(LoadErrors(dir, Scenario("faults:\n- action: kill\n  target: {pod: mnist-master-0}\n  "
                                 "when: {logLine: \"(a)\\\\1\"}\n"))
            .find("scenario.yaml:23:19: error: Scenario \"s\": faults[0].when.logLine: bad regular "
                  "expression \"(a)\\\\1\": invalid escape sequence: \\1 (ptsim uses RE2 syntax") ==
        0);
  CHECK(LoadErrors(dir, Scenario("expect:\n- log: {pod: mnist-master-0, matches: \"step(?=5)\"}\n"))
            .find("bad regular expression \"step(?=5)\": invalid perl operator: (?=") !=
        std::string::npos);
  CHECK(LoadErrors(dir, Scenario("timeout: soon\n")).find("invalid duration \"soon\"") !=
        std::string::npos);
}

TEST_CASE("expectations about objects that cannot exist are errors") {
  TempDir dir;
  CHECK(LoadErrors(dir, Scenario("expect:\n- podsDeleted: [mnist-worker-3]\n"))
            .find("no pod named \"mnist-worker-3\" can exist in this run") != std::string::npos);
  CHECK(LoadErrors(dir, Scenario("expect:\n- restartCount: {replicaType: Worker, equals: 1}\n")) ==
        "");
  CHECK(
      LoadErrors(
          dir,
          "apiVersion: ptsim.io/v1\nkind: Scenario\nname: s\npods:\n- apiVersion: v1\n  kind: Pod\n"
          "  metadata: {name: p, annotations: {script.ptsim.io/c: run 1s}}\n  spec: {containers: "
          "[{name: c, image: x}]}\n"
          "expect:\n- finalCondition: {type: Succeeded}\n")
          .find("this run has no PyTorchJob") != std::string::npos);
  CHECK(LoadErrors(dir, Scenario("expect:\n- finalCondition: {type: Finished}\n"))
            .find("unknown condition type \"Finished\"") != std::string::npos);
  CHECK(LoadErrors(dir, Scenario("expect:\n- wishes: [pony]\n"))
            .find("unknown expectation \"wishes\"") != std::string::npos);
  CHECK(LoadErrors(dir, Scenario("expect:\n- log: {pod: mnist-worker-9, matches: x}\n"))
            .find("no pod named \"mnist-worker-9\"") != std::string::npos);
  CHECK(LoadErrors(dir, Scenario("expect:\n- fault: {name: nope}\n"))
            .find("no fault named \"nope\"") != std::string::npos);
  CHECK(LoadErrors(dir, Scenario("expect:\n- termination: {pod: mnist-master-0}\n"))
            .find("give reason, exitCode or signal") != std::string::npos);
  CHECK(LoadErrors(dir, Scenario("expect:\n- report: {path: job/status, exists: true}\n"))
            .find("is not a JSON pointer") != std::string::npos);
  CHECK(LoadErrors(dir, Scenario("expect:\n- report: {path: /job/status}\n"))
            .find("give equals, matches, min, max or exists") != std::string::npos);
  CHECK(LoadErrors(dir, Scenario("expect:\n- termination: {pod: mnist-master-0, attempt: -1, "
                                 "exitCode: 1}\n"))
            .find("attempt is a restartCount") != std::string::npos);
}

TEST_CASE("the --fault flag parses into the same faults as the scenario format") {
  auto f = ParseFaultFlag("kill:SIGTERM@Worker-1/pytorch@log=step 50,repeat=2");
  REQUIRE(f.ok());
  CHECK(f->action->name() == "kill");
  CHECK(f->signal == 15);
  CHECK(f->target.replica_type == "Worker");
  CHECK(*f->target.replica_index == 1);
  CHECK(f->target.container == "pytorch");
  CHECK(f->when.log_line == "step 50");
  CHECK(f->repeat == 2);
  auto node = ParseFaultFlag("node-down@node=node-2@at=1m,duration=5m");
  REQUIRE(node.ok());
  CHECK(node->target.node == "node-2");
  CHECK(*node->duration == std::chrono::minutes(5));
  CHECK_FALSE(ParseFaultFlag("explode@Master@at=1s").ok());
  CHECK_FALSE(ParseFaultFlag("kill@Master").ok());
  CHECK(ParseFaultFlag("kill@Master@at=soon").diagnostics().Render().find("invalid duration") !=
        std::string::npos);
}

TEST_CASE("the --fault flag gives job faults: suspend, resume and scale:N") {
  auto scale = ParseFaultFlag("scale:4@Worker@at=1m");
  REQUIRE(scale.ok());
  CHECK(scale->action->name() == "scale");
  CHECK(scale->replicas == 4);
  CHECK(scale->target.replica_type == "Worker");
  auto suspend = ParseFaultFlag("suspend@job=mnist@at=30s");
  REQUIRE(suspend.ok());
  CHECK(suspend->action->name() == "suspend");
  CHECK(suspend->target.job == "mnist");
  CHECK(ParseFaultFlag("scale@Worker@at=1m")
            .diagnostics()
            .Render()
            .find("scale needs the new number of replicas") != std::string::npos);
  CHECK(ParseFaultFlag("scale:-1@Worker@at=1m")
            .diagnostics()
            .Render()
            .find("replicas: Invalid value: -1: must be from 0 to 10000") != std::string::npos);
  CHECK_FALSE(ParseFaultFlag("scale:2x@Worker@at=1m").ok());
}

}  // namespace
}  // namespace ptsim
