#include "sim/model/pytorchjob_validation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>

#include "sim/model/dns_name.hpp"
#include "sim/model/pytorchjob_defaults.hpp"

namespace ptsim {
namespace {

const std::string kSpecPath = "spec";
const std::string kReplicaSpecsPath = "spec.pytorchReplicaSpecs";
const std::string kManagedByPath = "spec.runPolicy.managedBy";
const std::string kElasticNProcPerNodePath = "spec.elasticPolicy.nProcPerNode";
const std::string kNprocPerNodePath = "spec.nprocPerNode";

std::string ContainersPath(const std::string& replica_type) {
  return KeyPath(kReplicaSpecsPath, replica_type) + ".template.spec.containers";
}

void Append(std::vector<FieldError>* to, std::vector<FieldError> from) {
  for (auto& e : from)
    to->push_back(std::move(e));
}

// validateSpec + validatePyTorchReplicaSpecs (pytorchjob_webhook.go).
void ValidateSpec(const PyTorchJobSpec& spec, OperatorVersion version, ValidationResult* out) {
  const bool v19 = ValidatesWorkerReplicasAndManagedBy(version);
  if (spec.elastic_policy) {
    // v1.9.0+: an elastic job needs a Worker (V9).
    const bool has_worker =
        spec.pytorch_replica_specs && spec.pytorch_replica_specs->count(kReplicaTypeWorker);
    if (v19 && !has_worker) {
      out->errors.push_back(FieldRequired(KeyPath(kReplicaSpecsPath, kReplicaTypeWorker),
                                          "must be configured if elastic policy is used"));
    }
    // The deprecated elastic nProcPerNode: a warning, and forbidden next to
    // spec.nprocPerNode (V10, V11).
    if (spec.elastic_policy->n_proc_per_node) {
      out->warnings.push_back(FieldWarning{
          kElasticNProcPerNodePath, fmt::format("{} is deprecated, use {} instead",
                                                kElasticNProcPerNodePath, kNprocPerNodePath)});
      if (spec.nproc_per_node) {
        out->errors.push_back(FieldForbidden(
            kElasticNProcPerNodePath, fmt::format("must not be used with {}", kNprocPerNodePath)));
      }
    }
  }
  // validatePyTorchReplicaSpecs.
  if (!spec.pytorch_replica_specs) {
    out->errors.push_back(FieldRequired(kReplicaSpecsPath, "must be required"));
    return;
  }
  // Upstream ranges over a Go map; std::map gives byte order of the keys.
  for (const auto& [type, rs] : *spec.pytorch_replica_specs) {
    const std::string role_path = KeyPath(kReplicaSpecsPath, type);
    const std::string containers_path = ContainersPath(type);
    if (type != kReplicaTypeMaster && type != kReplicaTypeWorker) {
      out->errors.push_back(
          FieldNotSupported(role_path, type, {kReplicaTypeMaster, kReplicaTypeWorker}));
    }
    const auto& containers = rs.template_.spec.containers;
    if (containers.empty()) {
      out->errors.push_back(FieldRequired(containers_path, "must be specified"));
    }
    bool default_container_present = false;
    for (std::size_t i = 0; i < containers.size(); ++i) {
      if (containers[i].image.empty()) {
        out->errors.push_back(
            FieldRequired(JoinPath(IndexPath(containers_path, i), "image"), "must be required"));
      }
      if (containers[i].name == kPyTorchJobDefaultContainerName) default_container_present = true;
    }
    if (!default_container_present) {
      out->errors.push_back(FieldRequired(
          containers_path, fmt::format("must have at least one container with name {}",
                                       kPyTorchJobDefaultContainerName)));
    }
    const std::string replicas_path = JoinPath(role_path, "replicas");
    if (type == kReplicaTypeMaster) {
      // The raw object is validated: an omitted Master replicas is rejected (V7).
      if (!rs.replicas || *rs.replicas != 1) {
        out->errors.push_back(FieldForbidden(replicas_path, "must be 1"));
      }
    } else if (v19 && rs.replicas && *rs.replicas < 1) {
      out->errors.push_back(FieldForbidden(replicas_path, "must be at least 1"));
    }
  }
}

// strconv.Atoi: optional sign, decimal digits, fits Go's 64-bit int.
std::optional<std::int64_t> GoAtoi(std::string_view s) {
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return std::nullopt;
  std::int64_t v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return negative ? -v : v;
}

// The number of pods the operator counts (getTotalReplicas after defaulting).
std::int64_t TotalReplicas(const PyTorchJob& job) {
  std::int64_t total = 0;
  if (job.spec.pytorch_replica_specs) {
    for (const auto& [type, rs] : *job.spec.pytorch_replica_specs)
      total += rs.replicas.value_or(1);
  }
  return total;
}

bool HasMaster(const PyTorchJob& job) {
  if (!job.spec.pytorch_replica_specs) return false;
  for (const auto& [type, rs] : *job.spec.pytorch_replica_specs) {
    // Keys are camel-cased by defaulting before env vars are set.
    if (type.size() == 6 && std::equal(type.begin(), type.end(), "master", [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == b;
        })) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::string ValidationResult::DenialMessage() const {
  if (errors.empty()) return "";
  return fmt::format("admission webhook \"{}\" denied the request: {}", kPyTorchJobWebhookName,
                     AggregateFieldErrors(errors));
}

std::vector<std::string> IsDns1035Label(std::string_view value) {
  // k8s.io/apimachinery/pkg/util/validation: IsDNS1035Label, MaxLenError, RegexError.
  std::vector<std::string> errors;
  if (value.size() > 63) errors.push_back("must be no more than 63 characters");
  if (!MatchesDns1035Label(value)) {
    errors.push_back(
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with "
        "an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or "
        "'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')");
  }
  return errors;
}

std::vector<FieldError> ValidateRunPolicy(const RunPolicy& run_policy) {
  // util.ValidateRunPolicy (pkg/common/util/webhooks.go @v1.9.0). Upstream
  // lists the supported set with sets.UnsortedList (random order); sorted here.
  if (run_policy.managed_by && *run_policy.managed_by != kKubeflowJobsController &&
      *run_policy.managed_by != kMultiKueueController) {
    return {FieldNotSupported(kManagedByPath, *run_policy.managed_by,
                              {kKubeflowJobsController, kMultiKueueController})};
  }
  return {};
}

std::vector<FieldError> ValidateRunPolicyUpdate(const RunPolicy& old_policy,
                                                const RunPolicy& new_policy) {
  // util.ValidateRunPolicyUpdate -> apivalidation.ValidateImmutableField(new, old):
  // pointers compared by value; the new value is printed ("null" when nil).
  if (old_policy.managed_by != new_policy.managed_by) {
    return {FieldInvalid(kManagedByPath, new_policy.managed_by, "field is immutable")};
  }
  return {};
}

ValidationResult ValidatePyTorchJob(const PyTorchJob* old_job, const PyTorchJob& new_job,
                                    OperatorVersion version) {
  ValidationResult out;
  if (!HasValidatingWebhook(version)) return out;
  // Name: DNS-1035 label (V1).
  if (auto errors = IsDns1035Label(new_job.metadata.name); !errors.empty()) {
    std::string joined;
    for (std::size_t i = 0; i < errors.size(); ++i)
      joined += (i ? "," : "") + errors[i];
    out.errors.push_back(
        FieldInvalid("metadata.name", new_job.metadata.name, "should match: " + joined));
  }
  if (ValidatesWorkerReplicasAndManagedBy(version)) {
    if (old_job)
      Append(&out.errors,
             ValidateRunPolicyUpdate(old_job->spec.run_policy, new_job.spec.run_policy));
    Append(&out.errors, ValidateRunPolicy(new_job.spec.run_policy));
  }
  ValidateSpec(new_job.spec, version, &out);
  return out;
}

ValidationResult WebhookValidateCreate(const PyTorchJob& job, OperatorVersion version) {
  return ValidatePyTorchJob(nullptr, job, version);
}

ValidationResult WebhookValidateUpdate(const PyTorchJob& old_job, const PyTorchJob& new_job,
                                       OperatorVersion version) {
  // Webhook.ValidateUpdate @v1.9.0-v1.9.4: `oldJob := newObj.(*PyTorchJob)`.
  const PyTorchJob& old_seen = ValidateUpdateComparesNewWithNew(version) ? new_job : old_job;
  return ValidatePyTorchJob(&old_seen, new_job, version);
}

std::optional<ControllerValidationError> ValidateV1PyTorchJob(const PyTorchJob& job) {
  // pkg/apis/kubeflow.org/v1/pytorch_validation.go @v1.7.0: the first failure.
  if (auto errors = IsDns1035Label(job.metadata.name); !errors.empty()) {
    std::string joined;  // Go's %v of a []string: "[a b]"
    for (std::size_t i = 0; i < errors.size(); ++i)
      joined += (i ? " " : "") + errors[i];
    return ControllerValidationError{"metadata.name",
                                     fmt::format("PyTorchJob name is invalid: [{}]", joined)};
  }
  if (!job.spec.pytorch_replica_specs) {
    return ControllerValidationError{kReplicaSpecsPath, "PyTorchJobSpec is not valid"};
  }
  for (const auto& [type, rs] : *job.spec.pytorch_replica_specs) {
    const auto& containers = rs.template_.spec.containers;
    const std::string containers_path = ContainersPath(type);
    if (containers.empty()) {
      return ControllerValidationError{
          containers_path,
          fmt::format("PyTorchJobSpec is not valid: containers definition expected in {}", type)};
    }
    if (type != kReplicaTypeMaster && type != kReplicaTypeWorker) {
      return ControllerValidationError{
          KeyPath(kReplicaSpecsPath, type),
          fmt::format("PyTorchReplicaType is {} but must be one of [Master Worker]", type)};
    }
    bool default_container_present = false;
    for (std::size_t i = 0; i < containers.size(); ++i) {
      if (containers[i].image.empty()) {
        return ControllerValidationError{
            JoinPath(IndexPath(containers_path, i), "image"),
            fmt::format("PyTorchJobSpec is not valid: Image is undefined in the container of {}",
                        type)};
      }
      if (containers[i].name == kPyTorchJobDefaultContainerName) default_container_present = true;
    }
    if (!default_container_present) {
      return ControllerValidationError{
          containers_path,
          fmt::format("PyTorchJobSpec is not valid: There is no container named {} in {}",
                      kPyTorchJobDefaultContainerName, type)};
    }
    if (type == kReplicaTypeMaster && rs.replicas && *rs.replicas != 1) {
      return ControllerValidationError{
          JoinPath(KeyPath(kReplicaSpecsPath, type), "replicas"),
          "PyTorchJobSpec is not valid: There must be only 1 master replica"};
    }
  }
  // validateNprocPerNode.
  if (job.spec.nproc_per_node && job.spec.elastic_policy &&
      job.spec.elastic_policy->n_proc_per_node) {
    return ControllerValidationError{
        kElasticNProcPerNodePath,
        ".spec.elasticPolicy.nProcPerNode is deprecated, use .spec.nprocPerNode instead"};
  }
  return std::nullopt;
}

std::string FailedValidationEventMessage(const ControllerValidationError& error) {
  return "PyTorchJob failed validation because " + error.message;
}

ValidationResult CheckPyTorchJobForSimulation(const PyTorchJob& job) {
  ValidationResult out;
  // nprocPerNode: documented as auto, cpu, gpu or an integer, not validated
  // upstream. envvar.go getNprocPerNodeInt reads anything strconv.Atoi rejects
  // as 1 when computing WORLD_SIZE, and passes the text on as PET_NPROC_PER_NODE.
  if (job.spec.nproc_per_node) {
    const std::string& n = *job.spec.nproc_per_node;
    const auto as_int = GoAtoi(n);
    const bool keyword = n == "auto" || n == "cpu" || n == "gpu";
    if (!keyword && (!as_int || *as_int < 1)) {
      const std::int64_t total = TotalReplicas(job);
      const std::int64_t per_node = as_int.value_or(1);
      std::string world_size =
          HasMaster(job)
              ? fmt::format("WORLD_SIZE={} ({} replicas x {})", total * per_node, total, per_node)
              : std::string("no WORLD_SIZE (the job has no Master)");
      if (as_int) {
        out.warnings.push_back(FieldWarning{
            kNprocPerNodePath,
            fmt::format("{}: {} is less than 1; upstream accepts it: the operator sets {} and "
                        "passes PET_NPROC_PER_NODE={} to torchrun",
                        kNprocPerNodePath, GoQuote(n), world_size, n)});
      } else {
        out.warnings.push_back(FieldWarning{
            kNprocPerNodePath,
            fmt::format("{}: {} is not auto, cpu, gpu or an integer; upstream accepts it: the "
                        "operator reads it as 1 process per node, sets {}, and passes "
                        "PET_NPROC_PER_NODE={} to torchrun, which rejects it (Unsupported "
                        "nproc_per_node value)",
                        kNprocPerNodePath, GoQuote(n), world_size, n)});
      }
    }
  }
  return out;
}

Diagnostics DiagnosePyTorchJobCreate(const PyTorchJob& job, const FieldLocations& locations,
                                     OperatorVersion version, const std::string& object) {
  Diagnostics out;
  const ValidationResult webhook = WebhookValidateCreate(job, version);
  const ValidationResult ours = CheckPyTorchJobForSimulation(job);
  for (const ValidationResult* r : {&webhook, &ours}) {
    for (const auto& e : r->errors) {
      out.Error(LocateField(locations, e.field), object, e.field, e.Body());
    }
  }
  for (const ValidationResult* r : {&webhook, &ours}) {
    for (const auto& w : r->warnings) {
      out.Warning(LocateField(locations, w.field), object, "", w.message);
    }
  }
  if (!HasValidatingWebhook(version)) {
    // v1.7.0 validates in Reconcile, after onOwnerCreateFunc has run
    // Scheme.Default on the informer's cached object.
    if (auto e = ValidateV1PyTorchJob(SetDefaults_PyTorchJob(job))) {
      out.Warning(LocateField(locations, e->field), object, "",
                  fmt::format("operator {} accepts this PyTorchJob but its controller will not "
                              "run it: every reconcile fails validation and records a Warning "
                              "event {} \"{}\"",
                              OperatorVersionName(version), kFailedValidationReason,
                              FailedValidationEventMessage(*e)));
    }
  }
  return out;
}

}  // namespace ptsim
