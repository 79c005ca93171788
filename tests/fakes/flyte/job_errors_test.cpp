// Every error BuildResource can return (kfoperators/pytorch/pytorch.go,
// common_operator.go, flytek8s pod_helper.go), with flytepropeller's text,
// and the input errors of the task execution and plugin config readers.
#include <catch2/catch.hpp>

#include "fakes/flyte/idl_json.hpp"
#include "fakes/flyte/job_builder.hpp"
#include "fakes/flyte/plugin_config.hpp"
#include "fakes/flyte/task_execution.hpp"
#include "tests/fakes/flyte/json_check.hpp"

namespace ptsim::flyte {
namespace {

using nlohmann::json;

const char kFormatWrong[] =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

json Template(const json& custom, int version) {
  json t = json::parse(R"({"id": {"name": "job"}, "type": "pytorch",
      "container": {"image": "image://", "args": ["test-args"]}})");
  if (!custom.is_null()) t["custom"] = custom;
  t["taskTypeVersion"] = version;
  return t;
}

Result<json> Build(const json& tmpl) {
  return BuildPyTorchJob(tmpl, TaskExecution{}, PluginConfig{});
}

TEST_CASE("BuildResource error: nil task specification") {
  CHECK(OnlyError(Build(json())) == "[BadTaskSpecification] nil task specification");
}

TEST_CASE("BuildResource error: a missing custom is a nil Struct") {
  for (int version : {0, 1}) {
    auto job = Build(Template(json(), version));
    CHECK(OnlyError(job) ==
          "[BadTaskSpecification] invalid TaskSpecification [<nil>], Err: [nil Struct Object "
          "passed]");
    CHECK(job.diagnostics().items().front().field == "custom");
  }
}

TEST_CASE("BuildResource error: a custom that does not unmarshal names the field") {
  auto job = Build(Template(json::parse(R"({"workerReplicas": {"replicas": "many"}})"), 1));
  CHECK(OnlyError(job) ==
        "[BadTaskSpecification] invalid TaskSpecification [{\"workerReplicas\":{\"replicas\":"
        "\"many\"}}], Err: [workerReplicas.replicas: expected an int32, got \"many\"]");
  CHECK(job.diagnostics().items().front().field == "custom.workerReplicas.replicas");
  auto bad_enum =
      Build(Template(json::parse(R"({"masterReplicas": {"restartPolicy": "SOMETIMES"}})"), 1));
  CHECK(
      OnlyError(bad_enum).find("masterReplicas.restartPolicy: unknown value \"SOMETIMES\" for enum "
                               "flyteidl.plugins.RestartPolicy") != std::string::npos);
}

TEST_CASE("derived: jsonpb input accepts proto names, numeric strings and enum numbers") {
  auto job = Build(Template(json::parse(R"({"worker_replicas": {"replicas": "2",
      "restart_policy": 1}, "unknownField": true})"),
                            1));
  REQUIRE(job.ok());
  CHECK(job.value()["spec"]["pytorchReplicaSpecs"]["Worker"]["replicas"] == 2);
  CHECK(job.value()["spec"]["pytorchReplicaSpecs"]["Worker"]["restartPolicy"] == "OnFailure");
}

TEST_CASE("unknown enum numbers decode as jsonpb decodes them and map to no policy") {
  // golang/protobuf jsonpb takes any int32 for an enum; ParseRestartPolicy
  // and ParseCleanPodPolicy look the number up in a map and get "": the
  // replica's restartPolicy is left out of the PyTorchJob (omitempty, so the
  // operator defaults it to OnFailure) and cleanPodPolicy is "" (kept by the
  // operator's defaulting, and cleaned up like All).
  auto job = Build(Template(json::parse(R"({"workerReplicas": {"replicas": 1,
      "restartPolicy": 7}, "masterReplicas": {"restartPolicy": 2.0},
      "runPolicy": {"cleanPodPolicy": 5}})"),
                            1));
  INFO(job.diagnostics().Render());
  REQUIRE(job.ok());
  const json& spec = job.value()["spec"];
  CHECK_FALSE(spec["pytorchReplicaSpecs"]["Worker"].contains("restartPolicy"));
  CHECK(spec["pytorchReplicaSpecs"]["Master"]["restartPolicy"] == "Always");
  CHECK_JSON_EQ(spec["runPolicy"], json::parse(R"({"cleanPodPolicy": ""})"));
  // Legal, but rarely meant: each one is a warning on its field.
  std::vector<std::string> warned;
  for (const auto& w : job.diagnostics().items()) {
    CHECK(w.severity == Diagnostic::Severity::kWarning);
    warned.push_back(w.field);
  }
  CHECK(warned == std::vector<std::string>{"custom.workerReplicas.restartPolicy",
                                           "custom.runPolicy.cleanPodPolicy"});
  // Numbers that are no int32 fail, as do names jsonpb does not know.
  for (const char* bad : {R"({"workerReplicas": {"restartPolicy": 1.5}})",
                          R"({"workerReplicas": {"restartPolicy": 3000000000}})",
                          R"({"runPolicy": {"cleanPodPolicy": true}})"}) {
    INFO(bad);
    auto failed = Build(Template(json::parse(bad), 1));
    CHECK(OnlyError(failed).find("expected a name or an int32 number for enum") !=
          std::string::npos);
  }
  // Read back, an unknown number prints as the number (MessageToDict).
  auto task = UnmarshalTrainingTask(json::parse(
      R"({"workerReplicas": {"restartPolicy": 7}, "runPolicy": {"cleanPodPolicy": 5}})"));
  REQUIRE(task.ok());
  CHECK_JSON_EQ(MessageToDict(task.value()), json::parse(R"({
      "workerReplicas": {"restartPolicy": 7}, "runPolicy": {"cleanPodPolicy": 5}})"));
  CHECK(OnlyError(Build(Template(json::parse(R"({"runPolicy": {"cleanPodPolicy": "7"}})"), 1)))
            .find("unknown value \"7\" for enum flyteidl.plugins.kubeflow.CleanPodPolicy") !=
        std::string::npos);
}

