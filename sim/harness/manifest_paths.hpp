// Relative paths written in a manifest resolve against the directory of the
// file that holds it, whatever ptsim's current directory (docs/scenarios.md,
// "Paths"). For a Pod spec that is a container's `workingDir`, made absolute
// here, at load; whether it exists is checked before the run
// (container_preflight.hpp), once image mappings say which directory each
// container really runs in. Plain functions; any thread.
#pragma once

#include <string>

#include "sim/model/pod.hpp"

namespace ptsim {

// Makes the relative workingDir of every container of `spec`, read from
// `file`, absolute. Paths under a volume mount are the container's own.
void ResolveWorkingDirs(PodSpec* spec, const std::string& file);

// True when `path` is a container's mount path or lies under one: such a
// directory is made when the container starts.
bool UnderVolumeMount(const Container& container, const std::string& path);

}  // namespace ptsim
