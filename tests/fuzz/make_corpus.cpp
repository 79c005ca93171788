// Writes the seed corpora of the fuzz targets (corpus.hpp) under OUT_DIR, one
// directory per target and one file per input:
//   make_corpus SOURCE_DIR OUT_DIR
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "tests/fuzz/corpus.hpp"
#include "tests/fuzz/targets.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: make_corpus SOURCE_DIR OUT_DIR\n");
    return 2;
  }
  namespace fs = std::filesystem;
  const auto seeds = ptsim::fuzz::SeedInputs(argv[1]);
  for (const auto& target : ptsim::fuzz::Targets()) {
    const fs::path dir = fs::path(argv[2]) / std::string(target.name);
    std::error_code ec;
    fs::remove_all(dir, ec);
    fs::create_directories(dir, ec);
    const auto it = seeds.find(std::string(target.name));
    if (it == seeds.end()) continue;
    for (std::size_t i = 0; i < it->second.size(); ++i) {
      std::ofstream(dir / ("seed-" + std::to_string(i)), std::ios::binary) << it->second[i];
    }
  }
  return 0;
}
