// Image mappings (docs/scenarios.md "Images"): what a container of an image
// runs and where, from a scenario's `images:`, a file given with `--images`,
// or `--image 'REF={...}'` on the command line, all in the same YAML form.
//
// Decoding resolves relative paths (`workingDir`, and the program of `run`,
// `entrypoint` or `cmd` when it is a path) against the directory of the file
// that holds the mapping, or the current directory for `--image`, and records
// that directory as the mapping's base directory (ImageSpec::base_dir). Two
// mappings of the same reference from two places are an error naming both,
// unless they are identical. Every error names the file and line, or the
// flag. Plain functions; any thread.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "fakes/kubelet/images.hpp"
#include "sim/core/diagnostics.hpp"
#include "sim/model/yaml_reader.hpp"

namespace ptsim {

struct ImageMapping {
  std::string ref;          // the image reference, as written
  ImageSpec spec;           // paths resolved
  std::string script_text;  // the script as written, to compare mappings
  SourceLocation where;     // the mapping in its file, or the flag
  // Where it came from, for messages: "s.yaml:12:3", "--image 'REF={...}'".
  std::string origin;
  bool from_command_line = false;  // --image or --images
  // From a file of mappings (--images) that may well map images this run
  // does not have: unused, it is only suspect when near an image of the run.
  bool from_library = false;
};

// Decodes the value of an `images:` key: a mapping from reference to what the
// image runs. `base_dir` is the directory relative paths resolve against.
void DecodeImageMap(DecodeContext& ctx, const YAML::Node& images, const std::string& base_dir,
                    bool from_command_line, std::vector<ImageMapping>* out);

// `--image 'REF={run: [...], workingDir: ..., ...}'`: one mapping, its paths
// relative to `cwd`.
Result<ImageMapping> ParseImageFlag(const std::string& text, const std::string& cwd);

// `--images FILE`: a YAML file holding `images:`. `path` is relative to `cwd`;
// the paths inside it to the file's directory.
Result<std::vector<ImageMapping>> LoadImagesFile(const std::string& path, const std::string& cwd);

// Adds `more` to `into`. A reference both map, differently, is an error
// naming both places; an identical second mapping is dropped.
void MergeImageMappings(const std::vector<ImageMapping>& more, std::vector<ImageMapping>* into,
                        Diagnostics* diagnostics);

// "{run: [ptsim-worker, --steps, 20], workingDir: /srv}": a mapping as YAML,
// for messages.
std::string DescribeImageSpec(const ImageMapping& mapping);

}  // namespace ptsim
