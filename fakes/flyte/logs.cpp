#include "fakes/flyte/logs.hpp"

#include <cctype>
#include <cmath>
#include <utility>

#include <fmt/format.h>

#include "fakes/flyte/go_time.hpp"
#include "fakes/flyte/json_fields.hpp"
#include "fakes/flyte/log_template.hpp"

namespace ptsim::flyte {
namespace {

using nlohmann::json;

struct PodInput {
  std::string pod_name;
  std::string log_name;
};

// Input.templateVars, in upstream order.
TemplateVars InputTemplateVars(const PodInput& pod, const JobLogInput& job,
                               const TaskExecution& execution, const json& task_template) {
  auto start = static_cast<int64_t>(std::floor(job.creation_time));
  auto finish = static_cast<int64_t>(std::floor(job.now));
  TemplateVars vars = {{"logName", pod.log_name},
                       {"podName", pod.pod_name},
                       {"podUID", ""},
                       {"namespace", job.job_namespace},
                       {"containerName", "pytorch"},
                       {"containerID", ""},
                       {"hostname", ""},
                       {"nodeName", ""},
                       {"nodeID", execution.node_id},
                       {"generatedName", execution.generated_name},
                       {"taskRetryAttempt", std::to_string(execution.retry_attempt)}};
  const json id = task_template.is_object() ? task_template.value("id", json::object()) : json();
  if (id.is_object()) {
    vars.push_back({"taskID", id.value("name", "")});
    vars.push_back({"taskVersion", id.value("version", "")});
    vars.push_back({"taskProject", id.value("project", "")});
    vars.push_back({"taskDomain", id.value("domain", "")});
  }
  vars.push_back({"executionName", execution.execution_id.name});
  vars.push_back({"executionProject", execution.execution_id.project});
  vars.push_back({"executionDomain", execution.execution_id.domain});
  vars.push_back({"podRFC3339StartTime", FormatRfc3339(static_cast<double>(start))});
  vars.push_back({"podRFC3339FinishTime", FormatRfc3339(static_cast<double>(finish))});
  vars.push_back({"podUnixStartTime", std::to_string(start)});
  vars.push_back({"podUnixFinishTime", std::to_string(finish)});
  return vars;
}

// InitializeLogPlugins: built-in plugins in a fixed order, then templates.
std::vector<TemplateLogPlugin> Plugins(const LogConfig& c) {
  std::vector<TemplateLogPlugin> out;
  if (c.kubernetes_enabled) {
    out.push_back(
        {"",
         "Kubernetes Logs",
         {c.kubernetes_template_uri.empty()
              ? c.kubernetes_url +
                    "/#!/log/{{ .namespace }}/{{ .podName }}/pod?namespace={{ .namespace }}"
              : c.kubernetes_template_uri},
         {},
         false,
         false});
  }
  if (c.cloudwatch_enabled) {
    out.push_back({"",
                   "Cloudwatch Logs",
                   {c.cloudwatch_template_uri.empty()
                        ? fmt::format("https://console.aws.amazon.com/cloudwatch/home?region={}#"
                                      "logEventViewer:group={};stream=var.log.containers."
                                      "{{{{ .podName }}}}_{{{{ .namespace }}}}_{{{{ .containerName "
                                      "}}}}-{{{{ .containerId }}}}.log",
                                      c.cloudwatch_region, c.cloudwatch_log_group)
                        : c.cloudwatch_template_uri},
                   {},
                   false,
                   false});
  }
  if (c.stackdriver_enabled) {
    out.push_back(
        {"",
         "Stackdriver Logs",
         {c.stackdriver_template_uri.empty()
              ? fmt::format("https://console.cloud.google.com/logs/viewer?project={}&"
                            "angularJsUrl=%2Flogs%2Fviewer%3Fproject%3D{}&resource={}&"
                            "advancedFilter=resource.labels.pod_name%3D{{{{ .podName }}}}",
                            c.gcp_project_name, c.gcp_project_name, c.stackdriver_log_resource_name)
              : c.stackdriver_template_uri},
         {},
         false,
         false});
  }
  out.insert(out.end(), c.templates.begin(), c.templates.end());
  for (const auto& [type, link] : c.dynamic_log_links) {
    TemplateLogPlugin p = link;
    p.name = type;
    p.dynamic_template_uris = link.template_uris;
    p.template_uris.clear();
    out.push_back(p);
  }
  return out;
}

// TemplateLogPlugin.GetTaskLogs.
void PluginLogs(const TemplateLogPlugin& p, const PodInput& pod, const TemplateVars& vars,
                const json& task_template, std::vector<TaskLog>* out) {
  for (const auto& uri : p.template_uris) {
    out->push_back({RenderTemplate(uri, vars),
                    RenderTemplate(p.display_name, vars) + RenderTemplate(pod.log_name, vars),
                    "JSON", p.show_while_pending, p.hide_once_finished});
  }
  json config =
      task_template.is_object() ? task_template.value("config", json::object()) : json::object();
  if (!config.is_object()) return;
  std::string link_types = config.value("link_type", "");
  if (link_types.empty()) return;
  for (size_t start = 0;;) {
    size_t comma = link_types.find(',', start);
    std::string type = link_types.substr(start, comma - start);
    if (type == p.name) {
      for (const auto& uri : p.dynamic_template_uris) {
        TemplateVars task_vars;
        for (size_t i = 0; i < uri.size(); ++i) {
          std::string key;
          if (MatchPlaceholder(uri, i, true, &key) == std::string_view::npos) continue;
          if (config.contains(key) && config[key].is_string()) {
            task_vars.push_back({key, config[key].get<std::string>()});
          }
        }
        std::string rendered = RenderTemplate(RenderTemplate(uri, vars), task_vars, true);
        out->push_back({rendered, p.display_name + pod.log_name, "JSON", p.show_while_pending,
                        p.hide_once_finished});
      }
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
}

Result<TemplateLogPlugin> ParseTemplatePlugin(JsonFields f) {
  TemplateLogPlugin p;
  f.String("displayName", &p.display_name);
  f.StringList("templateUris", &p.template_uris);
  f.Bool("showWhilePending", &p.show_while_pending);
  f.Bool("hideOnceFinished", &p.hide_once_finished);
  f.Finish();
  return p;
}

}  // namespace

json TaskLog::ToJson() const {
  json out = {{"uri", uri}, {"name", name}, {"messageFormat", message_format}};
  if (show_while_pending) out["showWhilePending"] = true;
  if (hide_once_finished) out["hideOnceFinished"] = true;
  return out;
}

Result<LogConfig> ParseLogConfig(const json& j, const std::string& field) {
  Diagnostics d;
  LogConfig c;
  JsonFields f(j, field, &d);
  f.Bool("kubernetes-enabled", &c.kubernetes_enabled);
  f.String("kubernetes-url", &c.kubernetes_url);
  f.String("kubernetes-template-uri", &c.kubernetes_template_uri);
  f.Bool("cloudwatch-enabled", &c.cloudwatch_enabled);
  f.String("cloudwatch-region", &c.cloudwatch_region);
  f.String("cloudwatch-log-group", &c.cloudwatch_log_group);
  f.String("cloudwatch-template-uri", &c.cloudwatch_template_uri);
  f.Bool("stackdriver-enabled", &c.stackdriver_enabled);
  f.String("gcp-project", &c.gcp_project_name);
  f.String("stackdriver-logresourcename", &c.stackdriver_log_resource_name);
  f.String("stackdriver-template-uri", &c.stackdriver_template_uri);
  if (auto links = f.Object("dynamic-log-links")) {
    for (const auto& [type, value] : j.at("dynamic-log-links").items()) {
      auto plugin = ParseTemplatePlugin(JsonFields(value, links->Path(type), &d));
      c.dynamic_log_links[type] = plugin.value();
    }
  }
  std::optional<json> templates;
  f.Raw("templates", &templates);
  if (templates) {
    if (!templates->is_array()) {
      d.Error({}, "", f.Path("templates"), "expected a list of {displayName, templateUris}");
    } else {
      for (size_t i = 0; i < templates->size(); ++i) {
        auto path = fmt::format("{}[{}]", f.Path("templates"), i);
        c.templates.push_back(ParseTemplatePlugin(JsonFields((*templates)[i], path, &d)).value());
      }
    }
  }
  f.Finish();
  if (!d.ok()) return d;
  return c;
}

std::vector<TaskLog> GetLogs(const LogConfig& config, const JobLogInput& job,
                             const TaskExecution& execution, const json& task_template) {
  std::vector<PodInput> pods;
  if (job.has_master) pods.push_back({job.job_name + "-master-0", "master"});
  for (int32_t i = 0; i < job.workers_count; ++i) {
    pods.push_back({fmt::format("{}-worker-{}", job.job_name, i), ""});
  }
  std::vector<TaskLog> out;
  auto plugins = Plugins(config);
  for (const auto& pod : pods) {
    TemplateVars vars = InputTemplateVars(pod, job, execution, task_template);
    for (const auto& p : plugins)
      PluginLogs(p, pod, vars, task_template, &out);
  }
  return out;
}

}  // namespace ptsim::flyte
