#include "tools/ptsim-worker/options.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cctype>
#include <charconv>
#include <cmath>
#include <functional>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "tools/ptsim-worker/signals.hpp"

namespace ptsim::worker {
namespace {

using Setter = std::function<Status(Options&, const std::string&)>;

// One flag: its name without dashes, how --help shows it, and how a value
// (from the command line or the environment) lands in Options.
struct Flag {
  std::string name;
  std::string group;
  std::string type_name;  // empty for switches
  std::string default_text;
  std::string help;
  Setter set;
};

constexpr std::int64_t kMaxInt = std::numeric_limits<std::int64_t>::max();

std::string RangeText(std::int64_t min, std::int64_t max) {
  if (max == kMaxInt) return fmt::format("an integer >= {}", min);
  return fmt::format("an integer from {} to {}", min, max);
}

Result<std::int64_t> ParseInt(const std::string& text, std::int64_t min, std::int64_t max) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < min ||
      value > max) {
    return Error{fmt::format("expected {}", RangeText(min, max))};
  }
  return value;
}

template <typename Int>
Setter SetInt(Int Options::*field, std::int64_t min, std::int64_t max) {
  return [=](Options& o, const std::string& text) -> Status {
    auto value = ParseInt(text, min, max);
    if (!value) return Error{value.error()};
    o.*field = static_cast<Int>(value.value());
    return Ok{};
  };
}

template <typename Int>
Setter SetOptionalInt(std::optional<Int> Options::*field, std::int64_t min, std::int64_t max) {
  return [=](Options& o, const std::string& text) -> Status {
    auto value = ParseInt(text, min, max);
    if (!value) return Error{value.error()};
    o.*field = static_cast<Int>(value.value());
    return Ok{};
  };
}

Setter SetDuration(Duration Options::*field, Duration min) {
  return [=](Options& o, const std::string& text) -> Status {
    auto value = ParseDuration(text);
    if (!value) return Error{value.error()};
    if (value.value() < min) {
      return Error{fmt::format("must be at least {}", FormatDuration(min))};
    }
    o.*field = value.value();
    return Ok{};
  };
}

Setter SetString(std::string Options::*field) {
  return [=](Options& o, const std::string& text) -> Status {
    if (text.empty()) return Error{"expected a non-empty path"};
    o.*field = text;
    return Ok{};
  };
}

Setter SetSwitch(bool Options::*field) {
  return [=](Options& o, const std::string& text) -> Status {
    std::string lower;
    for (char c : text)
      lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == "1" || lower == "true" || lower == "yes" || lower == "on") {
      o.*field = true;
    } else if (lower.empty() || lower == "0" || lower == "false" || lower == "no" ||
               lower == "off") {
      o.*field = false;
    } else {
      return Error{"expected true or false (also 1/0, yes/no, on/off)"};
    }
    return Ok{};
  };
}

Status SetLearningRate(Options& o, const std::string& text) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() ||
      !std::isfinite(value) || value < 0) {
    return Error{"expected a finite number >= 0 (e.g. 0.1)"};
  }
  o.lr = value;
  return Ok{};
}

Status SetReturnValue(Options& o, const std::string& text) {
  if (nlohmann::json::parse(text, nullptr, false).is_discarded()) {
    return Error{"expected a JSON value (e.g. {\"loss\": 0.1} or 42)"};
  }
  o.return_value = text;
  return Ok{};
}

bool NameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
}

Status SetDecks(Options& o, const std::string& text) {
  bool ok = !text.empty() && text.front() != ',' && text.back() != ',';
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == ',' ? (i > 0 && text[i - 1] == ',') : !NameChar(text[i])) ok = false;
  }
  if (!ok) return Error{"expected deck names separated by commas (letters, digits, _ . -)"};
  o.decks = text;
  return Ok{};
}

Status SetCrashException(Options& o, const std::string& text) {
  bool ok = !text.empty() && !std::isdigit(static_cast<unsigned char>(text.front()));
  for (char c : text) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.') ok = false;
  }
  if (!ok) return Error{"expected a Python exception name such as RuntimeError"};
  o.crash_exception = text;
  return Ok{};
}

Status SetCrashSignal(Options& o, const std::string& text) {
  auto signal = ParseCrashSignal(text);
  if (!signal) return Error{signal.error()};
  o.crash_signal = signal.value();
  return Ok{};
}

