// Flyte tasks run end to end (docs/flyte.md "Running a task"): the rules of
// flytepropeller and flytekit that the shipped scenarios (scenarios/flyte/)
// do not pin, the report's "flyte" object, `ptsim flyte custom|job`, and bad
// input (exit status 2, a message naming the file, line and field).
#include <yaml-cpp/yaml.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "sim/harness/input_loader.hpp"
#include "tests/harness/run_support.hpp"

namespace ptsim {
namespace {

using nlohmann::json;
using testing::RunCli;
using testing::RunScenario;
using testing::TempDir;

using testing::Read;
using testing::Write;

// Every log line of every run of the pod's first container.
std::string LogOf(const json& report, const std::string& pod) {
  std::string out;
  for (const auto& run : testing::PodNamed(report, pod)["containers"][0]["runs"])
    out += Read(run["log"].get<std::string>());
  return out;
}

int Count(const std::string& text, const std::string& what) {
  int n = 0;
  for (std::size_t pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1))
    ++n;
  return n;
}

std::vector<std::string> Phases(const json& flyte) {
  std::vector<std::string> out;
  for (const auto& p : flyte["phases"])
    out.push_back(fmt::format("{}:{}:{}", p["attempt"].get<int>(), p["phase"].get<std::string>(),
                              p["reason"].is_string() ? p["reason"].get<std::string>() : ""));
  return out;
}

const char* kScenarioHead = R"(apiVersion: ptsim.io/v1
kind: Scenario
timeout: 10m
images:
  train:1: {script: "steps 30 every 1s"}
)";

TEST_CASE("A PyTorch task with worker replicas 0 runs as a master-only PyTorchJob") {
  // S6 (docs/upstream/flyte.md#conformance-checklist, flyte#6201): no Worker
  // spec, so the operator never loops on 0 workers.
  TempDir dir;
  json report = RunScenario(dir, "master-only", std::string(kScenarioHead) + R"(flyte:
  pytorch: {worker: {replicas: 0}}
  task: {image: "train:1", command: [python, train.py]}
)");
  const json& specs = report["job"]["spec"]["pytorchReplicaSpecs"];
  CHECK(specs.contains("Master"));
  CHECK_FALSE(specs.contains("Worker"));
  CHECK(specs["Master"]["replicas"] == 1);
  CHECK(report["flyte"]["phase"] == "Success");
  CHECK(report["flyte"]["attempts"].size() == 1);
  CHECK(report["pods"].size() == 1);
}

TEST_CASE(
    "The Flyte phase timeline is what flyteadmin records, one event per phase or newer version") {
  // Round 1 bumps Queued to version 1 for the new reason JobCreated; round 2
  // returns version 0 again, which flytepropeller sends and flyteadmin drops.
  // The pods start after 3s, so the Running condition comes a second after
  // Created and wins (flytepropeller sees whole seconds).
  TempDir dir;
  json report = RunScenario(dir, "timeline", std::string(kScenarioHead) + R"(flyte:
  pytorch: {worker: {replicas: 1}}
  task: {image: "train:1", command: [python, train.py]}
faults:
- {action: slow-start, delay: 3s, target: {replicaType: Master}}
)");
  const json& flyte = report["flyte"];
  CHECK(Phases(flyte) == std::vector<std::string>{"0:Queued:task submitted to K8s",
                                                  "0:Queued:JobCreated",
                                                  "0:Running:", "0:Success:"});
  CHECK(flyte["phases"][1]["version"] == 1);
  CHECK(flyte["phases"][2]["at"].get<double>() >= 3.0);
  CHECK(flyte["ended"] == true);
  CHECK(flyte["input"] == "task file");
  CHECK(flyte["config"] == "PyTorch");
  CHECK(flyte["taskType"] == "pytorch");
  CHECK(flyte["taskTypeVersion"] == 1);
  CHECK(flyte["execution"]["namespace"] == "flytesnacks-development");
  CHECK(flyte["maxAttempts"] == 1);
  CHECK(flyte["error"].is_null());
  CHECK(flyte["attempts"][0]["outputDir"].get<std::string>().find("/flyte/ptsim-n0-0/outputs") !=
        std::string::npos);
}

