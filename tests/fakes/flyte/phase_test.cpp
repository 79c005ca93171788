// Ports of flyteplugins kfoperators/pytorch/pytorch_test.go (GetTaskPhase,
// logs, phase version) and common/common_operator_test.go
// (ExtractCurrentCondition, GetPhaseInfo, GetLogs*),
// docs/upstream/flyte.md#task-phase.
#include "fakes/flyte/phase.hpp"

#include <catch2/catch.hpp>

#include "fakes/flyte/job_builder.hpp"
#include "tests/fakes/flyte/json_check.hpp"

namespace ptsim::flyte {
namespace {

using nlohmann::json;

constexpr double kNow = 1'700'000'000;  // "time.Now()" of the Go tests

const json kTemplate = json::parse(R"({"id": {"name": "job1"}, "type": "container",
    "container": {"image": "image://", "args": ["test-args"]}, "custom": {"workers": 2}})");

json Condition(const char* type, const char* status, const char* reason, const char* message,
               double at) {
  return {{"type", type},       {"status", status},     {"reason", reason},
          {"message", message}, {"lastUpdateTime", at}, {"lastTransitionTime", at}};
}

// dummyPytorchJobResource: the job for {workers: 2} with the condition list
// the Go test builds for each condition type.
JobObservation Job(const std::string& type, int workers = 2) {
  json created =
      Condition("Created", "True", "PyTorchJobCreated", "PyTorchJob the-job is created.", kNow);
  json running = Condition("Running", "True", "PyTorchJobRunning", "PyTorchJob the-job is running.",
                           kNow + 60);
  json running_inactive = running;
  running_inactive["status"] = "False";
  json succeeded = Condition("Succeeded", "True", "PyTorchJobSucceeded",
                             "PyTorchJob the-job is successfully completed.", kNow + 120);
  json failed =
      Condition("Failed", "True", "PyTorchJobFailed", "PyTorchJob the-job is failed.", kNow + 120);
  json restarting =
      Condition("Restarting", "True", "PyTorchJobRestarting",
                "PyTorchJob the-job is restarting because some replica(s) failed.", kNow + 180);
  json suspended = Condition("Suspended", "True", "PyTorchJobSuspended",
                             "PyTorchJob the-job is suspended.", kNow + 60);
  json conditions;
  if (type == "Created") conditions = json::array({created});
  if (type == "Running") conditions = json::array({created, running});
  if (type == "Succeeded") conditions = json::array({created, running_inactive, succeeded});
  if (type == "Failed") conditions = json::array({created, running_inactive, failed});
  if (type == "Restarting")
    conditions = json::array({created, running_inactive, failed, restarting});
  if (type == "Suspended") conditions = json::array({created, suspended});
  json tmpl = kTemplate;
  tmpl["custom"]["workers"] = workers;
  auto built = BuildPyTorchJob(tmpl, TaskExecution{}, PluginConfig{});
  REQUIRE(built.ok());
  json job = built.value();
  job["metadata"]["name"] = "the-job";
  job["metadata"]["namespace"] = "pytorch-namespace";
  job["status"] = {{"conditions", conditions}};
  return {job, kNow, kNow};
}

Result<PhaseInfo> TaskPhaseOf(const JobObservation& job, const PluginState& state = {},
                              const PluginConfig& config = {}) {
  return GetTaskPhase(job, state, TaskExecution{}, kTemplate, config);
}

TEST_CASE("TestGetTaskPhase: conditions map to Flyte phases") {
  struct Row {
    const char* condition;
    Phase phase;
    const char* reason;
  };
  for (const Row& row :
       {Row{"Created", Phase::kQueued, "JobCreated"}, Row{"Running", Phase::kRunning, ""},
        Row{"Succeeded", Phase::kSuccess, ""}, Row{"Failed", Phase::kRetryableFailure, ""},
        Row{"Restarting", Phase::kRunning, ""}, Row{"Suspended", Phase::kQueued, "Suspended"}}) {
    INFO(row.condition);
    auto p = TaskPhaseOf(Job(row.condition));
    REQUIRE(p.ok());
    CHECK(p->phase == row.phase);
    CHECK(p->reason == row.reason);
    CHECK(p->info.occurred_at == kNow);
  }
}

TEST_CASE("TestGetTaskPhase: a failed job is a retryable user failure with the condition text") {
  auto p = TaskPhaseOf(Job("Failed"));
  REQUIRE(p.ok());
  REQUIRE(p->error.has_value());
  CHECK(p->error->code == "DownstreamSystemError");
  CHECK(p->error->kind == "USER");
  CHECK(p->error->message == "Job failed:\n\tPyTorchJobFailed - PyTorchJob the-job is failed.");
}

TEST_CASE("TestGetTaskPhase: a job resumed from suspension is Running") {
  JobObservation obs = Job("Suspended");
  obs.job["status"]["conditions"].push_back(Condition("Running", "True", "PyTorchJobRunning",
                                                      "PyTorchJob the-job is running.", kNow + 61));
  auto p = TaskPhaseOf(obs);
  REQUIRE(p.ok());
  CHECK(p->phase == Phase::kRunning);
}

TEST_CASE("TestGetTaskPhase: no start time an hour after creation is an operator error") {
  JobObservation obs = Job("Created");
  obs.creation_time = kNow - 3600;
  auto p = TaskPhaseOf(obs);
  REQUIRE_FALSE(p.ok());
  CHECK(OnlyError(p) ==
        "kubeflow operator hasn't updated the pytorch custom resource since creation time "
        "2023-11-14 21:13:20 +0000 UTC");
}

TEST_CASE("TestGetTaskPhase: a suspended job without start time stays Queued") {
  JobObservation obs = Job("Created");
  obs.creation_time = kNow - 3600;
  obs.job["spec"]["runPolicy"]["suspend"] = true;
  auto p = TaskPhaseOf(obs);
  REQUIRE(p.ok());
  CHECK(p->phase == Phase::kQueued);
}

TEST_CASE("derived: the start-time guard fires only after kf-operator.timeout has passed") {
  JobObservation obs = Job("Created");
  obs.creation_time = kNow - 60;  // exactly one minute: not yet "before now"
  CHECK(TaskPhaseOf(obs).ok());
  obs.creation_time = kNow - 60.5;
  CHECK_FALSE(TaskPhaseOf(obs).ok());
  obs.job["status"]["startTime"] = "2023-11-14T22:13:20Z";
  CHECK(TaskPhaseOf(obs).ok());
  PluginConfig longer;
  longer.kf_operator_timeout_seconds = 600;
  obs.job["status"].erase("startTime");
  CHECK(TaskPhaseOf(obs, {}, longer).ok());
}

TEST_CASE(
    "TestGetTaskPhaseIncreasePhaseVersion: a new reason in the same phase bumps the version") {
  PluginState state{Phase::kQueued, kDefaultPhaseVersion, "task submitted to K8s"};
  auto p = TaskPhaseOf(Job("Created", 4), state);
  REQUIRE(p.ok());
  CHECK(p->version == kDefaultPhaseVersion + 1);
}

TEST_CASE("derived: Running never bumps the version, nor does an unchanged reason") {
  PhaseInfo running{Phase::kRunning};
  MaybeUpdatePhaseVersion({Phase::kRunning, 3, "x"}, &running);
  CHECK(running.version == 0);
  PhaseInfo queued{Phase::kQueued, 0, "JobCreated"};
  MaybeUpdatePhaseVersion({Phase::kQueued, 2, "JobCreated"}, &queued);
  CHECK(queued.version == 0);
}

TEST_CASE("TestExtractCurrentCondition: latest True condition, empty list, or an error") {
  JobCondition created{"Created", "True"};
  JobCondition running{"Running", "False"};
  auto current = ExtractCurrentCondition({created, running});
  REQUIRE(current.ok());
  CHECK(current->type == "Created");
  auto none = ExtractCurrentCondition({});
  REQUIRE(none.ok());
  CHECK(none->type.empty());
  auto unknown = ExtractCurrentCondition({JobCondition{"unknown"}});
  REQUIRE_FALSE(unknown.ok());
  CHECK(OnlyError(unknown) ==
        "found no current condition. Conditions: [{Type:unknown Status: Reason: Message: "
        "LastUpdateTime:0001-01-01 00:00:00 +0000 UTC LastTransitionTime:0001-01-01 00:00:00 "
        "+0000 UTC}]");
}

TEST_CASE("TestGetPhaseInfo: condition types map to phases") {
  CHECK(GetPhaseInfo({}, kNow, {}).phase == Phase::kQueued);
  CHECK(GetPhaseInfo({"Created"}, kNow, {}).phase == Phase::kQueued);
  CHECK(GetPhaseInfo({"Succeeded"}, kNow, {}).phase == Phase::kSuccess);
  CHECK(GetPhaseInfo({"Failed"}, kNow, {}).phase == Phase::kRetryableFailure);
  CHECK(GetPhaseInfo({"Restarting"}, kNow, {}).phase == Phase::kRunning);
  CHECK(GetPhaseInfo({"Running"}, kNow, {}).phase == Phase::kRunning);
  PhaseInfo suspended = GetPhaseInfo({"Suspended"}, kNow, {});
  CHECK(suspended.phase == Phase::kQueued);
  CHECK(suspended.reason == "Suspended");
  CHECK(GetPhaseInfo({"Bogus"}, kNow, {}).phase == Phase::kUndefined);
}

LogConfig KubernetesLogs() {
  LogConfig c;
  c.kubernetes_enabled = true;
  c.kubernetes_url = "k8s.com";
  return c;
}

TEST_CASE("TestGetLogs (pytorch_test.go): master and two workers give three links") {
  auto logs = GetLogs(KubernetesLogs(), {"the-job", "pytorch-namespace", kNow, kNow, true, 2},
                      TaskExecution{}, kTemplate);
  REQUIRE(logs.size() == 3);
  CHECK(logs[0].uri ==
        "k8s.com/#!/log/pytorch-namespace/the-job-master-0/pod?namespace=pytorch-namespace");
  CHECK(logs[1].uri ==
        "k8s.com/#!/log/pytorch-namespace/the-job-worker-0/pod?namespace=pytorch-namespace");
  CHECK(logs[2].uri ==
        "k8s.com/#!/log/pytorch-namespace/the-job-worker-1/pod?namespace=pytorch-namespace");
  CHECK(logs[0].name == "Kubernetes Logsmaster");
  CHECK(logs[1].name == "Kubernetes Logs");
}

TEST_CASE("TestGetLogsElastic: without a master only worker links") {
  auto logs = GetLogs(KubernetesLogs(), {"the-job", "pytorch-namespace", kNow, kNow, false, 2},
                      TaskExecution{}, kTemplate);
  REQUIRE(logs.size() == 2);
  CHECK(logs[0].uri ==
        "k8s.com/#!/log/pytorch-namespace/the-job-worker-0/pod?namespace=pytorch-namespace");
  CHECK(logs[1].uri ==
        "k8s.com/#!/log/pytorch-namespace/the-job-worker-1/pod?namespace=pytorch-namespace");
}

TEST_CASE(
    "TestGetLogs (common_operator_test.go): pytorch with master and one worker, and no master") {
  auto with_master = GetLogs(KubernetesLogs(), {"test", "pytorch-namespace", 0, kNow, true, 1},
                             TaskExecution{}, kTemplate);
  REQUIRE(with_master.size() == 2);
  CHECK(with_master[0].uri ==
        "k8s.com/#!/log/pytorch-namespace/test-master-0/pod?namespace=pytorch-namespace");
  CHECK(with_master[1].uri ==
        "k8s.com/#!/log/pytorch-namespace/test-worker-0/pod?namespace=pytorch-namespace");
  auto without = GetLogs(KubernetesLogs(), {"test", "mpi-namespace", 0, kNow, false, 1},
                         TaskExecution{}, kTemplate);
  REQUIRE(without.size() == 1);
  CHECK(without[0].uri == "k8s.com/#!/log/mpi-namespace/test-worker-0/pod?namespace=mpi-namespace");
}

TEST_CASE("TestGetLogsTemplateUri: pod name and RFC 3339 start time are substituted") {
  LogConfig c;
  c.stackdriver_enabled = true;
  c.stackdriver_template_uri =
      "https://console.cloud.google.com/logs/query;query=resource.labels.pod_name={{.podName}}"
      "&timestamp>{{.podRFC3339StartTime}}";
  double created = 1641038400;  // 2022-01-01T12:00:00Z
  auto logs =
      GetLogs(c, {"test", "pytorch-namespace", created, kNow, true, 1}, TaskExecution{}, kTemplate);
  REQUIRE(logs.size() == 2);
  CHECK(logs[0].uri ==
        "https://console.cloud.google.com/logs/query;query=resource.labels.pod_name=test-master-0"
        "&timestamp>2022-01-01T12:00:00Z");
  CHECK(logs[1].uri ==
        "https://console.cloud.google.com/logs/query;query=resource.labels.pod_name=test-worker-0"
        "&timestamp>2022-01-01T12:00:00Z");
  CHECK(logs[0].name == "Stackdriver Logsmaster");
}

TEST_CASE("TestGetLogsDynamic: task config parameters fill dynamic log links") {
  LogConfig c;
  c.dynamic_log_links["test-dynamic-link"] =
      TemplateLogPlugin{.template_uris = {"https://some-service.com/{{.taskConfig.dynamicParam}}"}};
  json tmpl = kTemplate;
  tmpl["config"] = {{"link_type", "test-dynamic-link"}, {"dynamicParam", "dynamic-value"}};
  auto logs =
      GetLogs(c, {"test", "pytorch-namespace", 1641038400, kNow, true, 1}, TaskExecution{}, tmpl);
  REQUIRE(logs.size() == 2);
  CHECK(logs[0].uri == "https://some-service.com/dynamic-value");
}

TEST_CASE("derived: GetTaskPhase attaches log links and the job status as custom info") {
  PluginConfig config;
  config.logs = KubernetesLogs();
  JobObservation obs = Job("Running");
  auto p = TaskPhaseOf(obs, {}, config);
  REQUIRE(p.ok());
  CHECK(p->info.logs.size() == 3);  // master-0, worker-0, worker-1
  CHECK_JSON_EQ(p->info.custom_info, obs.job["status"]);
  CHECK(p->ToJson()["phase"] == "PhaseRunning");
}

TEST_CASE("derived: conditions with RFC 3339 times are ordered by transition time") {
  JobObservation obs = Job("Created");
  obs.job["status"]["conditions"] = json::parse(R"([
      {"type": "Running", "status": "True", "lastTransitionTime": "2024-01-01T00:00:10Z"},
      {"type": "Succeeded", "status": "True", "lastTransitionTime": "2024-01-01T00:01:00Z"}])");
  auto p = TaskPhaseOf(obs);
  REQUIRE(p.ok());
  CHECK(p->phase == Phase::kSuccess);
}

