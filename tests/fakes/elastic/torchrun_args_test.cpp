// torchrun's command line as argparse parses it: spellings, prefixes, PET_*
// defaults, and argparse's own error messages (checked against torch 1.13's
// torchrun on Python 3.11).
#include "fakes/elastic/torchrun_args.hpp"

#include <catch2/catch.hpp>

namespace ptsim::elastic {
namespace {

ParsedTorchrunArgs Parse(std::vector<std::string> argv, EnvMap env = {},
                         TorchVersion version = TorchVersion::kTorch1_13) {
  auto command = RecognizeTorchrun(argv);
  REQUIRE(command);
  return ParseTorchrunArgs(*command, env, TorchrunProfile::For(version));
}

std::string UsageError(std::vector<std::string> argv, EnvMap env = {},
                       TorchVersion version = TorchVersion::kTorch1_13) {
  auto parsed = Parse(std::move(argv), std::move(env), version);
  REQUIRE(parsed.error);
  CHECK(parsed.error->kind == TorchrunError::Kind::kUsage);
  CHECK(parsed.error->ExitStatus() == 2);
  return parsed.error->message;
}

TEST_CASE("torchrun, python -m torch.distributed.run and torch.distributed.launch are recognised") {
  CHECK(RecognizeTorchrun({"torchrun", "x.py"})->entry == TorchrunCommand::Entry::kTorchrun);
  CHECK(RecognizeTorchrun({"/usr/local/bin/torchrun"})->args.empty());
  auto run =
      RecognizeTorchrun({"python3", "-u", "-m", "torch.distributed.run", "--nnodes", "2", "x.py"});
  REQUIRE(run);
  CHECK(run->entry == TorchrunCommand::Entry::kRunModule);
  CHECK(run->args == std::vector<std::string>{"--nnodes", "2", "x.py"});
  CHECK(run->Prog() == "run.py");
  auto launch = RecognizeTorchrun({"/usr/bin/python3.11", "-mtorch.distributed.launch", "x.py"});
  REQUIRE(launch);
  CHECK(launch->entry == TorchrunCommand::Entry::kLaunchModule);
  CHECK_FALSE(RecognizeTorchrun({"python", "train.py"}));
  CHECK_FALSE(RecognizeTorchrun({"python", "-c", "import torch.distributed.run"}));
  CHECK_FALSE(RecognizeTorchrun({"python", "-m", "torch.distributed.elastic"}));
  CHECK_FALSE(RecognizeTorchrun({"sh", "-c", "torchrun x.py"}));
}

TEST_CASE(
    "both --flag=value and --flag value set a flag, and the script takes everything after it") {
  auto p = Parse({"torchrun", "--nnodes=2", "--nproc_per_node", "4", "train.py", "--nnodes", "7"});
  REQUIRE(p.args);
  CHECK(p.args->nnodes == "2");
  CHECK(p.args->nproc_per_node == "4");
  CHECK(p.args->training_script == "train.py");
  CHECK(p.args->training_script_args == std::vector<std::string>{"--nnodes", "7"});
}

TEST_CASE("a unique prefix of a long flag is accepted, as argparse's allow_abbrev does") {
  auto p = Parse({"torchrun", "--nproc", "3", "--max_r=2", "x.py"});
  REQUIRE(p.args);
  CHECK(p.args->nproc_per_node == "3");
  CHECK(p.args->max_restarts == 2);
  CHECK(p.args->Origin("nproc_per_node") == "--nproc_per_node");
}

TEST_CASE("an ambiguous prefix fails even among the training script's own arguments") {
  CHECK(UsageError({"torchrun", "--n", "2", "x.py"}) ==
        "ambiguous option: --n could match --nnodes, --nproc_per_node, --no_python, --node_rank");
  CHECK(UsageError({"torchrun", "--no_python", "/bin/echo", "--n", "2"}) ==
        "ambiguous option: --n could match --nnodes, --nproc_per_node, --no_python, --node_rank");
}

TEST_CASE("PET_ variables replace the defaults and an explicit flag beats them") {
  EnvMap env = {{"PET_NNODES", "4"},
                {"PET_NPROC_PER_NODE", "2"},
                {"PET_MAX_RESTARTS", "3"},
                {"PET_MONITOR_INTERVAL", "0.5"},
                {"PET_STANDALONE", "0"}};
  auto p = Parse({"torchrun", "--nnodes", "2", "x.py"}, env);
  REQUIRE(p.args);
  CHECK(p.args->nnodes == "2");
  CHECK(p.args->Origin("nnodes") == "--nnodes");
  CHECK(p.args->nproc_per_node == "2");
  CHECK(p.args->Origin("nproc_per_node") == "PET_NPROC_PER_NODE");
  CHECK(p.args->max_restarts == 3);
  CHECK(p.args->monitor_interval == 0.5);
  CHECK_FALSE(p.args->standalone);
}

TEST_CASE("a bad value from a PET_ variable fails like the flag, naming the variable") {
  auto p = Parse({"torchrun", "x.py"}, {{"PET_MAX_RESTARTS", "x"}});
  REQUIRE(p.error);
  CHECK(p.error->message == "argument --max_restarts: invalid int value: 'x'");
  CHECK(p.error->source == "PET_MAX_RESTARTS");
  CHECK(UsageError({"torchrun", "x.py"}, {{"PET_MONITOR_INTERVAL", ""}}) ==
        "argument --monitor_interval: invalid float value: ''");
  // Overridden on the command line, the bad variable is never converted.
  CHECK(Parse({"torchrun", "--max_restarts", "1", "x.py"}, {{"PET_MAX_RESTARTS", "x"}}).args);
}

TEST_CASE("an empty PET_STANDALONE crashes torchrun before parsing, as check_env calls int()") {
  auto p = Parse({"torchrun", "x.py"}, {{"PET_STANDALONE", ""}});
  REQUIRE(p.error);
  CHECK(p.error->kind == TorchrunError::Kind::kException);
  CHECK(p.error->ExceptionLine() == "ValueError: invalid literal for int() with base 10: ''");
  CHECK(p.error->source == "PET_STANDALONE");
  CHECK(p.error->ExitStatus() == 1);
}

TEST_CASE("argparse's errors carry its own messages") {
  CHECK(UsageError({"torchrun"}) ==
        "the following arguments are required: training_script, training_script_args");
  CHECK(UsageError({"torchrun", "--max_restarts", "x", "a.py"}) ==
        "argument --max_restarts: invalid int value: 'x'");
  CHECK(UsageError({"torchrun", "--standalone=1", "a.py"}) ==
        "argument --standalone: ignored explicit argument '1'");
  CHECK(UsageError({"torchrun", "--start_method=x", "a.py"}) ==
        "argument --start_method: invalid choice: 'x' (choose from 'spawn', 'fork', 'forkserver')");
  CHECK(UsageError({"torchrun", "--nproc_per_node", "--no_python", "a.py"}) ==
        "argument --nproc_per_node: expected one argument");
  CHECK(UsageError({"torchrun", "-r"}) == "argument -r/--redirects: expected one argument");
  CHECK(UsageError({"torchrun", "--bogus", "a.py"}) == "unrecognized arguments: --bogus");
}

TEST_CASE("torch 1.13 rejects dashed flags that torch 2 accepts") {
  CHECK(UsageError({"torchrun", "--nproc-per-node", "2", "x.py"}) ==
        "unrecognized arguments: --nproc-per-node");
  auto p = Parse({"torchrun", "--nproc-per-node", "2", "--max-restarts=1", "x.py"}, {},
                 TorchVersion::kTorch2);
  REQUIRE(p.args);
  CHECK(p.args->nproc_per_node == "2");
  CHECK(p.args->max_restarts == 1);
  CHECK(p.args->monitor_interval == 0.1);  // torch 2's default
  CHECK(UsageError({"torchrun", "--nproc-per-node"}, {}, TorchVersion::kTorch2) ==
        "argument --nproc-per-node/--nproc_per_node: expected one argument");
}

TEST_CASE("negative numbers are values, and short options take attached values") {
  auto p = Parse({"torchrun", "--max_restarts", "-1", "-r3", "-t", "0:1", "x.py"});
  REQUIRE(p.args);
  CHECK(p.args->max_restarts == -1);
  CHECK(p.args->redirects == "3");
  CHECK(p.args->tee == "0:1");
  auto combined = Parse({"torchrun", "-mr3", "x"});
  REQUIRE(combined.args);
  CHECK(combined.args->module);
  CHECK(combined.args->redirects == "3");
}

TEST_CASE("the help flag prints the usage and exits 0") {
  auto p = Parse({"torchrun", "-h"});
  REQUIRE(p.error);
  CHECK(p.error->kind == TorchrunError::Kind::kHelp);
  CHECK(p.error->ExitStatus() == 0);
}

TEST_CASE("torch.distributed.launch has --use_env and defaults it to false") {
  auto p = Parse({"python", "-m", "torch.distributed.launch", "x.py"});
  REQUIRE(p.args);
  CHECK_FALSE(p.args->use_env);
  auto q = Parse({"python", "-m", "torch.distributed.launch", "--use_env", "x.py"});
  REQUIRE(q.args);
  CHECK(q.args->use_env);
  CHECK(UsageError({"torchrun", "--use_env", "x.py"}) == "unrecognized arguments: --use_env");
}

}  // namespace
}  // namespace ptsim::elastic
