// flytepropeller's retry rules for a task node: how many attempts a task gets
// and whether a failed attempt is retried (flytepropeller
// pkg/controller/nodes/executor.go isEligibleForRetry / execute /
// handleQueuedOrRunningNode / handleRetryableFailure;
// pkg/compiler/transformers/k8s/utils.go computeRetryStrategy;
// pkg/controller/config/config.go defaults).
//
// Rules:
// * @task(retries=N) with N != 0 becomes RetryStrategy{MinAttempts: N + 1};
//   otherwise the node has no strategy and node-config default-max-attempts
//   (1) applies.
// * A failure of kind SYSTEM is retried while the system failures counted so
//   far are below max-node-retries-system-failures (3); it does not use a
//   user retry.
// * A failure of kind USER (or UNKNOWN) is retried while
//   attempts + 1 - system failures < max attempts.
// * A retryable failure that is not eligible becomes a permanent USER failure
//   with code "RetriesExhausted|<code>" and message
//   "[<current>/<max>] currentAttempt done. Last Error: <KIND>::<message>".
// * After a retryable failure the attempt counter goes up by one (system
//   failures also count their own), and the next attempt runs under a new
//   generated name (generated_name.hpp).
// Plain functions; any thread.
#pragma once

#include <cstdint>
#include <string>

#include "fakes/flyte/phase.hpp"

namespace ptsim::flyte {

struct RetryConfig {
  int64_t retries = 0;                           // TaskMetadata.retries.retries
  int64_t max_node_retries_system_failures = 3;  // node-config
  int32_t default_max_attempts = 1;              // node-config
  bool ignore_retry_cause = false;               // node-config
};

// The node status counters.
struct NodeAttempts {
  uint32_t attempts = 0;         // GetAttempts: the current attempt's number
  uint32_t system_failures = 0;  // GetSystemFailures
};

struct RetryDecision {
  uint32_t current_attempt = 0;
  uint32_t max_attempts = 0;
  bool eligible = false;
};

// isEligibleForRetry for an error of `kind` ("USER", "SYSTEM", "UNKNOWN").
RetryDecision IsEligibleForRetry(const RetryConfig& config, const NodeAttempts& node,
                                 const std::string& kind);

// The permanent failure that replaces a retryable one that is not eligible.
ExecutionError RetriesExhausted(const RetryDecision& decision, const ExecutionError& last);

// Counts a failed attempt: system failures when `kind` is SYSTEM, then (for a
// retried one) the attempt.
void CountFailure(NodeAttempts* node, const std::string& kind, bool retried);

}  // namespace ptsim::flyte
