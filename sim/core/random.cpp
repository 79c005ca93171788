#include "sim/core/random.hpp"

#include <fmt/format.h>

namespace ptsim {

std::uint64_t Random::Next() {
  // SplitMix64 (Steele, Lea, Flood 2014).
  std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

std::uint64_t Random::Uniform(std::uint64_t bound) {
  // Rejection sampling keeps the draw unbiased.
  const std::uint64_t limit = ~std::uint64_t{0} - (~std::uint64_t{0} % bound);
  std::uint64_t x = Next();
  while (x >= limit) x = Next();
  return x % bound;
}

double Random::UniformDouble() {
  return static_cast<double>(Next() >> 11) * (1.0 / 9007199254740992.0);
}

Random Random::Fork(std::string_view name) const {
  // FNV-1a of the name, mixed with the seed.
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (char c : name) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ull;
  }
  Random mixer(seed_ ^ h);
  return Random(mixer.Next());
}

std::string Random::Uuid() {
  const std::uint64_t a = Next();
  const std::uint64_t b = Next();
  return fmt::format("{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}", a >> 32, (a >> 16) & 0xffff,
                     a & 0x0fff, 0x8000 | ((b >> 48) & 0x3fff), b & 0xffffffffffffull);
}

}  // namespace ptsim
