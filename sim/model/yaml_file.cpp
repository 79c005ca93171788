#include "sim/model/yaml_file.hpp"

#include <fmt/format.h>

#include "sim/model/input_text.hpp"
#include "sim/model/yaml_guard.hpp"

namespace ptsim {

Result<YamlFile> ReadYamlFile(const std::string& path) {
  auto text = ReadInputFile(path);
  if (!text.ok()) return text.diagnostics();
  return ParseYamlText(std::move(*text), path);
}

Result<YamlFile> ParseYamlText(std::string text, const std::string& path) {
  Diagnostics d;
  if (text.size() > kMaxInputFileBytes) {
    d.Error({path, 0, 0}, "", "",
            fmt::format("the text is larger than {} MiB, ptsim's limit for one input file",
                        kMaxInputFileBytes >> 20));
    return d;
  }
  CheckInputText(text, path, &d);
  if (!d.ok() || !CheckYamlStream(text, path, &d)) return d;
  YamlFile file;
  file.text = std::move(text);
  try {
    file.documents = YAML::LoadAll(file.text);
  } catch (const YAML::Exception& e) {
    d.Error({path, e.mark.line + 1, e.mark.column + 1}, "", "",
            fmt::format("malformed YAML/JSON: {}", e.msg));
    return d;
  } catch (const std::exception& e) {
    d.Error({path, 0, 0}, "", "", fmt::format("cannot load the file: {}", e.what()));
    return d;
  }
  return file;
}

}  // namespace ptsim