TEST_CASE("BuildResource error: unsupported task template version") {
  CHECK(OnlyError(Build(Template(json::object(), 2))) ==
        "[BadTaskSpecification] Invalid TaskSpecification, unsupported task template version [2] "
        "key");
}

TEST_CASE("BuildResource error: replica resources that are no quantities") {
  auto job = Build(Template(json::parse(R"({"workerReplicas": {"replicas": 1},
      "masterReplicas": {"resources": {"requests": [{"name": "CPU", "value": "lots"}]}}})"),
                            1));
  CHECK(OnlyError(job) ==
        "[BadTaskSpecification] Unable to create master replica spec: [[BadTaskSpecification] "
        "invalid TaskSpecification on Resources [&{map[] map[] []}], Err: [Failed to parse "
        "resource as a valid quantity.: " +
            std::string(kFormatWrong) + "]]");
  auto worker = Build(Template(json::parse(R"({"workerReplicas": {"replicas": 1,
      "resources": {"limits": [{"name": "MEMORY", "value": "1ki"}]}}})"),
                               1));
  CHECK(OnlyError(worker) ==
        "[BadTaskSpecification] Unable to create worker replica spec: [[BadTaskSpecification] "
        "invalid TaskSpecification on Resources [&{map[] map[] []}], Err: [Failed to parse "
        "resource as a valid quantity.: unable to parse quantity's suffix]]");
  // The field names the replica whose resources failed.
  CHECK(job.diagnostics().items().front().field == "custom.masterReplicas.resources");
  CHECK(worker.diagnostics().items().front().field == "custom.workerReplicas.resources");
}

TEST_CASE("BuildResource error: a template with neither container nor k8sPod") {
  json t = Template(json::parse(R"({"workers": 1})"), 0);
  t.erase("container");
  CHECK(OnlyError(Build(t)) ==
        "[BadTaskSpecification] Unable to create replica spec: [[BadTaskSpecification] Unable to "
        "create pod spec: [[BadTaskSpecification] invalid TaskSpecification, unable to determine "
        "Pod configuration]]");
  t["taskTypeVersion"] = 1;
  t["custom"] = json::parse(R"({"workerReplicas": {"replicas": 1}})");
  CHECK(OnlyError(Build(t)) ==
        "[BadTaskSpecification] Unable to create master replica spec: [[BadTaskSpecification] "
        "Unable to create pod spec: [[BadTaskSpecification] invalid TaskSpecification, unable to "
        "determine Pod configuration]]");
}

TEST_CASE("BuildResource error: the template container's resources are no quantities") {
  json t = Template(json::parse(R"({"workers": 1})"), 0);
  t["container"]["resources"] = {{"requests", {{{"name", "CPU"}, {"value", "x"}}}}};
  CHECK(OnlyError(Build(t)) ==
        "[BadTaskSpecification] Unable to create replica spec: [[BadTaskSpecification] Unable to "
        "create pod spec: [Failed to parse resource as a valid quantity.: " +
            std::string(kFormatWrong) + "]]");
}

json PodTemplate(const char* k8s_pod, const char* config) {
  json t = Template(json::parse(R"({"workerReplicas": {"replicas": 1}})"), 1);
  t.erase("container");
  t["k8sPod"] = json::parse(k8s_pod);
  if (config != nullptr) t["config"] = json::parse(config);
  return t;
}

