// Decoding PyTorchJob manifests: strict fields and types, with the line of
// every field kept for later diagnostics.
#include <catch2/catch.hpp>

#include "sim/model/pytorchjob_codec.hpp"

namespace ptsim {
namespace {

// A job that uses every field of the spec.
const char* const kFullJob = R"(apiVersion: kubeflow.org/v1
kind: PyTorchJob
metadata:
  name: mnist
  namespace: team-a
  labels: {app: mnist}
spec:
  nprocPerNode: "2"
  runPolicy:
    cleanPodPolicy: Running
    ttlSecondsAfterFinished: 60
    activeDeadlineSeconds: 3600
    backoffLimit: 3
    suspend: false
    managedBy: kubeflow.org/training-operator
    schedulingPolicy:
      minAvailable: 2
      queue: research
      minResources: {cpu: 4}
      priorityClass: high
      scheduleTimeoutSeconds: 30
  elasticPolicy:
    minReplicas: 1
    maxReplicas: 4
    rdzvBackend: c10d
    rdzvPort: 29400
    rdzvHost: rdzv
    rdzvId: job-1
    rdzvConf:
      - {key: timeout, value: "900"}
    standalone: false
    maxRestarts: 3
    metrics:
      - type: Resource
        resource: {name: cpu, target: {type: Utilization, averageUtilization: 80}}
  pytorchReplicaSpecs:
    Master:
      replicas: 1
      restartPolicy: ExitCode
      template:
        metadata:
          annotations: {note: x}
        spec:
          containers:
            - name: pytorch
              image: trainer:1
    Worker:
      replicas: 2
      template:
        spec:
          containers:
            - name: pytorch
              image: trainer:1
status:
  conditions: [{type: Running, status: "True"}]
)";

DecodedPyTorchJob MustDecode(const std::string& text) {
  auto r = ParsePyTorchJob(text, "job.yaml");
  INFO(r.diagnostics().Render());
  REQUIRE(r.ok());
  return std::move(r.value());
}

// The only diagnostic of a manifest that must fail.
Diagnostic OnlyError(const std::string& text) {
  auto r = ParsePyTorchJob(text, "job.yaml");
  INFO(r.diagnostics().Render());
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.diagnostics().items().size() == 1);
  return r.diagnostics().items()[0];
}

std::string Minimal(const std::string& worker_body) {
  return "apiVersion: kubeflow.org/v1\nkind: PyTorchJob\nmetadata:\n  name: j\nspec:\n"
         "  pytorchReplicaSpecs:\n    Worker:\n" +
         worker_body;
}

const char* const kPytorchTemplate =
    "      template:\n        spec:\n          containers:\n"
    "            - name: pytorch\n              image: trainer:1\n";

