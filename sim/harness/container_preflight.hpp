// The pre-flight check of every container a plan can start, before anything
// runs (docs/scenarios.md "Images" and "Paths"). Errors mean exit status 2:
//  - nothing to run: no command, no args an entrypoint can take, no image
//    mapping that says what runs, no script;
//  - a program that cannot be found, or, for an image nothing maps, a
//    command naming a script that does not exist here (it is inside the
//    image, which ptsim does not pull), with a hint to map the image;
//  - a working directory that does not exist.
// Warnings (and a note for the report): an image nothing maps whose command
// runs on this machine as it is (unless it is ptsim-worker, ptsim's own fake
// trainer, which is meant to run here); a mapping no container uses, with the
// nearest image reference. Plain functions; any thread.
#pragma once

#include <string>
#include <vector>

#include "sim/harness/run_plan.hpp"

namespace ptsim {

// Checks the containers of `plan` against its image mappings; `base_env`
// supplies PATH. Adds notes to `plan`.
void CheckContainersCanStart(RunPlan* plan, const std::vector<std::string>& base_env,
                             Diagnostics* diagnostics);

// The image of every container `plan` can start.
std::vector<std::string> ContainerImages(const RunPlan& plan);

// A warning for each of `mappings` that no image of `images` uses (a typo in
// a reference), naming the nearest image. A mapping from an --images file is
// only suspect when an image of the run is near it: such a file may map
// images of other runs.
void WarnUnusedMappings(const std::vector<ImageMapping>& mappings,
                        const std::vector<std::string>& images, Diagnostics* diagnostics);

}  // namespace ptsim