TEST_CASE("A suspended Flyte PyTorchJob is Queued with reason Suspended until it resumes") {
  TempDir dir;
  json report = RunScenario(dir, "suspended", std::string(kScenarioHead) + R"(flyte:
  pytorch: {worker: {replicas: 1}}
  task: {image: "train:1", command: [python, train.py]}
faults:
- {action: slow-start, delay: 2s, target: {replicaType: Master}}
- {action: suspend, when: {at: 10s}}
- {action: resume, when: {at: 40s}}
)");
  std::vector<std::string> phases = Phases(report["flyte"]);
  CHECK(std::find(phases.begin(), phases.end(), "0:Queued:Suspended") != phases.end());
  CHECK(phases.back() == "0:Success:");
}

TEST_CASE(
    "A python-task pod deleted under a running task is a SYSTEM failure that costs no retry") {
  // UnexpectedObjectDeletion (the pod has a deletionTimestamp but has not
  // finished): retried under max-node-retries-system-failures, not retries.
  TempDir dir;
  const std::string tmpl = R"({"type": "python-task", "taskTypeVersion": 0,
    "container": {"image": "train:1", "args": ["python", "main.py"]}})";
  Write(dir.path() + "/task.json", tmpl);
  json report = RunScenario(dir, "deleted", std::string(kScenarioHead) + R"(flyte: task.json
faults:
- {action: delete, target: {pod: ptsim-n0-0}, when: {at: 5s}}
)");
  const json& flyte = report["flyte"];
  REQUIRE(flyte["attempts"].size() == 2);
  CHECK(flyte["attempts"][0]["kind"] == "Pod");
  CHECK(flyte["attempts"][0]["error"]["kind"] == "SYSTEM");
  CHECK(flyte["attempts"][0]["error"]["code"] == "UnexpectedObjectDeletion");
  CHECK(flyte["attempts"][0]["error"]["message"] ==
        "object [flytesnacks-development/ptsim-n0-0] terminated in the background, manually");
  CHECK(flyte["attempts"][1]["name"] == "ptsim-n0-1");
  CHECK(flyte["systemFailures"] == 1);
  CHECK(flyte["maxAttempts"] == 1);
  CHECK(flyte["phase"] == "Success");
  CHECK(flyte["input"] == "task template");
  CHECK(flyte["config"].is_null());
}

// Elastic tasks run real ptsim-worker processes; each lives a few milliseconds.
const char* kElasticHead = R"(apiVersion: ptsim.io/v1
kind: Scenario
timeout: 5m
)";

TEST_CASE("Elastic nnodes \"1\" is a one-worker PyTorchJob, the integer 1 is a plain pod") {
  // S8 (docs/upstream/flyte.md#conformance-checklist): only the integer 1 makes a python-task.
  TempDir dir;
  json job = RunScenario(dir, "string-one", std::string(kElasticHead) + R"(flyte:
  elastic: {nnodes: "1", monitor_interval: 1}
  task: {image: "train:1", command: [ptsim-worker, --steps, "3", --step-time, 1ms, --print-env]}
)");
  CHECK(job["flyte"]["taskType"] == "pytorch");
  CHECK(job["job"]["spec"]["elasticPolicy"]["minReplicas"] == 1);
  CHECK(job["job"]["spec"]["elasticPolicy"]["maxReplicas"] == 1);
  CHECK(job["job"]["spec"]["pytorchReplicaSpecs"]["Worker"]["replicas"] == 1);
  CHECK(job["flyte"]["phase"] == "Success");
  // nproc_per_node 1: flytekit leaves OMP_NUM_THREADS alone.
  CHECK(Count(LogOf(job, "ptsim-n0-0-worker-0"), "env OMP_NUM_THREADS") == 0);

  json pod = RunScenario(dir, "integer-one", std::string(kElasticHead) + R"(flyte:
  elastic: {nnodes: 1, monitor_interval: 1}
  task: {image: "train:1", command: [ptsim-worker, --steps, "3", --step-time, 1ms]}
)");
  CHECK(pod["flyte"]["taskType"] == "python-task");
  CHECK(pod["jobs"].empty());
  CHECK(pod["flyte"]["attempts"][0]["kind"] == "Pod");
  CHECK(pod["flyte"]["attempts"][0]["podName"] == "ptsim-n0-0");
  CHECK(pod["flyte"]["phase"] == "Success");
}

