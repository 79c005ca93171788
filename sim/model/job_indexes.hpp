// Sets of completion indexes of an Indexed batch/v1 Job, in the compressed
// text form the API uses for status.completedIndexes, status.failedIndexes
// and successPolicy.rules[].succeededIndexes: "1,3-5" (ascending intervals,
// a single index without a dash). Parsing follows validateIndexesFormat
// (pkg/apis/batch/validation) and parseIndexesFromString
// (pkg/controller/job/indexed_job_utils.go). Plain data; any thread.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "sim/core/diagnostics.hpp"

namespace ptsim {

struct IndexInterval {
  std::int32_t first = 0;
  std::int32_t last = 0;
  bool operator==(const IndexInterval&) const = default;
};

using OrderedIntervals = std::vector<IndexInterval>;

// validateIndexesFormat: intervals in increasing, non-overlapping order, each
// index in [0, completions). On error, `error` gets upstream's text.
OrderedIntervals ParseIndexes(const std::string& text, std::int32_t completions,
                              std::string* error);
// The total number of indexes the intervals cover.
std::int32_t CountIndexes(const OrderedIntervals& intervals);
bool HasIndex(const OrderedIntervals& intervals, std::int32_t index);
// Compresses a set of indexes: {1,3,4,5} -> "1,3-5".
std::string FormatIndexes(const std::set<std::int32_t>& indexes);
std::set<std::int32_t> IndexSet(const OrderedIntervals& intervals);

}  // namespace ptsim
