#include "sim/model/batch_job_validation.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <set>

#include "sim/model/job_indexes.hpp"
#include "sim/model/pod_codec.hpp"

namespace ptsim {
namespace {

void NonNegative(std::vector<FieldError>* errs, const std::optional<std::int64_t>& value,
                 const std::string& path) {
  // apivalidation.ValidateNonnegativeField.
  if (value && *value < 0) {
    errs->push_back(
        FieldInvalidRaw(path, std::to_string(*value), "must be greater than or equal to 0"));
  }
}

std::optional<std::int64_t> Widen(const std::optional<std::int32_t>& v) {
  if (!v) return std::nullopt;
  return *v;
}

std::string LabelsJson(const Labels& labels) {
  return nlohmann::json(labels).dump();
}

void ValidateOnExitCodes(std::vector<FieldError>* errs,
                         const PodFailurePolicyOnExitCodesRequirement& req, const std::string& path,
                         const std::set<std::string>& containers) {
  const std::string op_path = path + ".operator";
  if (req.operator_.empty()) {
    errs->push_back(FieldRequired(op_path, "valid values: [\"In\" \"NotIn\"]"));
  } else if (req.operator_ != "In" && req.operator_ != "NotIn") {
    errs->push_back(FieldNotSupported(op_path, req.operator_, {"In", "NotIn"}));
  }
  if (req.container_name && !containers.count(*req.container_name)) {
    errs->push_back(FieldInvalid(path + ".containerName", *req.container_name,
                                 "must be one of the container or initContainer names in the "
                                 "pod template"));
  }
  const std::string values_path = path + ".values";
  std::string rendered = "[";
  for (std::size_t i = 0; i < req.values.size(); ++i)
    rendered += (i ? " " : "") + std::to_string(req.values[i]);
  rendered += "]";
  if (req.values.empty()) {
    errs->push_back(FieldInvalidRaw(values_path, "[]", "at least one value is required"));
  } else if (req.values.size() > kMaxPodFailurePolicyOnExitCodesValues) {
    errs->push_back(FieldError{
        FieldErrorType::kTooMany, values_path, std::to_string(req.values.size()),
        fmt::format("must have at most {} items", kMaxPodFailurePolicyOnExitCodesValues)});
  }
  std::set<std::int32_t> seen;
  bool ordered = true;
  for (std::size_t j = 0; j < req.values.size(); ++j) {
    const std::string p = fmt::format("{}[{}]", values_path, j);
    const std::int32_t v = req.values[j];
    if (req.operator_ == "In" && v == 0) {
      errs->push_back(FieldInvalidRaw(p, "0", "must not be 0 for the In operator"));
    }
    if (!seen.insert(v).second) {
      FieldError dup{FieldErrorType::kDuplicate, p, std::to_string(v), ""};
      dup.value_style = FieldError::ValueStyle::kRaw;
      errs->push_back(dup);
    }
    if (j > 0 && req.values[j - 1] > v) ordered = false;
  }
  if (!ordered) errs->push_back(FieldInvalidRaw(values_path, rendered, "must be ordered"));
}

void ValidatePodFailurePolicy(std::vector<FieldError>* errs, const JobSpec& spec,
                              const std::string& path) {
  const auto& rules = spec.pod_failure_policy->rules;
  const std::string rules_path = path + ".rules";
  if (rules.size() > kMaxPodFailurePolicyRules) {
    errs->push_back(
        FieldError{FieldErrorType::kTooMany, rules_path, std::to_string(rules.size()),
                   fmt::format("must have at most {} items", kMaxPodFailurePolicyRules)});
  }
  std::set<std::string> containers;
  for (const auto& c : spec.template_.spec.containers)
    containers.insert(c.name);
  for (const auto& c : spec.template_.spec.init_containers)
    containers.insert(c.name);
  static const std::vector<std::string> kActions = {"Count", "FailIndex", "FailJob", "Ignore"};
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const auto& rule = rules[i];
    const std::string rule_path = fmt::format("{}[{}]", rules_path, i);
    const std::string action_path = rule_path + ".action";
    if (rule.action.empty()) {
      errs->push_back(FieldRequired(
          action_path, "valid values: [\"Count\" \"FailIndex\" \"FailJob\" \"Ignore\"]"));
    } else if (rule.action == "FailIndex") {
      if (!spec.backoff_limit_per_index) {
        errs->push_back(
            FieldInvalid(action_path, rule.action, "requires the backoffLimitPerIndex to be set"));
      }
    } else if (rule.action != "Count" && rule.action != "FailJob" && rule.action != "Ignore") {
      errs->push_back(FieldNotSupported(action_path, rule.action, kActions));
    }
    if (rule.on_exit_codes) {
      ValidateOnExitCodes(errs, *rule.on_exit_codes, rule_path + ".onExitCodes", containers);
    }
    for (std::size_t j = 0; j < rule.on_pod_conditions.size(); ++j) {
      const auto& pattern = rule.on_pod_conditions[j];
      const std::string status_path = fmt::format("{}.onPodConditions[{}].status", rule_path, j);
      if (pattern.status.empty()) {
        errs->push_back(
            FieldRequired(status_path, "valid values: [\"False\" \"True\" \"Unknown\"]"));
      } else if (pattern.status != "True" && pattern.status != "False" &&
                 pattern.status != "Unknown") {
        errs->push_back(
            FieldNotSupported(status_path, pattern.status, {"False", "True", "Unknown"}));
      }
    }
    if (rule.on_exit_codes && !rule.on_pod_conditions.empty()) {
      errs->push_back(FieldInvalidOmitted(
          rule_path, "specifying both OnExitCodes and OnPodConditions is not supported"));
    }
    if (!rule.on_exit_codes && rule.on_pod_conditions.empty()) {
      errs->push_back(FieldInvalidOmitted(
          rule_path, "specifying one of OnExitCodes and OnPodConditions is required"));
    }
  }
}

void ValidateSuccessPolicy(std::vector<FieldError>* errs, const JobSpec& spec,
                           const std::string& path) {
  const auto& rules = spec.success_policy->rules;
  const std::string rules_path = path + ".rules";
  if (rules.empty()) {
    errs->push_back(FieldRequired(
        rules_path, "at least one rules must be specified when the successPolicy is specified"));
  }
  if (rules.size() > kMaxSuccessPolicyRules) {
    errs->push_back(FieldError{FieldErrorType::kTooMany, rules_path, std::to_string(rules.size()),
                               fmt::format("must have at most {} items", kMaxSuccessPolicyRules)});
  }
  const std::int32_t completions = spec.completions.value_or(0);
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const auto& rule = rules[i];
    const std::string rule_path = fmt::format("{}[{}]", rules_path, i);
    if (!rule.succeeded_count && !rule.succeeded_indexes) {
      errs->push_back(FieldRequired(
          rule_path, "at least one of succeededCount or succeededIndexes must be specified"));
    }
    std::int32_t total = 0;
    if (rule.succeeded_indexes) {
      std::string error;
      auto intervals = ParseIndexes(*rule.succeeded_indexes, completions, &error);
      if (!error.empty()) {
        errs->push_back(FieldInvalid(rule_path + ".succeededIndexes", *rule.succeeded_indexes,
                                     "error parsing succeededIndexes: " + error));
      }
      total = CountIndexes(intervals);
    }
    if (rule.succeeded_count) {
      const std::string p = rule_path + ".succeededCount";
      NonNegative(errs, Widen(rule.succeeded_count), p);
      if (*rule.succeeded_count > completions) {
        errs->push_back(FieldInvalidRaw(
            p, std::to_string(*rule.succeeded_count),
            fmt::format("must be less than or equal to {} (the number of specified completions)",
                        completions)));
      }
      if (rule.succeeded_indexes && *rule.succeeded_count > total) {
        errs->push_back(FieldInvalidRaw(
            p, std::to_string(*rule.succeeded_count),
            fmt::format("must be less than or equal to {} (the number of indexes in the "
                        "specified succeededIndexes field)",
                        total)));
      }
    }
  }
}

}  // namespace

