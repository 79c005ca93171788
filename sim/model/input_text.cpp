#include "sim/model/input_text.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>

#include "sim/core/utf8.hpp"

namespace ptsim {
namespace {

// go-yaml's reader (yaml_parser_update_buffer): the printable characters of
// YAML 1.1 -- tab, LF, CR, 0x20-0x7E, NEL, 0xA0-0xD7FF, 0xE000-0xFFFD and the
// supplementary planes.
bool AllowedInYaml(char32_t cp) {
  return cp == 0x09 || cp == 0x0A || cp == 0x0D || (cp >= 0x20 && cp <= 0x7E) || cp == 0x85 ||
         (cp >= 0xA0 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
         (cp >= 0x10000 && cp <= 0x10FFFF);
}

}  // namespace

SourceLocation LocateOffset(std::string_view text, std::size_t offset, const std::string& path) {
  SourceLocation where{path, 1, 1};
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++where.line;
      where.column = 1;
    } else if ((c & 0xC0u) != 0x80u) {  // continuation bytes do not start a character
      ++where.column;
    }
  }
  return where;
}

Result<std::string> ReadInputFile(const std::string& path) {
  namespace fs = std::filesystem;
  Diagnostics d;
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (ec || !fs::exists(status)) {
    d.Error({path, 0, 0}, "", "", "cannot read the file: no such file or it is not readable");
    return d;
  }
  if (fs::is_directory(status)) {
    d.Error({path, 0, 0}, "", "", "is a directory; give a YAML or JSON file");
    return d;
  }
  auto too_large = [&] {
    d.Error({path, 0, 0}, "", "",
            fmt::format("the file is larger than {} MiB, ptsim's limit for one input file (the "
                        "API server takes at most 3 MiB per object); split it into smaller files",
                        kMaxInputFileBytes >> 20));
    return d;
  };
  if (fs::is_regular_file(status)) {
    const auto size = fs::file_size(path, ec);
    if (!ec && size > kMaxInputFileBytes) return too_large();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    d.Error({path, 0, 0}, "", "", "cannot read the file: no such file or it is not readable");
    return d;
  }
  // Read at most one byte more than the limit: a pipe or a device such as
  // /dev/zero has no size to check first.
  std::string text;
  char buffer[65536];
  while (in) {
    in.read(buffer, sizeof buffer);
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxInputFileBytes) return too_large();
  }
  if (in.bad()) {
    d.Error({path, 0, 0}, "", "", "cannot read the file: a read error occurred");
    return d;
  }
  return text;
}

void CheckInputText(std::string_view text, const std::string& path, Diagnostics* diagnostics) {
  if (text.size() >= 2 &&
      ((text[0] == '\xFF' && text[1] == '\xFE') || (text[0] == '\xFE' && text[1] == '\xFF'))) {
    diagnostics->Error({path, 1, 1}, "", "",
                       "the file is UTF-16 (it starts with a UTF-16 byte order mark); save it as "
                       "UTF-8");
    return;
  }
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7F) {
      ++i;
      continue;
    }
    char32_t cp = 0;
    const std::size_t n = DecodeUtf8(text, i, &cp);
    if (n == 0) {
      diagnostics->Error(LocateOffset(text, i, path), "", "",
                         fmt::format("invalid UTF-8 (byte 0x{:02x}): Kubernetes objects are "
                                     "UTF-8 text; save the file as UTF-8",
                                     c));
      return;
    }
    if (!AllowedInYaml(cp)) {
      diagnostics->Error(
          LocateOffset(text, i, path), "", "",
          fmt::format("control character U+{:04X} is not allowed in YAML or JSON text; to put "
                      "one in a value, write it as an escape in a double-quoted string: "
                      "\"\\u{:04x}\"",
                      static_cast<unsigned>(cp), static_cast<unsigned>(cp)));
      return;
    }
    i += n;
  }
}

}  // namespace ptsim