TEST_CASE("a manifest decodes into every field of the PyTorchJob, leaving status out") {
  const DecodedPyTorchJob d = MustDecode(kFullJob);
  const PyTorchJob& job = d.job;
  CHECK(job.metadata.name == "mnist");
  CHECK(job.metadata.namespace_ == "team-a");
  CHECK(job.metadata.labels.at("app") == "mnist");
  CHECK(job.spec.nproc_per_node == "2");
  const RunPolicy& rp = job.spec.run_policy;
  CHECK(rp.clean_pod_policy == "Running");
  CHECK(rp.ttl_seconds_after_finished == 60);
  CHECK(rp.active_deadline_seconds == 3600);
  CHECK(rp.backoff_limit == 3);
  CHECK(rp.suspend == false);
  CHECK(rp.managed_by == "kubeflow.org/training-operator");
  REQUIRE(rp.scheduling_policy);
  CHECK(rp.scheduling_policy->min_available == 2);
  CHECK(rp.scheduling_policy->queue == "research");
  REQUIRE(rp.scheduling_policy->min_resources);
  CHECK(rp.scheduling_policy->min_resources->count("cpu") == 1);
  CHECK(rp.scheduling_policy->priority_class == "high");
  CHECK(rp.scheduling_policy->schedule_timeout_seconds == 30);
  REQUIRE(job.spec.elastic_policy);
  const ElasticPolicy& ep = *job.spec.elastic_policy;
  CHECK(ep.min_replicas == 1);
  CHECK(ep.max_replicas == 4);
  CHECK(ep.rdzv_backend == "c10d");
  CHECK(ep.rdzv_port == 29400);
  CHECK(ep.rdzv_host == "rdzv");
  CHECK(ep.rdzv_id == "job-1");
  REQUIRE(ep.rdzv_conf);
  REQUIRE(ep.rdzv_conf->size() == 1);
  CHECK((*ep.rdzv_conf)[0].key == "timeout");
  CHECK((*ep.rdzv_conf)[0].value == "900");
  CHECK(ep.standalone == false);
  CHECK_FALSE(ep.n_proc_per_node);
  CHECK(ep.max_restarts == 3);
  REQUIRE(ep.metrics);
  CHECK((*ep.metrics)[0]["resource"]["target"]["averageUtilization"] == 80);
  REQUIRE(job.spec.pytorch_replica_specs);
  const auto& specs = *job.spec.pytorch_replica_specs;
  REQUIRE(specs.size() == 2);
  CHECK(specs.at("Master").replicas == 1);
  CHECK(specs.at("Master").restart_policy == "ExitCode");
  CHECK(specs.at("Master").template_.metadata.annotations.at("note") == "x");
  CHECK(specs.at("Master").template_.spec.containers.at(0).image == "trainer:1");
  CHECK(specs.at("Worker").replicas == 2);
  CHECK(specs.at("Worker").restart_policy.empty());  // not defaulted
  CHECK(job.status.conditions.empty());              // status is ignored
}

TEST_CASE("field locations are keyed by the webhook's rendered paths") {
  const DecodedPyTorchJob d = MustDecode(kFullJob);
  const FieldLocations& at = d.locations;
  CHECK(at.at("").line == 1);
  CHECK(at.at("metadata.name").line == 4);
  CHECK(at.at("metadata.labels[app]").line == 6);
  CHECK(at.at("spec.runPolicy.managedBy").line == 15);
  CHECK(at.at("spec.runPolicy.schedulingPolicy.minResources[cpu]").line == 19);
  CHECK(at.at("spec.elasticPolicy.rdzvConf[0].key").line == 30);
  CHECK(at.at("spec.elasticPolicy.metrics[0].resource.target.averageUtilization").line == 35);
  CHECK(at.at("spec.pytorchReplicaSpecs[Master]").line == 37);
  CHECK(at.at("spec.pytorchReplicaSpecs[Master].replicas").line == 38);
  CHECK(at.at("spec.pytorchReplicaSpecs[Master].replicas").column == 7);
  CHECK(at.at("spec.pytorchReplicaSpecs[Master].template.spec.containers[0]").line == 45);
  CHECK(at.at("spec.pytorchReplicaSpecs[Master].template.spec.containers[0].image").line == 46);
  CHECK(at.at("spec.pytorchReplicaSpecs[Worker].replicas").line == 48);
  CHECK(at.at("metadata.name").file == "job.yaml");
  CHECK(at.count("status") == 0);
  CHECK(at.count("status.conditions") == 0);
}

TEST_CASE("a field that is not written is located at its nearest written parent") {
  const DecodedPyTorchJob d = MustDecode(kFullJob);
  CHECK(LocateField(d.locations, "spec.pytorchReplicaSpecs[Worker].restartPolicy").line == 47);
  CHECK(LocateField(d.locations, "spec.pytorchReplicaSpecs[Chief].replicas").line == 36);
  CHECK(LocateField(d.locations, "spec.nope").line == 7);
  CHECK(LocateField({}, "spec").line == 0);
  CHECK(ParentFieldPath("a.b[0].c") == "a.b[0]");
  CHECK(ParentFieldPath("a.b[0]") == "a.b");
  CHECK(ParentFieldPath("metadata.labels[app.kubernetes.io/name]") == "metadata.labels");
  CHECK(ParentFieldPath("spec") == "");
  CHECK(ParentFieldPath("") == "");
}

