#include "fakes/flyte/node_retry.hpp"

#include <fmt/format.h>

namespace ptsim::flyte {

RetryDecision IsEligibleForRetry(const RetryConfig& config, const NodeAttempts& node,
                                 const std::string& kind) {
  RetryDecision d;
  if (config.ignore_retry_cause) {
    d.current_attempt = node.attempts + 1;
  } else {
    if (kind == "SYSTEM") {
      d.current_attempt = node.system_failures;
      d.max_attempts = static_cast<uint32_t>(config.max_node_retries_system_failures);
      d.eligible = d.current_attempt < d.max_attempts;
      return d;
    }
    d.current_attempt = (node.attempts + 1) - node.system_failures;
  }
  // computeRetryStrategy: only a non-zero retries count makes a strategy, and
  // only MinAttempts != 1 overrides the default.
  d.max_attempts = static_cast<uint32_t>(config.default_max_attempts);
  if (config.retries != 0 && config.retries + 1 != 1) {
    d.max_attempts = static_cast<uint32_t>(config.retries + 1);
  }
  d.eligible = d.current_attempt < d.max_attempts;
  return d;
}

ExecutionError RetriesExhausted(const RetryDecision& decision, const ExecutionError& last) {
  ExecutionError e;
  e.kind = "USER";
  e.code = "RetriesExhausted|" + last.code;
  e.message =
      fmt::format("[{}/{}] currentAttempt done. Last Error: {}::{}", decision.current_attempt,
                  decision.max_attempts, last.kind.empty() ? "UNKNOWN" : last.kind, last.message);
  return e;
}

void CountFailure(NodeAttempts* node, const std::string& kind, bool retried) {
  if (kind == "SYSTEM") ++node->system_failures;
  if (retried) ++node->attempts;
}

}  // namespace ptsim::flyte
