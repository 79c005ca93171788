#include "fakes/job/indexed_job_utils.hpp"

#include <charconv>

namespace ptsim {
namespace {

std::int32_t ParseNonNegative(const std::string& s) {
  std::int32_t v = 0;
  const auto* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(s.data(), end, v);
  if (s.empty() || ec != std::errc() || ptr != end || v < 0) return kUnknownCompletionIndex;
  return v;
}

}  // namespace

std::int32_t GetCompletionIndex(const ObjectMeta& meta) {
  if (auto it = meta.annotations.find(kJobCompletionIndexAnnotation);
      it != meta.annotations.end()) {
    return ParseNonNegative(it->second);
  }
  if (auto it = meta.labels.find(kJobCompletionIndexAnnotation); it != meta.labels.end()) {
    return ParseNonNegative(it->second);
  }
  return kUnknownCompletionIndex;
}

std::vector<std::int32_t> FirstPendingIndexes(const std::set<std::int32_t>& non_pending,
                                              std::int32_t count, std::int32_t completions) {
  std::vector<std::int32_t> out;
  for (std::int32_t i = 0; i < completions && static_cast<std::int32_t>(out.size()) < count; ++i) {
    if (!non_pending.count(i)) out.push_back(i);
  }
  return out;
}

std::string PodGenerateNameWithIndex(const std::string& job_name, std::int32_t index) {
  const std::string append = "-" + std::to_string(index) + "-";
  std::string prefix = job_name + append;
  if (prefix.size() > kMaxGeneratedNameLength) {
    prefix = prefix.substr(0, kMaxGeneratedNameLength - append.size()) + append;
  }
  return prefix;
}

std::string PodGenerateName(const std::string& job_name) {
  std::string prefix = job_name + "-";
  if (prefix.size() > kMaxGeneratedNameLength) prefix = prefix.substr(0, kMaxGeneratedNameLength);
  return prefix;
}

std::int32_t GetIndexFailureCount(const Pod& pod) {
  auto it = pod.metadata.annotations.find(kJobIndexFailureCountAnnotation);
  if (it == pod.metadata.annotations.end()) return 0;
  const std::int32_t v = ParseNonNegative(it->second);
  return v < 0 ? 0 : v;
}

}  // namespace ptsim
