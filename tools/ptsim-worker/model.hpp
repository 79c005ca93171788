// The model every rank trains: linear regression y = w.x with a squared-error
// loss, against a fixed target weight vector. Each rank's batch at a step is
// synthetic data derived only from (step, rank) by a hash-based generator, so
// a run is a pure function of its world size, dimension, learning rate and
// step count: a run resumed from a bit-exact checkpoint ends with the same
// parameters as one that never stopped. Pure functions; any thread.
#pragma once

#include <cstdint>
#include <vector>

namespace ptsim::worker {

inline constexpr int kBatchSize = 8;

// The fixed starting parameters: 0.5, -0.5, 0.5, ...
std::vector<double> InitialParams(int dim);

// The weights the synthetic data is generated from: 1.0, -1.25, 1.5, -1.75, ...
std::vector<double> TargetParams(int dim);

// A uniform double in [0, 1) that depends only on the four keys.
double HashUniform(std::uint64_t a, std::uint64_t b, std::uint64_t c, std::uint64_t d);

struct LossAndGradient {
  double loss = 0;               // mean over the batch of (w.x - y)^2
  std::vector<double> gradient;  // d loss / d w
};

// The loss and gradient of `params` on rank `rank`'s batch for `step` (1-based).
LossAndGradient ComputeLossAndGradient(const std::vector<double>& params, std::int64_t step,
                                       int rank);

// params -= lr * gradient.
// REQUIRES: params.size() == gradient.size()
void SgdUpdate(std::vector<double>& params, const std::vector<double>& gradient, double lr);

}  // namespace ptsim::worker
