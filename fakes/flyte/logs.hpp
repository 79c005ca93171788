// The log links flytepropeller attaches to a PyTorch task's phase
// (kfoperators/common/common_operator.go GetLogs, flyteplugins/go/tasks/logs
// InitializeLogPlugins, pluginmachinery/tasklog/template.go).
//
// One link per configured log plugin for pod <job>-master-0 (log name
// "master", only when the job has a Master) and for each <job>-worker-<i>,
// container "pytorch". Pod start time is the job's creation time, finish time
// is "now" (both plain seconds; RFC 3339 renderings are in UTC). Template
// variables ({{ .podName }}, {{.taskConfig.<key>}}, ...) match
// case-insensitively; a variable whose value is empty is left in place, as
// upstream does. Dynamic links are visited in key order (Go map order is
// random). Plain functions; any thread.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fakes/flyte/task_execution.hpp"
#include "sim/core/diagnostics.hpp"

namespace ptsim::flyte {

struct TemplateLogPlugin {
  std::string name{};  // dynamic link type
  std::string display_name{};
  std::vector<std::string> template_uris{};
  std::vector<std::string> dynamic_template_uris{};
  bool show_while_pending = false;
  bool hide_once_finished = false;
};

// logs.LogConfig (the subset with meaning here).
struct LogConfig {
  bool kubernetes_enabled = false;
  std::string kubernetes_url{};
  std::string kubernetes_template_uri{};
  bool cloudwatch_enabled = false;
  std::string cloudwatch_region{};
  std::string cloudwatch_log_group{};
  std::string cloudwatch_template_uri{};
  bool stackdriver_enabled = false;
  std::string gcp_project_name{};
  std::string stackdriver_log_resource_name{};
  std::string stackdriver_template_uri{};
  std::map<std::string, TemplateLogPlugin> dynamic_log_links{};
  std::vector<TemplateLogPlugin> templates{};
};

// JSON keys as in flytepropeller's config: "kubernetes-enabled",
// "kubernetes-url", "kubernetes-template-uri", "cloudwatch-enabled",
// "cloudwatch-region", "cloudwatch-log-group", "cloudwatch-template-uri",
// "stackdriver-enabled", "gcp-project", "stackdriver-logresourcename",
// "stackdriver-template-uri", "dynamic-log-links" {type: {displayName,
// templateUris}}, "templates" [{displayName, templateUris}].
Result<LogConfig> ParseLogConfig(const nlohmann::json& json, const std::string& field);

// core.TaskLog.
struct TaskLog {
  std::string uri{};
  std::string name{};
  std::string message_format = "JSON";
  bool show_while_pending = false;
  bool hide_once_finished = false;
  nlohmann::json ToJson() const;
};

// What GetLogs needs to know about the job.
struct JobLogInput {
  std::string job_name{};
  std::string job_namespace{};
  double creation_time = 0;  // seconds
  double now = 0;            // seconds
  bool has_master = true;
  int32_t workers_count = 0;
};

// `task_template` supplies the task id and the `config` map (link_type and
// dynamic parameters); `execution` the execution identity.
std::vector<TaskLog> GetLogs(const LogConfig& config, const JobLogInput& job,
                             const TaskExecution& execution, const nlohmann::json& task_template);

}  // namespace ptsim::flyte
