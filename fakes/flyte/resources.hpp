// flytekit.Resources as used by the plugin's Master/Worker `requests` and
// `limits` (flytekit/core/resources.py): four optional fields, each a single
// value or a two-element list/tuple, with flytekit's checks and messages.
//
// CheckResources is Resources.__post_init__ (type and length checks, run when
// the object is built); ToResourceModel is convert_resources_to_resource_model
// (used by get_custom), which rejects lists and emits entries in the fixed
// order CPU, MEMORY, GPU, EPHEMERAL_STORAGE with value str(v). Plain data.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "fakes/flyte/idl.hpp"
#include "fakes/flyte/python_value.hpp"
#include "sim/core/diagnostics.hpp"

namespace ptsim::flyte {

// One Resources field: a single Python value, or a list/tuple of them.
class ResourceValue {
 public:
  ResourceValue(const char* text) : items_{PyScalar::Str(text)} {}             // NOLINT: a str
  ResourceValue(std::string text) : items_{PyScalar::Str(std::move(text))} {}  // NOLINT
  ResourceValue(PyScalar scalar) : items_{std::move(scalar)} {}                // NOLINT
  static ResourceValue List(std::vector<PyScalar> items, bool tuple = false);

  bool is_list() const { return is_list_; }
  const std::vector<PyScalar>& items() const { return items_; }
  // str(value): "2Gi", "0.5", "['1', '2']", "('1', '2')".
  std::string Str() const;

 private:
  ResourceValue() = default;
  std::vector<PyScalar> items_;
  bool is_list_ = false;
  bool is_tuple_ = false;
};

struct Resources {
  std::optional<ResourceValue> cpu{};
  std::optional<ResourceValue> mem{};
  std::optional<ResourceValue> gpu{};
  std::optional<ResourceValue> ephemeral_storage{};
};

// Resources.__post_init__: cpu takes str/int/float, the others str/int, or a
// list/tuple of those of length 2. Messages, e.g.
//   "1.5 should be of type str, int or a list/tuple of str, int"
//   "['1', '2', '3'] must be of length 2"
// `field` prefixes each Diagnostic's field (e.g. "pytorch.worker.requests").
Diagnostics CheckResources(const Resources& resources, const std::string& field);

// convert_resources_to_resource_model(requests, limits): always returns a
// message (possibly empty); a list value fails with
// "<value> can not be a list or tuple".
Result<idl::Resources> ToResourceModel(const std::optional<Resources>& requests,
                                       const std::optional<Resources>& limits,
                                       const std::string& field);

// The task-level resources of the task's container, as
// _get_container_definition (flytekit/core/utils.py) builds them from
// @task(requests=..., limits=...): the limits are checked for lists before
// the requests (_check_resource_is_singular, same message), and only truthy
// values make an entry (`gpu=0`, `ephemeral_storage=0`, `cpu=0.0` and ""
// make none; the string "0" does), in the order EPHEMERAL_STORAGE, CPU,
// GPU, MEMORY, with value str(v).
Result<idl::Resources> ToContainerResourceModel(const std::optional<Resources>& requests,
                                                const std::optional<Resources>& limits,
                                                const std::string& field);

}  // namespace ptsim::flyte
