// Decoding of jobset.x-k8s.io/v1alpha2 JobSet manifests from YAML or JSON,
// strictly, as the API server with kubectl's default strict field validation
// and the CRD's schema would: unknown fields, wrong types, values outside the
// CRD's enums (action, restartStrategy, operator, startupPolicyOrder,
// dependsOn status), more than 5 dependsOn and the CEL rule "StartupPolicy
// and DependsOn APIs are mutually exclusive" are errors with file:line;
// `status` is ignored; nothing is defaulted (jobset_defaults.hpp) or checked
// as the webhook checks (jobset_validation.hpp). Replicated jobs' templates
// go through batch_job_codec.hpp. volumeClaimPolicies are not simulated.
// Single-threaded per DecodeContext.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

#include "sim/core/diagnostics.hpp"
#include "sim/model/jobset.hpp"
#include "sim/model/yaml_reader.hpp"

namespace ptsim {

void DecodeJobSetSpec(MapReader& m, JobSetSpec* out);
// A whole document (apiVersion jobset.x-k8s.io/v1alpha2, kind JobSet).
void DecodeJobSet(MapReader& m, JobSet* out);

// DecodeJobSet on one parsed document with its own context.
Result<JobSet> DecodeJobSetDocument(const YAML::Node& document, const std::string& file);
// Parses `text` (exactly one YAML or JSON document) and decodes it.
Result<JobSet> ParseJobSet(const std::string& text, const std::string& file);

}  // namespace ptsim