TEST_CASE("an unknown field is an error at its line, with a did-you-mean") {
  const Diagnostic d = OnlyError(Minimal("      replcas: 2\n") + kPytorchTemplate);
  CHECK(d.where.file == "job.yaml");
  CHECK(d.where.line == 8);
  CHECK(d.object == "PyTorchJob \"j\"");
  CHECK(d.field == "spec.pytorchReplicaSpecs[Worker].replcas");
  CHECK(d.message == "unknown field \"replcas\"; did you mean \"replicas\"?");
}

TEST_CASE("an unknown top-level spec field suggests the real one") {
  const Diagnostic d = OnlyError(
      "apiVersion: kubeflow.org/v1\nkind: PyTorchJob\nmetadata: {name: j}\nspec:\n"
      "  nProcPerNode: \"2\"\n  pytorchReplicaSpecs:\n    Worker:\n" +
      std::string(kPytorchTemplate));
  CHECK(d.where.line == 5);
  CHECK(d.field == "spec.nProcPerNode");
  CHECK(d.message == "unknown field \"nProcPerNode\"; did you mean \"nprocPerNode\"?");
}

TEST_CASE("replicas written as a string is a type error that says to drop the quotes") {
  const Diagnostic d = OnlyError(Minimal("      replicas: \"1\"\n") + kPytorchTemplate);
  CHECK(d.where.line == 8);
  CHECK(d.field == "spec.pytorchReplicaSpecs[Worker].replicas");
  CHECK(d.message ==
        "expected an integer, got the string \"1\"; the API server rejects it (must be of type "
        "integer): write the number without quotes, e.g. replicas: 1");
}

TEST_CASE("replicas that is not a whole number is an error") {
  const Diagnostic d = OnlyError(Minimal("      replicas: 1.5\n") + kPytorchTemplate);
  CHECK(d.field == "spec.pytorchReplicaSpecs[Worker].replicas");
  CHECK(d.message ==
        "expected an integer, got 1.5; replicas counts pods and must be a whole "
        "number");
}

TEST_CASE("nprocPerNode written as a number is a type error: it is a string") {
  const Diagnostic d = OnlyError(
      "apiVersion: kubeflow.org/v1\nkind: PyTorchJob\nmetadata: {name: j}\nspec:\n"
      "  nprocPerNode: 2\n  pytorchReplicaSpecs:\n    Worker:\n" +
      std::string(kPytorchTemplate));
  CHECK(d.where.line == 5);
  CHECK(d.field == "spec.nprocPerNode");
  CHECK(d.message == "expected a string, got the number 2; quote it: \"2\"");
}

TEST_CASE("a JSON manifest decodes, with lines") {
  const std::string json = R"({
  "apiVersion": "kubeflow.org/v1",
  "kind": "PyTorchJob",
  "metadata": {"name": "from-json"},
  "spec": {
    "nprocPerNode": "auto",
    "pytorchReplicaSpecs": {
      "Worker": {
        "replicas": 2,
        "restartPolicy": "OnFailure",
        "template": {"spec": {"containers": [{"name": "pytorch", "image": "trainer:1"}]}}
      }
    }
  }
})";
  const DecodedPyTorchJob d = MustDecode(json);
  CHECK(d.job.metadata.name == "from-json");
  CHECK(d.job.spec.nproc_per_node == "auto");
  CHECK(d.job.spec.pytorch_replica_specs->at("Worker").replicas == 2);
  CHECK(d.locations.at("spec.pytorchReplicaSpecs[Worker].replicas").line == 9);
}

TEST_CASE("a JSON manifest with a quoted replicas is rejected like YAML") {
  const Diagnostic d = OnlyError(
      R"({"apiVersion": "kubeflow.org/v1", "kind": "PyTorchJob", "metadata": {"name": "j"},
 "spec": {"pytorchReplicaSpecs": {"Worker": {"replicas": "2",
   "template": {"spec": {"containers": [{"name": "pytorch", "image": "t"}]}}}}}})");
  CHECK(d.where.line == 2);
  CHECK(d.field == "spec.pytorchReplicaSpecs[Worker].replicas");
}

