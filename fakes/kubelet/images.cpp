#include "fakes/kubelet/images.hpp"

namespace ptsim {

std::string ImageWithoutTag(const std::string& image) {
  std::string bare = image;
  if (const auto at = bare.find('@'); at != std::string::npos) bare = bare.substr(0, at);
  const auto slash = bare.rfind('/');
  const auto colon = bare.rfind(':');
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
    bare = bare.substr(0, colon);
  }
  return bare;
}

const ImageSpec* MapImageRegistry::Find(const std::string& image) const {
  if (auto it = images_.find(image); it != images_.end()) return &it->second;
  if (auto it = images_.find(ImageWithoutTag(image)); it != images_.end()) return &it->second;
  return nullptr;
}

std::vector<std::string> CommandLine(const Container& container, const ImageSpec* image) {
  if (image && !image->run.empty()) return image->run;
  std::vector<std::string> argv = container.command;
  std::vector<std::string> args = container.args;
  if (argv.empty() && image) {
    if (image->entrypoint.empty() && image->cmd.empty()) return {};  // ENTRYPOINT unknown
    argv = image->entrypoint;
    if (args.empty()) args = image->cmd;
  }
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

bool MappingSuppliesCommand(const Container& container, const ImageSpec& image) {
  if (!image.run.empty()) return true;
  return container.command.empty() && (!image.entrypoint.empty() || !image.cmd.empty());
}

std::string ScriptAnnotation(const std::string& container_name) {
  return "script.ptsim.io/" + container_name;
}

}  // namespace ptsim