TEST_CASE("derived: a condition with a malformed time is an input error naming the field") {
  JobObservation obs = Job("Created");
  obs.job["status"]["conditions"][0]["lastTransitionTime"] = "yesterday";
  auto p = TaskPhaseOf(obs);
  REQUIRE_FALSE(p.ok());
  CHECK(p.diagnostics().items().front().field == "status.conditions[0].lastTransitionTime");
}

TEST_CASE(
    "derived: condition times are read from RFC 3339 or seconds, and out-of-range ones are "
    "errors") {
  auto ok = ParseConditions(json::parse(R"({"conditions": [
      {"type": "Created", "status": "True", "lastTransitionTime": "2024-05-01T10:00:00Z"},
      {"type": "Running", "status": "True", "lastTransitionTime": 1714557601.5}]})"));
  REQUIRE(ok.ok());
  CHECK(ToSeconds(ok.value()[0].last_transition_time) == 1714557600.0);
  CHECK(ToSeconds(ok.value()[1].last_transition_time) == 1714557601.5);
  CHECK(ExtractCurrentCondition(ok.value())->type == "Running");
  for (const char* bad : {R"("9999-01-01T00:00:00Z")", "-1", "1e300"}) {
    INFO(bad);
    auto out = ParseConditions(
        json::parse(std::string(R"({"conditions": [{"type": "Created", "lastTransitionTime": )") +
                    bad + "}]}"));
    CHECK(OnlyError(out).find("is out of range") != std::string::npos);
  }
}

}  // namespace
}  // namespace ptsim::flyte