TEST_CASE("explicit empty strings are kept apart from absent fields") {
  const DecodedPyTorchJob d = MustDecode(
      "apiVersion: kubeflow.org/v1\nkind: PyTorchJob\nmetadata: {name: j}\nspec:\n"
      "  runPolicy: {cleanPodPolicy: \"\", managedBy: \"\", backoffLimit: null}\n"
      "  elasticPolicy: {}\n  pytorchReplicaSpecs:\n    Worker:\n" +
      std::string(kPytorchTemplate));
  CHECK(d.job.spec.run_policy.clean_pod_policy == "");
  CHECK(d.job.spec.run_policy.managed_by == "");
  CHECK_FALSE(d.job.spec.run_policy.backoff_limit);
  CHECK(d.job.spec.elastic_policy.has_value());
  CHECK_FALSE(d.job.spec.nproc_per_node);
}

TEST_CASE("the CRD schema requires pytorchReplicaSpecs when spec is given") {
  const Diagnostic d = OnlyError(
      "apiVersion: kubeflow.org/v1\nkind: PyTorchJob\nmetadata: {name: j}\nspec:\n"
      "  nprocPerNode: auto\n");
  CHECK(d.field == "spec.pytorchReplicaSpecs");
  CHECK(d.where.line == 5);
  CHECK_THAT(d.message, Catch::StartsWith("Required value"));
}

TEST_CASE("a job without spec decodes and the webhook then reports the missing replica specs") {
  const DecodedPyTorchJob d =
      MustDecode("apiVersion: kubeflow.org/v1\nkind: PyTorchJob\nmetadata: {name: j}\n");
  CHECK_FALSE(d.job.spec.pytorch_replica_specs);
}

TEST_CASE("the CRD schema requires containers in a pod template spec but an empty list passes") {
  const Diagnostic d =
      OnlyError(Minimal("      template:\n        spec:\n          hostname: h\n"));
  CHECK(d.field == "spec.pytorchReplicaSpecs[Worker].template.spec.containers");
  CHECK(d.where.line == 10);
  CHECK_THAT(d.message, Catch::StartsWith("Required value"));
  MustDecode(Minimal("      template:\n        spec:\n          containers: []\n"));
}

TEST_CASE("replica types decode under any key and validation judges them") {
  const DecodedPyTorchJob d = MustDecode(
      "apiVersion: kubeflow.org/v1\nkind: PyTorchJob\nmetadata: {name: j}\nspec:\n"
      "  pytorchReplicaSpecs:\n    Chief:\n" +
      std::string(kPytorchTemplate) + "    worker:\n" + kPytorchTemplate);
  CHECK(d.job.spec.pytorch_replica_specs->count("Chief") == 1);
  CHECK(d.job.spec.pytorch_replica_specs->count("worker") == 1);
  CHECK(d.locations.at("spec.pytorchReplicaSpecs[worker]").line == 12);
}

TEST_CASE("apiVersion and kind must be kubeflow.org/v1 PyTorchJob") {
  Diagnostic d =
      OnlyError("apiVersion: kubeflow.org/v1beta1\nkind: PyTorchJob\nmetadata: {name: j}\n");
  CHECK(d.field == "apiVersion");
  CHECK(d.where.line == 1);
  CHECK_THAT(d.message, Catch::StartsWith("Unsupported value: \"kubeflow.org/v1beta1\": "
                                          "supported values: \"kubeflow.org/v1\""));
  d = OnlyError("apiVersion: kubeflow.org/v1\nmetadata: {name: j}\n");
  CHECK(d.field == "kind");
  CHECK(d.message == "Required value: add kind: PyTorchJob");
}

TEST_CASE("a job needs a name or generateName") {
  const Diagnostic d = OnlyError("apiVersion: kubeflow.org/v1\nkind: PyTorchJob\nmetadata: {}\n");
  CHECK(d.field == "metadata.name");
  CHECK(d.message == "Required value: name or generateName is required");
}

TEST_CASE("a mapping where a list belongs, or the reverse, is a type error") {
  const Diagnostic d = OnlyError(
      "apiVersion: kubeflow.org/v1\nkind: PyTorchJob\nmetadata: {name: j}\nspec:\n"
      "  elasticPolicy: [1]\n  pytorchReplicaSpecs:\n    Worker:\n" +
      std::string(kPytorchTemplate));
  CHECK(d.field == "spec.elasticPolicy");
  CHECK(d.where.line == 5);
  CHECK(d.message == "expected a mapping, got a list");
}

