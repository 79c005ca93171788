#include "tests/fuzz/corpus.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "fakes/elastic/torchrun_command.hpp"
#include "sim/model/go_duration.hpp"
#include "sim/model/quantity.hpp"
#include "sim/model/yaml_file.hpp"

namespace ptsim::fuzz {
namespace {

namespace fs = std::filesystem;

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Every YAML/JSON file under the given directories, sorted.
std::vector<fs::path> InputFiles(const fs::path& root) {
  std::vector<fs::path> files;
  for (const char* dir : {"scenarios", "tests/model/data", "tests/fakes", "tests/harness"}) {
    std::error_code ec;
    if (!fs::is_directory(root / dir, ec)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(root / dir, ec)) {
      const auto ext = entry.path().extension().string();
      if (entry.is_regular_file() && (ext == ".yaml" || ext == ".yml" || ext == ".json")) {
        files.push_back(entry.path());
      }
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

class Collector {
 public:
  void Add(const std::string& target, std::string input) {
    if (seen_[target].insert(input).second) out_[target].push_back(std::move(input));
  }
  std::map<std::string, std::vector<std::string>> Take() { return std::move(out_); }

 private:
  std::map<std::string, std::set<std::string>> seen_;
  std::map<std::string, std::vector<std::string>> out_;
};

std::vector<std::string> Strings(const YAML::Node& list) {
  std::vector<std::string> out;
  // A missing key of a const node is an invalid node: only IsDefined() (the
  // bool conversion) may be asked of it.
  if (!list || !list.IsSequence()) return out;
  for (const auto& item : list) {
    if (item.IsScalar()) out.push_back(item.Scalar());
  }
  return out;
}

// Walks a document for the inputs of the small grammars.
void Walk(const YAML::Node& node, Collector* c, int depth) {
  if (depth > 64) return;
  if (node.IsScalar()) {
    const std::string& s = node.Scalar();
    std::string error;
    if (s.size() < 24 && ParseGoDuration(s, &error)) c->Add("go_duration", s);
    if (s.size() < 24 && Quantity::Parse(s).ok()) c->Add("quantity", s);
    return;
  }
  if (node.IsSequence()) {
    for (const auto& item : node)
      Walk(item, c, depth + 1);
    return;
  }
  if (!node.IsMap()) return;
  for (const auto& kv : node) {
    const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "";
    if (kv.second.IsScalar()) {
      if (key == "script" || key.rfind("script.ptsim.io/", 0) == 0) {
        c->Add("container_script", kv.second.Scalar());
      }
      if (key == "selector") c->Add("label_selector", kv.second.Scalar());
    }
    if (key == "command" && kv.second.IsSequence()) {
      std::vector<std::string> argv = Strings(kv.second);
      const YAML::Node& map = node;
      for (const auto& a : Strings(map["args"]))
        argv.push_back(a);
      if (elastic::RecognizeTorchrun(argv)) {
        std::string input(1, '\0');
        for (std::size_t i = 0; i < argv.size(); ++i)
          input += (i ? "\n" : "") + argv[i];
        c->Add("torchrun_args", input);
      }
    }
    Walk(kv.second, c, depth + 1);
  }
}

// `--fault` examples: backquoted spans of the docs with exactly two '@'.
void FaultExamples(const fs::path& root, Collector* c) {
  for (const char* doc : {"README.md", "docs/scenarios.md"}) {
    const std::string text = ReadAll(root / doc);
    for (std::size_t open = text.find('`'); open != std::string::npos;) {
      const std::size_t close = text.find('`', open + 1);
      if (close == std::string::npos) break;
      std::string span = text.substr(open + 1, close - open - 1);
      if (span.size() > 2 && span.front() == '\'' && span.back() == '\'') {
        span = span.substr(1, span.size() - 2);
      }
      if (std::count(span.begin(), span.end(), '@') == 2) c->Add("fault_flag", span);
      open = text.find('`', close + 1);
    }
  }
}

}  // namespace

std::map<std::string, std::vector<std::string>> SeedInputs(const std::string& source_dir) {
  const fs::path root(source_dir);
  Collector c;
  for (const auto& path : InputFiles(root)) {
    const std::string text = ReadAll(path);
    for (const char* target :
         {"yaml_stream", "pod_manifest", "pytorchjob_manifest", "job_manifest", "jobset_manifest",
          "trainjob_manifest", "run_file", "flyte_task_file", "flyte_template"}) {
      c.Add(target, text);
    }
    auto file = ParseYamlText(text, path.string());
    if (!file.ok()) continue;
    for (const auto& doc : file->documents)
      Walk(doc, &c, 0);
  }
  FaultExamples(root, &c);
  // A few of each grammar's forms the files may not show.
  for (const char* d : {"1h30m", "1.5s", "-2m", "300ms", "1\u00b5s", "0", "+5ns"})
    c.Add("go_duration", d);
  for (const char* q : {"500m", "2Gi", "1.5", "1e3", "-1Ki", "0.1E+2", "3P"})
    c.Add("quantity", q);
  for (const char* s : {"a=b,c!=d,e in (x,y),!f,g", "app.kubernetes.io/name==x", "a notin (,b)"})
    c.Add("label_selector", s);
  for (const char* s : {"run 30s, exit 1 | run 10s, exit 0", "steps 3 every 1s; log \"done\"",
                        "signal SIGTERM", "oom", "hang"})
    c.Add("container_script", s);
  return c.Take();
}

}  // namespace ptsim::fuzz