std::vector<FieldError> ValidateJobSpecFields(const JobSpec& spec, const std::string& path) {
  std::vector<FieldError> errs;
  auto p = [&](const char* child) { return path + "." + child; };
  NonNegative(&errs, Widen(spec.parallelism), p("parallelism"));
  NonNegative(&errs, Widen(spec.completions), p("completions"));
  NonNegative(&errs, spec.active_deadline_seconds, p("activeDeadlineSeconds"));
  NonNegative(&errs, Widen(spec.backoff_limit), p("backoffLimit"));
  NonNegative(&errs, Widen(spec.ttl_seconds_after_finished), p("ttlSecondsAfterFinished"));
  NonNegative(&errs, Widen(spec.backoff_limit_per_index), p("backoffLimitPerIndex"));
  if (spec.max_failed_indexes) {
    NonNegative(&errs, Widen(spec.max_failed_indexes), p("maxFailedIndexes"));
    if (!spec.backoff_limit_per_index) {
      errs.push_back(
          FieldRequired(p("backoffLimitPerIndex"), "when maxFailedIndexes is specified"));
    }
  }
  const bool indexed = spec.completion_mode.value_or("NonIndexed") == "Indexed";
  if (spec.completion_mode) {
    if (*spec.completion_mode != "NonIndexed" && *spec.completion_mode != "Indexed") {
      errs.push_back(
          FieldNotSupported(p("completionMode"), *spec.completion_mode, {"NonIndexed", "Indexed"}));
    }
    if (indexed) {
      if (!spec.completions) {
        errs.push_back(FieldRequired(p("completions"), "when completion mode is Indexed"));
      }
      if (spec.parallelism && *spec.parallelism > kMaxParallelismForIndexedJob) {
        errs.push_back(FieldInvalidRaw(
            p("parallelism"), std::to_string(*spec.parallelism),
            fmt::format("must be less than or equal to {} when completion mode is Indexed",
                        kMaxParallelismForIndexedJob)));
      }
      if (spec.completions && spec.max_failed_indexes &&
          *spec.max_failed_indexes > *spec.completions) {
        errs.push_back(FieldInvalidRaw(p("maxFailedIndexes"),
                                       std::to_string(*spec.max_failed_indexes),
                                       "must be less than or equal to completions"));
      }
    }
  }
  if (!indexed) {
    if (spec.backoff_limit_per_index) {
      errs.push_back(FieldInvalidRaw(p("backoffLimitPerIndex"),
                                     std::to_string(*spec.backoff_limit_per_index),
                                     "requires indexed completion mode"));
    }
    if (spec.max_failed_indexes) {
      errs.push_back(FieldInvalidRaw(p("maxFailedIndexes"),
                                     std::to_string(*spec.max_failed_indexes),
                                     "requires indexed completion mode"));
    }
  }
  if (spec.pod_failure_policy) ValidatePodFailurePolicy(&errs, spec, p("podFailurePolicy"));
  if (spec.success_policy) {
    if (!indexed) {
      errs.push_back(FieldInvalidOmitted(p("successPolicy"), "requires indexed completion mode"));
    } else {
      ValidateSuccessPolicy(&errs, spec, p("successPolicy"));
    }
  }
  if (spec.pod_replacement_policy) {
    const std::string& v = *spec.pod_replacement_policy;
    if (spec.pod_failure_policy) {
      if (v != "Failed")
        errs.push_back(FieldNotSupported(p("podReplacementPolicy"), v, {"Failed"}));
    } else if (v != "Failed" && v != "TerminatingOrFailed") {
      errs.push_back(
          FieldNotSupported(p("podReplacementPolicy"), v, {"Failed", "TerminatingOrFailed"}));
    }
  }
  // restartPolicy: an unset one was defaulted to Always, so both read as unset.
  const std::string restart_path = path + ".template.spec.restartPolicy";
  const PodSpec& pod = spec.template_.spec;
  if (!pod.restart_policy_set || pod.restart_policy == "Always" || pod.restart_policy.empty()) {
    errs.push_back(FieldRequired(restart_path, "valid values: \"OnFailure\", \"Never\""));
  } else if (pod.restart_policy != "OnFailure" && pod.restart_policy != "Never") {
    errs.push_back(FieldNotSupported(restart_path, pod.restart_policy, {"OnFailure", "Never"}));
  } else if (spec.pod_failure_policy && pod.restart_policy != "Never") {
    errs.push_back(FieldInvalid(restart_path, pod.restart_policy,
                                "only \"Never\" is supported when podFailurePolicy is specified"));
  }
  return errs;
}

