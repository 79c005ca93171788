#include "tools/ptsim/kube_text.hpp"

#include <fmt/format.h>

#include <cctype>
#include <cmath>
#include <vector>

#include "sim/core/spelling.hpp"

namespace ptsim::cli {

std::string HumanDuration(double seconds_in) {
  // Go truncates toward zero; under -1s is "<invalid>", (-1, 0) is "0s".
  const auto seconds = static_cast<long long>(seconds_in);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 60 * 2) return fmt::format("{}s", seconds);
  const long long minutes = seconds / 60;
  if (minutes < 10) {
    const long long s = seconds % 60;
    return s == 0 ? fmt::format("{}m", minutes) : fmt::format("{}m{}s", minutes, s);
  }
  if (minutes < 60 * 3) return fmt::format("{}m", minutes);
  const long long hours = seconds / 3600;
  if (hours < 8) {
    const long long m = minutes % 60;
    return m == 0 ? fmt::format("{}h", hours) : fmt::format("{}h{}m", hours, m);
  }
  if (hours < 48) return fmt::format("{}h", hours);
  if (hours < 24 * 8) {
    const long long h = hours % 24;
    return h == 0 ? fmt::format("{}d", hours / 24) : fmt::format("{}d{}h", hours / 24, h);
  }
  if (hours < 24 * 365 * 2) return fmt::format("{}d", hours / 24);
  if (hours < 24 * 365 * 8) {
    const long long days = hours / 24 % 365;
    return days == 0 ? fmt::format("{}y", hours / 24 / 365)
                     : fmt::format("{}y{}d", hours / 24 / 365, days);
  }
  return fmt::format("{}y", hours / 24 / 365);
}

std::string VirtualTime(double seconds) {
  return fmt::format("{:.3f}s", seconds);
}

std::string SmartLabel(const std::string& field) {
  for (char c : field) {
    if (!std::isalpha(static_cast<unsigned char>(c)) && c != '-') return field;
  }
  // camelcase.Split: a new word at each lower-to-upper change, and before the
  // last capital of a run of capitals followed by a lower-case letter.
  std::vector<std::string> parts;
  for (std::size_t i = 0; i < field.size(); ++i) {
    const bool upper = std::isupper(static_cast<unsigned char>(field[i]));
    const bool prev_lower = i > 0 && !std::isupper(static_cast<unsigned char>(field[i - 1]));
    const bool next_lower =
        i + 1 < field.size() && std::islower(static_cast<unsigned char>(field[i + 1]));
    const bool prev_upper = i > 0 && std::isupper(static_cast<unsigned char>(field[i - 1]));
    if (parts.empty() || (upper && (prev_lower || (prev_upper && next_lower))))
      parts.emplace_back();
    parts.back() += field[i];
  }
  std::string out;
  for (auto part : parts) {
    std::string upper = part;
    for (auto& c : upper)
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (upper == "API" || upper == "URL" || upper == "UID" || upper == "OSB" || upper == "GUID") {
      part = upper;
    } else {
      part[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(part[0])));
    }
    out += (out.empty() ? "" : " ") + part;
  }
  return out;
}

std::string EventInterval(const nlohmann::json& event, double end) {
  const double first = event.value("time", 0.0);
  const double last = event.value("lastTime", first);
  const int count = event.value("count", 1);
  const std::string first_since = HumanDuration(end - first);
  if (count > 1)
    return fmt::format("{} (x{} over {})", HumanDuration(end - last), count, first_since);
  return first_since;
}

std::string Suggest(const std::string& word, const std::vector<std::string>& names) {
  const std::string near = Nearest(word, names, 3);
  return near.empty() ? "; " : fmt::format("; did you mean \"{}\"? ", near);
}

std::string Str(const nlohmann::json& j, const char* key) {
  if (!j.is_object()) return "";
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace ptsim::cli
