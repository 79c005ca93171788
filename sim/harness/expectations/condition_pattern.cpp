#include "sim/harness/expectations/condition_pattern.hpp"

#include <fmt/format.h>

#include <set>

#include "sim/harness/report_fields.hpp"

namespace ptsim {
namespace {

double Seconds(const nlohmann::json& j, const char* key) {
  return j.contains(key) && j[key].is_number() ? j[key].get<double>() : 0.0;
}

}  // namespace

std::string ConditionPattern::Describe() const {
  std::string out = type;
  if (status != "True") out += "=" + status;
  if (!reason.empty()) out += " (" + reason + ")";
  if (!message.text.empty()) out += fmt::format(" /{}/", message.text);
  if (const std::string range = window.Describe(); !range.empty()) out += " " + range;
  return out;
}

bool ConditionPattern::Matches(const nlohmann::json& c) const {
  if (StringField(c, "type") != type || StringField(c, "status") != status) return false;
  if (!reason.empty() && StringField(c, "reason") != reason) return false;
  if (message.re && !message.Search(StringField(c, "message"))) return false;
  return window.Contains(c.contains("time") ? Seconds(c, "time")
                                            : Seconds(c, "lastTransitionTime"));
}

ConditionPattern ReadConditionPattern(DecodeContext& ctx, const YAML::Node& node,
                                      const std::string& path) {
  ConditionPattern p;
  if (node.IsScalar()) {
    std::string text = node.Scalar();
    if (auto eq = text.find('='); eq != std::string::npos) {
      p.status = text.substr(eq + 1);
      text = text.substr(0, eq);
    }
    p.type = text;
  } else {
    MapReader m(ctx, node, path);
    m.String("type", &p.type, true);
    m.String("status", &p.status);
    m.String("reason", &p.reason);
    ReadRegex(m, "message", &p.message);
    m.OptDuration("after", &p.window.after);
    m.OptDuration("before", &p.window.before);
  }
  if (const std::string why = UnknownConditionType(p.type); !why.empty()) {
    ctx.Error(node, path, why);
  }
  if (p.status != "True" && p.status != "False" && p.status != "Unknown") {
    ctx.Error(node, path,
              fmt::format("condition status must be True, False or Unknown, not \"{}\"", p.status));
  }
  return p;
}

std::string UnknownConditionType(const std::string& type) {
  // A PyTorchJob's, a batch/v1 Job's (docs/batch-job.md), a JobSet's
  // (docs/jobset.md), then a TrainJob's (docs/trainer.md: Complete, Failed,
  // Suspended).
  static const std::set<std::string> kTypes = {"Created",
                                               "Running",
                                               "Restarting",
                                               "Succeeded",
                                               "Failed",
                                               "Suspended",
                                               "Complete",
                                               "FailureTarget",
                                               "SuccessCriteriaMet",
                                               "Completed",
                                               "RestartingJobSet",
                                               "StartupPolicyInProgress",
                                               "StartupPolicyCompleted"};
  if (type.empty() || kTypes.count(type)) return "";
  return fmt::format(
      "unknown condition type \"{}\"; PyTorchJob conditions are Created, Running, Restarting, "
      "Succeeded, Failed and Suspended; batch/v1 Job conditions are Suspended, FailureTarget, "
      "SuccessCriteriaMet, Failed and Complete; JobSet conditions are Completed, Failed, "
      "Suspended, RestartingJobSet, StartupPolicyInProgress and StartupPolicyCompleted; TrainJob "
      "conditions are Complete, Failed and Suspended",
      type);
}

std::string ConditionBrief(const nlohmann::json& c) {
  return fmt::format("{}={} ({})", StringField(c, "type"), StringField(c, "status"),
                     StringField(c, "reason"));
}

}  // namespace ptsim
