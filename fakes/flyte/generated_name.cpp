#include "fakes/flyte/generated_name.hpp"

#include <string_view>

namespace ptsim::flyte {
namespace {

// encoder.go specialEncoderKey.
constexpr std::string_view kBase32Alphabet = "abcdefghijklmnopqrstuvwxyz123456";

// hash/fnv New32a.
uint32_t Fnv32a(const std::string& s) {
  uint32_t h = 2166136261u;
  for (unsigned char c : s) {
    h ^= c;
    h *= 16777619u;
  }
  return h;
}

// base32.NewEncoding(alphabet).WithPadding(NoPadding).EncodeToString.
std::string Base32(const std::vector<uint8_t>& bytes) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (uint8_t b : bytes) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += kBase32Alphabet[(buffer >> (bits - 5)) & 31u];
      bits -= 5;
    }
  }
  if (bits > 0) out += kBase32Alphabet[(buffer << (5 - bits)) & 31u];
  return out;
}

}  // namespace

std::string FixedLengthUniqueId(const std::string& input, int max_length) {
  if (static_cast<int>(input.size()) <= max_length) return input;
  const uint32_t h = Fnv32a(input);
  // Sum(nil) is big-endian.
  std::vector<uint8_t> bytes = {static_cast<uint8_t>(h >> 24), static_cast<uint8_t>(h >> 16),
                                static_cast<uint8_t>(h >> 8), static_cast<uint8_t>(h)};
  return "f" + Base32(bytes);
}

std::string FixedLengthUniqueIdForParts(const std::vector<std::string>& parts, int max_length) {
  std::string joined;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0 && !joined.empty()) joined += '-';
    joined += parts[i];
  }
  return FixedLengthUniqueId(joined, max_length);
}

std::string GeneratedName(const std::string& execution_name, const std::string& node_id,
                          int64_t retry_attempt) {
  return FixedLengthUniqueIdForParts({execution_name, node_id, std::to_string(retry_attempt)});
}

}  // namespace ptsim::flyte
