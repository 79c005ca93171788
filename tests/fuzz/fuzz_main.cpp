// The libFuzzer entry point of one target (targets.hpp), chosen when the
// binary is compiled: -DPTSIM_FUZZ_TARGET=<function>.
#include <cstddef>
#include <cstdint>

#include "tests/fuzz/targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return ptsim::fuzz::PTSIM_FUZZ_TARGET(data, size);
}