std::vector<FieldError> ValidateBatchJob(const BatchJob& job) {
  std::vector<FieldError> errs;
  const ObjectMeta& meta = job.metadata;
  if (auto why = CheckDns1123Subdomain(meta.name); !meta.name.empty() && !why.empty()) {
    errs.push_back(FieldInvalid("metadata.name", meta.name, why));
  }
  const JobSpec& spec = job.spec;
  const Labels& template_labels = spec.template_.metadata.labels;
  // ValidateGeneratedSelector.
  if (!spec.manual_selector.value_or(false) && spec.selector) {
    for (const auto& [key, want] :
         {std::pair<std::string, std::string>{kLegacyControllerUidLabel, meta.uid},
          {kLegacyJobNameLabel, meta.name}}) {
      const std::string lp = "spec.template.metadata.labels[" + key + "]";
      auto it = template_labels.find(key);
      if (it == template_labels.end()) {
        errs.push_back(FieldRequired(lp, ""));
      } else if (it->second != want) {
        errs.push_back(FieldInvalid(lp, it->second, "must be '" + want + "'"));
      }
    }
    const Labels expected = {{kBatchControllerUidLabel, meta.uid}, {kBatchJobNameLabel, meta.name}};
    if (!spec.selector->Matches(expected)) {
      errs.push_back(FieldInvalidOmitted("spec.selector", "`selector` not auto-generated"));
    }
  }
  auto spec_errs = ValidateJobSpecFields(spec, "spec");
  errs.insert(errs.end(), spec_errs.begin(), spec_errs.end());
  if (!spec.selector) {
    errs.push_back(FieldRequired("spec.selector", ""));
  } else if (!spec.selector->Matches(template_labels)) {
    errs.push_back(FieldInvalidRaw("spec.template.metadata.labels", LabelsJson(template_labels),
                                   "`selector` does not match template `labels`"));
  }
  // An Indexed Job's pods are named by hostname <name>-<index>.
  if (spec.completion_mode.value_or("") == "Indexed" && spec.completions && *spec.completions > 0) {
    const std::string hostname = fmt::format("{}-{}", meta.name, *spec.completions - 1);
    if (!CheckDns1123Label(hostname).empty()) {
      errs.push_back(
          FieldInvalid("metadata.name", meta.name,
                       "will not able to create pod with invalid DNS label: " + hostname));
    }
  }
  return errs;
}

}  // namespace ptsim
