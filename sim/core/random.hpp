// The one source of randomness in a run: a seeded generator whose streams can
// be forked by name, so that adding a random draw in one actor does not shift
// the draws of another.
//
// Deterministic across platforms: it uses SplitMix64 and its own range
// reduction instead of the implementation-defined <random> distributions.
// Belongs to the thread of its EventLoop.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ptsim {

class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}

  std::uint64_t Next();
  // Uniform in [0, bound). REQUIRES: bound > 0.
  std::uint64_t Uniform(std::uint64_t bound);
  // Uniform in [0, 1).
  double UniformDouble();
  // An independent stream derived from this generator's seed and `name`; does
  // not advance this generator.
  Random Fork(std::string_view name) const;
  // An RFC 4122 version-4 style UUID string drawn from this generator.
  std::string Uuid();

  std::uint64_t seed() const { return seed_; }

 private:
  std::uint64_t state_;
  std::uint64_t seed_ = state_;
};

}  // namespace ptsim
