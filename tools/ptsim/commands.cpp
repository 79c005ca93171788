#include "tools/ptsim/commands.hpp"

#include <cstdlib>
#include <sstream>

namespace ptsim::cli {

std::vector<std::string> InheritedEnvironment() {
  std::vector<std::string> names = {"PATH",           "HOME", "USER",   "LOGNAME", "LANG",
                                    "LC_ALL",         "TZ",   "TMPDIR", "SHELL",   "PYTHONPATH",
                                    "LD_LIBRARY_PATH"};
  if (const char* extra = std::getenv("PTSIM_INHERIT_ENV")) {
    std::stringstream list(extra);
    std::string name;
    while (std::getline(list, name, ',')) {
      if (!name.empty()) names.push_back(name);
    }
  }
  std::vector<std::string> env;
  for (const auto& name : names) {
    if (const char* value = std::getenv(name.c_str())) env.push_back(name + "=" + value);
  }
  return env;
}

}  // namespace ptsim::cli
