// How torch describes failed workers (multiprocessing/errors/__init__.py):
// ProcessFailure reads the worker's TORCHELASTIC_ERROR_FILE when it wrote one
// (message and timestamp from the file) and otherwise synthesizes the message
// ("Signal 9 (SIGKILL) received by PID p", or a link to the docs) with the
// time of detection; ChildFailedError's boxed summary picks the failure with
// the smallest timestamp as the root cause (the lowest rank among equals);
// and torchrun's @record copies that worker's error file into its own
// TORCHELASTIC_ERROR_FILE with message.errorCode set to the exit code
// (error_handler.py dump_error_file). Loop thread only (reads files).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ptsim::elastic {

inline constexpr std::string_view kNotAvailable = "<N/A>";

struct ProcessFailure {
  int local_rank = 0;
  int pid = 0;
  int exitcode = 0;        // negative: killed by signal -exitcode
  std::string error_file;  // "<N/A>" when the worker wrote none
  nlohmann::json error_file_data = {{"message", "<NONE>"}};
  nlohmann::json message;  // a string, or the error file's message object
  std::int64_t timestamp = 0;

  std::string SignalName() const;  // "SIGKILL", or "<N/A>"
};

// ProcessFailure.__post_init__: reads `error_file` if it exists. `now` is the
// Unix time of detection. Sets `*parse_error` when the file is not valid JSON
// (torch then raises from the agent).
ProcessFailure MakeProcessFailure(int local_rank, int pid, int exitcode,
                                  const std::string& error_file, std::int64_t now,
                                  std::string* parse_error);

// The root cause: the smallest timestamp; among equals the first in rank order.
// REQUIRES: !failures.empty().
int FirstFailureRank(const std::map<int, ProcessFailure>& failures);

// ChildFailedError.format_msg, line by line (the first line is empty, as the
// message starts with a newline). `hostname` is socket.getfqdn().
std::vector<std::string> ChildFailedErrorLines(const std::string& name,
                                               const std::map<int, ProcessFailure>& failures,
                                               const std::string& hostname);

// @record's handling of a ChildFailedError: copies the root cause's error file
// to `parent_error_file` (empty: only logs). Returns the log lines torch
// prints at WARNING level or above.
std::vector<std::string> DumpRootCauseErrorFile(const ProcessFailure& root,
                                                const std::string& parent_error_file);

// error_handler.py record_exception: writes an exception to the agent's own
// error file, if it has one.
void RecordException(const std::string& parent_error_file, const std::string& type_name,
                     const std::string& message, const std::string& traceback,
                     std::int64_t timestamp);

// datetime.fromtimestamp(ts).isoformat(sep="_"), in UTC.
std::string IsoTimestamp(std::int64_t timestamp);

}  // namespace ptsim::elastic
