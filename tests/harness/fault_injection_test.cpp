// Every fault kind, on a real process and on a scripted container
// (docs/scenarios.md#faults). A pod prints "ready" and then waits; the fault
// fires on that line.
#include <catch2/catch.hpp>

#include "tests/harness/run_support.hpp"

namespace ptsim {
namespace {

using nlohmann::json;
using testing::ContainerOf;
using testing::PodNamed;
using testing::RunScenario;
using testing::TempDir;

enum class Kind { kReal, kScripted };

// A scenario with one pod `p` whose container prints "ready" then runs
// `real_tail` (a shell fragment) or `script_tail` (script steps), and `faults`.
std::string Scenario(Kind kind, const std::string& real_tail, const std::string& script_tail,
                     const std::string& faults, const std::string& extra = "") {
  std::string pod;
  if (kind == Kind::kReal) {
    pod =
        "  - apiVersion: v1\n    kind: Pod\n    metadata: {name: p}\n    spec:\n"
        "      restartPolicy: Never\n      terminationGracePeriodSeconds: 5\n"
        "      containers:\n      - name: main\n        image: busybox\n"
        "        command: [sh, -c, \"echo ready; " +
        real_tail + "\"]\n";
  } else {
    pod =
        "  - apiVersion: v1\n    kind: Pod\n    metadata:\n      name: p\n      annotations:\n"
        "        script.ptsim.io/main: \"log ready, " +
        script_tail +
        "\"\n    spec:\n"
        "      restartPolicy: Never\n      terminationGracePeriodSeconds: 5\n"
        "      containers:\n      - {name: main, image: busybox}\n";
  }
  return "apiVersion: ptsim.io/v1\nkind: Scenario\nname: fault\ntimeout: 10m\n" + extra +
         "pods:\n" + pod + "faults:\n" + faults;
}

std::string OnReady(const std::string& action_lines) {
  return "- " + action_lines + "\n  target: {pod: p}\n  when: {logLine: ready}\n";
}

const json& LastRun(const json& report) {
  return ContainerOf(PodNamed(report, "p"), "main")["runs"].back();
}

TEST_CASE("kill delivers the signal and the container reports 128 plus the signal") {
  for (Kind kind : {Kind::kReal, Kind::kScripted}) {
    for (auto [signal, code] : std::initializer_list<std::pair<const char*, int>>{
             {"SIGKILL", 137}, {"SIGTERM", 143}, {"SIGSEGV", 139}}) {
      TempDir dir;
      const json r =
          RunScenario(dir, "kill",
                      Scenario(kind, "exec sleep 30", "forever",
                               OnReady(std::string("action: kill\n  signal: ") + signal)));
      INFO((kind == Kind::kReal ? "real " : "scripted ") << signal);
      CHECK(PodNamed(r, "p")["phase"] == "Failed");
      CHECK(LastRun(r)["exitCode"] == code);
      CHECK(LastRun(r)["reason"] == "Error");
      CHECK(r["faults"][0]["fired"].size() == 1);
    }
  }
}

TEST_CASE("exit makes the container end with the requested exit code") {
  for (Kind kind : {Kind::kReal, Kind::kScripted}) {
    TempDir dir;
    const json r = RunScenario(
        dir, "exit",
        Scenario(kind, "exec sleep 30", "forever", OnReady("action: exit\n  exitCode: 3")));
    CHECK(LastRun(r)["exitCode"] == 3);
    CHECK(LastRun(r)["reason"] == "Error");
  }
}

TEST_CASE("oom kills the container with reason OOMKilled and exit code 137") {
  for (Kind kind : {Kind::kReal, Kind::kScripted}) {
    TempDir dir;
    const json r =
        RunScenario(dir, "oom", Scenario(kind, "exec sleep 30", "forever", OnReady("action: oom")));
    CHECK(LastRun(r)["exitCode"] == 137);
    CHECK(LastRun(r)["reason"] == "OOMKilled");
  }
}

TEST_CASE("freeze stops the processes for a while and virtual time jumps over the freeze") {
  // Real: the process sleeps 0.2s after "ready"; frozen for 50s of virtual time first.
  TempDir dir;
  const json real = RunScenario(dir, "freeze-real",
                                Scenario(Kind::kReal, "sleep 0.2; echo done", "",
                                         OnReady("action: freeze\n  duration: 50s")));
  CHECK(LastRun(real)["exitCode"] == 0);
  CHECK(LastRun(real)["finishedAt"].get<double>() >= 50.0);
  CHECK(real["wallSeconds"].get<double>() < 10.0);  // the 50s were not waited for
  const json scripted = RunScenario(
      dir, "freeze-scripted",
      Scenario(Kind::kScripted, "", "run 2s, exit 0", OnReady("action: freeze\n  duration: 50s")));
  CHECK(LastRun(scripted)["finishedAt"].get<double>() == Approx(52.0));
}

TEST_CASE("a pod frozen for good hangs until the timeout, which virtual time reaches at once") {
  for (Kind kind : {Kind::kReal, Kind::kScripted}) {
    TempDir dir;
    const json r = RunScenario(dir, "hang",
                               Scenario(kind, "exec sleep 30", "forever", OnReady("action: freeze"),
                                        "expect:\n- outcome: timedOut\n"));
    CHECK(r["outcome"] == "timedOut");
    CHECK(r["virtualSeconds"].get<double>() == Approx(600.0));
    CHECK(r["wallSeconds"].get<double>() < 10.0);
    CHECK(LastRun(r)["terminatedByPtsim"] == true);
  }
}

TEST_CASE("delete terminates the pod gracefully and removes it") {
  for (Kind kind : {Kind::kReal, Kind::kScripted}) {
    TempDir dir;
    const json r = RunScenario(
        dir, "delete", Scenario(kind, "exec sleep 30", "forever", OnReady("action: delete")));
    CHECK_FALSE(PodNamed(r, "p")["deletedAt"].is_null());
    CHECK(LastRun(r)["exitCode"] == 143);  // SIGTERM
    CHECK(PodNamed(r, "p")["phase"] == "Failed");
  }
}

TEST_CASE("force-delete removes the pod object at once") {
  for (Kind kind : {Kind::kReal, Kind::kScripted}) {
    TempDir dir;
    const json r = RunScenario(
        dir, "force", Scenario(kind, "exec sleep 30", "forever", OnReady("action: force-delete")));
    const json& pod = PodNamed(r, "p");
    CHECK(pod["deletedAt"].get<double>() ==
          Approx(r["faults"][0]["fired"][0]["time"].get<double>()).margin(0.01));
  }
}

TEST_CASE("force-delete clears a pod stuck Terminating on a lost node") {
  for (Kind kind : {Kind::kReal, Kind::kScripted}) {
    TempDir dir;
    const json r = RunScenario(dir, "stuck",
                               Scenario(kind, "exec sleep 30", "forever",
                                        "- action: node-down\n  target: {pod: p}\n"
                                        "  when: {logLine: ready}\n"
                                        "- action: delete\n  target: {pod: p}\n  when: {at: 1m}\n"
                                        "- action: force-delete\n  target: {pod: p}\n"
                                        "  when: {at: 2m}\n",
                                        "cluster: {nodes: 2}\n"));
    // The kubelet of the lost node never finishes the graceful deletion; only
    // the forced one removes the object.
    CHECK(PodNamed(r, "p")["deletedAt"].get<double>() == Approx(120.0).margin(0.01));
    CHECK(r["faults"][2]["fired"].size() == 1);
  }
}

TEST_CASE("evict fails the pod with reason Evicted") {
  for (Kind kind : {Kind::kReal, Kind::kScripted}) {
    TempDir dir;
    const json r = RunScenario(
        dir, "evict", Scenario(kind, "exec sleep 30", "forever", OnReady("action: evict")));
    CHECK(PodNamed(r, "p")["phase"] == "Failed");
    CHECK(PodNamed(r, "p")["reason"] == "Evicted");
  }
}

TEST_CASE(
    "node-down kills the node's processes and the pod keeps its last status until the node "
    "returns") {
  for (Kind kind : {Kind::kReal, Kind::kScripted}) {
    TempDir dir;
    const json r = RunScenario(
        dir, "node",
        Scenario(
            kind, "exec sleep 30", "forever",
            "- action: node-down\n  duration: 100s\n  target: {pod: p}\n  when: {logLine: ready}\n",
            "cluster: {nodes: 2}\n"));
    const json& pod = PodNamed(r, "p");
    // The process died at once; the kubelet, back after 100s, finds the container gone.
    CHECK(pod["phase"] == "Failed");
    CHECK(ContainerOf(pod, "main")["state"]["terminated"]["reason"] == "ContainerStatusUnknown");
    bool not_ready = false;
    for (const auto& e : r["events"])
      not_ready = not_ready || e["reason"] == "NodeNotReady";
    CHECK(not_ready);
    CHECK(r["virtualSeconds"].get<double>() >= 100.0);
  }
}

TEST_CASE("image-pull-error keeps the container waiting in ErrImagePull and ImagePullBackOff") {
  TempDir dir;
  const std::string yaml =
      "apiVersion: ptsim.io/v1\nkind: Scenario\nname: pull\ntimeout: 5m\n"
      "pods:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: p}\n  spec:\n"
      "    restartPolicy: Never\n    containers:\n    - {name: main, image: busybox, command: [sh, "
      "-c, 'exit 0']}\n"
      "faults:\n- action: image-pull-error\n  target: {pod: p}\nexpect:\n- outcome: timedOut\n";
  const json r = RunScenario(dir, "pull", yaml);
  const json& c = ContainerOf(PodNamed(r, "p"), "main");
  CHECK(c["runs"].empty());
  CHECK(c["state"]["waiting"]["reason"].get<std::string>().find("Image") != std::string::npos);
  int failed = 0, backoff = 0;
  for (const auto& e : r["events"]) {
    if (e["reason"] == "Failed") failed += e["count"].get<int>();
    if (e["reason"] == "BackOff") backoff += e["count"].get<int>();
  }
  CHECK(failed > 2);
  CHECK(backoff > 2);
}

TEST_CASE("slow-start delays the container's start by the pull delay") {
  for (Kind kind : {Kind::kReal, Kind::kScripted}) {
    TempDir dir;
    const json r =
        RunScenario(dir, "slow",
                    Scenario(kind, "exit 0", "exit 0",
                             "- action: slow-start\n  delay: 45s\n  target: {pod: p}\n"));
    CHECK(LastRun(r)["startedAt"].get<double>() == Approx(45.0).margin(0.5));
  }
}

TEST_CASE("chaos mode one picks its target from the seed, the same way every time") {
  auto killed = [](int seed) {
    TempDir dir;
    std::string pods;
    for (int i = 0; i < 5; ++i) {
      pods += "- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: p" + std::to_string(i) +
              "\n    labels: {app: train}\n    annotations: {script.ptsim.io/main: 'run 10s'}\n"
              "  spec:\n    restartPolicy: Never\n    containers: [{name: main, image: busybox}]\n";
    }
    const json r = RunScenario(
        dir, "chaos",
        "apiVersion: ptsim.io/v1\nkind: Scenario\nname: chaos\nseed: " + std::to_string(seed) +
            "\npods:\n" + pods +
            "faults:\n- action: kill\n  target: {selector: app=train, mode: one}\n"
            "  when: {at: 5s}\n");
    return r["faults"][0]["fired"][0]["targets"].dump();
  };
  CHECK(killed(1) == killed(1));
  std::set<std::string> distinct;
  for (int seed = 1; seed <= 8; ++seed)
    distinct.insert(killed(seed));
  CHECK(distinct.size() > 1);
}

// A job of one Master and `workers` Workers, scripted to train for 120s, and
// `faults` aimed at it.
std::string JobScenario(int workers, const std::string& faults) {
  return "apiVersion: ptsim.io/v1\nkind: Scenario\nname: job\ntimeout: 30m\n"
         "images:\n  trainer:v1: {script: \"steps 120 every 1s\"}\n"
         "job:\n  apiVersion: kubeflow.org/v1\n  kind: PyTorchJob\n  metadata: {name: j}\n"
         "  spec:\n    pytorchReplicaSpecs:\n"
         "      Master:\n        replicas: 1\n        restartPolicy: OnFailure\n"
         "        template: {spec: {containers: [{name: pytorch, image: trainer:v1}]}}\n"
         "      Worker:\n        replicas: " +
         std::to_string(workers) +
         "\n        restartPolicy: OnFailure\n"
         "        template: {spec: {containers: [{name: pytorch, image: trainer:v1}]}}\n"
         "faults:\n" +
         faults;
}

std::vector<std::string> PodNames(const json& report) {
  std::vector<std::string> names;
  for (const auto& p : report["pods"])
    names.push_back(p["name"].get<std::string>());
  return names;
}

// Whether the job's condition history holds this condition.
bool HasCondition(const json& report, const std::string& type, const std::string& status,
                  const std::string& reason) {
  for (const auto& c : report["job"]["conditionHistory"]) {
    if (c["type"] == type && c["status"] == status && c["reason"] == reason) return true;
  }
  return false;
}

TEST_CASE("suspend deletes the job's pods and resume recreates them, moving startTime") {
  TempDir dir;
  const json r = RunScenario(dir, "suspend",
                             JobScenario(1,
                                         "- {action: suspend, when: {at: 30s}}\n"
                                         "- {action: resume, when: {at: 100s}}\n"));
  CHECK(HasCondition(r, "Suspended", "True", "PyTorchJobSuspended"));
  CHECK(HasCondition(r, "Suspended", "False", "PyTorchJobResumed"));
  CHECK(r["job"]["status"]["conditions"].back()["type"] == "Succeeded");
  CHECK(r["job"]["status"]["startTime"] == 100);
  // Two pods before the suspend, two after the resume, each trained from scratch.
  CHECK(r["pods"].size() == 4);
  CHECK(r["virtualSeconds"] == 220);
  CHECK(r["faults"][0]["fired"][0]["targets"][0] == "PyTorchJob/j");
  // The report's spec is the job as submitted, not as edited.
  CHECK_FALSE(r["job"]["spec"].contains("runPolicy"));
}

TEST_CASE("scale adds and removes workers by index") {
  TempDir dir;
  const json r = RunScenario(
      dir, "scale",
      JobScenario(1,
                  "- {action: scale, replicas: 3, target: {replicaType: Worker}, when: {at: 10s}}\n"
                  "- {action: scale, replicas: 2, target: {replicaType: Worker, job: j}, "
                  "when: {at: 20s}}\n"));
  const auto names = PodNames(r);
  CHECK(names == std::vector<std::string>{"j-master-0", "j-worker-0", "j-worker-1", "j-worker-2"});
  CHECK(PodNamed(r, "j-worker-2")["deletedAt"].is_number());
  CHECK(PodNamed(r, "j-worker-1")["deletedAt"].is_null());
  CHECK(PodNamed(r, "j-master-0")["phase"] == "Succeeded");
  CHECK(r["job"]["status"]["conditions"].back()["type"] == "Succeeded");
}

TEST_CASE("an edit the webhook rejects leaves the job alone and says why in a note") {
  TempDir dir;
  const json r = RunScenario(
      dir, "reject",
      JobScenario(1,
                  "- {name: two-masters, action: scale, replicas: 2, target: {replicaType: "
                  "Master}, when: {at: 10s}}\n"));
  CHECK(PodNames(r) == std::vector<std::string>{"j-master-0", "j-worker-0"});
  CHECK(r["faults"][0]["fired"][0]["targets"][0] == "PyTorchJob/j (rejected)");
  bool noted = false;
  for (const auto& n : r["notes"]) {
    const std::string text = n.is_object() ? n.value("text", n.dump()) : n.dump();
    noted = noted || (text.find("two-masters") != std::string::npos &&
                      text.find("rejected") != std::string::npos);
  }
  CHECK(noted);
  CHECK(r["job"]["status"]["conditions"].back()["type"] == "Succeeded");
}

TEST_CASE("job faults are checked when the scenario loads") {
  TempDir dir;
  auto errors = [&](const std::string& faults) {
    return testing::LoadErrors(dir, JobScenario(1, faults));
  };
  CHECK_THAT(errors("- {action: scale, target: {replicaType: Worker}, when: {at: 1s}}\n"),
             Catch::Contains("scale needs `replicas`"));
  CHECK_THAT(errors("- {action: scale, replicas: -1, target: {replicaType: Worker}, "
                    "when: {at: 1s}}\n"),
             Catch::Contains("replicas: Invalid value: -1: must be from 0 to 10000"));
  CHECK_THAT(errors("- {action: scale, replicas: 2, when: {at: 1s}}\n"),
             Catch::Contains("scale needs target.replicaType"));
  CHECK_THAT(errors("- {action: suspend, target: {job: other}, when: {at: 1s}}\n"),
             Catch::Contains("no PyTorchJob named \"other\" in this run"));
  CHECK_THAT(errors("- {action: kill, replicas: 2, target: {pod: j-master-0}, when: {at: 1s}}\n"),
             Catch::Contains("`replicas` is for the scale action"));
  CHECK_THAT(errors("- {action: kill, target: {job: j}, when: {at: 1s}}\n"),
             Catch::Contains("target.job is for suspend, resume and scale"));
}

}  // namespace
}  // namespace ptsim
