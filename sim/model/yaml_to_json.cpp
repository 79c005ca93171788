#include "sim/model/yaml_to_json.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string_view>

namespace ptsim {
namespace {

enum class Special { kNone, kNaN, kInf };

// goyaml.v2 resolve.go resolveMapList: the plain scalars looked up by text.
bool LookupResolveMap(const std::string& s, nlohmann::json* out, Special* special) {
  static const char* const kTrue[] = {"y",    "Y",    "yes", "Yes", "YES", "true",
                                      "True", "TRUE", "on",  "On",  "ON"};
  static const char* const kFalse[] = {"n",     "N",     "no",  "No",  "NO", "false",
                                       "False", "FALSE", "off", "Off", "OFF"};
  for (const char* t : kTrue) {
    if (s == t) {
      *out = true;
      return true;
    }
  }
  for (const char* f : kFalse) {
    if (s == f) {
      *out = false;
      return true;
    }
  }
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") {
    *out = nullptr;
    return true;
  }
  if (s == ".nan" || s == ".NaN" || s == ".NAN") {
    *special = Special::kNaN;
    return true;
  }
  for (const char* inf :
       {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF"}) {
    if (s == inf) {
      *special = Special::kInf;
      return true;
    }
  }
  return false;
}

// Go's strconv.ParseInt(s, 0, 64) / ParseUint(s, 0, 64) on text without '_'.
bool ParseGoInteger(std::string_view s, nlohmann::json* out) {
  bool negative = false;
  bool had_sign = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    had_sign = true;
    s.remove_prefix(1);
  }
  int base = 10;
  if (s.size() >= 2 && s[0] == '0') {
    const char p = static_cast<char>(s[1] | 0x20);
    if (p == 'x') {
      base = 16;
      s.remove_prefix(2);
    } else if (p == 'o') {
      base = 8;
      s.remove_prefix(2);
    } else if (p == 'b') {
      base = 2;
      s.remove_prefix(2);
    } else {
      base = 8;
      s.remove_prefix(1);
    }
  }
  if (s.empty()) return false;
  std::uint64_t magnitude = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), magnitude, base);
  if (ec != std::errc() || ptr != s.data() + s.size()) return false;
  constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (negative) {
    if (magnitude > kMax + 1) return false;
    *out = magnitude == kMax + 1 ? std::numeric_limits<std::int64_t>::min()
                                 : -static_cast<std::int64_t>(magnitude);
    return true;
  }
  if (magnitude <= kMax) {
    *out = static_cast<std::int64_t>(magnitude);
    return true;
  }
  if (had_sign) return false;  // ParseUint takes no sign
  *out = magnitude;
  return true;
}

