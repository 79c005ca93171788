// `ptsim describe` on scripted runs (instant, deterministic): the lines and
// columns kubectl describe prints for a pod, a PyTorchJob and a node, and the
// errors that list what exists.
#include <catch2/catch.hpp>

#include <regex>

#include "tests/harness/run_support.hpp"

namespace ptsim {
namespace {

using testing::CliResult;
using testing::RunCli;
using testing::TempDir;
using testing::Write;

// The Master fails once (restarted in place, OnFailure) and then runs until
// the run's timeout, as does the Worker: both are on their nodes at the end.
const char* kScripted = R"(apiVersion: ptsim.io/v1
kind: Scenario
name: scripted
timeout: 60s
images:
  trainer:v1: {script: "log first, run 5s, exit 1 | log second, forever"}
  forever:v1: {script: "forever"}
job:
  apiVersion: kubeflow.org/v1
  kind: PyTorchJob
  metadata: {name: sj, labels: {team: ml}}
  spec:
    pytorchReplicaSpecs:
      Master:
        replicas: 1
        restartPolicy: OnFailure
        template:
          spec:
            nodeSelector: {kubernetes.io/hostname: node-1}
            containers:
            - name: pytorch
              image: trainer:v1
              env:
              - {name: EPOCHS, value: "3"}
              - name: MY_POD
                valueFrom: {fieldRef: {fieldPath: metadata.name}}
              resources:
                requests: {cpu: "2", memory: 1Gi}
                limits: {cpu: "2", memory: 1Gi}
      Worker:
        replicas: 1
        restartPolicy: OnFailure
        template:
          spec:
            nodeSelector: {kubernetes.io/hostname: node-2}
            containers:
            - name: pytorch
              image: forever:v1
              resources:
                requests: {cpu: "4", memory: 2Gi}
expect:
- outcome: timedOut
)";

struct Scripted {
  TempDir dir;
  Scripted() {
    Write(dir.path() + "/scripted.yaml", kScripted);
    auto r = RunCli({"run", "scripted.yaml", "-q"}, dir.path());
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
  }
  CliResult Describe(const std::string& object) const {
    return RunCli({"describe", "scripted", object}, dir.path());
  }
};

const Scripted& Run() {
  static Scripted run;
  return run;
}

// A line that matches `pattern` whole (columns are aligned with spaces).
bool HasLine(const std::string& text, const std::string& pattern) {
  const std::regex re(pattern);
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto nl = text.find('\n', start);
    const std::string line = text.substr(start, nl == std::string::npos ? nl : nl - start);
    if (std::regex_match(line, re)) return true;
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return false;
}

TEST_CASE("ptsim describe pod prints kubectl's fields for a pod restarted in place") {
  auto r = Run().Describe("pod/sj-master-0");
  INFO(r.output);
  CHECK(r.exit_code == 0);
  CHECK(HasLine(r.output,
                "# run scripted, ended at 60.000s virtual: .*ages count back from its end"));
  CHECK(HasLine(r.output, "Name: +sj-master-0"));
  CHECK(HasLine(r.output, "Namespace: +default"));
  CHECK(HasLine(r.output, "Node: +node-1/127\\.0\\.0\\.1"));
  CHECK(HasLine(r.output, "Labels: +training.kubeflow.org/job-name=sj"));
  CHECK(HasLine(r.output, "Status: +Running"));
  CHECK(HasLine(r.output, "Controlled By: +PyTorchJob/sj"));
  CHECK(HasLine(r.output, "  pytorch:"));
  CHECK(HasLine(r.output, "    State: +Running"));
  CHECK(HasLine(r.output, "      Started: +5\\.000s"));
  CHECK(HasLine(r.output, "    Last State: +Terminated"));
  CHECK(HasLine(r.output, "      Finished: +5\\.000s"));
  CHECK(HasLine(r.output, "      Reason: +Error"));
  CHECK(HasLine(r.output, "      Exit Code: +1"));
  CHECK(HasLine(r.output, "    Restart Count: +1"));
  CHECK(HasLine(r.output, "      cpu: +2"));
  CHECK(HasLine(r.output, "      EPOCHS: +3"));
  CHECK(HasLine(r.output, "      MY_POD: +sj-master-0 \\(v1:metadata\\.name\\)"));
  CHECK(HasLine(r.output, "      WORLD_SIZE: +2"));
  CHECK(HasLine(r.output, "  Type +Status"));
  CHECK(HasLine(r.output, "  PodScheduled +True "));
  CHECK(HasLine(r.output, "QoS Class: +Guaranteed"));
  CHECK(HasLine(r.output, "Node-Selectors: +kubernetes.io/hostname=node-1"));
  CHECK(HasLine(r.output, "  Type    Reason     Age                From               Message"));
  CHECK(HasLine(r.output,
                "  Normal  Started    55s \\(x2 over 60s\\)  kubelet +spec.containers"
                "\\{pytorch\\}: Started container pytorch"));
}

TEST_CASE("ptsim describe pod shows init containers and a Burstable QoS") {
  auto r = Run().Describe("pods/sj-worker-0");
  INFO(r.output);
  CHECK(r.exit_code == 0);
  CHECK(HasLine(r.output, "Status: +Running"));
  CHECK(HasLine(r.output, "      Reason: +Completed"));
  CHECK(HasLine(r.output, "QoS Class: +Burstable"));
  CHECK(HasLine(r.output, "Init Containers:"));
  CHECK(HasLine(r.output, "  init-pytorch:"));
}

TEST_CASE("ptsim describe pytorchjob prints kubectl's generic describer layout") {
  auto r = Run().Describe("pytorchjob/sj");
  INFO(r.output);
  CHECK(r.exit_code == 0);
  CHECK(HasLine(r.output, "Name: +sj"));
  CHECK(HasLine(r.output, "Labels: +team=ml"));
  CHECK(HasLine(r.output, "API Version: +kubeflow.org/v1"));
  CHECK(HasLine(r.output, "Kind: +PyTorchJob"));
  CHECK(HasLine(r.output, "Metadata:"));
  CHECK(HasLine(r.output, "  Creation Timestamp: +0\\.000s"));
  CHECK(HasLine(r.output, "  Pytorch Replica Specs:"));
  CHECK(HasLine(r.output, "      Restart Policy: +OnFailure"));
  CHECK(HasLine(r.output, "    Type: +Created"));
  CHECK(HasLine(r.output, "  Replica Statuses:"));
  CHECK(HasLine(r.output,
                "  Normal  SuccessfulCreatePod +60s +pytorchjob-controller +Created "
                "pod: sj-master-0"));
  CHECK(r.output == Run().Describe("job/sj").output);
}

TEST_CASE("ptsim describe node lists the pods still on it and what they request") {
  auto r = Run().Describe("node/node-2");
  INFO(r.output);
  CHECK(r.exit_code == 0);
  CHECK(HasLine(r.output, "Name: +node-2"));
  CHECK(HasLine(r.output, "Unschedulable: +false"));
  CHECK(HasLine(r.output, "  Ready +True +0\\.000s +0\\.000s +KubeletReady +.*"));
  CHECK(HasLine(r.output, "  cpu: +32"));
  CHECK(HasLine(r.output, "Non-terminated Pods: +\\(1 in total\\)"));
  CHECK(HasLine(
      r.output,
      "  default +sj-worker-0 +4 \\(12%\\) +100m \\(0%\\) +2Gi \\(1%\\) +20Mi \\(0%\\) +60s"));
  // The init container's limits count: a pod's is the larger of its
  // containers' sum and any init container's (resourcehelper.PodLimits).
  CHECK(HasLine(r.output, "  cpu +4 \\(12%\\) +100m \\(0%\\)"));
  r = Run().Describe("node/node-3");
  CHECK(HasLine(r.output, "Non-terminated Pods: +\\(0 in total\\)"));
}

TEST_CASE("ptsim describe errors list what exists") {
  auto r = Run().Describe("pod/sj-mastr-0");
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("did you mean \"sj-master-0\"? pods in the run: sj-master-0, sj-worker-0") !=
        std::string::npos);
  r = Run().Describe("node/nope");
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("nodes in the run: node-1") != std::string::npos);
  r = Run().Describe("pytorchjob/nope");
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("PyTorchJobs in the run: sj") != std::string::npos);
  r = Run().Describe("sj-master-0");
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("write TYPE/NAME") != std::string::npos);
  r = Run().Describe("deployment/x");
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("pod/NAME, pytorchjob/NAME (or job/NAME), node/NAME") != std::string::npos);
}

TEST_CASE("ptsim describe says a run that has not ended has no report yet") {
  TempDir dir;
  const std::string run = dir.path() + "/ptsim-runs/going";
  REQUIRE(std::system(("mkdir -p '" + run + "/pods' && touch '" + run + "/.ptsim-run'").c_str()) ==
          0);
  auto r = RunCli({"describe", "going", "pod/x"}, dir.path());
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("has no report.json yet: the run is still going") != std::string::npos);
}

}  // namespace
}  // namespace ptsim
