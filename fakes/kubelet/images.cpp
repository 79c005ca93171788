#include "fakes/kubelet/images.hpp"

namespace ptsim {

const ImageSpec* MapImageRegistry::Find(const std::string& image) const {
  if (auto it = images_.find(image); it != images_.end()) return &it->second;
  std::string bare = image;
  if (const auto at = bare.find('@'); at != std::string::npos) bare = bare.substr(0, at);
  const auto slash = bare.rfind('/');
  const auto colon = bare.rfind(':');
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
    bare = bare.substr(0, colon);
  }
  if (auto it = images_.find(bare); it != images_.end()) return &it->second;
  return nullptr;
}

std::vector<std::string> CommandLine(const Container& container, const ImageSpec* image) {
  if (image && !image->run.empty()) return image->run;
  std::vector<std::string> argv = container.command;
  std::vector<std::string> args = container.args;
  if (argv.empty() && image) {
    argv = image->entrypoint;
    if (args.empty()) args = image->cmd;
  }
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

std::string ScriptAnnotation(const std::string& container_name) {
  return "script.ptsim.io/" + container_name;
}

}  // namespace ptsim
