#include "sim/harness/faults/fault_targets.hpp"

#include <algorithm>
#include <cctype>

#include "sim/model/batch_job.hpp"
#include "sim/model/jobset.hpp"
#include "sim/model/label_selector.hpp"
#include "sim/model/pytorchjob.hpp"

namespace ptsim {
namespace {

std::string Capitalized(std::string s) {
  if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

bool MatchesReplica(const FaultTarget& t, const Pod& pod) {
  auto type = pod.metadata.labels.find(kReplicaTypeLabel);
  if (type == pod.metadata.labels.end() || Capitalized(type->second) != t.replica_type) {
    return false;
  }
  if (!t.replica_index) return true;
  auto index = pod.metadata.labels.find(kReplicaIndexLabel);
  return index != pod.metadata.labels.end() && index->second == std::to_string(*t.replica_index);
}

bool LabelIs(const Pod& pod, const char* key, const std::string& value) {
  const auto it = pod.metadata.labels.find(key);
  return it != pod.metadata.labels.end() && it->second == value;
}

// A JobSet's pod: replicated job, Job index and completion index, by the
// labels the JobSet and Job controllers put on it.
bool MatchesReplicatedJob(const FaultTarget& t, const Pod& pod) {
  if (!LabelIs(pod, kReplicatedJobNameKey, t.replicated_job)) return false;
  if (t.job_index && !LabelIs(pod, kJobIndexKey, std::to_string(*t.job_index))) return false;
  return !t.pod_index || LabelIs(pod, kJobCompletionIndexAnnotation, std::to_string(*t.pod_index));
}

// How many of `count` candidates the mode keeps.
std::size_t KeptByMode(const FaultTarget& t, Random& rng, std::size_t count) {
  switch (t.mode) {
    case FaultTarget::Mode::kAll:
      return count;
    case FaultTarget::Mode::kOne:
      return std::min<std::size_t>(1, count);
    case FaultTarget::Mode::kFixed:
      return std::min<std::size_t>(static_cast<std::size_t>(t.value), count);
    case FaultTarget::Mode::kFixedPercent:
      return count * static_cast<std::size_t>(t.value) / 100;
    case FaultTarget::Mode::kRandomMaxPercent: {
      const std::size_t most = count * static_cast<std::size_t>(t.value) / 100;
      return most == 0 ? 0 : rng.Uniform(most + 1);
    }
  }
  return count;
}

}  // namespace

bool TargetMatchesPod(const FaultTarget& t, const Pod& pod) {
  if (pod.metadata.namespace_ != t.ns) return false;
  if (!t.pod.empty() && pod.metadata.name != t.pod) return false;
  if (!t.replica_type.empty() && !MatchesReplica(t, pod)) return false;
  if (!t.replicated_job.empty() && !MatchesReplicatedJob(t, pod)) return false;
  if (!t.selector.empty()) {
    auto sel = LabelSelector::Parse(t.selector);
    if (!sel.ok() || !sel->Matches(pod.metadata.labels)) return false;
  }
  if (!t.node.empty() && pod.spec.node_name != t.node) return false;
  return true;
}

void PickByMode(const FaultTarget& target, Random& rng, std::vector<FaultHit>* hits) {
  const std::size_t keep = KeptByMode(target, rng, hits->size());
  if (keep >= hits->size()) return;
  for (std::size_t i = 0; i < keep; ++i) {  // partial Fisher-Yates
    const std::size_t j = i + rng.Uniform(hits->size() - i);
    std::swap((*hits)[i], (*hits)[j]);
  }
  hits->resize(keep);
  std::sort(hits->begin(), hits->end(),
            [](const FaultHit& x, const FaultHit& y) { return x.pod < y.pod; });
}

}  // namespace ptsim
