// Bounds on faults, whether written in a scenario or with --fault, checked
// before anything runs; a document that cannot be decoded is an error at the
// document, not an abort; the `repeat: always` cap holds during a run.
#include <catch2/catch.hpp>

#include "sim/harness/fault_spec.hpp"
#include "sim/harness/input_loader.hpp"
#include "tests/harness/run_support.hpp"

namespace ptsim {
namespace {

using testing::LoadErrors;
using testing::RunScenario;
using testing::TempDir;
using testing::Write;

std::string FlagError(const std::string& flag) {
  auto f = ParseFaultFlag(flag);
  REQUIRE_FALSE(f.ok());
  return f.diagnostics().Render();
}

const char* kScenario = R"(apiVersion: ptsim.io/v1
kind: Scenario
name: s
pods:
- apiVersion: v1
  kind: Pod
  metadata:
    name: p
    labels: {app: x}
    annotations: {script.ptsim.io/main: "run 200s"}
  spec:
    restartPolicy: Never
    containers: [{name: main, image: busybox}]
)";

TEST_CASE("the --fault flag refuses schedules that would fire without end") {
  CHECK_THAT(FlagError("kill@pod=p@at=1s,every=1ns,repeat=always"),
             Catch::Contains("when.every: Invalid value: 1ns: must be at least 100ms"));
  CHECK_THAT(FlagError("kill@pod=p@at=1s,every=1s,repeat=5000"),
             Catch::Contains("repeat: Invalid value: 5000: must be from 1 to 1000"));
  CHECK(ParseFaultFlag("kill@pod=p@at=1s,every=100ms,repeat=1000").ok());
}

TEST_CASE("the --fault flag refuses negative times, incarnation 0 and huge scales") {
  CHECK_THAT(FlagError("kill@pod=p@at=-1s"),
             Catch::Contains("when.at: Invalid value: -1s: must not be negative"));
  CHECK_THAT(FlagError("freeze@pod=p@at=1s,duration=-1s"),
             Catch::Contains("duration: Invalid value: -1s: must not be negative"));
  CHECK_THAT(FlagError("kill@pod=p@incarnation=0"), Catch::Contains("incarnations count from 1"));
  CHECK_THAT(FlagError("scale:99999999@Worker@at=1m"),
             Catch::Contains("replicas: Invalid value: 99999999: must be from 0 to 10000"));
  CHECK_THAT(FlagError("exit:300@pod=p@at=1s"), Catch::Contains("an exit code is from 0 to 255"));
}

TEST_CASE("the --fault flag reads numbers whole and names exactly") {
  CHECK_THAT(FlagError("exit:3x@pod=p@at=1s"), Catch::Contains("exit code \"3x\" is not a number"));
  CHECK_THAT(FlagError("kill@Worker-1x@at=1s"), Catch::Contains("replica index in \"Worker-1x\""));
  CHECK_THAT(FlagError("kill@pod=p@incarnation=2nd"),
             Catch::Contains("incarnation: \"2nd\" is not a number"));
  CHECK_THAT(FlagError("kill@pod=p@at=1s,repeat=3x"),
             Catch::Contains("repeat: \"3x\" is not a number, nor \"always\""));
  // A pod may be named like a replica type: "Masterful" is a pod name.
  auto pod = ParseFaultFlag("kill@Masterful@at=1s");
  REQUIRE(pod.ok());
  CHECK(pod->target.pod == "Masterful");
  CHECK(pod->target.replica_type.empty());
}

TEST_CASE("the --fault flag checks its selector before the run, as the docs promise") {
  CHECK_THAT(FlagError("kill@selector=a in b@at=1s"),
             Catch::Contains("invalid label selector \"a in b\": expected a parenthesised value "
                             "list after in"));
  CHECK_THAT(FlagError("kill@selector=app=x=y@at=1s"), Catch::Contains("invalid label selector"));
  CHECK(ParseFaultFlag("kill@selector=app=x,tier!=db@at=1s").ok());
}

TEST_CASE("the --fault flag quotes control bytes and bidi overrides it echoes") {
  const std::string error = FlagError("kill@pod=p@\x1b[2J\xe2\x80\xae=1");
  CHECK_THAT(error, Catch::Contains("unknown option \"\\x1b[2J\\u202e\""));
  CHECK(error.find('\x1b') == std::string::npos);
  CHECK(error.find("\xe2\x80\xae") == std::string::npos);
}

TEST_CASE("a scenario's faults have the same bounds, at their line") {
  TempDir dir;
  const std::string errors = LoadErrors(
      dir, std::string(kScenario) +
               "faults:\n- action: kill\n  target: {pod: p}\n  when: {at: -1s, every: 1ms}\n"
               "  repeat: 5000\n");
  CHECK_THAT(errors, Catch::Contains("scenario.yaml:15:3: error: fault \"kill\": when.at: Invalid "
                                     "value: -1s: must not be negative"));
  CHECK_THAT(errors, Catch::Contains("when.every: Invalid value: 1ms: must be at least 100ms"));
  CHECK_THAT(errors, Catch::Contains("repeat: Invalid value: 5000"));
  CHECK_THAT(LoadErrors(dir, std::string(kScenario) +
                                 "faults:\n- action: kill\n  target: {selector: \"a in b\"}\n"),
             Catch::Contains("target.selector: invalid label selector"));
}

TEST_CASE("a PyTorchJob without spec is an error at the document, not an abort") {
  TempDir dir;
  Write(dir / "job.yaml", "apiVersion: kubeflow.org/v1\nkind: PyTorchJob\nmetadata: {name: x}\n");
  auto plan = LoadRunPlan(dir / "job.yaml", PlanOverrides{});
  REQUIRE_FALSE(plan.ok());
  const std::string errors = plan.diagnostics().Render();
  CHECK_THAT(errors, Catch::Contains("job.yaml:"));
  // The decoder's own error, not the last-resort catch of an exception.
  CHECK_THAT(errors, Catch::Contains("pytorchReplicaSpecs"));
  CHECK_THAT(errors, !Catch::Contains("bug in ptsim"));
}

TEST_CASE("repeat: always stops at the firing limit, with a note") {
  TempDir dir;
  const auto report = RunScenario(dir, "always",
                                  std::string(kScenario) +
                                      "faults:\n- action: cordon\n  target: {node: node-1}\n"
                                      "  when: {at: 1s, every: 100ms}\n  repeat: always\n");
  REQUIRE(report["faults"].size() == 1);
  CHECK(report["faults"][0]["fired"].size() == static_cast<std::size_t>(kMaxFaultFirings));
  bool noted = false;
  for (const auto& n : report["notes"]) {
    noted = noted || n["text"].get<std::string>().find("fired 1000 times, ptsim's limit") !=
                         std::string::npos;
  }
  CHECK(noted);
}

TEST_CASE("ptsim run exits 2 with a located error on inputs that used to abort or hang") {
  TempDir dir;
  Write(dir / "nospec.yaml",
        "apiVersion: kubeflow.org/v1\nkind: PyTorchJob\nmetadata: {name: x}\n");
  Write(dir / "comma.yaml", ",");
  Write(dir / "utf8.yaml", std::string(kScenario) + "description: \"caf\xc3\"\n");
  std::string bomb = "a: &a [x,x,x,x,x,x,x,x,x]\n";
  for (char c = 'b'; c <= 'i'; ++c) {
    const std::string p(1, static_cast<char>(c - 1));
    bomb += std::string(1, c) + ": &" + c + " [*" + p + ",*" + p + ",*" + p + ",*" + p + ",*" + p +
            ",*" + p + ",*" + p + ",*" + p + ",*" + p + "]\n";
  }
  Write(dir / "bomb.yaml", bomb);
  for (const auto& [file, where] : std::initializer_list<std::pair<const char*, const char*>>{
           {"nospec.yaml", "nospec.yaml:"},
           {"comma.yaml", "comma.yaml:1:1: error: malformed YAML/JSON"},
           {"utf8.yaml", "utf8.yaml:14:18: error: invalid UTF-8"},
           {"bomb.yaml", "error: malformed YAML/JSON: document contains excessive aliasing"}}) {
    INFO(file);
    auto r = testing::RunCli({"run", file}, dir.path());
    INFO(r.output);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.output, Catch::Contains(where));
    CHECK_THAT(r.output, !Catch::Contains("terminate called"));
  }
}

TEST_CASE("a report is written whole when a process prints invalid UTF-8") {
  TempDir dir;
  Write(dir / "bytes.yaml", R"(apiVersion: ptsim.io/v1
kind: Scenario
name: bytes
pods:
- apiVersion: v1
  kind: Pod
  metadata: {name: p}
  spec:
    restartPolicy: Never
    containers: [{name: main, image: busybox, command: [sh, -c, "printf 'a\\377b\\n'"]}]
expect:
- log: {pod: p, matches: "^a", equals: 2}
)");
  auto r = testing::RunCli({"run", "bytes.yaml", "--json", "out.json"}, dir.path());
  INFO(r.output);
  CHECK(r.exit_code == 1);
  const auto report = nlohmann::json::parse(testing::Read(dir / "out.json"));
  CHECK(report["expectations"][0]["actual"].dump().find("a\xef\xbf\xbd"
                                                        "b") != std::string::npos);
  CHECK_FALSE(testing::Read(dir / "ptsim-runs/bytes/report.json").empty());
}

}  // namespace
}  // namespace ptsim
