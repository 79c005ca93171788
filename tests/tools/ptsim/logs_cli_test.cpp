// `ptsim logs` over a finished run: every incarnation of a recreated pod,
// -p, init containers, --all-containers, --tail, job/NAME, and the errors
// that list what exists.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "tests/harness/run_support.hpp"

namespace ptsim {
namespace {

using testing::Read;
using testing::RunCli;
using testing::TempDir;
using testing::Write;

// The Master is recreated twice (ExitCode: 137 is retryable) and prints its
// pod uid and how many times it started; the Worker restarts in place once.
const char* kRecreated = R"(apiVersion: ptsim.io/v1
kind: Scenario
name: recreated
images:
  busybox: {}
job:
  apiVersion: kubeflow.org/v1
  kind: PyTorchJob
  metadata: {name: rj}
  spec:
    pytorchReplicaSpecs:
      Master:
        replicas: 1
        restartPolicy: ExitCode
        template:
          spec:
            containers:
            - name: pytorch
              image: busybox
              env:
              - name: MY_UID
                valueFrom: {fieldRef: {fieldPath: metadata.uid}}
              command: [sh, -c, 'n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count; echo "start $n uid $MY_UID"; if [ $n -lt 3 ]; then exit 137; fi; echo done']
      Worker:
        replicas: 1
        restartPolicy: OnFailure
        template:
          spec:
            containers:
            - name: pytorch
              image: busybox
              command: [sh, -c, 'if [ -f w ]; then echo second; echo last; exit 0; fi; touch w; echo first; exit 1']
)";

struct Run {
  TempDir dir;
  nlohmann::json report;
  std::vector<std::string> master_uids;  // oldest first
};

// Made once per test process (ctest runs each test case in its own).
const Run& Recreated() {
  static std::unique_ptr<Run> run = [] {
    auto r = std::make_unique<Run>();
    Write(r->dir.path() + "/recreated.yaml", kRecreated);
    auto result = RunCli({"run", "recreated.yaml", "-q"}, r->dir.path());
    INFO(result.output);
    REQUIRE(result.exit_code == 0);
    r->report = nlohmann::json::parse(Read(r->dir.path() + "/ptsim-runs/recreated/report.json"));
    for (const auto& p : r->report["pods"]) {
      if (p["name"] == "rj-master-0") r->master_uids.push_back(p["uid"]);
    }
    return r;
  }();
  return *run;
}

testing::CliResult Logs(std::vector<std::string> args) {
  args.insert(args.begin(), {"logs", "recreated"});
  return RunCli(args, Recreated().dir.path());
}

TEST_CASE("ptsim logs shows the newest incarnation of a recreated pod by default") {
  const auto& run = Recreated();
  REQUIRE(run.master_uids.size() == 3);
  auto r = Logs({"rj-master-0"});
  CHECK(r.exit_code == 0);
  CHECK(r.output == "start 3 uid " + run.master_uids[2] + "\ndone\n");
}

TEST_CASE("ptsim logs --incarnation counts from the first created, negative from the newest") {
  const auto& run = Recreated();
  REQUIRE(run.master_uids.size() == 3);
  CHECK(Logs({"rj-master-0", "--incarnation", "1"}).output ==
        "start 1 uid " + run.master_uids[0] + "\n");
  CHECK(Logs({"pod/rj-master-0", "--incarnation", "2"}).output ==
        "start 2 uid " + run.master_uids[1] + "\n");
  CHECK(Logs({"rj-master-0", "--incarnation", "-3"}).output ==
        "start 1 uid " + run.master_uids[0] + "\n");
  CHECK(Logs({"rj-master-0", "--pod-uid", run.master_uids[1].substr(0, 13)}).output ==
        "start 2 uid " + run.master_uids[1] + "\n");
}

TEST_CASE("ptsim logs says which incarnations exist when --incarnation or --pod-uid misses") {
  const auto& run = Recreated();
  auto r = Logs({"rj-master-0", "--incarnation", "4"});
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("pod \"rj-master-0\" has 3 incarnations") != std::string::npos);
  CHECK(r.output.find("3 (uid " + run.master_uids[2]) != std::string::npos);
  CHECK(r.output.find("--incarnation takes 1 to 3") != std::string::npos);
  r = Logs({"rj-master-0", "--pod-uid", "zzz"});
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("1 (uid " + run.master_uids[0]) != std::string::npos);
  CHECK(Logs({"rj-master-0", "--incarnation", "1", "--pod-uid", "x"}).exit_code == 2);
}

