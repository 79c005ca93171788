// The parts of a pod that name places on disk, checked as the API server
// checks them (pkg/apis/core/validation/validation.go: ValidateVolumes,
// validateHostPathVolumeSource, validateVolumeMounts) plus what ptsim needs
// because it turns names into directories: every name that becomes a path
// component (namespace, pod name, container and volume names, claim names)
// is a DNS label or subdomain, so it can never be "..", hold a '/', or be
// longer than 253 bytes, and no subPath or hostPath steps back with "..".
// Plain functions of the data; used by the loader (with file positions) and
// by the fake API server for every pod created (operator-made pods included).
#pragma once

#include <string>
#include <vector>

#include "sim/model/pod.hpp"

namespace ptsim {

struct PodPathError {
  std::string field;    // e.g. "spec.volumes[0].name", relative to the pod
  std::string message;  // e.g. "Invalid value: \"../x\": a lowercase RFC 1123 label ..."
};

// Every problem of `pod`'s names and volume paths, in field order.
std::vector<PodPathError> CheckPodPaths(const Pod& pod);
// The same for a pod spec only (templates: their names are given later).
std::vector<PodPathError> CheckPodSpecPaths(const PodSpec& spec, const std::string& prefix);

// True when `path` has a ".." component (upstream validatePathNoBacksteps).
bool HasBacksteps(const std::string& path);

}  // namespace ptsim
