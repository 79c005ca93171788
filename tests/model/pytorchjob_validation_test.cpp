// The PyTorchJob admission checks of
// docs/upstream/training-operator.md#validation (V1-V14), one test per rule,
// with the exact messages the API server returns, per operator version.
#include <catch2/catch.hpp>

#include "sim/model/pytorchjob_codec.hpp"
#include "sim/model/pytorchjob_validation.hpp"

namespace ptsim {
namespace {

constexpr OperatorVersion kAllVersions[] = {OperatorVersion::kV1_7_0, OperatorVersion::kV1_8_1,
                                            OperatorVersion::kV1_9_0, OperatorVersion::kV1_9_4,
                                            OperatorVersion::kFixed};

// A valid job; tests splice their variations into it.
std::string Job(const std::string& name = "test", const std::string& spec_extra = "",
                const std::string& master = "      replicas: 1\n",
                const std::string& worker = "      replicas: 1\n") {
  const std::string tmpl =
      "      template:\n        spec:\n          containers:\n"
      "            - name: pytorch\n              image: trainer:1\n";
  std::string y = "apiVersion: kubeflow.org/v1\nkind: PyTorchJob\nmetadata:\n  name: \"" + name +
                  "\"\nspec:\n" + spec_extra + "  pytorchReplicaSpecs:\n";
  if (!master.empty())
    y += "    Master:\n" + master + (master.find("template") == std::string::npos ? tmpl : "");
  if (!worker.empty())
    y += "    Worker:\n" + worker + (worker.find("template") == std::string::npos ? tmpl : "");
  return y;
}

DecodedPyTorchJob Decode(const std::string& yaml) {
  auto r = ParsePyTorchJob(yaml, "job.yaml");
  INFO(yaml << r.diagnostics().Render());
  REQUIRE(r.ok());
  return std::move(r.value());
}

std::vector<std::string> Errors(const ValidationResult& r) {
  std::vector<std::string> out;
  for (const auto& e : r.errors)
    out.push_back(e.Render());
  return out;
}

std::vector<std::string> Warnings(const ValidationResult& r) {
  std::vector<std::string> out;
  for (const auto& w : r.warnings)
    out.push_back(w.message);
  return out;
}

std::vector<std::string> Create(const std::string& yaml,
                                OperatorVersion version = OperatorVersion::kV1_9_4) {
  return Errors(WebhookValidateCreate(Decode(yaml).job, version));
}

using Strings = std::vector<std::string>;

const char* const kDns1035 =
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
    "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or "
    "'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

TEST_CASE("a valid job passes every version") {
  for (OperatorVersion v : kAllVersions) {
    const auto r = WebhookValidateCreate(Decode(Job()).job, v);
    CHECK(r.allowed());
    CHECK(r.warnings.empty());
    CHECK_FALSE(ValidateV1PyTorchJob(Decode(Job()).job));
  }
}

TEST_CASE("V1 the job name must be a DNS-1035 label") {
  CHECK(
      Create(Job("0-test")) ==
      Strings{std::string("metadata.name: Invalid value: \"0-test\": should match: ") + kDns1035});
  CHECK(Create(Job("Test")).size() == 1);
  CHECK(Create(Job("a-")).size() == 1);
  const std::string long_name(64, 'a');
  CHECK(Create(Job(long_name)) == Strings{"metadata.name: Invalid value: \"" + long_name +
                                          "\": should match: must be no more than 63 characters"});
  const std::string long_bad = "0" + long_name;
  CHECK(Create(Job(long_bad)) ==
        Strings{"metadata.name: Invalid value: \"" + long_bad +
                "\": should match: must be no more than 63 characters," + kDns1035});
}

TEST_CASE("V2 a job without pytorchReplicaSpecs is rejected by the webhook") {
  const auto job = Decode("apiVersion: kubeflow.org/v1\nkind: PyTorchJob\nmetadata: {name: t}\n");
  CHECK(Errors(WebhookValidateCreate(job.job, OperatorVersion::kV1_9_4)) ==
        Strings{"spec.pytorchReplicaSpecs: Required value: must be required"});
}

TEST_CASE("V3 replica types other than exactly Master and Worker are unsupported") {
  const std::string chief =
      "      replicas: 1\n      template:\n        spec:\n          containers:\n"
      "            - {name: pytorch, image: t}\n";
  std::string y = Job("test", "", "", "") + "    Chief:\n" + chief + "    worker:\n" + chief;
  CHECK(Create(y) ==
        Strings{"spec.pytorchReplicaSpecs[Chief]: Unsupported value: \"Chief\": supported "
                "values: \"Master\", \"Worker\"",
                "spec.pytorchReplicaSpecs[worker]: Unsupported value: \"worker\": supported "
                "values: \"Master\", \"Worker\""});
}

TEST_CASE("V4 an empty container list is reported twice") {
  const std::string y = Job("test", "", "      replicas: 1\n",
                            "      template:\n        spec:\n          containers: []\n");
  CHECK(Create(y) == Strings{"spec.pytorchReplicaSpecs[Worker].template.spec.containers: "
                             "Required value: must be specified",
                             "spec.pytorchReplicaSpecs[Worker].template.spec.containers: "
                             "Required value: must have at least one container with name "
                             "pytorch"});
}

TEST_CASE("V5 every container needs an image") {
  const std::string y =
      Job("test", "", "      replicas: 1\n",
          "      template:\n        spec:\n          containers:\n"
          "            - {name: pytorch, image: \"\"}\n            - {name: side}\n");
  CHECK(Create(y) ==
        Strings{"spec.pytorchReplicaSpecs[Worker].template.spec.containers[0].image: Required "
                "value: must be required",
                "spec.pytorchReplicaSpecs[Worker].template.spec.containers[1].image: Required "
                "value: must be required"});
}

TEST_CASE("V6 a replica type needs a container named pytorch") {
  const std::string y = Job("test", "", "      replicas: 1\n",
                            "      template:\n        spec:\n          containers:\n"
                            "            - {name: trainer, image: t}\n");
  CHECK(Create(y) == Strings{"spec.pytorchReplicaSpecs[Worker].template.spec.containers: "
                             "Required value: must have at least one container with name "
                             "pytorch"});
}

TEST_CASE("V7 Master replicas must be exactly 1, and written out") {
  const std::string forbidden = "spec.pytorchReplicaSpecs[Master].replicas: Forbidden: must be 1";
  CHECK(Create(Job("test", "", "      replicas: 2\n")) == Strings{forbidden});
  CHECK(Create(Job("test", "", "      replicas: 0\n")) == Strings{forbidden});
  CHECK(Create(Job("test", "", "      restartPolicy: OnFailure\n")) == Strings{forbidden});
  CHECK(Create(Job("test", "", "      restartPolicy: OnFailure\n"), OperatorVersion::kV1_8_1) ==
        Strings{forbidden});
}

TEST_CASE("V8 Worker replicas must be at least 1 from v1.9.0 on") {
  const std::string y = Job("test", "", "      replicas: 1\n", "      replicas: 0\n");
  const Strings v19{"spec.pytorchReplicaSpecs[Worker].replicas: Forbidden: must be at least 1"};
  CHECK(Create(y, OperatorVersion::kV1_9_0) == v19);
  CHECK(Create(y, OperatorVersion::kV1_9_4) == v19);
  CHECK(Create(y, OperatorVersion::kFixed) == v19);
  CHECK(Create(y, OperatorVersion::kV1_8_1).empty());
  CHECK(Create(Job("test", "", "      replicas: 1\n", "      replicas: -2\n")) == v19);
  CHECK(Create(Job("test", "", "      replicas: 1\n", "      restartPolicy: Never\n")).empty());
}

TEST_CASE("V9 an elastic job needs a Worker from v1.9.0 on") {
  const std::string y = Job("test", "  elasticPolicy: {}\n", "      replicas: 1\n", "");
  CHECK(Create(y) == Strings{"spec.pytorchReplicaSpecs[Worker]: Required value: must be "
                             "configured if elastic policy is used"});
  CHECK(Create(y, OperatorVersion::kV1_8_1).empty());
}

TEST_CASE("V10 the deprecated elasticPolicy.nProcPerNode is a warning, not an error") {
  for (OperatorVersion v : {OperatorVersion::kV1_8_1, OperatorVersion::kV1_9_4}) {
    const auto r =
        WebhookValidateCreate(Decode(Job("test", "  elasticPolicy: {nProcPerNode: 1}\n")).job, v);
    CHECK(r.allowed());
    CHECK(Warnings(r) ==
          Strings{"spec.elasticPolicy.nProcPerNode is deprecated, use spec.nprocPerNode instead"});
  }
}

TEST_CASE("V11 elasticPolicy.nProcPerNode next to nprocPerNode is forbidden, with the warning") {
  const auto r = WebhookValidateCreate(
      Decode(Job("test", "  nprocPerNode: \"1\"\n  elasticPolicy: {nProcPerNode: 1}\n")).job,
      OperatorVersion::kV1_9_4);
  CHECK(Errors(r) == Strings{"spec.elasticPolicy.nProcPerNode: Forbidden: must not be used with "
                             "spec.nprocPerNode"});
  CHECK(Warnings(r) ==
        Strings{"spec.elasticPolicy.nProcPerNode is deprecated, use spec.nprocPerNode instead"});
}

TEST_CASE("V12 runPolicy.managedBy must name a known controller from v1.9.0 on") {
  const std::string y = Job("test", "  runPolicy: {managedBy: other-job-controller}\n");
  CHECK(Create(y) == Strings{"spec.runPolicy.managedBy: Unsupported value: "
                             "\"other-job-controller\": supported values: "
                             "\"kubeflow.org/training-operator\", \"kueue.x-k8s.io/multikueue\""});
  CHECK(Create(Job("test", "  runPolicy: {managedBy: \"\"}\n")).size() == 1);
  CHECK(Create(y, OperatorVersion::kV1_8_1).empty());
  CHECK(Create(Job("test", "  runPolicy: {managedBy: kueue.x-k8s.io/multikueue}\n")).empty());
  CHECK(Create(Job("test", "  runPolicy: {managedBy: kubeflow.org/training-operator}\n")).empty());
}

TEST_CASE("V13 managedBy is immutable, but the live v1.9 webhook compares new with new") {
  const PyTorchJob old_job =
      Decode(Job("test", "  runPolicy: {managedBy: kubeflow.org/training-operator}\n")).job;
  const PyTorchJob new_job =
      Decode(Job("test", "  runPolicy: {managedBy: kueue.x-k8s.io/multikueue}\n")).job;
  const Strings immutable{
      "spec.runPolicy.managedBy: Invalid value: \"kueue.x-k8s.io/multikueue\": field is "
      "immutable"};
  // validatePyTorchJob(old, new), as the upstream unit test calls it.
  CHECK(Errors(ValidatePyTorchJob(&old_job, new_job, OperatorVersion::kV1_9_4)) == immutable);
  // Webhook.ValidateUpdate: the bug in v1.9.0-v1.9.4, corrected in `fixed`.
  CHECK(WebhookValidateUpdate(old_job, new_job, OperatorVersion::kV1_9_0).allowed());
  CHECK(WebhookValidateUpdate(old_job, new_job, OperatorVersion::kV1_9_4).allowed());
  CHECK(Errors(WebhookValidateUpdate(old_job, new_job, OperatorVersion::kFixed)) == immutable);
  CHECK(WebhookValidateUpdate(old_job, new_job, OperatorVersion::kV1_8_1).allowed());
  // Removing the field prints the nil pointer as "null".
  RunPolicy removed;
  CHECK(Errors(ValidationResult{ValidateRunPolicyUpdate(old_job.spec.run_policy, removed), {}}) ==
        Strings{"spec.runPolicy.managedBy: Invalid value: \"null\": field is immutable"});
  CHECK(ValidateRunPolicyUpdate(old_job.spec.run_policy, old_job.spec.run_policy).empty());
}

TEST_CASE("a denial is reported as the API server words it") {
  const auto r = WebhookValidateCreate(Decode(Job("test", "", "      replicas: 2\n")).job,
                                       OperatorVersion::kV1_9_4);
  CHECK(r.DenialMessage() ==
        "admission webhook \"validator.pytorchjob.training-operator.kubeflow.org\" denied the "
        "request: spec.pytorchReplicaSpecs[Master].replicas: Forbidden: must be 1");
  const auto two = WebhookValidateCreate(
      Decode(Job("test", "", "      replicas: 1\n",
                 "      template:\n        spec:\n          containers: []\n"))
          .job,
      OperatorVersion::kV1_9_4);
  CHECK_THAT(two.DenialMessage(),
             Catch::EndsWith("denied the request: [spec.pytorchReplicaSpecs[Worker].template."
                             "spec.containers: Required value: must be specified, "
                             "spec.pytorchReplicaSpecs[Worker].template.spec.containers: "
                             "Required value: must have at least one container with name "
                             "pytorch]"));
}

TEST_CASE("errors come in upstream's check order, replica types in byte order") {
  const std::string c =
      "      template:\n        spec:\n          containers:\n"
      "            - {name: main, image: t}\n";
  const std::string y =
      "apiVersion: kubeflow.org/v1\nkind: PyTorchJob\nmetadata: {name: Bad}\n"
      "spec:\n  nprocPerNode: \"1\"\n"
      "  runPolicy: {managedBy: me}\n  elasticPolicy: {nProcPerNode: 2}\n"
      "  pytorchReplicaSpecs:\n    Worker:\n      replicas: 0\n" +
      c + "    Master:\n      replicas: 3\n" + c + "    Chief:\n" + c;
  const auto r = WebhookValidateCreate(Decode(y).job, OperatorVersion::kV1_9_4);
  std::vector<std::string> fields;
  for (const auto& e : r.errors)
    fields.push_back(e.field);
  CHECK(fields == Strings{"metadata.name", "spec.runPolicy.managedBy",
                          "spec.elasticPolicy.nProcPerNode", "spec.pytorchReplicaSpecs[Chief]",
                          "spec.pytorchReplicaSpecs[Chief].template.spec.containers",
                          "spec.pytorchReplicaSpecs[Master].template.spec.containers",
                          "spec.pytorchReplicaSpecs[Master].replicas",
                          "spec.pytorchReplicaSpecs[Worker].template.spec.containers",
                          "spec.pytorchReplicaSpecs[Worker].replicas"});
}

TEST_CASE("v1.7.0 has no webhook: its controller validation has its own messages") {
  auto v17 = [](const std::string& yaml) {
    CHECK(WebhookValidateCreate(Decode(yaml).job, OperatorVersion::kV1_7_0).allowed());
    auto e = ValidateV1PyTorchJob(Decode(yaml).job);
    return e ? e->message : std::string();
  };
  CHECK(v17(Job("0-test")) == std::string("PyTorchJob name is invalid: [") + kDns1035 + "]");
  CHECK(v17(Job("test", "", "      replicas: 1\n",
                "      template:\n        spec:\n          containers: []\n")) ==
        "PyTorchJobSpec is not valid: containers definition expected in Worker");
  CHECK(v17(Job("test", "", "      replicas: 1\n",
                "      template:\n        spec:\n          containers:\n"
                "            - {name: pytorch}\n")) ==
        "PyTorchJobSpec is not valid: Image is undefined in the container of Worker");
  CHECK(v17(Job("test", "", "      replicas: 1\n",
                "      template:\n        spec:\n          containers:\n"
                "            - {name: main, image: t}\n")) ==
        "PyTorchJobSpec is not valid: There is no container named pytorch in Worker");
  CHECK(v17(Job("test", "", "      replicas: 2\n")) ==
        "PyTorchJobSpec is not valid: There must be only 1 master replica");
  // Unlike the webhook, an omitted Master replicas passes.
  CHECK(v17(Job("test", "", "      restartPolicy: OnFailure\n")).empty());
  CHECK(v17(Job("test", "  nprocPerNode: auto\n  elasticPolicy: {nProcPerNode: 1}\n")) ==
        ".spec.elasticPolicy.nProcPerNode is deprecated, use .spec.nprocPerNode instead");
  const std::string chief = Job("test", "", "", "") +
                            "    Chief:\n      template:\n        spec:\n          containers:\n"
                            "            - {name: pytorch, image: t}\n";
  CHECK(v17(chief) == "PyTorchReplicaType is Chief but must be one of [Master Worker]");
  const auto job = Decode("apiVersion: kubeflow.org/v1\nkind: PyTorchJob\nmetadata: {name: t}\n");
  const auto e = ValidateV1PyTorchJob(job.job);
  REQUIRE(e);
  CHECK(e->message == "PyTorchJobSpec is not valid");
  CHECK(FailedValidationEventMessage(*e) ==
        "PyTorchJob failed validation because PyTorchJobSpec "
        "is not valid");
}

TEST_CASE("v1.7.0 accepts an invalid job and warns that its controller will not run it") {
  const DecodedPyTorchJob d = Decode(Job("test", "", "      replicas: 2\n"));
  const Diagnostics diags =
      DiagnosePyTorchJobCreate(d.job, d.locations, OperatorVersion::kV1_7_0, "PyTorchJob \"test\"");
  CHECK(diags.ok());
  REQUIRE(diags.items().size() == 1);
  const Diagnostic& w = diags.items()[0];
  CHECK(w.severity == Diagnostic::Severity::kWarning);
  CHECK(w.where.line == 8);
  CHECK(w.message ==
        "operator v1.7.0 accepts this PyTorchJob but its controller will not run it: every "
        "reconcile fails validation and records a Warning event PyTorchJobFailedValidation "
        "\"PyTorchJob failed validation because PyTorchJobSpec is not valid: There must be only "
        "1 master replica\"");
}

TEST_CASE("v1.7.0 validates the defaulted object, so lower-case replica types pass") {
  const std::string y = Job("test", "", "", "") +
                        "    worker:\n      template:\n        spec:\n          containers:\n"
                        "            - {name: pytorch, image: t}\n";
  const DecodedPyTorchJob d = Decode(y);
  CHECK(DiagnosePyTorchJobCreate(d.job, d.locations, OperatorVersion::kV1_7_0, "").empty());
  CHECK_FALSE(DiagnosePyTorchJobCreate(d.job, d.locations, OperatorVersion::kV1_8_1, "").ok());
}

TEST_CASE("ptsim: a restartPolicy outside Always/OnFailure/Never/ExitCode is an error") {
  const DecodedPyTorchJob d =
      Decode(Job("test", "", "      replicas: 1\n", "      restartPolicy: Sometimes\n"));
  for (OperatorVersion v : kAllVersions) {
    CHECK(WebhookValidateCreate(d.job, v).allowed());  // upstream lets it through
    const Diagnostics diags = DiagnosePyTorchJobCreate(d.job, d.locations, v, "");
    REQUIRE(diags.errors() == 1);
    const Diagnostic& e = diags.items()[0];
    CHECK(e.field == "spec.pytorchReplicaSpecs[Worker].restartPolicy");
    CHECK(e.where.line == 15);
    CHECK(e.message ==
          "Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", "
          "\"Never\", \"ExitCode\"; upstream accepts the PyTorchJob, then the API server rejects "
          "every Worker pod the operator creates (spec.restartPolicy: Unsupported value: "
          "\"Sometimes\"), so those replicas never start");
  }
}

TEST_CASE("ptsim: an nprocPerNode that is not auto, cpu, gpu or an integer is a warning") {
  const DecodedPyTorchJob d =
      Decode(Job("test", "  nprocPerNode: two\n", "      replicas: 1\n", "      replicas: 2\n"));
  const Diagnostics diags =
      DiagnosePyTorchJobCreate(d.job, d.locations, kDefaultOperatorVersion, "PyTorchJob \"test\"");
  CHECK(diags.ok());
  REQUIRE(diags.items().size() == 1);
  CHECK(diags.items()[0].severity == Diagnostic::Severity::kWarning);
  CHECK(diags.items()[0].where.line == 6);
  CHECK(diags.items()[0].message ==
        "spec.nprocPerNode: \"two\" is not auto, cpu, gpu or an integer; upstream accepts it: "
        "the operator reads it as 1 process per node, sets WORLD_SIZE=3 (3 replicas x 1), and "
        "passes PET_NPROC_PER_NODE=two to torchrun, which rejects it (Unsupported nproc_per_node "
        "value)");
}

TEST_CASE("ptsim: nprocPerNode below 1 and worker-only jobs are described too") {
  auto warnings = [](const std::string& yaml) {
    return Warnings(CheckPyTorchJobForSimulation(Decode(yaml).job));
  };
  CHECK(warnings(Job("test", "  nprocPerNode: \"0\"\n")) ==
        Strings{"spec.nprocPerNode: \"0\" is less than 1; upstream accepts it: the operator sets "
                "WORLD_SIZE=0 (2 replicas x 0) and passes PET_NPROC_PER_NODE=0 to torchrun"});
  CHECK(warnings(Job("test", "  nprocPerNode: 4x\n", "")) ==
        Strings{"spec.nprocPerNode: \"4x\" is not auto, cpu, gpu or an integer; upstream accepts "
                "it: the operator reads it as 1 process per node, sets no WORLD_SIZE (the job has "
                "no Master), and passes PET_NPROC_PER_NODE=4x to torchrun, which rejects it "
                "(Unsupported nproc_per_node value)"});
  for (const char* ok : {"auto", "cpu", "gpu", "\"4\"", "\"+2\""}) {
    CHECK(warnings(Job("test", std::string("  nprocPerNode: ") + ok + "\n")).empty());
  }
}

TEST_CASE("diagnostics point at the offending line, or the nearest written parent") {
  const std::string y = Job("test", "", "      restartPolicy: OnFailure\n",
                            "      template:\n        spec:\n          containers:\n"
                            "            - name: pytorch\n              image: \"\"\n");
  const DecodedPyTorchJob d = Decode(y);
  const Diagnostics diags =
      DiagnosePyTorchJobCreate(d.job, d.locations, OperatorVersion::kV1_9_4, "PyTorchJob \"test\"");
  REQUIRE(diags.items().size() == 2);
  const Diagnostic& master = diags.items()[0];
  CHECK(master.field == "spec.pytorchReplicaSpecs[Master].replicas");
  CHECK(master.message == "Forbidden: must be 1");
  CHECK(master.where.line == 7);  // `Master:`, as replicas is not written
  const Diagnostic& image = diags.items()[1];
  CHECK(image.field == "spec.pytorchReplicaSpecs[Worker].template.spec.containers[0].image");
  CHECK(image.where.line == 19);
  CHECK(image.Render() ==
        "job.yaml:19:15: error: PyTorchJob \"test\": "
        "spec.pytorchReplicaSpecs[Worker].template.spec.containers[0].image: Required value: "
        "must be required");
}

TEST_CASE("operator versions parse from their release names") {
  CHECK(ParseOperatorVersion("v1.7.0") == OperatorVersion::kV1_7_0);
  CHECK(ParseOperatorVersion("1.8.1") == OperatorVersion::kV1_8_1);
  CHECK(ParseOperatorVersion("v1.9.0") == OperatorVersion::kV1_9_0);
  CHECK(ParseOperatorVersion("v1.9.4") == OperatorVersion::kV1_9_4);
  CHECK(ParseOperatorVersion("fixed") == OperatorVersion::kFixed);
  CHECK_FALSE(ParseOperatorVersion("v1.9.2"));
  CHECK(OperatorVersionName(kDefaultOperatorVersion) == "v1.9.4");
}

}  // namespace
}  // namespace ptsim
