// The name flytepropeller gives one attempt of a task execution, which
// becomes the PyTorchJob's (or the pod's) metadata.name:
// encoding.FixedLengthUniqueIDForParts(IDMaxLength, [execution name, node id,
// retry attempt]) (flytepropeller nodes/task/taskexec_context.go
// ComputeRawOutputPrefix; flyteplugins pluginmachinery/encoding/encoder.go).
// The parts are joined with "-" (an empty part adds no separator before the
// next); a result longer than the limit (50) is replaced by "f" + the
// unpadded base32 (alphabet "abcdefghijklmnopqrstuvwxyz123456") of its
// FNV-1a 32-bit hash. So attempt 2 of node n0 in execution f7a8c1b2 is
// "f7a8c1b2-n0-2". Plain functions; any thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ptsim::flyte {

inline constexpr int kIdMaxLength = 50;  // nodes/task IDMaxLength

// FixedLengthUniqueID with the default fnv32a algorithm.
std::string FixedLengthUniqueId(const std::string& input, int max_length = kIdMaxLength);
std::string FixedLengthUniqueIdForParts(const std::vector<std::string>& parts,
                                        int max_length = kIdMaxLength);
// The generated name of attempt `retry_attempt` (0-based) of node `node_id`.
std::string GeneratedName(const std::string& execution_name, const std::string& node_id,
                          int64_t retry_attempt);

}  // namespace ptsim::flyte