TEST_CASE("An elastic task keeps a user's OMP_NUM_THREADS and only rank 0's non-Timeline decks") {
  // S12 (test_omp_num_threads) and S13 (test_deck) of
  // docs/upstream/flyte.md#conformance-checklist.
  TempDir dir;
  json report = RunScenario(dir, "omp", std::string(kElasticHead) + R"(flyte:
  elastic: {nnodes: 1, nproc_per_node: 2, monitor_interval: 1}
  task:
    image: "train:1"
    env: {OMP_NUM_THREADS: "42"}
    command: [ptsim-worker, --steps, "3", --step-time, 1ms, --print-env,
              --return-value, '[1, "two"]', --deck, "Timeline,default"]
)");
  const std::string log = LogOf(report, "ptsim-n0-0");
  CHECK(Count(log, "env OMP_NUM_THREADS=42") == 2);
  CHECK(Count(log, "Setting OMP_NUM_THREADS") == 0);
  const json& flyte = report["flyte"];
  CHECK(flyte["phase"] == "Success");
  CHECK(flyte["returnValue"] == json::parse(R"([1, "two"])"));
  REQUIRE(flyte["decks"].size() == 1);
  CHECK(flyte["decks"][0]["name"] == "default");
  CHECK(Read(flyte["decks"][0]["path"].get<std::string>()).find("ptsim-worker rank 0:") !=
        std::string::npos);
  CHECK(flyte["attempts"][0]["elasticPods"][0]["outcome"] == "return");
}

TEST_CASE("An elastic PyTorchJob pod without global rank 0 ignores its outputs") {
  TempDir dir;
  json report = RunScenario(dir, "ignore", std::string(kElasticHead) + R"(flyte:
  elastic: {nnodes: 2, monitor_interval: 1, increase_shared_mem: false}
  task: {image: "train:1", command: [ptsim-worker, --steps, "3", --step-time, 1ms,
                                    --return-value, '7']}
)");
  const json& pods = report["flyte"]["attempts"][0]["elasticPods"];
  REQUIRE(pods.size() == 2);
  std::vector<std::string> outcomes = {pods[0]["outcome"], pods[1]["outcome"]};
  std::sort(outcomes.begin(), outcomes.end());
  CHECK(outcomes == std::vector<std::string>{"ignoreOutputs", "return"});
  CHECK(report["flyte"]["returnValue"] == 7);
  CHECK(report["flyte"]["warnings"].empty());
}

TEST_CASE("A job that runs and succeeds within a second gets a note on whole-second ties") {
  // flytepropeller reads condition times in whole seconds: on a cluster this
  // task would show Queued (Created wins the tie) where ptsim shows Running
  // and Success.
  TempDir dir;
  json report = RunScenario(dir, "tie", std::string(kElasticHead) + R"(flyte:
  pytorch: {num_workers: 1, increase_shared_mem: false}
  task: {image: "train:1", command: [ptsim-worker, --steps, "3", --step-time, 1ms]}
)");
  CHECK(report["flyte"]["phase"] == "Success");
  std::vector<std::string> ties;
  for (const auto& n : report["notes"]) {
    const std::string text = n.value("text", "");
    if (text.find("within the same second") != std::string::npos) ties.push_back(text);
  }
  REQUIRE(ties.size() == 2);
  CHECK(ties[0].find("conditions Created and Running") != std::string::npos);
  CHECK(ties[1].find("conditions Created and Succeeded") != std::string::npos);
}

