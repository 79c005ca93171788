#include "fakes/flyte/log_template.hpp"

#include <cctype>

namespace ptsim::flyte {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool EqualFold(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace

size_t MatchPlaceholder(std::string_view s, size_t pos, bool task_config, std::string* ident) {
  if (s.substr(pos, 2) != "{{") return std::string_view::npos;
  size_t i = pos + 2;
  while (i < s.size() && IsSpace(s[i]))
    ++i;
  if (task_config) {
    if (i + 1 + 10 > s.size() || !EqualFold(s.substr(i + 1, 10), "taskConfig")) {
      return std::string_view::npos;
    }
    i += 11;
  }
  if (i >= s.size() || (s[i] != '.' && s[i] != '$')) return std::string_view::npos;
  size_t start = ++i;
  auto ident_char = [&](char c) {
    return std::isalpha(static_cast<unsigned char>(c)) || c == '_' ||
           (!task_config && std::isdigit(static_cast<unsigned char>(c)));
  };
  while (i < s.size() && ident_char(s[i]))
    ++i;
  if (i == start) return std::string_view::npos;
  *ident = std::string(s.substr(start, i - start));
  while (i < s.size() && IsSpace(s[i]))
    ++i;
  if (s.substr(i, 2) != "}}") return std::string_view::npos;
  return i + 2;
}

std::string RenderTemplate(std::string text, const TemplateVars& vars, bool task_config) {
  for (const auto& [name, value] : vars) {
    if (value.empty()) continue;
    std::string out;
    for (size_t i = 0; i < text.size();) {
      std::string ident;
      size_t end = MatchPlaceholder(text, i, task_config, &ident);
      if (end != std::string_view::npos && EqualFold(ident, name)) {
        out += value;
        i = end;
      } else {
        out += text[i++];
      }
    }
    text = std::move(out);
  }
  return text;
}

}  // namespace ptsim::flyte