TEST_CASE("several documents in one text are refused because the caller splits files") {
  auto r = ParsePyTorchJob("a: 1\n---\nb: 2\n", "two.yaml");
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.diagnostics().items()[0].message,
             Catch::StartsWith("expected exactly one document, found 2"));
}

TEST_CASE("a syntax error is reported with its line") {
  auto r = ParsePyTorchJob("apiVersion: kubeflow.org/v1\nkind: [PyTorchJob\n", "bad.yaml");
  REQUIRE_FALSE(r.ok());
  CHECK(r.diagnostics().items()[0].where.line >= 2);
  CHECK_THAT(r.diagnostics().items()[0].message, Catch::StartsWith("malformed YAML/JSON"));
}

TEST_CASE("the items of a kind List decode one by one with the same function") {
  const YAML::Node list = YAML::Load(
      "apiVersion: v1\nkind: List\nitems:\n"
      "- apiVersion: kubeflow.org/v1\n  kind: PyTorchJob\n  metadata: {name: a}\n"
      "- apiVersion: kubeflow.org/v1\n  kind: PyTorchJob\n  metadata: {name: b}\n");
  auto second = DecodePyTorchJobDocument(list["items"][1], "list.yaml");
  REQUIRE(second.ok());
  CHECK(second->job.metadata.name == "b");
  CHECK(second->locations.at("metadata.name").line == 9);
}

TEST_CASE("malformed documents are reported, never thrown") {
  const char* const kHead = "apiVersion: kubeflow.org/v1\nkind: PyTorchJob\n";
  for (const std::string body :
       {"metadata: 5\n", "metadata: {name: [1]}\n", "metadata: {name: j}\nspec: 5\n",
        "metadata: {name: j}\nspec: {pytorchReplicaSpecs: [1]}\n",
        "metadata: {name: j}\nspec: {pytorchReplicaSpecs: {Worker: 5}}\n",
        "metadata: {name: j}\nspec: {pytorchReplicaSpecs: {Worker: {template: 5}}}\n",
        "metadata: {name: j}\nspec: {pytorchReplicaSpecs: {Worker: {template: {spec: 5}}}}\n",
        "metadata: {name: j}\nspec: {elasticPolicy: {metrics: 5}, pytorchReplicaSpecs: {}}\n",
        "metadata: {name: j}\nspec: {elasticPolicy: {metrics: [5]}, pytorchReplicaSpecs: {}}\n",
        "metadata: {name: j}\nspec: {elasticPolicy: {rdzvConf: [5]}, pytorchReplicaSpecs: {}}\n",
        "metadata: {name: j}\nspec: {runPolicy: {schedulingPolicy: 5}, pytorchReplicaSpecs: {}}\n",
        "metadata: {name: j}\n? [a]\n: b\n"}) {
    auto r = ParsePyTorchJob(kHead + body, "odd.yaml");
    INFO(body);
    CHECK_FALSE(r.ok());
  }
  for (const char* doc : {"", "42", "[1, 2]"}) {
    INFO(doc);
    CHECK_FALSE(ParsePyTorchJob(doc, "odd.yaml").ok());
  }
}

TEST_CASE("a null replica spec or a template without spec decodes to an empty template") {
  const DecodedPyTorchJob d = MustDecode(
      "apiVersion: kubeflow.org/v1\nkind: PyTorchJob\nmetadata: {name: j}\nspec:\n"
      "  pytorchReplicaSpecs:\n    Master:\n    Worker:\n      template: {metadata: {}}\n");
  CHECK(d.job.spec.pytorch_replica_specs->at("Master").template_.spec.containers.empty());
  CHECK(d.job.spec.pytorch_replica_specs->at("Worker").template_.spec.containers.empty());
}

TEST_CASE("a repeated key is an error at its second occurrence") {
  auto r = ParsePyTorchJob(Minimal("      replicas: 1\n      replicas: 2\n") + kPytorchTemplate,
                           "job.yaml");
  REQUIRE_FALSE(r.ok());
  CHECK(r.diagnostics().items()[0].where.line == 9);
  CHECK(r.diagnostics().items()[0].message == "duplicate key \"replicas\"");
}

}  // namespace
}  // namespace ptsim