TEST_CASE("A scripted job whose conditions change at whole seconds gets no tie note") {
  TempDir dir;
  json report = RunScenario(dir, "no-tie", std::string(kElasticHead) + R"(images:
  train:1: {script: "run 5s"}
flyte:
  pytorch: {num_workers: 1, increase_shared_mem: false}
  task: {image: "train:1", command: [train]}
)");
  CHECK(report["flyte"]["phase"] == "Success");
  for (const auto& n : report["notes"])
    CHECK(n.value("text", "").find("within the same second") == std::string::npos);
}

TEST_CASE("ptsim run takes a Flyte task template as flytectl prints it") {
  TempDir dir;
  auto r = RunCli({"run", std::string(PTSIM_SOURCE_DIR) + "/scenarios/flyte/task-template.json",
                   "-q", "--runs-dir", dir.path(), "--json", dir.path() + "/report.json"},
                  dir.path());
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  json report = json::parse(Read(dir.path() + "/report.json"));
  const json& flyte = report["flyte"];
  CHECK(flyte["input"] == "task template");
  CHECK(flyte["retries"] == 1);
  CHECK(flyte["maxAttempts"] == 2);
  CHECK(flyte["phase"] == "Success");
  CHECK(flyte["returnValue"] == json::parse(R"({"accuracy": 0.9})"));
  const json& spec = report["job"]["spec"];
  CHECK(spec["runPolicy"]["cleanPodPolicy"] == "All");
  CHECK(spec["pytorchReplicaSpecs"]["Worker"]["restartPolicy"] == "OnFailure");
  const json& c = spec["pytorchReplicaSpecs"]["Worker"]["template"]["spec"]["containers"][0];
  CHECK(c["name"] == "pytorch");
  CHECK(c["resources"]["limits"]["memory"] == "2Gi");
}

// --- ptsim flyte custom|job ------------------------------------------------

const char* kFullConfig = R"(pytorch:
  worker:
    replicas: 5
    requests: {cpu: "2", mem: 2Gi}
    limits: {cpu: "4", mem: 2Gi}
    image: worker:latest
    restart_policy: FAILURE
  master: {restart_policy: ALWAYS}
  run_policy: {clean_pod_policy: ALL, backoff_limit: 5, active_deadline_seconds: 100,
               ttl_seconds_after_finished: 100}
)";

TEST_CASE("ptsim flyte custom prints flytekit's custom, in MessageToDict's field order") {
  // S3 (test_pytorch_task_with_custom_config) of docs/upstream/flyte.md#conformance-checklist.
  TempDir dir;
  Write(dir.path() + "/task.yaml", kFullConfig);
  auto r = RunCli({"flyte", "custom", "task.yaml"}, dir.path());
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  const std::string out = r.output.substr(r.output.find('{'));
  CHECK(json::parse(out) == json::parse(R"({
    "workerReplicas": {"replicas": 5, "image": "worker:latest",
      "resources": {"requests": [{"name": "CPU", "value": "2"}, {"name": "MEMORY", "value": "2Gi"}],
                    "limits": [{"name": "CPU", "value": "4"}, {"name": "MEMORY", "value": "2Gi"}]},
      "restartPolicy": "RESTART_POLICY_ON_FAILURE"},
    "masterReplicas": {"resources": {}, "replicas": 1, "restartPolicy": "RESTART_POLICY_ALWAYS"},
    "runPolicy": {"cleanPodPolicy": "CLEANPOD_POLICY_ALL", "backoffLimit": 5,
                  "activeDeadlineSeconds": 100, "ttlSecondsAfterFinished": 100}})"));
  CHECK(out.find("\"workerReplicas\"") < out.find("\"masterReplicas\""));
  CHECK(out.find("\"masterReplicas\"") < out.find("\"runPolicy\""));
  CHECK(out.find("\"cleanPodPolicy\"") < out.find("\"ttlSecondsAfterFinished\""));
}

