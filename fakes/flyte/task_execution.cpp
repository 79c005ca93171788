#include "fakes/flyte/task_execution.hpp"

#include "fakes/flyte/json_fields.hpp"

namespace ptsim::flyte {

Result<TaskExecution> ParseTaskExecution(const nlohmann::json& json) {
  Diagnostics d;
  TaskExecution out;
  JsonFields f(json, "", &d);
  f.String("generatedName", &out.generated_name);
  f.String("namespace", &out.k8s_namespace);
  if (auto id = f.Object("executionId")) {
    id->String("project", &out.execution_id.project);
    id->String("domain", &out.execution_id.domain);
    id->String("name", &out.execution_id.name);
    id->Finish();
  }
  f.String("nodeId", &out.node_id);
  f.Int("retryAttempt", &out.retry_attempt);
  f.StringMap("labels", &out.labels);
  f.StringMap("annotations", &out.annotations);
  f.StringMap("environmentVariables", &out.environment_variables);
  f.String("serviceAccount", &out.service_account);
  f.Bool("interruptible", &out.interruptible);
  f.Raw("ownerReference", &out.owner_reference);

  auto read_resources = [&](const std::optional<nlohmann::json>& raw, const std::string& path,
                            ResourceRequirements* target) {
    if (!raw) return;
    auto r = ResourceRequirementsFromJson(*raw, path);
    if (r.ok()) {
      *target = r.value();
    } else {
      d.Append(r.diagnostics());
    }
  };
  if (auto o = f.Object("overrides")) {
    std::optional<nlohmann::json> resources;
    o->Raw("resources", &resources);
    read_resources(resources, o->Path("resources"), &out.override_resources);
    o->String("containerImage", &out.override_container_image);
    o->Raw("extendedResources", &out.override_extended_resources);
    o->Finish();
  }
  std::optional<nlohmann::json> platform;
  f.Raw("platformResources", &platform);
  read_resources(platform, "platformResources", &out.platform_resources);
  f.Finish();
  if (!d.ok()) return d;
  return out;
}

}  // namespace ptsim::flyte
