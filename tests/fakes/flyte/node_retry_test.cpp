// flytepropeller's bookkeeping around a task's attempts: which failures are
// retried (node_retry.hpp), the name each attempt's object gets
// (generated_name.hpp, with flyteplugins' encoder_test.go vectors), and which
// error document an attempt reports (error_document.hpp).
#include <catch2/catch.hpp>

#include "fakes/flyte/error_document.hpp"
#include "fakes/flyte/generated_name.hpp"
#include "fakes/flyte/node_retry.hpp"

namespace ptsim::flyte {
namespace {

TEST_CASE("Without retries a task gets one attempt, retries=N gives N+1") {
  RetryConfig none;
  NodeAttempts first;
  RetryDecision d = IsEligibleForRetry(none, first, "USER");
  CHECK(d.current_attempt == 1);
  CHECK(d.max_attempts == 1);
  CHECK_FALSE(d.eligible);

  RetryConfig two;
  two.retries = 2;
  CHECK(IsEligibleForRetry(two, NodeAttempts{0, 0}, "USER").eligible);
  CHECK(IsEligibleForRetry(two, NodeAttempts{1, 0}, "USER").eligible);
  d = IsEligibleForRetry(two, NodeAttempts{2, 0}, "USER");
  CHECK(d.current_attempt == 3);
  CHECK(d.max_attempts == 3);
  CHECK_FALSE(d.eligible);
  // UNKNOWN counts like USER.
  CHECK_FALSE(IsEligibleForRetry(two, NodeAttempts{2, 0}, "UNKNOWN").eligible);
}

TEST_CASE("SYSTEM failures use their own budget and do not consume user retries") {
  RetryConfig config;  // retries 0, max-node-retries-system-failures 3
  NodeAttempts node;
  for (int i = 0; i < 3; ++i) {
    RetryDecision d = IsEligibleForRetry(config, node, "SYSTEM");
    CHECK(d.current_attempt == static_cast<uint32_t>(i));
    CHECK(d.max_attempts == 3);
    CHECK(d.eligible);
    CountFailure(&node, "SYSTEM", true);
  }
  CHECK(node.attempts == 3);
  CHECK(node.system_failures == 3);
  CHECK_FALSE(IsEligibleForRetry(config, node, "SYSTEM").eligible);
  // Attempt 4 is still the task's first user attempt.
  RetryDecision user = IsEligibleForRetry(config, node, "USER");
  CHECK(user.current_attempt == 1);
  CHECK(user.max_attempts == 1);
}

TEST_CASE("ignore-retry-cause counts every failure against the user budget") {
  RetryConfig config;
  config.retries = 1;
  config.ignore_retry_cause = true;
  CHECK(IsEligibleForRetry(config, NodeAttempts{0, 0}, "SYSTEM").eligible);
  CHECK_FALSE(IsEligibleForRetry(config, NodeAttempts{1, 1}, "SYSTEM").eligible);
}

TEST_CASE("A retryable failure past the limit becomes RetriesExhausted with the last error") {
  ExecutionError last{"DownstreamSystemError", "Job failed:\n\tPyTorchJobFailed - boom", "USER"};
  RetryConfig config;
  config.retries = 1;
  RetryDecision d = IsEligibleForRetry(config, NodeAttempts{1, 0}, "USER");
  ExecutionError e = RetriesExhausted(d, last);
  CHECK(e.kind == "USER");
  CHECK(e.code == "RetriesExhausted|DownstreamSystemError");
  CHECK(e.message ==
        "[2/2] currentAttempt done. Last Error: USER::Job failed:\n\tPyTorchJobFailed - boom");
}

TEST_CASE("Generated names join execution, node and attempt, and hash past 50 characters") {
  CHECK(GeneratedName("f7a8c1b2", "n0", 2) == "f7a8c1b2-n0-2");
  CHECK(GeneratedName("ptsim", "n0", 0) == "ptsim-n0-0");
  // encoder_test.go (fnv32a).
  CHECK(FixedLengthUniqueId("x", 5) == "x");
  CHECK(FixedLengthUniqueId("xxxxx", 10) == "xxxxx");
  CHECK(FixedLengthUniqueId("xxxxxxxxxxxxxxxxxxxxxxxx", 20) == "fuaa3aji");
  CHECK(FixedLengthUniqueIdForParts({"x", "y", "z"}, 10) == "x-y-z");
  CHECK(FixedLengthUniqueIdForParts({"x"}, 2) == "x");
  CHECK(FixedLengthUniqueIdForParts(
            {"x", "y", "z", "m", "n", "y", "z", "m", "n", "y", "z", "m", "n"}, 15) == "fe63sz6y");
  // An empty part adds no separator before the next one.
  CHECK(FixedLengthUniqueIdForParts({"", "n0", "1"}) == "n0-1");
  const std::string long_name(48, 'a');
  const std::string hashed = GeneratedName(long_name, "n0", 0);
  CHECK(hashed.size() == 8);
  CHECK(hashed.front() == 'f');
  CHECK(hashed != GeneratedName(long_name, "n0", 1));
}

ContainerError Doc(bool recoverable, double timestamp, const std::string& code) {
  ContainerError e;
  e.code = code;
  e.message = code + " message";
  e.recoverable = recoverable;
  e.timestamp = timestamp;
  return e;
}

TEST_CASE("The default error strategy reads error.json only, Earliest the oldest document") {
  const std::vector<FoundErrorDocument> docs = {
      {"error-aaa.json", Doc(false, 200, "USER:RuntimeError")},
      {"error-bbb.json", Doc(true, 100, "USER:Recoverable")},
  };
  CHECK_FALSE(PickErrorDocument(docs, false));
  auto earliest = PickErrorDocument(docs, true);
  REQUIRE(earliest);
  CHECK(earliest->file == "error-bbb.json");
  std::vector<FoundErrorDocument> single = {{"error.json", Doc(false, 5, "USER:RuntimeError")}};
  CHECK(PickErrorDocument(single, false)->file == "error.json");
  CHECK(ErrorFileName(false, "abc") == "error.json");
  CHECK(ErrorFileName(true, "abc") == "error-abc.json");
}

TEST_CASE("A recoverable document is a retryable failure, any other a permanent one") {
  PhaseInfo retry = PhaseOfTaskError(Doc(true, 1, "USER:Recoverable"), 3);
  CHECK(retry.phase == Phase::kRetryableFailure);
  CHECK(retry.error->code == "USER:Recoverable");
  CHECK(retry.error->kind == "USER");
  PhaseInfo fail = PhaseOfTaskError(Doc(false, 1, "USER:RuntimeError"), 3);
  CHECK(fail.phase == Phase::kPermanentFailure);
  CHECK(fail.error->code == "USER:RuntimeError");
}

TEST_CASE("An error document round-trips through its JSON, one without error is bad format") {
  ContainerError e = Doc(true, 1700000000, "USER:Recoverable");
  e.worker = "job-worker-1";
  auto back = ContainerErrorFromJson(e.ToJson(), "error.json");
  REQUIRE(back.ok());
  CHECK(back->code == e.code);
  CHECK(back->recoverable);
  CHECK(back->timestamp == 1700000000);
  CHECK(back->worker == "job-worker-1");
  // errorDoc2ExecutionError: a recoverable SYSTEM error.
  auto bad = ContainerErrorFromJson(nlohmann::json::object(), "outputs/error.json");
  REQUIRE(bad.ok());
  CHECK(bad->code == "ErrorFileBadFormat");
  CHECK(bad->origin == "SYSTEM");
  CHECK(bad->recoverable);
  CHECK(bad->message == "error not formatted correctly, nil error @path [outputs/error.json]");
}

}  // namespace
}  // namespace ptsim::flyte
