// Log-link template substitution (flyteplugins pluginmachinery/tasklog/
// template.go): `{{ .name }}` / `{{$name}}` placeholders, matched
// case-insensitively with optional spaces, and `{{ .taskConfig.<key> }}` for
// dynamic links. Variables with empty values are left in place, as upstream
// does (replaceAll skips them). Internal to fakes/flyte; pure functions.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ptsim::flyte {

using TemplateVars = std::vector<std::pair<std::string, std::string>>;

// Parses a placeholder at `pos`; returns its end offset and the identifier,
// or npos. With `task_config`, only `{{ .taskConfig.<key> }}` matches.
size_t MatchPlaceholder(std::string_view s, size_t pos, bool task_config, std::string* ident);

// replaceAll: each variable with a non-empty value, in order.
std::string RenderTemplate(std::string text, const TemplateVars& vars, bool task_config = false);

}  // namespace ptsim::flyte
