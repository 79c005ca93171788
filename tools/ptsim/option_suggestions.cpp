#include "tools/ptsim/option_suggestions.hpp"

#include <fmt/format.h>

#include "sim/core/spelling.hpp"

namespace ptsim::cli {
namespace {

// The option of `app` spelt `name` ("--json", "-j"), or null.
const CLI::Option* FindOption(const CLI::App& app, const std::string& name) {
  for (const CLI::Option* opt : app.get_options()) {
    for (const auto& l : opt->get_lnames()) {
      if (name == "--" + l) return opt;
    }
    for (const auto& s : opt->get_snames()) {
      if (name == "-" + s) return opt;
    }
  }
  return nullptr;
}

std::vector<std::string> LongOptions(const CLI::App& app) {
  std::vector<std::string> out;
  for (const CLI::Option* opt : app.get_options()) {
    for (const auto& l : opt->get_lnames())
      out.push_back("--" + l);
  }
  return out;
}

std::string CommandName(const CLI::App& app) {
  std::string name = app.get_name();
  for (const CLI::App* p = app.get_parent(); p != nullptr; p = p->get_parent())
    name = p->get_name() + " " + name;
  return name;
}

}  // namespace

std::string SuggestCorrections(CLI::App& app, const std::vector<std::string>& args) {
  std::string out;
  CLI::App* current = &app;
  bool positional_seen = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") break;
    if (arg.size() > 1 && arg[0] == '-') {
      const std::string name = arg.substr(0, arg.find('='));
      if (const CLI::Option* opt = FindOption(*current, name)) {
        // An option's value is the next argument unless given with '='.
        if (opt->get_type_size() > 0 && name == arg) ++i;
        continue;
      }
      const std::string nearest = Nearest(name, LongOptions(*current), 3);
      out += fmt::format("ptsim: {} has no option {}{}\n", CommandName(*current), name,
                         nearest.empty() ? fmt::format("; see {} --help", CommandName(*current))
                                         : fmt::format("; did you mean {}?", nearest));
      continue;
    }
    std::vector<std::string> names;
    CLI::App* next = nullptr;
    for (CLI::App* sub : current->get_subcommands([](CLI::App*) { return true; })) {
      names.push_back(sub->get_name());
      if (sub->check_name(arg)) next = sub;
    }
    if (names.empty() || positional_seen) continue;
    if (next != nullptr) {
      current = next;
      continue;
    }
    positional_seen = true;
    const std::string nearest = Nearest(arg, names, 2);
    out +=
        fmt::format("ptsim: {} has no command \"{}\"{}\n", CommandName(*current), arg,
                    nearest.empty() ? fmt::format("; the commands are {}", fmt::join(names, ", "))
                                    : fmt::format("; did you mean {}?", nearest));
  }
  return out;
}

}  // namespace ptsim::cli
