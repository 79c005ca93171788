#include "fakes/process/container_log.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace ptsim {
namespace {
namespace fs = std::filesystem;

struct TempDir {
  fs::path path = fs::temp_directory_path() / fs::path("ptsim-log-" + std::to_string(::getpid()));
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
};

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST_CASE("a container log rotates at its maximum size and keeps max files") {
  TempDir dir;
  const std::string path = (dir.path / "c" / "0.log").string();
  auto log = ContainerLogFile::Open(path, {100, 3});
  REQUIRE(log);
  int rotations = 0;
  for (int i = 0; i < 100; ++i) {
    // 10 bytes a line: a file holds 10 lines.
    if (!log->Write(fmt::format("line {:04}", i), true).empty()) ++rotations;
  }
  log->Flush();
  CHECK(rotations == 9);
  CHECK(log->rotations() == 9);
  const auto kept = KeptLogFiles(path);
  REQUIRE(kept.size() == 3);
  CHECK(kept[0] == path + ".8");
  CHECK(kept[1] == path + ".9");
  CHECK(kept[2] == path);
  std::string all;
  std::uintmax_t bytes = 0;
  for (const auto& f : kept) {
    all += Read(f);
    bytes += fs::file_size(f);
    CHECK(fs::file_size(f) <= 100);
  }
  CHECK(bytes == 300);
  CHECK(all.substr(0, 10) == "line 0070\n");
  CHECK(all.substr(290) == "line 0099\n");
}

TEST_CASE("the kept files of a log that never rotated are the log itself") {
  TempDir dir;
  const std::string path = (dir.path / "0.log").string();
  CHECK(KeptLogFiles(path).empty());
  {
    auto log = ContainerLogFile::Open(path, {});
    REQUIRE(log);
    log->Write("a", false);
  }
  std::ofstream(dir.path / "0.log.x");   // not a rotation
  std::ofstream(dir.path / "10.log.1");  // another incarnation's
  CHECK(KeptLogFiles(path) == std::vector<std::string>{path});
  CHECK(Read(path) == "a");
}

}  // namespace
}  // namespace ptsim

namespace ptsim {
namespace {

// /dev/full fails every write with ENOSPC, as a full disk does.
TEST_CASE("a log write that fails is reported once, with the file and the reason") {
  auto log = ContainerLogFile::Open("/dev/full", {});
  REQUIRE(log != nullptr);
  log->Write("one", true);
  log->Flush();
  const std::string error = log->TakeError();
  CHECK(error.find("cannot write /dev/full: No space left on device") != std::string::npos);
  CHECK(error.find("the log is cut") != std::string::npos);
  log->Write("two", true);
  log->Flush();
  CHECK(log->TakeError().empty());
}

}  // namespace
}  // namespace ptsim
