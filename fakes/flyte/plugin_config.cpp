#include "fakes/flyte/plugin_config.hpp"

#include <fmt/format.h>

#include "fakes/flyte/json_fields.hpp"

namespace ptsim::flyte {
namespace {

using nlohmann::json;

void ReadQuantity(JsonFields& f, const std::string& key, Quantity* out, Diagnostics* d) {
  std::string text;
  f.String(key, &text);
  if (text.empty()) return;
  auto q = Quantity::Parse(text);
  if (!q.ok()) {
    d->Error({}, "", f.Path(key), q.diagnostics().items().front().message);
    return;
  }
  *out = q.value();
}

void ReadObjectList(JsonFields& f, const std::string& key, std::vector<json>* out, Diagnostics* d) {
  std::optional<json> raw;
  f.Raw(key, &raw);
  if (!raw) return;
  if (!raw->is_array()) {
    d->Error({}, "", f.Path(key), fmt::format("expected a list, got {}", raw->dump()));
    return;
  }
  out->assign(raw->begin(), raw->end());
}

// "90s", "1m", "1h30m" or a number of seconds.
void ReadDuration(JsonFields& f, const std::string& key, double* out, Diagnostics* d) {
  std::optional<json> raw;
  f.Raw(key, &raw);
  if (!raw) return;
  if (raw->is_number()) {
    *out = raw->get<double>();
    return;
  }
  std::string text = raw->is_string() ? raw->get<std::string>() : "";
  double total = 0;
  size_t i = 0;
  bool ok = !text.empty();
  while (ok && i < text.size()) {
    size_t used = 0;
    double value = 0;
    try {
      value = std::stod(text.substr(i), &used);
    } catch (...) {
      ok = false;
      break;
    }
    i += used;
    std::string unit;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i])))
      unit += text[i++];
    if (unit == "h")
      total += value * 3600;
    else if (unit == "m")
      total += value * 60;
    else if (unit == "s")
      total += value;
    else if (unit == "ms")
      total += value / 1000;
    else
      ok = false;
  }
  if (!ok) {
    d->Error({}, "", f.Path(key),
             fmt::format("expected a duration like \"1m\", got {}", raw->dump()));
    return;
  }
  *out = total;
}

}  // namespace

ResourceDefaults PluginConfig::DefaultResourceDefaults() {
  return {Quantity::Parse("1000m").value(), Quantity::Parse("1024Mi").value(),
          std::string(kResourceNvidiaGpu)};
}

Result<PluginConfig> ParsePluginConfig(const json& j) {
  Diagnostics d;
  PluginConfig c;
  JsonFields top(j, "", &d);
  if (auto k = top.Object("k8s")) {
    k->StringMap("default-annotations", &c.default_annotations);
    k->StringMap("default-labels", &c.default_labels);
    k->StringMap("default-env-vars", &c.default_env_vars);
    ReadQuantity(*k, "default-cpus", &c.resource_defaults.default_cpu_request, &d);
    ReadQuantity(*k, "default-memory", &c.resource_defaults.default_memory_request, &d);
    k->String("gpu-resource-name", &c.resource_defaults.gpu_resource_name);
    k->String("gpu-device-node-label", &c.gpu_device_node_label);
    k->String("gpu-partition-size-node-label", &c.gpu_partition_size_node_label);
    k->StringList("add-tolerations-for-extended-resources",
                  &c.add_tolerations_for_extended_resources);
    if (auto tolerations = k->Object("resource-tolerations")) {
      for (const auto& [name, list] : j.at("k8s").at("resource-tolerations").items()) {
        ReadObjectList(*tolerations, name, &c.resource_tolerations[name], &d);
      }
      tolerations->Finish();
    }
    ReadObjectList(*k, "interruptible-tolerations", &c.interruptible_tolerations, &d);
    ReadObjectList(*k, "default-tolerations", &c.default_tolerations, &d);
    k->StringMap("interruptible-node-selector", &c.interruptible_node_selector);
    k->StringMap("default-node-selector", &c.default_node_selector);
    k->Raw("interruptible-node-selector-requirement", &c.interruptible_node_selector_requirement);
    k->Raw("non-interruptible-node-selector-requirement",
           &c.non_interruptible_node_selector_requirement);
    k->String("scheduler-name", &c.scheduler_name);
    k->String("image-pull-policy", &c.image_pull_policy);
    k->Bool("enable-distributed-error-aggregation", &c.enable_distributed_error_aggregation);
    k->Finish();
  }
  if (auto kf = top.Object("kf-operator")) {
    ReadDuration(*kf, "timeout", &c.kf_operator_timeout_seconds, &d);
    kf->Finish();
  }
  std::optional<json> logs;
  top.Raw("logs", &logs);
  if (logs) {
    auto parsed = ParseLogConfig(*logs, "logs");
    if (parsed.ok()) {
      c.logs = parsed.value();
    } else {
      d.Append(parsed.diagnostics());
    }
  }
  top.Finish();
  if (!d.ok()) return d;
  return c;
}

}  // namespace ptsim::flyte
