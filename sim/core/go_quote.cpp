#include "sim/core/go_quote.hpp"

#include <fmt/format.h>

#include "sim/core/utf8.hpp"

namespace ptsim {
namespace {

struct Range {
  char32_t first;
  char32_t last;
};

// Code points above U+00FF that unicode.IsPrint rejects: Zs other than U+0020,
// Zl, Zp, Cf (Unicode 15) and Co, plus the noncharacters.
constexpr Range kNotPrintable[] = {
    {0x0600, 0x0605},    {0x061C, 0x061C},   {0x06DD, 0x06DD},   {0x070F, 0x070F},
    {0x0890, 0x0891},    {0x08E2, 0x08E2},   {0x1680, 0x1680},   {0x180E, 0x180E},
    {0x2000, 0x200F},    {0x2028, 0x202F},   {0x205F, 0x2064},   {0x2066, 0x206F},
    {0x3000, 0x3000},    {0xE000, 0xF8FF},   {0xFDD0, 0xFDEF},   {0xFEFF, 0xFEFF},
    {0xFFF9, 0xFFFB},    {0x110BD, 0x110BD}, {0x110CD, 0x110CD}, {0x13430, 0x1343F},
    {0x1BCA0, 0x1BCA3},  {0x1D173, 0x1D17A}, {0xE0001, 0xE0001}, {0xE0020, 0xE007F},
    {0xF0000, 0x10FFFF},
};

// Appends the escape of one character; `quoting` also escapes '"' and '\'.
void Escape(std::string_view text, bool quoting, std::string* out) {
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      switch (c) {
        case '"':
          *out += quoting ? "\\\"" : "\"";
          continue;
        case '\\':
          *out += quoting ? "\\\\" : "\\";
          continue;
        case '\a':
          *out += "\\a";
          continue;
        case '\b':
          *out += "\\b";
          continue;
        case '\f':
          *out += "\\f";
          continue;
        case '\n':
          *out += "\\n";
          continue;
        case '\r':
          *out += "\\r";
          continue;
        case '\t':
          *out += "\\t";
          continue;
        case '\v':
          *out += "\\v";
          continue;
        default:
          if (c < 0x20 || c == 0x7F) {
            *out += fmt::format("\\x{:02x}", c);
          } else {
            *out += static_cast<char>(c);
          }
          continue;
      }
    }
    char32_t cp = 0;
    const std::size_t n = DecodeUtf8(text, i, &cp);
    if (n == 0) {
      *out += fmt::format("\\x{:02x}", c);
      ++i;
      continue;
    }
    if (IsGoPrintable(cp)) {
      out->append(text.substr(i, n));
    } else if (cp < 0x10000) {
      *out += fmt::format("\\u{:04x}", static_cast<unsigned>(cp));
    } else {
      *out += fmt::format("\\U{:08x}", static_cast<unsigned>(cp));
    }
    i += n;
  }
}

}  // namespace

bool IsGoPrintable(char32_t cp) {
  if (cp < 0x100) return (cp >= 0x20 && cp < 0x7F) || (cp > 0xA0 && cp != 0xAD);
  if ((cp & 0xFFFE) == 0xFFFE) return false;  // U+xxFFFE and U+xxFFFF
  for (const Range& r : kNotPrintable) {
    if (cp < r.first) return true;
    if (cp <= r.last) return false;
  }
  return true;
}

std::string GoQuote(std::string_view text) {
  std::string out = "\"";
  out.reserve(text.size() + 2);
  Escape(text, /*quoting=*/true, &out);
  return out + "\"";
}

std::string EscapeUnprintable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  Escape(text, /*quoting=*/false, &out);
  return out;
}

}  // namespace ptsim
