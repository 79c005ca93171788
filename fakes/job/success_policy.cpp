#include "fakes/job/success_policy.hpp"

#include <fmt/format.h>

namespace ptsim {

std::optional<std::string> MatchSuccessPolicy(const SuccessPolicy* policy, std::int32_t completions,
                                              const OrderedIntervals& succeeded_indexes) {
  if (!policy || succeeded_indexes.empty()) return std::nullopt;
  const auto succeeded = IndexSet(succeeded_indexes);
  for (std::size_t i = 0; i < policy->rules.size(); ++i) {
    const SuccessPolicyRule& rule = policy->rules[i];
    if (rule.succeeded_indexes) {
      std::string error;
      const auto required = ParseIndexes(*rule.succeeded_indexes, completions, &error);
      // A rule whose indexes do not parse is skipped.
      if (!error.empty() || required.empty()) continue;
      std::int32_t matched = 0;
      for (std::int32_t index : IndexSet(required))
        matched += succeeded.count(index) ? 1 : 0;
      const bool met = rule.succeeded_count ? matched >= *rule.succeeded_count
                                            : matched == CountIndexes(required);
      if (met) return fmt::format("Matched rules at index {}", i);
    } else if (rule.succeeded_count &&
               static_cast<std::int32_t>(succeeded.size()) >= *rule.succeeded_count) {
      return fmt::format("Matched rules at index {}", i);
    }
  }
  return std::nullopt;
}

}  // namespace ptsim