bool IsLeapYear(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

// The number of ASCII digits at the start of `s`.
std::size_t Digits(std::string_view s) {
  std::size_t n = 0;
  while (n < s.size() && s[n] >= '0' && s[n] <= '9')
    ++n;
  return n;
}

// A decimal number of `digits` digits at the start of `s`.
int Number(std::string_view s, std::size_t digits) {
  int v = 0;
  for (std::size_t i = 0; i < digits; ++i)
    v = v * 10 + (s[i] - '0');
  return v;
}

// goyaml.v2 parseTimestamp, date-only layout "2006-1-2": YYYY-M-D with one or
// two digits for month and day, a real date.
std::optional<std::string> PlainDate(std::string_view s) {
  if (Digits(s) != 4 || s.size() < 8 || s[4] != '-') return std::nullopt;
  const int y = Number(s, 4);
  std::string_view rest = s.substr(5);
  const std::size_t m_digits = Digits(rest);
  if (m_digits < 1 || m_digits > 2 || m_digits >= rest.size() || rest[m_digits] != '-') {
    return std::nullopt;
  }
  const int mo = Number(rest, m_digits);
  rest.remove_prefix(m_digits + 1);
  const std::size_t d_digits = Digits(rest);
  if (d_digits < 1 || d_digits > 2 || d_digits != rest.size()) return std::nullopt;
  const int d = Number(rest, d_digits);
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (mo < 1 || mo > 12 || d < 1) return std::nullopt;
  const int days = kDays[mo - 1] + (mo == 2 && IsLeapYear(y) ? 1 : 0);
  if (d > days) return std::nullopt;
  return fmt::format("{:04}-{:02}-{:02}T00:00:00Z", y, mo, d);
}

// goyaml.v2 yamlStyleFloat: ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$,
// matched by hand: std::regex recurses once per character and overflows the
// stack on a long scalar.
bool IsYamlStyleFloat(std::string_view s) {
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.remove_prefix(1);
  if (!s.empty() && s[0] == '.') {
    const std::size_t n = Digits(s.substr(1));
    if (n == 0) return false;
    s.remove_prefix(1 + n);
  } else {
    const std::size_t n = Digits(s);
    if (n == 0) return false;
    s.remove_prefix(n);
    if (!s.empty() && s[0] == '.') s.remove_prefix(1 + Digits(s.substr(1)));
  }
  if (!s.empty() && (s[0] == 'e' || s[0] == 'E')) {
    s.remove_prefix(1);
    if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.remove_prefix(1);
    const std::size_t n = Digits(s);
    if (n == 0) return false;
    s.remove_prefix(n);
  }
  return s.empty();
}

// strconv.ParseFloat on text that IsYamlStyleFloat accepted: out of range
// (beyond +-1.8e308) is an error, and goyaml.v2 then keeps the text a string.
std::optional<double> ParseFloat(const std::string& s) {
  const double v = std::strtod(s.c_str(), nullptr);
  if (std::isinf(v)) return std::nullopt;
  return v;
}

std::optional<nlohmann::json> Resolve(const std::string& in, Special* special) {
  nlohmann::json out;
  // The first character hints at the type (goyaml.v2 resolveTable); text
  // starting with anything else is a string.
  const char c = in.empty() ? 'N' : in[0];
  const bool sign = c == '+' || c == '-';
  const bool digit = c >= '0' && c <= '9';
  const bool in_map = std::string_view("yYnNtTfFoO~").find(c) != std::string_view::npos;
  if (!sign && !digit && !in_map && c != '.') return in;
  if (LookupResolveMap(in, &out, special)) return out;
  if (c == '.') {
    if (IsYamlStyleFloat(in)) {
      if (auto v = ParseFloat(in)) return *v;
    }
    return in;
  }
  if (!sign && !digit) return in;
  if (auto date = PlainDate(in)) return *date;
  std::string plain;
  for (char ch : in) {
    if (ch != '_') plain += ch;
  }
  if (ParseGoInteger(plain, &out)) return out;
  if (IsYamlStyleFloat(plain)) {
    if (auto v = ParseFloat(plain)) return *v;
  }
  return in;
}

bool IsStringScalar(const YAML::Node& node) {
  // yaml-cpp tags quoted and block scalars "!"; an explicit !!str also counts.
  return node.Tag() == "!" || node.Tag() == "tag:yaml.org,2002:str";
}

// strconv.FormatFloat(f, 'g', -1, 32), used by sigs.k8s.io/yaml for float keys.
std::string GoFormatFloat32(double value) {
  const auto f = static_cast<float>(value);
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, f, std::chars_format::scientific);
  const std::string sci(buf, res.ptr);  // e.g. "1.5e+00", "-1e+21"
  const std::size_t e = sci.find('e');
  std::string mantissa = sci.substr(0, e);
  const int exp = std::atoi(sci.c_str() + e + 1);
  const bool negative = !mantissa.empty() && mantissa[0] == '-';
  if (negative) mantissa.erase(0, 1);
  std::string digits;
  for (char ch : mantissa) {
    if (ch != '.') digits += ch;
  }
  std::string out;
  if (exp < -4 || exp >= 6) {
    out = digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    out += fmt::format("e{}{:02}", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
  } else if (exp < 0) {
    out = "0." + std::string(static_cast<std::size_t>(-exp - 1), '0') + digits;
  } else {
    const auto point = static_cast<std::size_t>(exp) + 1;
    if (digits.size() <= point) {
      out = digits + std::string(point - digits.size(), '0');
    } else {
      out = digits.substr(0, point) + "." + digits.substr(point);
    }
  }
  return (negative ? "-" : "") + out;
}

bool Convert(const YAML::Node& node, nlohmann::json* out, std::string* error) {
  if (!node.IsDefined()) {  // a missing key (yaml-cpp's Type() would throw)
    *out = nullptr;
    return true;
  }
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      *out = nullptr;
      return true;
    case YAML::NodeType::Scalar: {
      if (IsStringScalar(node)) {
        *out = node.Scalar();
        return true;
      }
      Special special = Special::kNone;
      auto v = Resolve(node.Scalar(), &special);
      if (!v || special != Special::kNone) {
        *error = fmt::format("json: unsupported value: {} (line {})", node.Scalar(),
                             node.Mark().line + 1);
        return false;
      }
      *out = std::move(*v);
      return true;
    }
    case YAML::NodeType::Sequence: {
      *out = nlohmann::json::array();
      for (const auto& item : node) {
        nlohmann::json v;
        if (!Convert(item, &v, error)) return false;
        out->push_back(std::move(v));
      }
      return true;
    }
    case YAML::NodeType::Map: {
      *out = nlohmann::json::object();
      for (const auto& kv : node) {
        std::string key;
        if (!kv.first.IsScalar()) {
          *error = fmt::format("unsupported map key (a {}) at line {}",
                               kv.first.IsMap() ? "mapping" : "list", kv.first.Mark().line + 1);
          return false;
        }
        if (IsStringScalar(kv.first)) {
          key = kv.first.Scalar();
        } else {
          Special special = Special::kNone;
          auto k = Resolve(kv.first.Scalar(), &special);
          if (special == Special::kNaN) {
            key = ".nan";
          } else if (special == Special::kInf) {
            key = kv.first.Scalar()[0] == '-' ? "-.inf" : ".inf";
          } else if (k->is_null()) {
            *error = fmt::format("unsupported map key of type: <nil> at line {}",
                                 kv.first.Mark().line + 1);
            return false;
          } else if (k->is_string()) {
            key = k->get<std::string>();
          } else if (k->is_boolean()) {
            key = k->get<bool>() ? "true" : "false";
          } else if (k->is_number_float()) {
            key = GoFormatFloat32(k->get<double>());
          } else {
            key = k->dump();
          }
        }
        nlohmann::json v;
        if (!Convert(kv.second, &v, error)) return false;
        (*out)[key] = std::move(v);
      }
      return true;
    }
  }
  return true;
}

}  // namespace

std::optional<nlohmann::json> ResolvePlainScalar(const std::string& text) {
  Special special = Special::kNone;
  auto v = Resolve(text, &special);
  if (special != Special::kNone) return std::nullopt;
  return v;
}

std::optional<nlohmann::json> YamlToJson(const YAML::Node& node, std::string* error) {
  std::string ignored;
  nlohmann::json out;
  if (!Convert(node, &out, error ? error : &ignored)) return std::nullopt;
  return out;
}

}  // namespace ptsim