TEST_CASE("ptsim flyte custom prints null for a python-task") {
  TempDir dir;
  Write(dir.path() + "/task.yaml", "elastic: {nnodes: 1, nproc_per_node: 4}\n");
  auto r = RunCli({"flyte", "custom", "task.yaml"}, dir.path());
  CHECK(r.exit_code == 0);
  CHECK(r.output.find("task type \"python-task\" has no custom") != std::string::npos);
  CHECK(r.output.substr(r.output.size() - 5) == "null\n");
}

TEST_CASE("ptsim flyte job prints a kubeflow.org/v1 PyTorchJob that YAML and ptsim read back") {
  TempDir dir;
  Write(dir.path() + "/task.yaml", std::string(kFullConfig) + R"(task:
  image: ghcr.io/example/train:1
  command: [python, train.py]
execution: {generatedName: mnist-n0-0, namespace: ml}
)");
  auto r = RunCli({"flyte", "job", "task.yaml"}, dir.path());
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  // stdout is the manifest; the deprecation warning goes to stderr first.
  const std::string manifest = r.output.substr(r.output.find("apiVersion:"));
  YAML::Node job = YAML::Load(manifest);
  CHECK(job["apiVersion"].as<std::string>() == "kubeflow.org/v1");
  CHECK(job["kind"].as<std::string>() == "PyTorchJob");
  CHECK(job["metadata"]["name"].as<std::string>() == "mnist-n0-0");
  CHECK(job["metadata"]["namespace"].as<std::string>() == "ml");
  const YAML::Node specs = job["spec"]["pytorchReplicaSpecs"];
  CHECK(specs["Master"]["replicas"].as<int>() == 1);
  CHECK(specs["Master"]["restartPolicy"].as<std::string>() == "Always");
  CHECK(specs["Worker"]["replicas"].as<int>() == 5);
  CHECK(specs["Worker"]["restartPolicy"].as<std::string>() == "OnFailure");
  const YAML::Node worker = specs["Worker"]["template"]["spec"]["containers"][0];
  CHECK(worker["name"].as<std::string>() == "pytorch");
  CHECK(worker["image"].as<std::string>() == "worker:latest");
  CHECK(worker["resources"]["limits"]["cpu"].as<std::string>() == "4");
  CHECK(specs["Master"]["template"]["spec"]["containers"][0]["image"].as<std::string>() ==
        "ghcr.io/example/train:1");
  CHECK(job["spec"]["runPolicy"]["cleanPodPolicy"].as<std::string>() == "All");
  CHECK(job["spec"]["runPolicy"]["backoffLimit"].as<int>() == 5);
  // ptsim's strict manifest reader (and the operator's webhook rules) accept it.
  Write(dir.path() + "/job.yaml", manifest);
  auto plan = LoadRunPlan(dir.path() + "/job.yaml", {});
  INFO(plan.diagnostics().Render());
  CHECK(plan.ok());
}

