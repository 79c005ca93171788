#include "fakes/flyte/resources.hpp"

#include <array>
#include <string_view>

namespace ptsim::flyte {
namespace {

using Type = PyScalar::Type;

// The fields in declaration order with the Python types each accepts; bool is
// an int subclass in Python, so it passes wherever int does.
struct FieldRule {
  std::string_view name;
  std::optional<ResourceValue> Resources::*member;
  bool allows_float;
  idl::ResourceName idl_name;
};

constexpr std::array<FieldRule, 4> kFields = {{
    {"cpu", &Resources::cpu, true, idl::ResourceName::kCpu},
    {"mem", &Resources::mem, false, idl::ResourceName::kMemory},
    {"gpu", &Resources::gpu, false, idl::ResourceName::kGpu},
    {"ephemeral_storage", &Resources::ephemeral_storage, false,
     idl::ResourceName::kEphemeralStorage},
}};

bool Allowed(const PyScalar& s, bool allows_float) {
  return s.type == Type::kStr || s.type == Type::kInt || s.type == Type::kBool ||
         (allows_float && s.type == Type::kFloat);
}

}  // namespace

ResourceValue ResourceValue::List(std::vector<PyScalar> items, bool tuple) {
  ResourceValue v;
  v.items_ = std::move(items);
  v.is_list_ = true;
  v.is_tuple_ = tuple;
  return v;
}

std::string ResourceValue::Str() const {
  if (!is_list_) return items_.front().text;
  std::string out = is_tuple_ ? "(" : "[";
  for (size_t i = 0; i < items_.size(); ++i) {
    if (i > 0) out += ", ";
    out += items_[i].Repr();
  }
  if (is_tuple_ && items_.size() == 1) out += ",";
  return out + (is_tuple_ ? ")" : "]");
}

Diagnostics CheckResources(const Resources& resources, const std::string& field) {
  Diagnostics d;
  // resources.py Resources.__post_init__ -> _check_value, field by field; the
  // first failure raises, so at most one error is reported.
  for (const FieldRule& rule : kFields) {
    const auto& value = resources.*rule.member;
    if (!value) continue;
    bool single_ok = !value->is_list() && Allowed(value->items().front(), rule.allows_float);
    bool multiple_ok = value->is_list();
    for (const auto& item : value->items()) {
      multiple_ok = multiple_ok && Allowed(item, rule.allows_float);
    }
    std::string where = field + "." + std::string(rule.name);
    if (!single_ok && !multiple_ok) {
      std::string types = rule.allows_float ? "str, int, float" : "str, int";
      d.Error({}, "", where,
              value->Str() + " should be of type " + types + " or a list/tuple of " + types);
      return d;
    }
    if (multiple_ok && value->items().size() != 2) {
      d.Error({}, "", where, value->Str() + " must be of length 2");
      return d;
    }
  }
  return d;
}

Result<idl::Resources> ToResourceModel(const std::optional<Resources>& requests,
                                       const std::optional<Resources>& limits,
                                       const std::string& field) {
  idl::Resources out;
  Diagnostics d;
  // _convert_resources_to_resource_entries: _check_resource_is_singular first
  // (any list raises), then the entries in CPU, MEMORY, GPU, EPHEMERAL_STORAGE order.
  auto convert = [&](const std::optional<Resources>& r, std::string_view which,
                     std::vector<idl::ResourceEntry>* entries) {
    if (!r || !d.ok()) return;
    for (const FieldRule& rule : kFields) {
      const auto& value = (*r).*rule.member;
      if (value && value->is_list()) {
        d.Error({}, "", field + "." + std::string(which) + "." + std::string(rule.name),
                value->Str() + " can not be a list or tuple");
        return;
      }
    }
    for (const FieldRule& rule : kFields) {
      const auto& value = (*r).*rule.member;
      if (value) entries->push_back({rule.idl_name, value->Str()});
    }
  };
  convert(requests, "requests", &out.requests);
  convert(limits, "limits", &out.limits);
  if (!d.ok()) return d;
  return out;
}

Result<idl::Resources> ToContainerResourceModel(const std::optional<Resources>& requests,
                                                const std::optional<Resources>& limits,
                                                const std::string& field) {
  Diagnostics d;
  auto singular = [&](const std::optional<Resources>& r, std::string_view which) {
    if (!r || !d.ok()) return;
    for (const FieldRule& rule : kFields) {
      const auto& value = (*r).*rule.member;
      if (value && value->is_list()) {
        d.Error({}, "", field + "." + std::string(which) + "." + std::string(rule.name),
                value->Str() + " can not be a list or tuple");
        return;
      }
    }
  };
  singular(limits, "limits");
  singular(requests, "requests");
  if (!d.ok()) return d;
  // The order _get_container_definition appends its entries in.
  static constexpr std::array<std::size_t, 4> kOrder = {3, 0, 2, 1};
  auto entries = [](const std::optional<Resources>& r) {
    std::vector<idl::ResourceEntry> out;
    if (!r) return out;
    for (std::size_t i : kOrder) {
      const FieldRule& rule = kFields[i];
      const auto& value = (*r).*rule.member;
      if (value && value->items().front().Truthy()) {
        out.push_back({rule.idl_name, value->Str()});
      }
    }
    return out;
  };
  return idl::Resources{entries(requests), entries(limits)};
}

}  // namespace ptsim::flyte
