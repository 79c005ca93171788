// Decoding of core/v1 Pod manifests (and the pieces other kinds embed: object
// metadata, pod templates, containers) from YAML or JSON, strictly: unknown
// fields, wrong types and bad quantities are errors with file, line and field
// path; valid Kubernetes fields that ptsim does not simulate are accepted, the
// behavioural ones with a warning.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <string>

#include "sim/model/object_meta.hpp"
#include "sim/model/pod.hpp"
#include "sim/model/yaml_reader.hpp"

namespace ptsim {

// apimachinery's TotalAnnotationSizeLimitB: keys plus values of all of an
// object's annotations.
inline constexpr std::size_t kTotalAnnotationSizeLimitBytes = 256 * 1024;

// Also checks the annotations' total size, as the API server does.
void DecodeObjectMeta(MapReader& m, ObjectMeta* out);
// One env entry ({name, value, valueFrom: {fieldRef | resourceFieldRef}}).
void DecodeEnvVar(DecodeContext& ctx, const YAML::Node& node, const std::string& path, EnvVar* out);
void DecodeContainer(DecodeContext& ctx, const YAML::Node& node, const std::string& path,
                     Container* out);
void DecodePodSpec(MapReader& m, PodSpec* out);
// A PodTemplateSpec: {metadata, spec}.
void DecodePodTemplate(MapReader& m, ObjectMeta* meta, PodSpec* spec);
// A whole Pod document (apiVersion v1, kind Pod); status, if present, is ignored.
void DecodePod(MapReader& m, Pod* out);

// Checks that decoding cannot: names are DNS labels, container names unique,
// every container has an image or a command, ports in range, volume mounts
// refer to declared volumes. Reports into `ctx` at `node`.
void ValidatePodSpec(DecodeContext& ctx, const YAML::Node& node, const std::string& path,
                     const PodSpec& spec);

// RFC 1123 label (pod and container names): lower-case alphanumerics and '-',
// at most 63 characters. Returns an empty string when valid, else the reason.
std::string CheckDns1123Label(const std::string& value);
// RFC 1123 subdomain (object names): labels joined by '.', at most 253 characters.
std::string CheckDns1123Subdomain(const std::string& value);

}  // namespace ptsim
