#include "tools/ptsim-worker/model.hpp"

#include <cstddef>

namespace ptsim::worker {
namespace {

constexpr double kNoise = 0.01;  // amplitude of the label noise

// splitmix64's finalizer: a bijective mix of 64 bits.
std::uint64_t Mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Uniform in [-1, 1).
double Symmetric(std::uint64_t a, std::uint64_t b, std::uint64_t c, std::uint64_t d) {
  return 2.0 * HashUniform(a, b, c, d) - 1.0;
}

}  // namespace

std::vector<double> InitialParams(int dim) {
  std::vector<double> params(static_cast<std::size_t>(dim));
  for (std::size_t i = 0; i < params.size(); ++i)
    params[i] = i % 2 == 0 ? 0.5 : -0.5;
  return params;
}

std::vector<double> TargetParams(int dim) {
  std::vector<double> target(static_cast<std::size_t>(dim));
  for (std::size_t i = 0; i < target.size(); ++i) {
    const double magnitude = 1.0 + 0.25 * static_cast<double>(i);
    target[i] = i % 2 == 0 ? magnitude : -magnitude;
  }
  return target;
}

double HashUniform(std::uint64_t a, std::uint64_t b, std::uint64_t c, std::uint64_t d) {
  const std::uint64_t h = Mix(d ^ Mix(c ^ Mix(b ^ Mix(a))));
  return static_cast<double>(h >> 11) * 0x1.0p-53;
}

LossAndGradient ComputeLossAndGradient(const std::vector<double>& params, std::int64_t step,
                                       int rank) {
  constexpr std::uint64_t kFeature = 1;
  constexpr std::uint64_t kLabelNoise = 2;
  const std::vector<double> target = TargetParams(static_cast<int>(params.size()));
  const auto key_step = static_cast<std::uint64_t>(step);
  const auto key_rank = static_cast<std::uint64_t>(rank);
  LossAndGradient out;
  out.gradient.assign(params.size(), 0.0);
  std::vector<double> x(params.size());
  for (int sample = 0; sample < kBatchSize; ++sample) {
    // Key layout: (step, rank, kind, sample * 2^32 + feature).
    const std::uint64_t base = static_cast<std::uint64_t>(sample) << 32;
    double prediction = 0;
    double label = kNoise * Symmetric(key_step, key_rank, kLabelNoise, base);
    for (std::size_t i = 0; i < x.size(); ++i) {
      x[i] = Symmetric(key_step, key_rank, kFeature, base + i);
      prediction += params[i] * x[i];
      label += target[i] * x[i];
    }
    const double error = prediction - label;
    out.loss += error * error;
    for (std::size_t i = 0; i < x.size(); ++i)
      out.gradient[i] += 2.0 * error * x[i];
  }
  out.loss /= kBatchSize;
  for (double& g : out.gradient)
    g /= kBatchSize;
  return out;
}

void SgdUpdate(std::vector<double>& params, const std::vector<double>& gradient, double lr) {
  for (std::size_t i = 0; i < params.size(); ++i)
    params[i] -= lr * gradient[i];
}

}  // namespace ptsim::worker
