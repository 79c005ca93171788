// What the kubelet knows about images, and how pulling them goes.
//
// Images are never pulled: an ImageRegistry maps an image reference to what a
// container of that image runs (its entrypoint and cmd, as a Dockerfile would
// declare them, a replacement command line, or a container script) and where
// (its working directory and environment). An ImagePuller decides how a
// "pull" goes; the default one succeeds at once, and fault injection wraps it
// to delay or fail pulls (ErrImagePull / ImagePullBackOff). Paths in an
// ImageSpec are absolute by the time it reaches a registry (the harness
// resolves them against the file that held the mapping). Plain data.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/time.hpp"
#include "sim/model/container_script.hpp"
#include "sim/model/pod.hpp"

namespace ptsim {

struct ImageSpec {
  std::vector<std::string> entrypoint;  // Dockerfile ENTRYPOINT
  std::vector<std::string> cmd;         // Dockerfile CMD
  std::vector<std::string> env;         // "NAME=value", the image's ENV
  std::string working_dir;              // Dockerfile WORKDIR
  // When set, replaces the container's whole command line (command and args):
  // for manifests whose commands name files that exist only inside the image.
  std::vector<std::string> run;
  std::shared_ptr<const ContainerScript> script;  // set for scripted images
  // The directory of the file that held the mapping (the current directory
  // for one given on the command line): the working directory of a process
  // whose command line the mapping supplies (MappingSuppliesCommand), when
  // neither the container nor the mapping names one.
  std::string base_dir;
};

class ImageRegistry {
 public:
  virtual ~ImageRegistry() = default;
  // Null when the image is unknown.
  virtual const ImageSpec* Find(const std::string& image) const = 0;
};

// "repo/name:tag" -> "repo/name", "repo/name@sha256:..." -> "repo/name";
// "host:5000/name" keeps its port.
std::string ImageWithoutTag(const std::string& image);

// A registry held in a map; exact references first, then the reference without
// its tag or digest (ImageWithoutTag).
class MapImageRegistry final : public ImageRegistry {
 public:
  void Add(const std::string& image, ImageSpec spec) { images_[image] = std::move(spec); }
  const ImageSpec* Find(const std::string& image) const override;
  bool empty() const { return images_.empty(); }

 private:
  std::map<std::string, ImageSpec> images_;
};

struct PullOutcome {
  Duration delay{0};  // the pull takes this long
  std::string error;  // non-empty: the pull fails with this message (ErrImagePull)
};

class ImagePuller {
 public:
  virtual ~ImagePuller() = default;
  virtual PullOutcome Pull(const Pod& pod, const Container& container) = 0;
};

class InstantImagePuller final : public ImagePuller {
 public:
  PullOutcome Pull(const Pod&, const Container&) override { return {}; }
};

// The command line a container of `image` (null: unknown) runs, before $(VAR)
// expansion: the image's `run` when it has one; else the container's command
// and args, where a missing command takes the image's ENTRYPOINT and, when
// args are missing too, its CMD (the Kubernetes rule for command/args against
// an image's ENTRYPOINT/CMD; an image mapped with `cmd` and no `entrypoint`
// has no ENTRYPOINT, so args run as the command, as do the args of an
// unmapped image). Empty when there is nothing to run, which includes a
// container with only args whose mapping names neither entrypoint nor cmd
// (one with only workingDir or env): ptsim cannot know its ENTRYPOINT.
std::vector<std::string> CommandLine(const Container& container, const ImageSpec* image);

// True when `image` decides the program a container runs: its `run`, or its
// entrypoint/cmd taken because the container has no command.
bool MappingSuppliesCommand(const Container& container, const ImageSpec& image);

// The pod annotation that makes a container scripted:
// `script.ptsim.io/<container name>: "run 30s, exit 1 | run 10s, exit 0"`.
std::string ScriptAnnotation(const std::string& container_name);

}  // namespace ptsim
