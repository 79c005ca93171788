#include "sim/harness/expectations/registry.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "sim/core/spelling.hpp"
#include "sim/harness/expectations/kinds.hpp"

namespace ptsim {
namespace {

namespace x = expectations;

// The kinds, in the order of the table in docs/scenarios.md#expectations.
constexpr ExpectationKind kKinds[] = {
    {"finalCondition", x::DecodeFinalCondition, true},
    {"conditions", x::DecodeConditions, true},
    {"neverCondition", x::DecodeNeverCondition, true},
    {"restartCount", x::DecodeRestartCount, false},
    {"podsExist", x::DecodePodsExist, false},
    {"podsDeleted", x::DecodePodsDeleted, false},
    {"servicesExist", x::DecodeServicesExist, false},
    {"servicesDeleted", x::DecodeServicesDeleted, false},
    {"jobDeleted", x::DecodeJobDeleted, true},
    {"event", x::DecodeEvent, false},
    {"env", x::DecodeEnv, false},
    {"duration", x::DecodeDuration, false},
    {"podPhase", x::DecodePodPhase, false},
    {"outcome", x::DecodeOutcome, false},
    {"note", x::DecodeNote, false},
    {"flytePhase", x::DecodeFlytePhase, false},
    {"flyte", x::DecodeFlyte, false},
    {"termination", x::DecodeTermination, false},
    {"log", x::DecodeLog, false},
    {"fault", x::DecodeFault, false},
    {"file", x::DecodeFile, false},
    {"report", x::DecodeReport, false},
};

const ExpectationKind* FindKind(std::string_view key) {
  for (const auto& k : kKinds) {
    if (k.key == key) return &k;
  }
  return nullptr;
}

// "a, b and c" of the keys of the kinds `pick` selects.
template <typename Pick>
std::string KeyList(Pick pick) {
  std::vector<std::string> keys;
  for (const auto& k : kKinds) {
    if (pick(k)) keys.emplace_back(k.key);
  }
  if (keys.size() < 2) return fmt::format("{}", fmt::join(keys, ""));
  const std::string last = keys.back();
  keys.pop_back();
  return fmt::format("{} and {}", fmt::join(keys, ", "), last);
}

std::string UnknownKind(const std::string& key) {
  std::vector<std::string> keys;
  for (const auto& k : kKinds)
    keys.emplace_back(k.key);
  // `job` alone is not a misspelt kind: it goes beside one.
  return fmt::format("unknown expectation \"{}\"; expectations are {}{}", key,
                     KeyList([](const ExpectationKind&) { return true; }),
                     key == "job" ? "" : DidYouMean(key, keys, 2));
}

}  // namespace

std::span<const ExpectationKind> ExpectationKinds() {
  return kKinds;
}

void DecodeExpectation(DecodeContext& ctx, const YAML::Node& node, const std::string& path,
                       ExpectationSpec* out) {
  out->where = ctx.Where(node);
  MapReader entry(ctx, node, path);
  if (!entry.ok()) return;
  // One key says what is expected; `job` may name the job it is about.
  std::string key;
  YAML::Node value;
  std::size_t keys = 0;
  for (const auto& kv : node) {
    if (kv.first.Scalar() == "job" && node.size() > 1) continue;
    key = kv.first.Scalar();
    value = kv.second;
    ++keys;
  }
  if (keys != 1) {
    ctx.Error(node, path,
              "each expectation is a mapping with exactly one key (and optionally `job`), e.g. "
              "`- finalCondition: {type: Succeeded}`");
    for (const auto& kv : node)
      entry.Accept(kv.first.Scalar());
    return;
  }
  const ExpectationKind* kind = FindKind(key);
  ExpectationInput in{ctx, entry, key, value, entry.FieldPath(key), {}};
  if (node.size() > 1) {
    entry.String("job", &in.job.name, true);
    if (!kind || !kind->about_job) {
      ctx.Error(entry.Get("job"), entry.FieldPath("job"),
                fmt::format("`job` is for {}, not {}",
                            KeyList([](const ExpectationKind& k) { return k.about_job; }), key));
    }
  }
  entry.Get(key);
  if (!kind) {
    ctx.Error(node.begin()->first, in.path, UnknownKind(key));
    return;
  }
  out->expectation = kind->decode(in);
}

}  // namespace ptsim
