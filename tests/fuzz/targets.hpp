// The fuzz targets: one function per parser of outside input, each taking
// arbitrary bytes as that parser's input (a file's text, a --fault flag, a
// container script, a torchrun command line ...). A target returns 0 and
// must never crash, hang, exhaust memory, throw, or leave a process or file
// behind; it also checks invariants that hold for every input (diagnostics
// render as valid UTF-8 without raw control characters; what parses
// re-renders to something that parses). tests/fuzz/fuzz_main.cpp makes a
// libFuzzer binary of each (PTSIM_FUZZ=ON), and replay_test.cpp replays the
// seed corpora and tests/fuzz/regressions/<target>/ through them in the
// normal test suite. Single-threaded.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace ptsim::fuzz {

using TargetFunction = int (*)(const std::uint8_t* data, std::size_t size);

struct Target {
  std::string_view name;  // also the directory of its seeds and regressions
  TargetFunction run;
};

int YamlStreams(const std::uint8_t* data, std::size_t size);
int PodManifests(const std::uint8_t* data, std::size_t size);
int PyTorchJobManifests(const std::uint8_t* data, std::size_t size);
int BatchJobManifests(const std::uint8_t* data, std::size_t size);
int JobSetManifests(const std::uint8_t* data, std::size_t size);
// TrainJob and (Cluster)TrainingRuntime documents.
int TrainJobManifests(const std::uint8_t* data, std::size_t size);
int RunFiles(const std::uint8_t* data, std::size_t size);
int FaultFlags(const std::uint8_t* data, std::size_t size);
int ContainerScripts(const std::uint8_t* data, std::size_t size);
int FlyteTaskFiles(const std::uint8_t* data, std::size_t size);
int FlyteTemplates(const std::uint8_t* data, std::size_t size);
int TorchrunCommandLines(const std::uint8_t* data, std::size_t size);
int GoDurations(const std::uint8_t* data, std::size_t size);
int Quantities(const std::uint8_t* data, std::size_t size);
int LabelSelectors(const std::uint8_t* data, std::size_t size);

// Every target, by name.
const std::vector<Target>& Targets();

}  // namespace ptsim::fuzz
