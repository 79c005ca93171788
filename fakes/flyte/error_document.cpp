#include "fakes/flyte/error_document.hpp"

#include <fmt/format.h>

#include "fakes/flyte/go_time.hpp"

namespace ptsim::flyte {
namespace {

using nlohmann::json;

constexpr char kFramesUnavailable[] =
    "Traceback (most recent call last):\n  [ptsim] emulated flytekit: Python frames are not "
    "available";

}  // namespace

json ContainerError::ToJson() const {
  json e = {{"code", code},
            {"message", message},
            {"kind", recoverable ? "RECOVERABLE" : "NON_RECOVERABLE"},
            {"origin", origin},
            {"timestamp", FormatRfc3339(timestamp)}};
  if (!worker.empty()) e["worker"] = worker;
  return json{{"error", e}};
}

Result<ContainerError> ContainerErrorFromJson(const json& document, const std::string& path) {
  ContainerError e;
  if (!document.is_object() || !document.contains("error") || !document["error"].is_object()) {
    // errorDoc2ExecutionError.
    e.code = "ErrorFileBadFormat";
    e.message = fmt::format("error not formatted correctly, nil error @path [{}]", path);
    e.origin = "SYSTEM";
    e.recoverable = true;
    return e;
  }
  const json& d = document["error"];
  auto str = [&](const char* key) {
    return d.contains(key) && d[key].is_string() ? d[key].get<std::string>() : std::string();
  };
  e.code = str("code");
  e.message = str("message");
  e.recoverable = str("kind") == "RECOVERABLE" || (d.contains("kind") && d["kind"] == 1);
  e.origin = str("origin");
  if (d.contains("origin") && d["origin"].is_number_integer()) {
    const int origin = d["origin"].get<int>();
    e.origin = origin == 1 ? "USER" : origin == 2 ? "SYSTEM" : "UNKNOWN";
  }
  if (e.origin.empty()) e.origin = "UNKNOWN";
  if (d.contains("timestamp")) {
    if (d["timestamp"].is_number()) {
      e.timestamp = d["timestamp"].get<double>();
    } else if (d["timestamp"].is_string()) {
      auto t = ParseRfc3339(d["timestamp"].get<std::string>());
      if (!t) {
        Diagnostics diags;
        diags.Error(
            {path, 0, 0}, "", "error.timestamp",
            fmt::format("expected an RFC 3339 time or seconds, got {}", d["timestamp"].dump()));
        return diags;
      }
      e.timestamp = *t;
    }
  }
  e.worker = str("worker");
  return e;
}

std::string ErrorFileName(bool distributed_strategy, const std::string& uuid_hex) {
  return distributed_strategy ? "error-" + uuid_hex + ".json" : "error.json";
}

std::string Indent(const std::string& text, const std::string& prefix) {
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    const bool last = end == std::string::npos;
    std::string line = text.substr(start, last ? std::string::npos : end - start);
    const bool blank = line.find_first_not_of(" \t\r\f\v") == std::string::npos;
    out += (blank ? "" : prefix) + line;
    if (last) break;
    out += '\n';
    start = end + 1;
  }
  return out;
}

std::string TracebackMessage(const std::string& traceback, const std::string& summary) {
  // format_exception's text ends with a newline; the summary does not.
  return "Trace:\n\n" + Indent(traceback + "\n", "    ") + "\nMessage:\n\n" +
         Indent(summary, "    ");
}

ContainerError ElasticErrorDocument(const ElasticOutcome& outcome,
                                    const std::string& child_failed_message,
                                    const std::string& worker) {
  const bool recoverable = outcome.kind == ElasticOutcome::Kind::kRecoverableError;
  ContainerError e;
  e.recoverable = recoverable;
  e.origin = "USER";
  e.code = recoverable ? "USER:Recoverable" : "USER:RuntimeError";
  e.timestamp = static_cast<double>(outcome.timestamp);
  e.worker = worker;
  const std::string type = recoverable ? "FlyteRecoverableException" : "FlyteUserRuntimeException";
  const std::string value = e.code + ": error=" + child_failed_message;
  // The exception was raised while handling the ChildFailedError, so the
  // traceback shows both.
  const std::string traceback =
      std::string(kFramesUnavailable) +
      "\ntorch.distributed.elastic.multiprocessing.errors.ChildFailedError: " +
      child_failed_message +
      "\n\nDuring handling of the above exception, another exception occurred:\n\n" +
      kFramesUnavailable + "\nflytekit.exceptions.user." + type + ": " + value;
  e.message = TracebackMessage(traceback, type + ": " + value);
  return e;
}

ContainerError UserExceptionDocument(const std::string& qualified_type,
                                     const std::string& type_name, const std::string& value,
                                     double now, const std::string& worker) {
  ContainerError e;
  e.code = "USER:RuntimeError";
  e.recoverable = false;
  e.origin = "USER";
  e.timestamp = now;
  e.worker = worker;
  const std::string line = value.empty() ? qualified_type : qualified_type + ": " + value;
  e.message =
      TracebackMessage(std::string(kFramesUnavailable) + "\n" + line, type_name + ": " + value);
  return e;
}

std::optional<FoundErrorDocument> PickErrorDocument(
    const std::vector<FoundErrorDocument>& documents, bool earliest) {
  std::optional<FoundErrorDocument> best;
  for (const auto& d : documents) {
    if (!earliest) {
      if (d.file == "error.json") return d;
      continue;
    }
    if (!best || best->error.timestamp > d.error.timestamp) best = d;
  }
  return best;
}

PhaseInfo PhaseOfTaskError(const ContainerError& error, double occurred_at) {
  PhaseInfo p;
  p.phase = error.recoverable ? Phase::kRetryableFailure : Phase::kPermanentFailure;
  p.error = ExecutionError{error.code, error.message, error.origin};
  p.reason = error.message;
  p.info.occurred_at = occurred_at;
  return p;
}

}  // namespace ptsim::flyte
