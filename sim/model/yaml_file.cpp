#include "sim/model/yaml_file.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

namespace ptsim {

Result<YamlFile> ReadYamlFile(const std::string& path) {
  Diagnostics d;
  std::ifstream in(path);
  if (!in) {
    d.Error({path, 0, 0}, "", "", "cannot read the file: no such file or it is not readable");
    return d;
  }
  std::stringstream text;
  text << in.rdbuf();
  YamlFile file;
  file.text = text.str();
  try {
    file.documents = YAML::LoadAll(file.text);
  } catch (const YAML::Exception& e) {
    d.Error({path, e.mark.line + 1, e.mark.column + 1}, "", "",
            fmt::format("malformed YAML/JSON: {}", e.msg));
    return d;
  }
  return file;
}

}  // namespace ptsim
