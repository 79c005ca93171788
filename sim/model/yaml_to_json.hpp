// YAML to JSON the way Kubernetes clients convert a manifest before sending it
// (kubectl: apimachinery util/yaml -> sigs.k8s.io/yaml v1.4.0 YAMLToJSON, which
// resolves plain scalars with its goyaml.v2 fork, i.e. YAML 1.1 rules): quoted
// and block scalars are strings; plain scalars become null (`~`, `null`, empty),
// booleans (`true`, `yes`, `on`, `y` and their negations in three casings),
// integers (decimal, 0x, 0o, 0b, a leading 0 means octal, `_` ignored) or floats,
// and everything else stays a string (`-e`, `--`, `..`, `e1`, `_`, and a float
// beyond the range of a double such as 1e999, which strconv.ParseFloat rejects). Map keys become
// strings (`yes:` -> "true"). Used to show a `spec` "as submitted" and to keep free-form fields
// (HPA metrics) as JSON. Pure functions; any thread.
#pragma once

#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace ptsim {

// Returns nullopt and sets `error` (when non-null) where Kubernetes' conversion
// fails: a null or non-scalar map key, or a float that JSON cannot hold (.nan,
// .inf). Not reproduced: `<<` merge keys (kept as a literal "<<" key) and
// timestamps other than a plain date, which goyaml.v2 would turn into a Go
// time (a plain `2024-1-2` becomes "2024-01-02T00:00:00Z"; `2024-01-02T10:00:00Z`
// stays as written, which is what Go prints for it anyway).
// An undefined node (a missing key) converts to null.
std::optional<nlohmann::json> YamlToJson(const YAML::Node& node, std::string* error = nullptr);

// The JSON value of one plain (unquoted) scalar, per the rules above; nullopt
// for .nan/.inf.
std::optional<nlohmann::json> ResolvePlainScalar(const std::string& text);

}  // namespace ptsim