std::vector<Flag> Flags() {
  constexpr std::int64_t kMaxRank = 65535;
  constexpr std::int64_t kMaxDim = 1 << 20;
  constexpr std::int64_t kMaxAllocMib = 1 << 20;
  return {
      {"steps", "Training", "N", "100", "Number of training steps; the run ends after step N.",
       SetInt(&Options::steps, 1, kMaxInt)},
      {"dim", "Training", "N", "4", "Number of model parameters.",
       SetInt(&Options::dim, 1, kMaxDim)},
      {"lr", "Training", "X", "0.1", "SGD learning rate.", SetLearningRate},
      {"step-time", "Training", "DURATION", "10ms", "Sleep after each step but the last.",
       SetDuration(&Options::step_time, Duration::zero())},
      {"checkpoint-dir", "Training", "DIR", "none",
       "Rank 0 writes DIR/ckpt-<step>.json and resumes from the newest valid one there.",
       SetString(&Options::checkpoint_dir)},
      {"checkpoint-every", "Training", "N", "10",
       "Rank 0 checkpoints after every N-th step and after the last step.",
       SetInt(&Options::checkpoint_every, 1, kMaxInt)},
      {"result-file", "Training", "PATH", "none",
       "Rank 0 writes the final parameters and loss to PATH (JSON) at the end.",
       SetString(&Options::result_file)},
      {"port-offset", "Rendezvous", "N", "0, or 1 with TORCHELASTIC_USE_AGENT_STORE=True",
       "Rank 0 listens on MASTER_PORT+N; the others connect there.",
       SetOptionalInt(&Options::port_offset, 0, 65534)},
      {"connect-timeout", "Rendezvous", "DURATION", "60s",
       "How long ranks >0 retry connecting (and then wait for rank 0's state), and how long "
       "rank 0 waits for every rank to connect.",
       SetDuration(&Options::connect_timeout, std::chrono::milliseconds(1))},
      {"peer-timeout", "Rendezvous", "DURATION", "30s",
       "A peer that sends nothing expected for this long counts as lost (exit 1).",
       SetDuration(&Options::peer_timeout, std::chrono::milliseconds(1))},
      {"start-delay", "Faults", "DURATION", "0", "Sleep this long before anything else.",
       SetDuration(&Options::start_delay, Duration::zero())},
      {"alloc-mib", "Faults", "M", "0",
       "Allocate and touch M MiB (resident memory grows by about M MiB) and keep it.",
       SetInt(&Options::alloc_mib, 0, kMaxAllocMib)},
      {"alloc-at-step", "Faults", "N", "0 (at start)",
       "Allocate --alloc-mib at the start of step N instead of at start-up.",
       SetInt(&Options::alloc_at_step, 0, kMaxInt)},
      {"crash-at-step", "Faults", "N", "none",
       "Crash at the start of step N (after N-1 steps) with --crash-exit-code or --crash-signal.",
       SetOptionalInt(&Options::crash_at_step, 1, kMaxInt)},
      {"crash-exit-code", "Faults", "C", "1", "Exit status of the crash.",
       SetOptionalInt(&Options::crash_exit_code, 0, 255)},
      {"crash-signal", "Faults", "SIG", "none",
       "Crash by killing itself with SIG (SIGKILL, KILL, SEGV, 9, ...) instead of exiting.",
       SetCrashSignal},
      {"crash-rank", "Faults", "R", "every rank", "Only rank R crashes.",
       SetOptionalInt(&Options::crash_rank, 0, kMaxRank)},
      {"crash-if-fresh", "Faults", "", "false",
       "Crash only when the run did not resume from a checkpoint (crash once, then recover).",
       SetSwitch(&Options::crash_if_fresh)},
      {"hang-at-step", "Faults", "N", "none",
       "Stop making progress forever at the start of step N (blocks; no busy loop).",
       SetOptionalInt(&Options::hang_at_step, 1, kMaxInt)},
      {"hang-rank", "Faults", "R", "every rank", "Only rank R hangs.",
       SetOptionalInt(&Options::hang_rank, 0, kMaxRank)},
      {"crash-exception", "Faults", "TYPE", "none",
       "The crash is a Python exception TYPE: written to $TORCHELASTIC_ERROR_FILE as torch's "
       "@record writes it (exit code --crash-exit-code).",
       SetCrashException},
      {"crash-recoverable", "Faults", "", "false",
       "The crash is flytekit's FlyteRecoverableException: as --crash-exception, plus the "
       "recoverable_error marker beside $TORCHELASTIC_ERROR_FILE.",
       SetSwitch(&Options::crash_recoverable)},
      {"print-env", "Output", "", "false",
       "Print the rendezvous-related environment as `env NAME=VALUE` lines, then train.",
       SetSwitch(&Options::print_env)},
      {"return-value", "Flyte", "JSON", "none",
       "At the end, write JSON to $PTSIM_FLYTE_OUTPUT_DIR/return.json: the task's return value.",
       SetReturnValue},
      {"deck", "Flyte", "NAMES", "none",
       "At the end, write $PTSIM_FLYTE_OUTPUT_DIR/decks/<name>.html for each comma-separated "
       "name.",
       SetDecks},
  };
}

constexpr const char* kDescription =
    "ptsim-worker: a fake data-parallel trainer for ptsim scenarios.\n"
    "It behaves like a PyTorch DDP process launched by the Kubeflow training-operator\n"
    "(MASTER_ADDR, MASTER_PORT, WORLD_SIZE, RANK) or by torchrun; without WORLD_SIZE it\n"
    "runs alone as rank 0 of 1. Reference: docs/ptsim-worker.md.";

