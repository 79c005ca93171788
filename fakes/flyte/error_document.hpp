// Task errors on their way from the pod to flytepropeller.
//
// flytekit side (flytekit/bin/entrypoint.py _dispatch_execute,
// get_traceback_str, _build_error_file_name, _get_worker_name): an exception
// from the task becomes an ErrorDocument{ContainerError{code, message, kind,
// origin, timestamp, worker}} uploaded to the output prefix as "error.pb", or
// as "error-<uuid4 hex>.pb" when FLYTE_INTERNAL_DIST_ERROR_STRATEGY (_F_DES)
// is set, in which case `worker` is FLYTE_INTERNAL_WORKER_NAME (_F_WN). The
// process then exits 0 (unless FLYTE_FAIL_ON_ERROR): the task's failure
// travels in the document, not in the exit code. The message is
// "Trace:\n\n<traceback, indented 4>\nMessage:\n\n<indented
// '<TypeName>: <value>'>".
//
// ptsim keeps the document as the protobuf JSON of flyteidl core.ErrorDocument
// ({"error": {"code", "message", "kind": "RECOVERABLE"|"NON_RECOVERABLE",
// "origin": "USER"|"SYSTEM", "timestamp": RFC 3339 or seconds, "worker"}}) in
// error.json / error-<hex>.json.
//
// flytepropeller side (flyteplugins pluginmachinery/ioutils/
// remote_file_output_reader.go): with the default strategy only "error.pb" is
// read; with "Earliest" every error*.pb is listed and the one with the
// smallest timestamp wins (the first listed among equals). The document's
// origin becomes the ExecutionError's kind; RECOVERABLE makes it a retryable
// failure, anything else a permanent one (nodes/task/handler.go
// ObservedExecutionError). Plain functions; any thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fakes/flyte/elastic_execute.hpp"
#include "fakes/flyte/phase.hpp"
#include "sim/core/diagnostics.hpp"

namespace ptsim::flyte {

struct ContainerError {
  std::string code{};
  std::string message{};
  bool recoverable = false;     // kind RECOVERABLE (else NON_RECOVERABLE)
  std::string origin = "USER";  // ExecutionError.ErrorKind: USER, SYSTEM, UNKNOWN
  double timestamp = 0;         // seconds since the Unix epoch
  std::string worker{};

  nlohmann::json ToJson() const;  // the ErrorDocument
};

// Reads an ErrorDocument; a document without "error" is flytepropeller's
// "ErrorFileBadFormat" (a recoverable SYSTEM error).
Result<ContainerError> ContainerErrorFromJson(const nlohmann::json& document,
                                              const std::string& path);

// "error.json", or "error-<hex>.json" for the distributed strategy.
std::string ErrorFileName(bool distributed_strategy, const std::string& uuid_hex);

// get_traceback_str: `traceback` is format_exception's text (without the
// final newline), `summary` is "<TypeName>: <str(value)>".
std::string TracebackMessage(const std::string& traceback, const std::string& summary);

// textwrap.indent(text, prefix): every line that is not blank gets `prefix`.
std::string Indent(const std::string& text, const std::string& prefix);

// The document flytekit writes for the outcome of an elastic launch that
// raised (PytorchElasticFunctionTask._execute wrapped by
// PythonTask.dispatch_execute): kRecoverableError -> code "USER:Recoverable",
// RECOVERABLE, message "... FlyteRecoverableException: USER:Recoverable:
// error=<ChildFailedError.format_msg>"; kUserRuntimeError -> code
// "USER:RuntimeError", NON_RECOVERABLE, message "... FlyteUserRuntimeException:
// USER:RuntimeError: error=<format_msg>"; the first failure's timestamp.
// `child_failed_message` is ChildFailedError.format_msg (starting "\n").
ContainerError ElasticErrorDocument(const ElasticOutcome& outcome,
                                    const std::string& child_failed_message,
                                    const std::string& worker);

// Any other exception out of the task (e.g. a rendezvous error out of
// elastic_launch): FlyteUserRuntimeException(e), NON_RECOVERABLE, code
// "USER:RuntimeError", `now` as the timestamp. `qualified_type` is the
// exception's module-qualified name, `type_name` its __name__.
ContainerError UserExceptionDocument(const std::string& qualified_type,
                                     const std::string& type_name, const std::string& value,
                                     double now, const std::string& worker);

// A document the reader found, with its file name (for the report).
struct FoundErrorDocument {
  std::string file{};
  ContainerError error{};
};

// Which document flytepropeller reports: the default strategy reads only
// "error.json"; "Earliest" the smallest timestamp among all listed
// (`documents` in listing order). nullopt: no error.
std::optional<FoundErrorDocument> PickErrorDocument(
    const std::vector<FoundErrorDocument>& documents, bool earliest);

// ObservedExecutionError: the phase a task error turns a Success into.
PhaseInfo PhaseOfTaskError(const ContainerError& error, double occurred_at);

}  // namespace ptsim::flyte
