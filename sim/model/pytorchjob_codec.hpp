// Decoding of kubeflow.org/v1 PyTorchJob manifests (YAML, or JSON read as
// YAML) into PyTorchJob, strictly, as the API server with kubectl's default
// strict field validation would: unknown fields and wrong types are errors with
// file:line and a "did you mean"; `status` is ignored; nothing is defaulted.
// The CRD schema's own required fields (spec.pytorchReplicaSpecs when spec is
// given, template.spec.containers when template.spec is given) are reported
// here, before the webhook checks of pytorchjob_validation.hpp.
//
// One call decodes one already-parsed document node. A file with several
// documents (`---`) or a `kind: List` is the caller's (the harness's) to split:
// one call per document or per `items[i]`, each with its own FieldLocations;
// node marks keep their lines in the file. Single-threaded per DecodeContext.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "sim/core/diagnostics.hpp"
#include "sim/model/pytorchjob.hpp"
#include "sim/model/yaml_reader.hpp"

namespace ptsim {

// Where each field of a decoded document was written: the location of the key
// that introduces it (of the item, for list items). Paths are spelled as the
// webhook renders them (k8s field.Path): children joined by '.', list indices
// and map keys in brackets, e.g. `metadata.name`,
// `spec.pytorchReplicaSpecs[Master].replicas`,
// `spec.pytorchReplicaSpecs[Worker].template.spec.containers[0].image`,
// `metadata.labels[app]`, `...resources.limits[cpu]`. The document itself is "".
using FieldLocations = std::map<std::string, SourceLocation, std::less<>>;

// The most replicas of one replica type ptsim simulates (in `replicas`,
// `elasticPolicy.minReplicas`/`maxReplicas` and scale faults). Upstream sets no
// limit; 10000 scripted pods run in about a second.
inline constexpr std::int32_t kMaxReplicasPerType = 10000;

// "a.b[0].c" -> "a.b[0]" -> "a.b" -> "a" -> ""; "" for "".
std::string ParentFieldPath(std::string_view path);
// The location of `path`, else of its nearest recorded ancestor, else an
// empty SourceLocation.
SourceLocation LocateField(const FieldLocations& locations, std::string_view path);

// Decodes `document` (apiVersion kubeflow.org/v1, kind PyTorchJob) into `out`
// and records every field's location into `locations` (may be null). Errors
// and warnings go to ctx.diagnostics(); `out` holds whatever decoded cleanly.
// When ctx.object() is empty it is set to `PyTorchJob "<metadata.name>"`.
void DecodePyTorchJob(DecodeContext& ctx, const YAML::Node& document, PyTorchJob* out,
                      FieldLocations* locations);

struct DecodedPyTorchJob {
  PyTorchJob job;
  FieldLocations locations;
};

// DecodePyTorchJob with its own context: the job (with any warnings), or the
// diagnostics that explain why there is none.
Result<DecodedPyTorchJob> DecodePyTorchJobDocument(const YAML::Node& document,
                                                   const std::string& file);

// Parses `text` (exactly one YAML or JSON document) and decodes it; a syntax
// error is reported with its line. For tests and single-document callers.
Result<DecodedPyTorchJob> ParsePyTorchJob(const std::string& text, const std::string& file);

}  // namespace ptsim