TEST_CASE(
    "BuildResource error: k8sPod targets without pod spec, primary name or primary container") {
  const std::string prefix =
      "[BadTaskSpecification] Unable to create master replica spec: [[BadTaskSpecification] "
      "Unable to create pod spec: [[BadTaskSpecification] ";
  CHECK(
      OnlyError(Build(PodTemplate(R"({"metadata": {}})", R"({"primary_container_name": "p"})"))) ==
      prefix +
          "Pod tasks with task type version > 1 should specify their target as a K8sPod "
          "with a defined pod spec]]");
  CHECK(OnlyError(Build(PodTemplate(R"({"podSpec": {"containers": [{"name": "p"}]}})",
                                    R"({"link_type": "x"})"))) ==
        prefix +
            "invalid TaskSpecification, config missing [primary_container_name] key in "
            "[map[link_type:x]]]]");
  CHECK(OnlyError(Build(PodTemplate(R"({"podSpec": {"containers": [{"name": "p"}]}})",
                                    R"({"primary_container_name": "main"})"))) ==
        prefix + "invalid TaskSpecification, primary container [main] not defined]]");
}

TEST_CASE("derived: a k8sPod target keeps sidecars and renames only the primary container") {
  auto job = Build(PodTemplate(R"({"podSpec": {"containers": [{"name": "sidecar", "image": "s"},
      {"name": "main", "image": "m"}]}, "metadata": {"labels": {"l": "v"}}})",
                               R"({"primary_container_name": "main"})"));
  REQUIRE(job.ok());
  const json& master = job.value()["spec"]["pytorchReplicaSpecs"]["Master"]["template"];
  CHECK(master["spec"]["containers"][0]["name"] == "sidecar");
  CHECK(master["spec"]["containers"][1]["name"] == "pytorch");
  CHECK(master["metadata"]["labels"]["l"] == "v");
  // Sidecars are only range-checked: unset cpu/memory are written as zero.
  CHECK_JSON_EQ(master["spec"]["containers"][0]["resources"],
                json::parse(R"({"requests": {"cpu": "0", "memory": "0"},
                                "limits": {"cpu": "0", "memory": "0"}})"));
  // The worker env vars go to the first container, as upstream does.
  const json& worker = job.value()["spec"]["pytorchReplicaSpecs"]["Worker"]["template"];
  CHECK(worker["spec"]["containers"][0]["env"].back()["name"] == "_F_WN");
}

TEST_CASE("BuildResource error: shared memory that cannot be mounted") {
  json t = Template(json::parse(R"({"workerReplicas": {"replicas": 1}})"), 1);
  t["extendedResources"]["sharedMemory"] = {
      {"mountName", "shm"}, {"mountPath", "/dev/shm"}, {"sizeLimit", "lots"}};
  CHECK(OnlyError(Build(t)).find("Unable to parse size limit: " + std::string(kFormatWrong)) !=
        std::string::npos);
  t["extendedResources"]["sharedMemory"] = {{"mountPath", "/dev/shm"}};
  CHECK(OnlyError(Build(t)).find("[BadTaskSpecification] mount name is not set") !=
        std::string::npos);
  t["extendedResources"]["sharedMemory"] = {{"mountName", "shm"}};
  CHECK(OnlyError(Build(t)).find("[BadTaskSpecification] mount path is not set") !=
        std::string::npos);
}

TEST_CASE("task execution input errors name the field") {
  auto bad = ParseTaskExecution(json::parse(R"({"namespace": 3, "overrides": {"image": "x",
      "resources": {"requests": {"cpu": "lots"}}}, "retryAttempt": "one"})"));
  REQUIRE_FALSE(bad.ok());
  std::vector<std::string> rendered;
  for (const auto& d : bad.diagnostics().items())
    rendered.push_back(d.field + ": " + d.message);
  CHECK(rendered ==
        std::vector<std::string>{"namespace: expected a string, got 3",
                                 "retryAttempt: expected an integer, got \"one\"",
                                 "overrides.resources.requests.cpu: " + std::string(kFormatWrong),
                                 "overrides.image: unknown key; expected one of: containerImage, "
                                 "extendedResources, resources"});
}

TEST_CASE("plugin config input errors name the field") {
  auto bad = ParsePluginConfig(json::parse(R"({"k8s": {"default-cpus": "x"},
      "kf-operator": {"timeout": "soon"}, "logs": {"kubernetes-enabled": "yes"}})"));
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.diagnostics().items().size() == 3);
  auto ok = ParsePluginConfig(json::parse(R"({"kf-operator": {"timeout": "1m30s"},
      "k8s": {"enable-distributed-error-aggregation": true}})"));
  REQUIRE(ok.ok());
  CHECK(ok->kf_operator_timeout_seconds == 90);
  CHECK(ok->enable_distributed_error_aggregation);
  CHECK(ok->default_annotations.at("cluster-autoscaler.kubernetes.io/safe-to-evict") == "false");
}

}  // namespace
}  // namespace ptsim::flyte