constexpr const char* kFooter =
    "Every flag can also be set as PTSIM_WORKER_<FLAG> (upper case, dashes as underscores,\n"
    "e.g. PTSIM_WORKER_CRASH_AT_STEP=50); a flag on the command line wins. Durations are\n"
    "Go-style: 10ms, 1.5s, 2m, 1h30m.\n"
    "\n"
    "Rendezvous: rank 0 listens on the wildcard address at MASTER_PORT+offset; the offset\n"
    "is --port-offset, else 1 when TORCHELASTIC_USE_AGENT_STORE=True (torchrun's agent\n"
    "store owns MASTER_PORT), else 0.\n"
    "\n"
    "Output (stdout, one flushed line each): `ptsim-worker rank=R world=W master=ADDR:PORT\n"
    "restart_count=C`, `resumed from step S`, `step N loss X`, `checkpoint step=N path=P`,\n"
    "`done steps=N loss=X`. Errors go to stderr as `ptsim-worker: rank R: ...`.\n"
    "\n"
    "Exit status: 0 done; 1 a lost peer, a rendezvous timeout or an I/O error; 2 a bad\n"
    "flag, variable or environment; --crash-exit-code or --crash-signal when crashing.";

}  // namespace

std::string EnvNameForFlag(const std::string& flag) {
  std::string name = "PTSIM_WORKER_";
  for (char c : flag) {
    name += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return name;
}

CommandLine ParseCommandLine(int argc, const char* const* argv, const EnvLookup& env) {
  const std::vector<Flag> flags = Flags();
  CLI::App app(kDescription, "ptsim-worker");
  app.footer(kFooter);
  app.get_formatter()->column_width(32);

  std::vector<std::string> texts(flags.size());
  // std::vector<bool> has no addressable elements; CLI11 needs a bool&.
  std::unique_ptr<bool[]> switches(new bool[flags.size()]());
  std::vector<CLI::Option*> cli_options;
  for (std::size_t i = 0; i < flags.size(); ++i) {
    const Flag& flag = flags[i];
    const std::string help = fmt::format("{} [default: {}] [env: {}]", flag.help, flag.default_text,
                                         EnvNameForFlag(flag.name));
    CLI::Option* option =
        flag.type_name.empty()
            ? app.add_flag("--" + flag.name, switches[i], help)
            : app.add_option("--" + flag.name, texts[i], help)->type_name(flag.type_name);
    option->group(flag.group);
    cli_options.push_back(option);
  }

  CommandLine result;
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    result.out = app.help();
    return result;
  } catch (const CLI::ParseError& e) {
    result.exit_code = 2;
    result.err = fmt::format("ptsim-worker: {}\nRun ptsim-worker --help for usage.\n", e.what());
    return result;
  }

  Options options;
  for (std::size_t i = 0; i < flags.size(); ++i) {
    const Flag& flag = flags[i];
    std::string value;
    std::string source;
    if (cli_options[i]->count() > 0) {
      value = flag.type_name.empty() ? (switches[i] ? "true" : "false") : texts[i];
      source = "--" + flag.name;
    } else if (auto from_env = env(EnvNameForFlag(flag.name))) {
      value = *from_env;
      source =
          fmt::format("{} (environment variable for --{})", EnvNameForFlag(flag.name), flag.name);
    } else {
      continue;
    }
    Status status = flag.set(options, value);
    if (!status) {
      result.exit_code = 2;
      result.err = fmt::format("ptsim-worker: invalid value \"{}\" for {}: {}\n", value, source,
                               status.error());
      return result;
    }
  }
  if (options.crash_exit_code && options.crash_signal) {
    result.exit_code = 2;
    result.err =
        "ptsim-worker: --crash-exit-code and --crash-signal (or their PTSIM_WORKER_ variables) "
        "are both set; a crash either exits or is killed by a signal, so give only one\n";
    return result;
  }
  if (options.crash_signal && (!options.crash_exception.empty() || options.crash_recoverable)) {
    result.exit_code = 2;
    result.err =
        "ptsim-worker: --crash-signal and --crash-exception/--crash-recoverable are both set; a "
        "worker killed by a signal raises no exception, so give only one\n";
    return result;
  }
  if ((!options.return_value.empty() || !options.decks.empty()) &&
      env("PTSIM_FLYTE_OUTPUT_DIR").value_or("").empty()) {
    result.exit_code = 2;
    result.err =
        "ptsim-worker: --return-value and --deck need PTSIM_FLYTE_OUTPUT_DIR, which ptsim sets in "
        "the containers of a Flyte task\n";
    return result;
  }
  result.options = std::move(options);
  return result;
}

}  // namespace ptsim::worker
