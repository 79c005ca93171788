#include "fakes/elastic/torchrun_args.hpp"

#include <fmt/format.h>

#include <regex>

#include "fakes/elastic/python_syntax.hpp"
#include "sim/model/user_regex.hpp"

namespace ptsim::elastic {

namespace {

enum class OptType { kHelp, kStr, kInt, kFloat, kCheckEnv, kStoreTrue };

struct OptionDef {
  std::string dest;
  std::vector<std::string> strings;  // argparse's option strings, in declaration order
  OptType type = OptType::kStr;
  bool env = true;  // action=env / check_env: PET_<DEST> replaces the default
  std::vector<std::string> choices;

  bool takes_value() const {
    return type == OptType::kStr || type == OptType::kInt || type == OptType::kFloat;
  }
  // "-r/--redirects", as argparse names an action in errors.
  std::string Name() const {
    std::string out;
    for (const auto& s : strings)
      out += (out.empty() ? "" : "/") + s;
    return out;
  }
};

// run.py get_args_parser (and launch.py parse_args), in declaration order.
std::vector<OptionDef> OptionTable(const TorchrunCommand& command, const TorchrunProfile& profile) {
  auto longs = [&](const std::string& underscored) {
    std::vector<std::string> out;
    std::string dashed = underscored;
    for (char& c : dashed)
      if (c == '_') c = '-';
    if (profile.dashed_flags && dashed != underscored) out.push_back("--" + dashed.substr(0));
    out.push_back("--" + underscored);
    return out;
  };
  auto opt = [&](std::string dest, OptType type, std::vector<std::string> shorts = {}) {
    OptionDef d;
    d.strings = std::move(shorts);
    for (auto& s : longs(dest))
      d.strings.push_back(std::move(s));
    d.dest = std::move(dest);
    d.type = type;
    return d;
  };
  std::vector<OptionDef> t;
  t.push_back({"help", {"-h", "--help"}, OptType::kHelp, false, {}});
  t.push_back(opt("nnodes", OptType::kStr));
  t.push_back(opt("nproc_per_node", OptType::kStr));
  t.push_back(opt("rdzv_backend", OptType::kStr));
  t.push_back(opt("rdzv_endpoint", OptType::kStr));
  t.push_back(opt("rdzv_id", OptType::kStr));
  t.push_back(opt("rdzv_conf", OptType::kStr));
  t.push_back(opt("standalone", OptType::kCheckEnv));
  t.push_back(opt("max_restarts", OptType::kInt));
  t.push_back(opt("monitor_interval", OptType::kFloat));
  t.push_back(opt("start_method", OptType::kStr));
  t.back().choices = {"spawn", "fork", "forkserver"};
  const bool v2 = profile.version == TorchVersion::kTorch2;
  if (v2) t.push_back(opt("event_log_handler", OptType::kStr));
  t.push_back(opt("role", OptType::kStr));
  t.push_back(opt("module", OptType::kCheckEnv, {"-m"}));
  t.push_back(opt("no_python", OptType::kCheckEnv));
  t.push_back(opt("run_path", OptType::kCheckEnv));
  t.push_back(opt("log_dir", OptType::kStr));
  t.push_back(opt("redirects", OptType::kStr, {"-r"}));
  t.push_back(opt("tee", OptType::kStr, {"-t"}));
  if (v2) {
    t.push_back(opt("local_ranks_filter", OptType::kStr));
    t.push_back(opt("duplicate_stdout_filters", OptType::kStr));
    t.push_back(opt("duplicate_stderr_filters", OptType::kStr));
  }
  t.push_back(opt("node_rank", OptType::kInt));
  t.push_back(opt("master_addr", OptType::kStr));
  t.push_back(opt("master_port", OptType::kInt));
  if (v2) {
    t.push_back(opt("local_addr", OptType::kStr));
    t.push_back(opt("logs_specs", OptType::kStr));
    t.back().env = false;
    t.push_back(opt("numa_binding", OptType::kStr));
    t.back().env = false;
    // _AffinityMode (torch/numa/binding.py).
    t.back().choices = {"node", "socket", "exclusive", "core-complex"};
    t.push_back(opt("signals_to_handle", OptType::kStr));
    t.push_back(opt("shutdown_timeout", OptType::kInt));
    t.push_back(opt("virtual_local_rank", OptType::kCheckEnv));
  }
  if (command.entry == TorchrunCommand::Entry::kLaunchModule) {
    t.push_back(opt("use_env", OptType::kStoreTrue));
    t.back().env = false;
  }
  return t;
}

// run.py comma_separated_list: "a,b" -> [a, b]; ",," escapes a comma.
std::vector<std::string> CommaList(const std::string& value) {
  constexpr std::string_view kPlaceholder = "<COMMA_PLACEHOLDER>";
  std::string v = value;
  for (auto pos = v.find(",,"); pos != std::string::npos; pos = v.find(",,", pos)) {
    v.replace(pos, 2, kPlaceholder);
    pos += kPlaceholder.size();
  }
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    auto comma = v.find(',', start);
    std::string item = v.substr(start, comma - start);
    for (auto pos = item.find(kPlaceholder); pos != std::string::npos;
         pos = item.find(kPlaceholder, pos)) {
      item.replace(pos, kPlaceholder.size(), ",");
      ++pos;
    }
    out.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::string EnvName(const std::string& dest) {
  std::string out = "PET_";
  for (char c : dest)
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// One classified argument (argparse _parse_optional).
struct Classified {
  enum Kind { kPositional, kKnown, kUnknown } kind = kPositional;
  const OptionDef* option = nullptr;
  std::string option_string;
  std::optional<std::string> explicit_arg;
};

class Parser {
 public:
  Parser(const TorchrunCommand& command, const EnvMap& env, const TorchrunProfile& profile)
      : table_(OptionTable(command, profile)), env_(env) {
    for (const auto& d : table_)
      for (const auto& s : d.strings)
        strings_.push_back({s, &d});
    args_.monitor_interval = profile.default_monitor_interval;
    if (command.entry == TorchrunCommand::Entry::kLaunchModule) args_.use_env = false;
  }

  ParsedTorchrunArgs Parse(const std::vector<std::string>& argv);

 private:
  const OptionDef* Exact(const std::string& s) const {
    for (const auto& [name, def] : strings_)
      if (name == s) return def;
    return nullptr;
  }
  std::optional<TorchrunError> Classify(const std::string& arg, Classified* out) const;
  std::optional<TorchrunError> Store(const OptionDef& d, const std::string& value,
                                     const std::string& origin);
  std::optional<TorchrunError> Convert(const OptionDef& d, const std::string& value,
                                       const std::string& origin);
  void SetFlag(const OptionDef& d, bool value, const std::string& origin);

  std::vector<OptionDef> table_;
  std::vector<std::pair<std::string, const OptionDef*>> strings_;
  const EnvMap& env_;
  TorchrunArgs args_;
  std::map<std::string, std::string> env_defaults_;  // dest -> PET_* value still to convert
};

std::optional<TorchrunError> Parser::Classify(const std::string& arg, Classified* out) const {
  *out = {};
  if (arg.empty() || arg[0] != '-') return std::nullopt;
  if (const OptionDef* d = Exact(arg)) {
    *out = {Classified::kKnown, d, arg, std::nullopt};
    return std::nullopt;
  }
  if (arg.size() == 1) return std::nullopt;
  if (auto eq = arg.find('='); eq != std::string::npos) {
    if (const OptionDef* d = Exact(arg.substr(0, eq))) {
      *out = {Classified::kKnown, d, arg.substr(0, eq), arg.substr(eq + 1)};
      return std::nullopt;
    }
  }
  // allow_abbrev: unique prefixes of long options; "-r3" for short ones.
  std::vector<Classified> matches;
  if (arg[1] == '-') {
    std::string prefix = arg;
    std::optional<std::string> explicit_arg;
    if (auto eq = arg.find('='); eq != std::string::npos) {
      prefix = arg.substr(0, eq);
      explicit_arg = arg.substr(eq + 1);
    }
    for (const auto& [name, def] : strings_)
      if (name.rfind(prefix, 0) == 0)
        matches.push_back({Classified::kKnown, def, name, explicit_arg});
  } else {
    const std::string short_prefix = arg.substr(0, 2);
    for (const auto& [name, def] : strings_) {
      if (name == short_prefix) {
        matches.push_back({Classified::kKnown, def, name, arg.substr(2)});
      } else if (name.rfind(arg, 0) == 0) {
        matches.push_back({Classified::kKnown, def, name, std::nullopt});
      }
    }
  }
  if (matches.size() > 1) {
    std::string names;
    for (const auto& m : matches)
      names += (names.empty() ? "" : ", ") + m.option_string;
    return TorchrunError::Usage(fmt::format("ambiguous option: {} could match {}", arg, names))
        .From(arg, arg);
  }
  if (matches.size() == 1) {
    *out = matches.front();
    return std::nullopt;
  }
  static const std::regex kNegativeNumber(R"(^-\d+$|^-\d*\.\d+$)", kLinearRegex);
  if (std::regex_match(arg, kNegativeNumber)) return std::nullopt;
  if (arg.find(' ') != std::string::npos) return std::nullopt;
  out->kind = Classified::kUnknown;
  out->option_string = arg;
  return std::nullopt;
}

void Parser::SetFlag(const OptionDef& d, bool value, const std::string& origin) {
  if (d.dest == "standalone") args_.standalone = value;
  if (d.dest == "module") args_.module = value;
  if (d.dest == "no_python") args_.no_python = value;
  if (d.dest == "run_path") args_.run_path = value;
  if (d.dest == "use_env") args_.use_env = value;
  if (d.dest == "virtual_local_rank") args_.virtual_local_rank = value;
  if (!origin.empty()) args_.origin[d.dest] = origin;
}

std::optional<TorchrunError> Parser::Convert(const OptionDef& d, const std::string& value,
                                             const std::string& origin) {
  // argparse _get_value: "invalid <type> value: <repr>".
  if (d.type == OptType::kInt) {
    auto v = PyInt(value);
    if (!v) {
      return TorchrunError::Usage(
                 fmt::format("argument {}: invalid int value: {}", d.Name(), PyStrRepr(value)))
          .From(origin, value);
    }
    if (d.dest == "max_restarts") args_.max_restarts = *v;
    if (d.dest == "node_rank") args_.node_rank = *v;
    if (d.dest == "master_port") args_.master_port = *v;
    if (d.dest == "shutdown_timeout") args_.shutdown_timeout = *v;
  } else if (d.type == OptType::kFloat) {
    auto v = PyFloat(value);
    if (!v) {
      return TorchrunError::Usage(
                 fmt::format("argument {}: invalid float value: {}", d.Name(), PyStrRepr(value)))
          .From(origin, value);
    }
    args_.monitor_interval = *v;
  } else {
    if (d.dest == "nnodes") args_.nnodes = value;
    if (d.dest == "nproc_per_node") args_.nproc_per_node = value;
    if (d.dest == "rdzv_backend") args_.rdzv_backend = value;
    if (d.dest == "rdzv_endpoint") args_.rdzv_endpoint = value;
    if (d.dest == "rdzv_id") args_.rdzv_id = value;
    if (d.dest == "rdzv_conf") args_.rdzv_conf = value;
    if (d.dest == "start_method") args_.start_method = value;
    if (d.dest == "role") args_.role = value;
    if (d.dest == "log_dir") args_.log_dir = value;
    if (d.dest == "redirects") args_.redirects = value;
    if (d.dest == "tee") args_.tee = value;
    if (d.dest == "master_addr") args_.master_addr = value;
    if (d.dest == "event_log_handler") args_.event_log_handler = value;
    if (d.dest == "local_ranks_filter") args_.local_ranks_filter = value;
    if (d.dest == "duplicate_stdout_filters") args_.duplicate_stdout_filters = CommaList(value);
    if (d.dest == "duplicate_stderr_filters") args_.duplicate_stderr_filters = CommaList(value);
    if (d.dest == "local_addr") args_.local_addr = value;
    if (d.dest == "logs_specs") args_.logs_specs = value;
    if (d.dest == "numa_binding") args_.numa_binding = value;
    if (d.dest == "signals_to_handle") args_.signals_to_handle = value;
  }
  args_.origin[d.dest] = origin;
  return std::nullopt;
}

std::optional<TorchrunError> Parser::Store(const OptionDef& d, const std::string& value,
                                           const std::string& origin) {
  if (!d.choices.empty()) {
    bool found = false;
    std::string list;
    for (const auto& c : d.choices) {
      found = found || c == value;
      list += (list.empty() ? "" : ", ") + PyStrRepr(c);
    }
    if (!found) {
      return TorchrunError::Usage(fmt::format("argument {}: invalid choice: {} (choose from {})",
                                              d.Name(), PyStrRepr(value), list))
          .From(origin, value);
    }
  }
  return Convert(d, value, origin);
}

ParsedTorchrunArgs Parser::Parse(const std::vector<std::string>& argv) {
  ParsedTorchrunArgs out;
  auto fail = [&](TorchrunError e) {
    out.error = std::move(e);
    return out;
  };
  // Parser construction: env() replaces defaults; check_env() calls int() on
  // its variable right away (argparse_util.py), so PET_STANDALONE="" raises.
  for (const auto& d : table_) {
    if (!d.env) continue;
    auto it = env_.find(EnvName(d.dest));
    if (it == env_.end()) continue;
    if (d.type == OptType::kCheckEnv) {
      auto v = PyInt(it->second);
      if (!v) {
        return fail(TorchrunError::Exception(
                        "ValueError", fmt::format("invalid literal for int() with base 10: {}",
                                                  PyStrRepr(it->second)))
                        .From(it->first, it->second));
      }
      SetFlag(d, *v != 0, it->first);
    } else if (d.type == OptType::kStr) {
      Convert(d, it->second, it->first);
    } else {
      env_defaults_[d.dest] = it->second;  // a str default: converted after parsing
    }
  }

  // Classify every argument first, as argparse does: an ambiguous prefix fails
  // even among the training script's own arguments.
  std::vector<Classified> kinds(argv.size());
  std::size_t double_dash = argv.size();
  for (std::size_t i = 0; i < argv.size(); ++i) {
    if (argv[i] == "--") {
      double_dash = i;
      break;
    }
    if (auto e = Classify(argv[i], &kinds[i])) return fail(*e);
  }

  std::vector<std::string> extras;
  std::vector<bool> seen(table_.size(), false);
  auto index_of = [&](const OptionDef* d) { return static_cast<std::size_t>(d - table_.data()); };
  bool have_script = false;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    if (i == double_dash) continue;  // "--" itself is dropped before the script
    if (i > double_dash || kinds[i].kind == Classified::kPositional) {
      // training_script, then REMAINDER: everything after it belongs to the script.
      args_.training_script = argv[i];
      args_.training_script_args.assign(argv.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                                        argv.end());
      have_script = true;
      break;
    }
    if (kinds[i].kind == Classified::kUnknown) {
      extras.push_back(argv[i]);
      continue;
    }
    Classified c = kinds[i];
    for (;;) {
      const OptionDef& d = *c.option;
      seen[index_of(&d)] = true;
      if (d.type == OptType::kHelp) {
        TorchrunError help;
        help.kind = TorchrunError::Kind::kHelp;
        return fail(help);
      }
      if (!d.takes_value()) {
        SetFlag(d, true, c.option_string);
        // "-mr3": a short flag followed by more short options.
        if (c.explicit_arg && c.option_string.size() == 2 && !c.explicit_arg->empty()) {
          const std::string next = std::string("-") + (*c.explicit_arg)[0];
          const OptionDef* nd = Exact(next);
          if (nd == nullptr) {
            return fail(
                TorchrunError::Usage(fmt::format("argument {}: ignored explicit argument {}",
                                                 d.Name(), PyStrRepr(*c.explicit_arg)))
                    .From(c.option_string, *c.explicit_arg));
          }
          std::optional<std::string> rest;
          if (c.explicit_arg->size() > 1) rest = c.explicit_arg->substr(1);
          c = {Classified::kKnown, nd, next, rest};
          continue;
        }
        if (c.explicit_arg) {
          return fail(TorchrunError::Usage(fmt::format("argument {}: ignored explicit argument {}",
                                                       d.Name(), PyStrRepr(*c.explicit_arg)))
                          .From(c.option_string, *c.explicit_arg));
        }
        break;
      }
      std::string value;
      if (c.explicit_arg) {
        value = *c.explicit_arg;
      } else if (i + 1 < argv.size() && i + 1 < double_dash &&
                 kinds[i + 1].kind == Classified::kPositional) {
        value = argv[++i];
      } else {
        return fail(
            TorchrunError::Usage(fmt::format("argument {}: expected one argument", d.Name()))
                .From(c.option_string, ""));
      }
      if (auto e = Store(d, value, c.option_string)) return fail(*e);
      break;
    }
  }
  // Defaults that are strings (here: from PET_*) are type-converted now.
  for (std::size_t k = 0; k < table_.size(); ++k) {
    if (seen[k]) continue;
    auto it = env_defaults_.find(table_[k].dest);
    if (it == env_defaults_.end()) continue;
    if (auto e = Convert(table_[k], it->second, EnvName(it->first))) return fail(*e);
  }
  if (!have_script) {
    return fail(TorchrunError::Usage(
        "the following arguments are required: training_script, training_script_args"));
  }
  if (!extras.empty()) {
    std::string joined;
    for (const auto& x : extras)
      joined += (joined.empty() ? "" : " ") + x;
    return fail(TorchrunError::Usage("unrecognized arguments: " + joined)
                    .From(extras.front(), extras.front()));
  }
  out.args = std::move(args_);
  return out;
}

}  // namespace

EnvMap EnvMapOf(const std::vector<std::string>& env) {
  EnvMap out;
  for (const auto& kv : env) {
    auto eq = kv.find('=');
    if (eq == std::string::npos) continue;
    out[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return out;
}

std::string TorchrunArgs::Origin(const std::string& dest) const {
  auto it = origin.find(dest);
  return it != origin.end() ? it->second : "--" + dest;
}

ParsedTorchrunArgs ParseTorchrunArgs(const TorchrunCommand& command, const EnvMap& env,
                                     const TorchrunProfile& profile) {
  Parser parser(command, env, profile);
  return parser.Parse(command.args);
}

}  // namespace ptsim::elastic
