#include "sim/model/batch_job_defaults.hpp"

#include <limits>

namespace ptsim {

void SetDefaults_JobSpec(JobSpec* spec) {  // NOLINT(readability-identifier-naming)
  if (!spec->completions && !spec->parallelism) {
    spec->completions = 1;
    spec->parallelism = 1;
  }
  if (!spec->parallelism) spec->parallelism = 1;
  if (!spec->backoff_limit) {
    spec->backoff_limit =
        spec->backoff_limit_per_index ? std::numeric_limits<std::int32_t>::max() : 6;
  }
  if (!spec->completion_mode) spec->completion_mode = "NonIndexed";
  if (!spec->suspend) spec->suspend = false;
  if (spec->pod_failure_policy) {
    for (auto& rule : spec->pod_failure_policy->rules) {
      for (auto& pattern : rule.on_pod_conditions) {
        if (pattern.status.empty()) pattern.status = "True";
      }
    }
  }
  if (!spec->pod_replacement_policy) {
    spec->pod_replacement_policy = spec->pod_failure_policy ? "Failed" : "TerminatingOrFailed";
  }
}

BatchJob SetDefaults_Job(const BatchJob& job) {  // NOLINT(readability-identifier-naming)
  BatchJob out = job;
  SetDefaults_JobSpec(&out.spec);
  if (!out.spec.template_.metadata.labels.empty() && out.metadata.labels.empty()) {
    out.metadata.labels = out.spec.template_.metadata.labels;
  }
  return out;
}

void GenerateJobSelector(BatchJob* job) {
  if (job->spec.manual_selector.value_or(false)) return;
  Labels& labels = job->spec.template_.metadata.labels;
  const std::string& uid = job->metadata.uid;
  const std::string& name = job->metadata.name;
  labels.try_emplace(kLegacyControllerUidLabel, uid);
  labels.try_emplace(kLegacyJobNameLabel, name);
  labels.try_emplace(kBatchControllerUidLabel, uid);
  labels.try_emplace(kBatchJobNameLabel, name);
  if (!job->spec.selector) {
    job->spec.selector = LabelSelector::FromLabels({{kBatchControllerUidLabel, uid}});
  }
}

}  // namespace ptsim
