#include "sim/model/label_selector.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace ptsim {
namespace {

std::string Trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return "";
  const auto e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

// Splits on commas that are not inside parentheses.
std::vector<std::string> SplitTopLevel(std::string_view s) {
  std::vector<std::string> parts;
  int depth = 0;
  std::string current;
  for (char c : s) {
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (c == ',' && depth == 0) {
      parts.push_back(Trim(current));
      current.clear();
    } else {
      current += c;
    }
  }
  parts.push_back(Trim(current));
  return parts;
}

}  // namespace

LabelSelector LabelSelector::FromLabels(const Labels& match_labels) {
  LabelSelector s;
  for (const auto& [k, v] : match_labels) {
    s.requirements_.push_back({k, LabelRequirement::Op::kEquals, {v}});
  }
  return s;
}

Result<LabelSelector> LabelSelector::Parse(std::string_view text) {
  LabelSelector s;
  Diagnostics diags;
  if (Trim(text).empty()) return s;
  for (const std::string& part : SplitTopLevel(text)) {
    auto bad = [&](std::string why) {
      diags.Error({}, "", "", fmt::format("invalid label selector \"{}\": {}", text, why));
    };
    if (part.empty()) {
      bad("empty requirement");
      continue;
    }
    LabelRequirement r;
    if (part[0] == '!') {
      r.key = Trim(part.substr(1));
      r.op = LabelRequirement::Op::kDoesNotExist;
    } else if (auto pos = part.find(" notin "); pos != std::string::npos) {
      r.key = Trim(part.substr(0, pos));
      r.op = LabelRequirement::Op::kNotIn;
      std::string rest = Trim(part.substr(pos + 7));
      if (rest.size() < 2 || rest.front() != '(' || rest.back() != ')') {
        bad("expected a parenthesised value list after notin");
        continue;
      }
      for (auto& v : SplitTopLevel(rest.substr(1, rest.size() - 2)))
        r.values.push_back(v);
    } else if (auto pos_in = part.find(" in "); pos_in != std::string::npos) {
      r.key = Trim(part.substr(0, pos_in));
      r.op = LabelRequirement::Op::kIn;
      std::string rest = Trim(part.substr(pos_in + 4));
      if (rest.size() < 2 || rest.front() != '(' || rest.back() != ')') {
        bad("expected a parenthesised value list after in");
        continue;
      }
      for (auto& v : SplitTopLevel(rest.substr(1, rest.size() - 2)))
        r.values.push_back(v);
    } else if (auto ne = part.find("!="); ne != std::string::npos) {
      r.key = Trim(part.substr(0, ne));
      r.op = LabelRequirement::Op::kNotEquals;
      r.values = {Trim(part.substr(ne + 2))};
    } else if (auto eq = part.find('='); eq != std::string::npos) {
      const std::size_t skip = part.compare(eq, 2, "==") == 0 ? 2 : 1;
      r.key = Trim(part.substr(0, eq));
      r.op = LabelRequirement::Op::kEquals;
      r.values = {Trim(part.substr(eq + skip))};
    } else {
      r.key = part;
      r.op = LabelRequirement::Op::kExists;
    }
    if (r.key.empty()) {
      bad("empty key");
      continue;
    }
    s.requirements_.push_back(std::move(r));
  }
  if (!diags.ok()) return diags;
  return s;
}

bool LabelSelector::Matches(const Labels& labels) const {
  for (const auto& r : requirements_) {
    const auto it = labels.find(r.key);
    const bool has = it != labels.end();
    auto in_values = [&] {
      return has && std::find(r.values.begin(), r.values.end(), it->second) != r.values.end();
    };
    switch (r.op) {
      case LabelRequirement::Op::kEquals:
      case LabelRequirement::Op::kIn:
        if (!in_values()) return false;
        break;
      case LabelRequirement::Op::kNotEquals:
      case LabelRequirement::Op::kNotIn:
        if (in_values()) return false;
        break;
      case LabelRequirement::Op::kExists:
        if (!has) return false;
        break;
      case LabelRequirement::Op::kDoesNotExist:
        if (has) return false;
        break;
    }
  }
  return true;
}

std::string LabelSelector::ToString() const {
  std::vector<std::string> parts;
  for (const auto& r : requirements_) {
    switch (r.op) {
      case LabelRequirement::Op::kEquals:
        parts.push_back(r.key + "=" + r.values.front());
        break;
      case LabelRequirement::Op::kNotEquals:
        parts.push_back(r.key + "!=" + r.values.front());
        break;
      case LabelRequirement::Op::kIn:
        parts.push_back(fmt::format("{} in ({})", r.key, fmt::join(r.values, ",")));
        break;
      case LabelRequirement::Op::kNotIn:
        parts.push_back(fmt::format("{} notin ({})", r.key, fmt::join(r.values, ",")));
        break;
      case LabelRequirement::Op::kExists:
        parts.push_back(r.key);
        break;
      case LabelRequirement::Op::kDoesNotExist:
        parts.push_back("!" + r.key);
        break;
    }
  }
  std::sort(parts.begin(), parts.end());
  return fmt::format("{}", fmt::join(parts, ","));
}

}  // namespace ptsim