TEST_CASE("ptsim logs -p shows the restart before the current one, as the kubelet") {
  auto r = Logs({"rj-worker-0", "-p", "-c", "pytorch"});
  CHECK(r.exit_code == 0);
  CHECK(r.output == "first\n");
  CHECK(Logs({"rj-worker-0", "-c", "pytorch"}).output == "second\nlast\n");
  r = Logs({"rj-master-0", "-p"});
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("previous terminated container \"pytorch\" in pod \"rj-master-0\" not "
                      "found: its restartCount is 0") != std::string::npos);
}

TEST_CASE("ptsim logs defaults to the first container and reaches init containers") {
  auto r = Logs({"rj-worker-0"});
  CHECK(r.exit_code == 0);
  CHECK(r.output ==
        "Defaulted container \"pytorch\" out of: pytorch, init-pytorch (init)\nsecond\nlast\n");
  // init-pytorch ran and printed nothing: an empty log, not an error.
  r = Logs({"rj-worker-0", "-c", "init-pytorch"});
  CHECK(r.exit_code == 0);
  CHECK(r.output.empty());
  r = Logs({"rj-worker-0", "--all-containers", "--tail", "1"});
  CHECK(r.exit_code == 0);
  CHECK(r.output == "last\n");
  r = Logs({"rj-worker-0", "-c", "main"});
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("container main is not valid for pod rj-worker-0 out of: pytorch, "
                      "init-pytorch (init)") != std::string::npos);
}

TEST_CASE("ptsim logs job/NAME prints the master-0 pod and says which pod") {
  for (const char* target : {"job/rj", "pytorchjob/rj", "PyTorchJob/rj"}) {
    auto r = Logs({target, "--tail", "1"});
    INFO(target);
    CHECK(r.exit_code == 0);
    CHECK(r.output == "Found 2 pods, using pod/rj-master-0\ndone\n");
  }
  auto r = Logs({"job/nope"});
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("no pods of PyTorchJob \"nope\"") != std::string::npos);
  CHECK(r.output.find("jobs with pods: rj") != std::string::npos);
}

TEST_CASE("ptsim logs errors list what exists and say what to type") {
  auto r = Logs({"rj-mastr-0"});
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("did you mean \"rj-master-0\"?") != std::string::npos);
  CHECK(r.output.find("pods in the run: rj-master-0 (3 incarnations), rj-worker-0") !=
        std::string::npos);
  r = RunCli({"logs", "nope", "x"}, Recreated().dir.path());
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("runs in ptsim-runs: recreated") != std::string::npos);
  r = Logs({"rj-master-0", "--timestamps"});
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("no timestamps to show") != std::string::npos);
  r = Logs({"svc/rj-master-0"});
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("write one of pod/NAME, pytorchjob/NAME") != std::string::npos);
}

TEST_CASE("ptsim logs orders incarnations from the pod journal while there is no report") {
  const auto& run = Recreated();
  TempDir copy;
  const std::string from = run.dir.path() + "/ptsim-runs/recreated";
  REQUIRE(std::system(("cp -r '" + from + "' '" + copy.path() + "/r'").c_str()) == 0);
  std::remove((copy.path() + "/r/report.json").c_str());
  auto r = RunCli({"logs", copy.path() + "/r", "rj-master-0", "--incarnation", "2"}, copy.path());
  CHECK(r.exit_code == 0);
  CHECK(r.output == "start 2 uid " + run.master_uids[1] + "\n");
  CHECK(RunCli({"logs", copy.path() + "/r", "rj-master-0"}, copy.path()).output ==
        "start 3 uid " + run.master_uids[2] + "\ndone\n");
}

TEST_CASE("the incarnation list of a pod recreated many times shows its ends and a count") {
  TempDir dir;
  // The #1709 loop recreates worker-0 about once a second for 60 s.
  auto run = RunCli({"run", PTSIM_SOURCE_DIR "/scenarios/zero-workers-create-delete-loop.yaml",
                     "-q", "--runs-dir", "runs"},
                    dir.path());
  REQUIRE(run.exit_code == 0);
  auto r = RunCli({"logs", "zero-workers-create-delete-loop", "pod/zero-workers-worker-0",
                   "--incarnation", "999", "--runs-dir", "runs"},
                  dir.path());
  INFO(r.output);
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("1 (uid ") != std::string::npos);
  CHECK(r.output.find("3 (uid ") != std::string::npos);
  CHECK(r.output.find("4 (uid ") == std::string::npos);
  CHECK(r.output.find(" more), ") != std::string::npos);
  CHECK(r.output.size() < 1000);
}

}  // namespace
}  // namespace ptsim
