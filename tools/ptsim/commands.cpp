#include "tools/ptsim/commands.hpp"

#include <cstdlib>
#include <filesystem>
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
    const char* value = std::getenv(name.c_str());
    std::string v = value ? value : (name == "PATH" ? "/usr/local/bin:/usr/bin:/bin" : "");
    if (name == "PATH") {
      // ptsim's own directory comes first, so that containers find ptsim-worker.
      std::error_code ec;
      const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
      if (!ec) v = self.parent_path().string() + ":" + v;
    }
    if (value || name == "PATH") env.push_back(name + "=" + v);
  }
  return env;
}

}  // namespace ptsim::cli
