#include "fakes/process/scripted_process_runner.hpp"

#include <signal.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <optional>

#include "tests/support/temp_dir.hpp"

namespace ptsim {
namespace {

struct Fixture {
  ManualWallClock wall;
  EventLoop loop{wall};
  ScriptedProcessRunner runner{loop};
  std::vector<std::pair<double, std::string>> lines;
  std::optional<ProcessExit> exit;
  double exited_at = -1;

  ProcessId Start(const std::string& text, int incarnation = 0) {
    auto script = ParseContainerScript(text, {}, "");
    REQUIRE(script.ok());
    scripts.push_back(std::make_unique<ContainerScript>(*script));
    ProcessSpec spec;
    spec.script = scripts.back().get();
    spec.incarnation = incarnation;
    auto id = runner.Spawn(spec, {[this](std::string_view l) {
                                    lines.emplace_back(ToSeconds(loop.Now()), std::string(l));
                                  },
                                  [this](const ProcessExit& e) {
                                    exit = e;
                                    exited_at = ToSeconds(loop.Now());
                                  }});
    REQUIRE(id.ok());
    return *id;
  }
  std::vector<std::unique_ptr<ContainerScript>> scripts;
};

TEST_CASE_METHOD(Fixture, "a scripted container runs, logs and exits in virtual time") {
  Start("log starting, run 30s, log done, exit 3");
  loop.Run();
  REQUIRE(exit);
  CHECK(exit->ExitCode() == 3);
  CHECK(exited_at == 30.0);
  CHECK(lines == std::vector<std::pair<double, std::string>>{{0.0, "starting"}, {30.0, "done"}});
}

TEST_CASE_METHOD(Fixture, "later incarnations use later scripts and the last one repeats") {
  Start("run 5s, exit 1 | run 10s, exit 0", 3);
  loop.Run();
  CHECK(exit->ExitCode() == 0);
  CHECK(exited_at == 10.0);
}

TEST_CASE_METHOD(Fixture, "steps are logged at their interval") {
  Start("steps 3 every 2s, exit 0");
  loop.Run();
  CHECK(lines == std::vector<std::pair<double, std::string>>{
                     {2.0, "step 1"}, {4.0, "step 2"}, {6.0, "step 3"}});
  CHECK(exited_at == 6.0);
}

TEST_CASE_METHOD(Fixture, "signals end a scripted container as they would a process") {
  auto id = Start("forever");
  loop.After(Seconds(7), [&] { runner.Signal(id, SIGTERM); });
  loop.Run();
  CHECK(exit->Signal() == SIGTERM);
  CHECK(exit->ExitCode() == 143);
  CHECK(exited_at == 7.0);
}

TEST_CASE_METHOD(Fixture,
                 "a frozen scripted container keeps its remaining time and dies on SIGKILL") {
  auto id = Start("run 10s, exit 0");
  loop.After(Seconds(4), [&] { runner.Signal(id, SIGSTOP); });
  loop.After(Seconds(100), [&] { runner.Signal(id, SIGTERM); });  // pending while frozen
  loop.After(Seconds(104), [&] { runner.Signal(id, SIGCONT); });
  loop.Run();
  CHECK(exit->Signal() == SIGTERM);
  CHECK(exited_at == 104.0);

  exit.reset();
  auto id2 = Start("run 10s, exit 0");
  const double t0 = ToSeconds(loop.Now());
  loop.After(Seconds(4), [&] { runner.Signal(id2, SIGSTOP); });
  loop.After(Seconds(50), [&] { runner.Signal(id2, SIGCONT); });
  loop.Run();
  CHECK(exit->ExitCode() == 0);
  CHECK(exited_at - t0 == 56.0);  // 4s run, 46s frozen, 6s more
}

TEST_CASE_METHOD(Fixture, "an oom step reports an OOM kill") {
  Start("run 1s, oom");
  loop.Run();
  CHECK(exit->oom_killed);
  CHECK(exit->ExitCode() == 137);
}

TEST_CASE("bad scripts are rejected with the offending step named") {
  auto bad = ParseContainerScript("run 5, exit 1", {"s.yaml", 3, 5}, "Pod \"p\"");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.diagnostics().Render() ==
        "s.yaml:3:5: error: Pod \"p\": container script \"run 5, exit 1\": step \"run 5\": "
        "missing unit in duration \"5\"; write it like 5s\n");
  CHECK_FALSE(ParseContainerScript("jump 5s", {}, "").ok());
  CHECK_FALSE(ParseContainerScript("exit 300", {}, "").ok());
  CHECK_FALSE(ParseContainerScript("signal SIGFOO", {}, "").ok());
}

TEST_CASE("a scripted container's log the disk cannot take is said once and the script runs on") {
  ManualWallClock wall;
  EventLoop loop{wall};
  ScriptedProcessRunner runner{loop};
  auto script = ParseContainerScript("log one, log two, log three, exit 0", {}, "");
  REQUIRE(script.ok());
  ProcessSpec spec;
  spec.script = &*script;
  spec.log_path = "/dev/full";  // fails every write with ENOSPC, as a full disk does
  std::vector<std::string> lines, errors;
  std::optional<ProcessExit> exit;
  ProcessRunner::Callbacks callbacks{[&](std::string_view l) { lines.emplace_back(l); },
                                     [&](const ProcessExit& e) { exit = e; }};
  callbacks.on_log_error = [&](const std::string& message) { errors.push_back(message); };
  REQUIRE(runner.Spawn(spec, std::move(callbacks)).ok());
  loop.Run();
  REQUIRE(exit);
  CHECK(exit->ExitCode() == 0);
  CHECK(lines == std::vector<std::string>{"one", "two", "three"});
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].find("cannot write /dev/full: No space left on device") != std::string::npos);
}

TEST_CASE("a scripted container's log is rotated and capped as the kubelet's") {
  ManualWallClock wall;
  EventLoop loop{wall};
  ScriptedProcessRunner runner{loop, ContainerLogPolicy{1000, 3}};
  auto script = ParseContainerScript("steps 1000 every 1ms, exit 0", {}, "");  // 8,893 bytes
  REQUIRE(script.ok());
  testing::TempDir dir;
  ProcessSpec spec;
  spec.script = &*script;
  spec.log_path = dir.path() + "/0.log";
  std::optional<ProcessExit> exit;
  REQUIRE(runner.Spawn(spec, {{}, [&](const ProcessExit& e) { exit = e; }}).ok());
  loop.Run();
  REQUIRE(exit);
  const auto files = KeptLogFiles(spec.log_path);
  REQUIRE(files.size() == 3);
  for (const auto& f : files)
    CHECK(std::filesystem::file_size(f) <= 1000);
  std::ifstream last(files.back());
  std::string text((std::istreambuf_iterator<char>(last)), std::istreambuf_iterator<char>());
  CHECK(text.size() >= 10);
  CHECK(text.substr(text.size() - 10) == "step 1000\n");
}

}  // namespace
}  // namespace ptsim
