#include "sim/core/atomic_file.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace ptsim {
namespace {

namespace fs = std::filesystem;

std::string Slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Dir {
  fs::path path;
  Dir() {
    char name[] = "/tmp/ptsim-atomic-XXXXXX";
    path = ::mkdtemp(name);
  }
  ~Dir() { fs::remove_all(path); }
};

TEST_CASE("WriteFileAtomically replaces a file whole and leaves no temporary file") {
  Dir dir;
  const fs::path file = dir.path / "report.json";
  REQUIRE(!WriteFileAtomically(file.string(), "old\n"));
  REQUIRE(!WriteFileAtomically(file.string(), "new\n"));
  CHECK(Slurp(file) == "new\n");
  CHECK(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator()) == 1);
  CHECK((fs::status(file).permissions() & fs::perms::others_read) != fs::perms::none);
}

TEST_CASE("WriteFileAtomically names the file and the reason when it cannot write") {
  Dir dir;
  const fs::path file = dir.path / "missing" / "report.json";
  auto error = WriteFileAtomically(file.string(), "x");
  REQUIRE(error);
  CHECK(*error == "cannot write " + file.string() + ": No such file or directory");
}

}  // namespace
}  // namespace ptsim