TEST_CASE("ptsim flyte job of an elastic task has no Master and an elasticPolicy") {
  TempDir dir;
  Write(dir.path() + "/task.yaml",
        "elastic: {nnodes: \"1:2\", nproc_per_node: 2}\ntask: {image: train:1}\n");
  auto r = RunCli({"flyte", "job", "task.yaml"}, dir.path());
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  YAML::Node job = YAML::Load(r.output.substr(r.output.find("apiVersion:")));
  CHECK_FALSE(job["spec"]["pytorchReplicaSpecs"]["Master"]);
  CHECK(job["spec"]["pytorchReplicaSpecs"]["Worker"]["replicas"].as<int>() == 2);
  CHECK(job["spec"]["elasticPolicy"]["nProcPerNode"].as<int>() == 2);
  CHECK(job["spec"]["elasticPolicy"]["minReplicas"].as<int>() == 1);
  CHECK(job["spec"]["elasticPolicy"]["maxReplicas"].as<int>() == 2);
  CHECK(job["spec"]["elasticPolicy"]["rdzvBackend"].as<std::string>() == "c10d");
  CHECK(job["spec"]["elasticPolicy"]["maxRestarts"].as<int>() == 0);
}

TEST_CASE("ptsim flyte job takes the task template JSON flytectl prints") {
  TempDir dir;
  auto r = RunCli(
      {"flyte", "job", std::string(PTSIM_SOURCE_DIR) + "/scenarios/flyte/task-template.json"},
      dir.path());
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  YAML::Node job = YAML::Load(r.output);
  CHECK(job["kind"].as<std::string>() == "PyTorchJob");
  CHECK(job["metadata"]["name"].as<std::string>() == "ptsim-n0-0");
  CHECK(job["spec"]["pytorchReplicaSpecs"]["Worker"]["template"]["spec"]["containers"][0]["name"]
            .as<std::string>() == "pytorch");
}

// --- bad input: exit status 2, never a crash or a hang ---------------------

struct BadInput {
  const char* file;
  const char* text;
  std::vector<std::string> args;  // with FILE for the file's path
  std::vector<std::string> messages;
};

