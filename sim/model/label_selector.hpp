// Label selectors: equality-based matching (matchLabels) and the string form
// metav1.FormatLabelSelector prints ("a=b,c=d", keys sorted). Set-based
// expressions (matchExpressions: In, NotIn, Exists, DoesNotExist) are
// supported for faults and expectations that select pods.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sim/core/diagnostics.hpp"
#include "sim/model/object_meta.hpp"

namespace ptsim {

struct LabelRequirement {
  enum class Op { kEquals, kNotEquals, kIn, kNotIn, kExists, kDoesNotExist };
  std::string key;
  Op op = Op::kEquals;
  std::vector<std::string> values;
};

class LabelSelector {
 public:
  LabelSelector() = default;  // matches everything
  static LabelSelector FromLabels(const Labels& match_labels);
  // Parses the kubectl form: "a=b,c!=d,e in (x,y),!f,g", with keys checked
  // as qualified names and values as label values (apimachinery labels.Parse);
  // the error names the selector and what was found where. Spaces around
  // tokens are allowed; `<` and `>` are not supported.
  static Result<LabelSelector> Parse(std::string_view text);

  bool Matches(const Labels& labels) const;
  bool empty() const { return requirements_.empty(); }
  // "a=b,c=d" with keys sorted, as metav1.FormatLabelSelector renders matchLabels.
  std::string ToString() const;
  void Add(LabelRequirement r) { requirements_.push_back(std::move(r)); }

 private:
  std::vector<LabelRequirement> requirements_;
};

}  // namespace ptsim
