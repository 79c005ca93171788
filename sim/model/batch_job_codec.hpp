// Decoding of batch/v1 Job manifests (and the JobSpec and JobTemplateSpec
// that JobSets embed) from YAML or JSON, strictly, as the API server with
// kubectl's default strict field validation would: unknown fields and wrong
// types are errors with file:line and a "did you mean"; `status` is ignored;
// nothing is defaulted (batch_job_defaults.hpp) or validated beyond types
// (batch_job_validation.hpp). The pod template goes through pod_codec.hpp.
// Single-threaded per DecodeContext.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

#include "sim/core/diagnostics.hpp"
#include "sim/model/batch_job.hpp"
#include "sim/model/label_selector.hpp"
#include "sim/model/yaml_reader.hpp"

namespace ptsim {

// metav1.LabelSelector {matchLabels, matchExpressions[{key, operator, values}]}.
void DecodeLabelSelector(MapReader& m, LabelSelector* out);
void DecodeJobSpec(MapReader& m, JobSpec* out);
// {metadata, spec}, as a JobSet's replicatedJobs[].template.
void DecodeJobTemplate(MapReader& m, JobTemplateSpec* out);
// A whole document (apiVersion batch/v1, kind Job); status is ignored.
void DecodeBatchJob(MapReader& m, BatchJob* out);

// DecodeBatchJob on one parsed document with its own context: the Job (with
// any warnings) or the diagnostics that explain why there is none.
Result<BatchJob> DecodeBatchJobDocument(const YAML::Node& document, const std::string& file);
// Parses `text` (exactly one YAML or JSON document) and decodes it.
Result<BatchJob> ParseBatchJob(const std::string& text, const std::string& file);

}  // namespace ptsim