TEST_CASE("Invalid Flyte input exits 2 with flytekit's message, naming the file, line and field") {
  const std::vector<BadInput> cases = {
      {"task.yaml",
       "pytorch: {}\n",
       {"run", "FILE"},
       {"task.yaml:1:", "Must specify either `num_workers` or `worker.replicas`",
        "is depreacated"}},
      {"task.yaml",
       "pytorch:\n  num_workers: 2\n  worker: {replicas: 3}\n",
       {"flyte", "custom", "FILE"},
       {"task.yaml:2:", "pytorch.num_workers", "Cannot specify both `num_workers` and"}},
      {"task.yaml",
       "elastic:\n  nnodes: \"1:2:3\"\n",
       {"flyte", "job", "FILE"},
       {"task.yaml:2:", "elastic.nnodes", "nnodes=1:2:3 is not in \"MIN:MAX\" format"}},
      {"task.yaml",
       "elastic:\n  nnodes: abc\n",
       {"run", "FILE"},
       {"task.yaml:2:", "invalid literal for int() with base 10: 'abc'"}},
      {"task.yaml",
       "pytorch:\n  worker: {replicas: 2, restart_policy: SOMETIMES}\n",
       {"run", "FILE"},
       {"task.yaml:2:", "pytorch.worker.restart_policy", "SOMETIMES"}},
      {"task.yaml",
       "pytorch:\n  worker: {replicas: 1}\ntask:\n  retries: -1\n",
       {"run", "FILE"},
       {"task.yaml:4:", "task.retries"}},
      {"task.yaml",
       "pytorch:\n  num_workers: 1\ntask:\n  image: x\n  command: [no-such-command-here]\n",
       {"run", "FILE"},
       {"task.yaml:5:3: error: PyTorchJob \"ptsim-n0-0\"", "cannot run no-such-command-here"}},
      {"template.json",
       "{\"container\": {\"image\": \"x\"}, \"type\": \"spark\"}\n",
       {"run", "FILE"},
       {"template.json:1:", "type", "not \"spark\""}},
      {"template.json",
       "{\n  \"type\": \"pytorch\",\n  \"taskTypeVersion\": 1,\n  \"custom\": {\n"
       "    \"workerReplicas\": {\"replicas\": \"two\"}\n  },\n"
       "  \"container\": {\"image\": \"x\", \"args\": [\"true\"]}\n}\n",
       {"run", "FILE"},
       {"template.json:5:", "custom.workerReplicas"}},
      {"template.json",
       "{\n  \"type\": \"pytorch\",\n  \"taskTypeVersion\": 2,\n  \"custom\": {},\n"
       "  \"container\": {\"image\": \"x\"}\n}\n",
       {"flyte", "job", "FILE"},
       {"template.json:", "unsupported task template version [2]"}},
      {"template.json",
       "{\"type\": \"pytorch\", \"container\": {\"image\": \"x\"},\n",
       {"run", "FILE"},
       {"template.json:", "malformed YAML/JSON"}},
      {"template.json",
       "{\n  \"type\": \"pytorch\",\n  \"custom\": {},\n  \"container\": {\"image\": 3}\n}\n",
       {"run", "FILE"},
       {"template.json:4:", "container.image: expected a string (core.Container), got an integer"}},
      {"template.json",
       "{\"type\": \"pytorch\", \"taskTypeVersion\": \"1-2\", \"custom\": {},\n"
       "  \"container\": {\"image\": \"x\"}}\n",
       {"run", "FILE"},
       {"template.json:1:", "taskTypeVersion: expected an integer"}},
      {"template.json",
       "{\"type\": \"python-task\", \"container\": {\"image\": \"x\", \"env\": [{\"key\": 1}]}}\n",
       {"flyte", "job", "FILE"},
       {"template.json:1:", "container.env[0].key: expected a string"}},
      {"template.json",
       "{\"template\": {\"type\": \"pytorch\", \"custom\": {},\n"
       "  \"container\": {\"image\": \"x\", \"resources\": {\"limits\": \"2\"}}}}\n",
       {"run", "FILE"},
       {"template.json:2:", "container.resources.limits: expected a list of {name, value}"}},
      {"scenario.yaml",
       "apiVersion: ptsim.io/v1\nkind: Scenario\nflyte: {taskFile: missing.yaml}\n",
       {"run", "FILE"},
       {"scenario.yaml:3:", "missing.yaml", "cannot read"}},
      {"scenario.yaml",
       "apiVersion: ptsim.io/v1\nkind: Scenario\nflyte:\n  pytorch: {worker: {replicas: 1}}\n"
       "  task: {image: x, command: [\"true\"]}\nexpect:\n- flyte: {phase: Done}\n",
       {"run", "FILE"},
       {"scenario.yaml:7:", "unknown Flyte phase \"Done\""}},
      {"scenario.yaml",
       "apiVersion: ptsim.io/v1\nkind: Scenario\nflyte:\n  pytorch: {worker: {replicas: 1}}\n"
       "  task: {image: x, command: [\"true\"]}\nexpect:\n- flyte: {name: ptsim-n0-0}\n",
       {"run", "FILE"},
       {"scenario.yaml:7:", "`name` is an attempt's object: add `attempt`"}},
      {"scenario.yaml",
       "apiVersion: ptsim.io/v1\nkind: Scenario\nexpect:\n- flytePhase: Success\n"
       "pods:\n- {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: "
       "[{name: c, image: x, command: [\"true\"]}]}}\n",
       {"run", "FILE"},
       {"scenario.yaml:4:", "this run has no Flyte task"}},
  };
  for (const auto& c : cases) {
    TempDir dir;
    Write(dir.path() + "/" + c.file, c.text);
    std::vector<std::string> args = c.args;
    for (auto& a : args)
      if (a == "FILE") a = c.file;
    auto r = RunCli(args, dir.path());
    INFO(c.text);
    INFO(r.output);
    CHECK(r.exit_code == 2);
    for (const auto& m : c.messages)
      CHECK(r.output.find(m) != std::string::npos);
  }
}

}  // namespace
}  // namespace ptsim
