#include "sim/harness/pod_journal.hpp"

#include <nlohmann/json.hpp>

#include "sim/core/utf8.hpp"

namespace ptsim {

PodJournal::PodJournal(ApiServer& api, const std::string& path)
    : file_(std::fopen(path.c_str(), "we")) {
  if (!file_) return;
  api.collection<Pod>().Watch([this](const WatchEvent<Pod>& e) {
    if (seen_.insert(e.object->metadata.uid).second) Append(*e.object);
  });
}

PodJournal::~PodJournal() {
  if (file_) std::fclose(file_);
}

void PodJournal::Append(const Pod& pod) {
  const auto& m = pod.metadata;
  nlohmann::json line = {{"namespace", m.namespace_},
                         {"name", ReplaceInvalidUtf8(m.name)},
                         {"uid", m.uid},
                         {"createdAt", ToSeconds(m.creation_timestamp)}};
  if (const OwnerReference* owner = m.ControllerRef()) {
    line["controller"] = {{"kind", owner->kind}, {"name", ReplaceInvalidUtf8(owner->name)}};
  }
  for (const auto& [key, value] : m.labels) {
    if (key.starts_with("training.kubeflow.org/")) line["labels"][key] = ReplaceInvalidUtf8(value);
  }
  const std::string text = line.dump() + "\n";
  std::fwrite(text.data(), 1, text.size(), file_);
  std::fflush(file_);
}

}  // namespace ptsim
