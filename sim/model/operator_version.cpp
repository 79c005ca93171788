#include "sim/model/operator_version.hpp"

namespace ptsim {

std::optional<OperatorVersion> ParseOperatorVersion(std::string_view text) {
  if (text == "fixed") return OperatorVersion::kFixed;
  if (!text.empty() && text.front() == 'v') text.remove_prefix(1);
  if (text == "1.7.0") return OperatorVersion::kV1_7_0;
  if (text == "1.8.1") return OperatorVersion::kV1_8_1;
  if (text == "1.9.0") return OperatorVersion::kV1_9_0;
  if (text == "1.9.4") return OperatorVersion::kV1_9_4;
  return std::nullopt;
}

std::string_view OperatorVersionName(OperatorVersion version) {
  switch (version) {
    case OperatorVersion::kV1_7_0:
      return "v1.7.0";
    case OperatorVersion::kV1_8_1:
      return "v1.8.1";
    case OperatorVersion::kV1_9_0:
      return "v1.9.0";
    case OperatorVersion::kV1_9_4:
      return "v1.9.4";
    case OperatorVersion::kFixed:
      return "fixed";
  }
  return "unknown";
}

std::string_view OperatorVersionChoices() {
  return "v1.7.0, v1.8.1, v1.9.0, v1.9.4, fixed";
}

bool HasValidatingWebhook(OperatorVersion version) {
  return version != OperatorVersion::kV1_7_0;
}

bool HasQueueImmutabilityRule(OperatorVersion version) {
  return version != OperatorVersion::kV1_7_0;
}

bool ValidatesWorkerReplicasAndManagedBy(OperatorVersion version) {
  return version == OperatorVersion::kV1_9_0 || version == OperatorVersion::kV1_9_4 ||
         version == OperatorVersion::kFixed;
}

bool ValidateUpdateComparesNewWithNew(OperatorVersion version) {
  return version == OperatorVersion::kV1_9_0 || version == OperatorVersion::kV1_9_4;
}

}  // namespace ptsim
