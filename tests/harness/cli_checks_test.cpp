// What `ptsim run` checks and says before and after a run: output paths,
// misspelt kinds and values, the operator release a user quotes, -q, and
// typos in options and commands.
#include <catch2/catch.hpp>
#include <filesystem>

#include "tests/harness/run_support.hpp"

namespace ptsim {
namespace {

namespace fs = std::filesystem;
using testing::Read;
using testing::RunCli;
using testing::TempDir;
using testing::Write;

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A scripted PyTorchJob (no processes): `run_policy` and `master_extra` are
// inserted as written.
std::string Job(const std::string& run_policy, const std::string& master_extra = "",
                const std::string& kind = "PyTorchJob") {
  return "apiVersion: kubeflow.org/v1\nkind: " + kind + "\nmetadata: {name: j}\nspec:\n" +
         run_policy + "  pytorchReplicaSpecs:\n    Master:\n      replicas: 1\n" + master_extra +
         "      template:\n        metadata: {annotations: {script.ptsim.io/pytorch: run 1s}}\n"
         "        spec: {containers: [{name: pytorch, image: trainer}]}\n";
}

nlohmann::json Report(const TempDir& dir, const std::string& name) {
  return nlohmann::json::parse(Read(dir / name));
}

bool HasNote(const nlohmann::json& report, const std::string& part) {
  for (const auto& note : report["notes"]) {
    if (Contains(note["text"].get<std::string>(), part)) return true;
  }
  return false;
}

TEST_CASE("output paths are created before the run, and an unusable one runs nothing") {
  TempDir dir;
  Write(dir / "j.yaml", Job(""));
  auto deep = RunCli({"run", "j.yaml", "-q", "--json", "out/deep/r.json", "--junit",
                      "out/junit/r.xml", "--runs-dir", "runs/here"},
                     dir.path());
  INFO(deep.output);
  CHECK(deep.exit_code == 0);
  CHECK(fs::exists(dir / "out/deep/r.json"));
  CHECK(fs::exists(dir / "out/junit/r.xml"));
  Write(dir / "file", "not a directory\n");
  for (const std::vector<std::string>& flags : {std::vector<std::string>{"--json", "file/r.json"},
                                                {"--html", "out"},
                                                {"--runs-dir", "file"},
                                                {"--junit", "file/x/r.xml"}}) {
    INFO(flags[0] << " " << flags[1]);
    auto r = RunCli({"run", "j.yaml", flags[0], flags[1]}, dir.path());
    INFO(r.output);
    CHECK(r.exit_code == 2);
    CHECK(Contains(r.output, "ptsim: " + flags[0] + " " + flags[1] + ": "));
    CHECK(Contains(r.output, "ptsim: nothing was run"));
    CHECK_FALSE(fs::exists(dir / "ptsim-runs"));
  }
}

TEST_CASE("a kind that looks misspelt is an error with a suggestion, not ignored") {
  TempDir dir;
  for (const char* kind : {"PytorchJob", "pytorchjob", "Pytorchjob"}) {
    Write(dir / "j.yaml", Job("", "", kind));
    auto r = RunCli({"run", "j.yaml"}, dir.path());
    INFO(r.output);
    CHECK(r.exit_code == 2);
    CHECK(Contains(r.output, std::string("j.yaml:2:7: error: kind: unknown kind \"") + kind +
                                 "\"; did you mean \"PyTorchJob\" (apiVersion kubeflow.org/v1)?"));
  }
}

TEST_CASE("cleanPodPolicy none cleans up as upstream does (as All), with a note saying so") {
  TempDir dir;
  Write(
      dir / "s.yaml",
      "apiVersion: ptsim.io/v1\nkind: Scenario\nname: s\nexpect:\n"
      "- finalCondition: {type: Succeeded}\n- podsDeleted: [j-master-0]\njob:\n" +
          [] {
            std::string job = Job("  runPolicy: {cleanPodPolicy: none}\n"), out;
            for (std::size_t at = 0; at < job.size();) {
              const auto end = job.find('\n', at);
              out += "  " + job.substr(at, end - at + 1);
              at = end + 1;
            }
            return out;
          }());
  auto r = RunCli({"run", "s.yaml", "--json", "r.json", "--no-timeline"}, dir.path());
  INFO(r.output);
  CHECK(r.exit_code == 0);
  const std::string text =
      "spec.runPolicy.cleanPodPolicy: \"none\" is not a clean-pod policy; upstream accepts it "
      "and cleans up as for All: every pod and service is deleted when the job finishes; did "
      "you mean \"None\"?";
  CHECK(Contains(r.output, "s.yaml:12:17: warning: PyTorchJob \"j\": " + text));
  CHECK(HasNote(Report(dir, "r.json"), "PyTorchJob \"j\": " + text));
}

TEST_CASE("a misspelt restartPolicy runs as upstream runs it: its pods are never created") {
  TempDir dir;
  Write(dir / "j.yaml", Job("", "      restartPolicy: onFailure\n"));
  auto r = RunCli({"run", "j.yaml", "--timeout", "5m", "--json", "r.json", "-q"}, dir.path());
  INFO(r.output);
  CHECK(r.exit_code == 1);  // the job never finishes: the run reaches its timeout
  CHECK(Contains(r.output,
                 "j.yaml:8:7: warning: PyTorchJob \"j\": "
                 "spec.pytorchReplicaSpecs[Master].restartPolicy: \"onFailure\" is not "
                 "a restart policy"));
  CHECK(Contains(r.output, "did you mean \"OnFailure\"?"));
  CHECK(Contains(r.output, "FAIL: j in 300.0s virtual"));
  const auto report = Report(dir, "r.json");
  CHECK(report["pods"].empty());
  CHECK(Contains(report["events"].dump(),
                 "Error creating: Pod \\\"j-master-0\\\" is invalid: spec.restartPolicy: "
                 "Unsupported value: \\\"onFailure\\\""));
  CHECK(HasNote(report, "did you mean \"OnFailure\"?"));
}

TEST_CASE("a quoted operator release picks the profile that behaves as it did, and says so") {
  TempDir dir;
  Write(dir / "j.yaml", Job(""));
  const std::string line =
      "note: operator v1.9.2: behaves as profile v1.9.0 (the PyTorchJob controller and webhook "
      "did not change from v1.9.0 to v1.9.2; the fix of v1.9.4";
  auto flag =
      RunCli({"run", "j.yaml", "--operator-version", "1.9.2", "--json", "r.json", "--no-timeline"},
             dir.path());
  INFO(flag.output);
  CHECK(flag.exit_code == 0);
  CHECK(Contains(flag.output, "j.yaml: " + line));
  auto report = Report(dir, "r.json");
  CHECK(report["operatorVersion"] == "v1.9.0");
  CHECK(HasNote(report, "operator v1.9.2: behaves as profile v1.9.0"));
  Write(dir / "s.yaml",
        "apiVersion: ptsim.io/v1\nkind: Scenario\nname: s\noperatorVersion: v1.9.3\npods:\n"
        "- {apiVersion: v1, kind: Pod, metadata: {name: p, annotations: {script.ptsim.io/c: run "
        "1s}}, spec: {restartPolicy: Never, containers: [{name: c, image: x}]}}\n");
  auto scenario = RunCli({"run", "s.yaml", "--json", "s.json", "--no-timeline"}, dir.path());
  CHECK(scenario.exit_code == 0);
  CHECK(Contains(scenario.output, "s.yaml: note: operator v1.9.3: behaves as profile v1.9.0"));
  CHECK(Report(dir, "s.json")["operatorVersion"] == "v1.9.0");
  auto own = RunCli({"run", "j.yaml", "--operator-version", "v1.8.0", "--no-timeline"}, dir.path());
  CHECK(own.exit_code == 0);
  CHECK_FALSE(Contains(own.output, "behaves as profile"));
  auto unknown = RunCli({"run", "j.yaml", "--operator-version", "v1.9.9"}, dir.path());
  CHECK(unknown.exit_code == 2);
  CHECK(Contains(unknown.output,
                 "--operator-version v1.9.9: unknown; choose one of v1.7.0, v1.8.0, v1.8.1, "
                 "v1.9.0, v1.9.1, v1.9.2, v1.9.3, v1.9.4"));
}

TEST_CASE("a quiet run still prints the expectations that failed and the verdict of a failed run") {
  TempDir dir;
  Write(dir / "s.yaml",
        "apiVersion: ptsim.io/v1\nkind: Scenario\nname: quiet\npods:\n"
        "- {apiVersion: v1, kind: Pod, metadata: {name: p, annotations: {script.ptsim.io/c: run "
        "1s}}, spec: {restartPolicy: Never, containers: [{name: c, image: x}]}}\nexpect:\n"
        "- podPhase: {pod: p, phase: Succeeded}\n- podPhase: {pod: p, phase: Failed}\n");
  auto r = RunCli({"run", "s.yaml", "-q"}, dir.path());
  CHECK(r.exit_code == 1);
  CHECK(Contains(r.output,
                 "  FAIL pod p ends in phase Failed\n         want: Failed\n"
                 "         got:  Succeeded\n"));
  CHECK_FALSE(Contains(r.output, "ok   pod p ends in phase Succeeded"));
  CHECK(Contains(r.output, "FAIL: quiet in 1.0s virtual"));
  Write(dir / "ok.yaml", Job(""));
  CHECK(RunCli({"run", "ok.yaml", "-q"}, dir.path()).output.empty());
}

TEST_CASE("a misspelt option or command gets a suggestion") {
  TempDir dir;
  Write(dir / "j.yaml", Job(""));
  auto option = RunCli({"run", "j.yaml", "--operator-verison", "v1.9.2"}, dir.path());
  CHECK(option.exit_code == 2);
  CHECK(Contains(option.output,
                 "ptsim: ptsim run has no option --operator-verison; did you mean "
                 "--operator-version?"));
  auto with_value = RunCli({"run", "--jsn=r.json", "j.yaml"}, dir.path());
  CHECK(with_value.exit_code == 2);
  CHECK(Contains(with_value.output, "has no option --jsn; did you mean --json?"));
  auto command = RunCli({"rnu", "j.yaml"}, dir.path());
  CHECK(command.exit_code == 2);
  CHECK(Contains(command.output, "ptsim: ptsim has no command \"rnu\"; did you mean run?"));
  // The suggestion replaces CLI11's own, less helpful, message.
  CHECK_FALSE(Contains(command.output, "A subcommand is required"));
  CHECK_FALSE(Contains(option.output, "was not expected"));
  auto nested = RunCli({"flyte", "jbo", "task.yaml"}, dir.path());
  CHECK(nested.exit_code == 2);
  CHECK(Contains(nested.output, "ptsim: ptsim flyte has no command \"jbo\"; did you mean job?"));
}

}  // namespace
}  // namespace ptsim
