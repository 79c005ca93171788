#include "fakes/elastic/child_failure.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "fakes/elastic/python_syntax.hpp"
#include "sim/core/signals.hpp"

namespace ptsim::elastic {

namespace {

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    auto nl = text.find('\n', start);
    out.push_back(text.substr(start, nl - start));
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return out;
}

std::string MessageText(const nlohmann::json& message) {
  // ChildFailedError._format_failure: a dict's py_callstack (else its
  // message), indented to line up under "traceback :".
  std::string msg;
  if (message.is_object()) {
    std::string fallback = "<N/A>";
    if (auto m = message.find("message"); m != message.end() && m->is_string()) fallback = *m;
    msg = fallback;
    if (auto extra = message.find("extraInfo"); extra != message.end() && extra->is_object()) {
      if (auto cs = extra->find("py_callstack"); cs != extra->end() && cs->is_string()) msg = *cs;
    }
    std::string indented;
    for (char c : msg) {
      indented += c;
      if (c == '\n') indented += "  ";
    }
    return indented;
  }
  return message.is_string() ? message.get<std::string>() : message.dump();
}

std::string FormatFailure(std::size_t idx, int rank, const ProcessFailure& f,
                          const std::string& hostname) {
  return fmt::format(
      "[{}]:\n  time      : {}\n  host      : {}\n  rank      : {} (local_rank: {})\n"
      "  exitcode  : {} (pid: {})\n  error_file: {}\n  traceback : {}",
      idx, IsoTimestamp(f.timestamp), hostname, rank, f.local_rank, f.exitcode, f.pid, f.error_file,
      MessageText(f.message));
}

// int(value) for a timestamp that is a number or a numeric string.
std::int64_t TimestampOf(const nlohmann::json& value) {
  if (value.is_number()) return value.get<std::int64_t>();
  if (value.is_string()) return PyInt(value.get<std::string>()).value_or(0);
  return 0;
}

std::size_t Width(const std::string& block) {
  std::size_t w = 0;
  for (const auto& l : SplitLines(block))
    w = std::max(w, l.size());
  return w;
}

}  // namespace

std::string ProcessFailure::SignalName() const {
  return exitcode < 0 ? ptsim::SignalName(-exitcode) : std::string(kNotAvailable);
}

std::string IsoTimestamp(std::int64_t timestamp) {
  const std::time_t t = static_cast<std::time_t>(timestamp);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{:04}-{:02}-{:02}_{:02}:{:02}:{:02}", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

ProcessFailure MakeProcessFailure(int local_rank, int pid, int exitcode,
                                  const std::string& error_file, std::int64_t now,
                                  std::string* parse_error) {
  ProcessFailure f;
  f.local_rank = local_rank;
  f.pid = pid;
  f.exitcode = exitcode;
  f.error_file = error_file;
  std::error_code ec;
  if (!error_file.empty() && std::filesystem::is_regular_file(error_file, ec)) {
    std::ifstream in(error_file);
    std::stringstream buffer;
    buffer << in.rdbuf();
    auto data = nlohmann::json::parse(buffer.str(), nullptr, false);
    if (data.is_discarded() || !data.is_object() || !data.contains("message")) {
      if (parse_error) *parse_error = fmt::format("Failed to parse reply file: {}", error_file);
      data = nlohmann::json::object({{"message", ""}});
    }
    f.error_file_data = data;
    // _get_error_data.
    f.message = data["message"];
    if (f.message.is_string()) {
      f.timestamp = data.contains("timestamp") ? TimestampOf(data["timestamp"]) : 0;
    } else if (f.message.is_object() && f.message.contains("extraInfo")) {
      f.timestamp = TimestampOf(f.message["extraInfo"].value("timestamp", nlohmann::json(0)));
    }
  } else {
    // _set_no_reply_file.
    f.error_file = std::string(kNotAvailable);
    f.message = "";
    f.timestamp = now;
  }
  const bool empty =
      f.message.is_null() || (f.message.is_string() && f.message.get<std::string>().empty());
  if (empty) {
    f.message =
        exitcode < 0
            ? fmt::format("Signal {} ({}) received by PID {}", -exitcode, f.SignalName(), pid)
            : "To enable traceback see: https://pytorch.org/docs/stable/elastic/errors.html";
  }
  return f;
}

int FirstFailureRank(const std::map<int, ProcessFailure>& failures) {
  int best = failures.begin()->first;
  for (const auto& [rank, f] : failures)
    if (f.timestamp < failures.at(best).timestamp) best = rank;
  return best;
}

std::vector<std::string> ChildFailedErrorLines(const std::string& name,
                                               const std::map<int, ProcessFailure>& failures,
                                               const std::string& hostname) {
  const std::string title = name + " FAILED";
  const int root = FirstFailureRank(failures);
  std::string root_fmt;
  std::vector<std::string> others;
  std::size_t width = title.size();
  std::size_t idx = 0;
  for (const auto& [rank, f] : failures) {
    std::string block = FormatFailure(idx++, rank, f, hostname);
    width = std::max(width, Width(block));
    if (rank == root) {
      root_fmt = block;
    } else {
      others.push_back(block);
    }
  }
  width = std::min<std::size_t>(width, 60);
  std::string other_fmt;
  for (const auto& o : others)
    other_fmt += (other_fmt.empty() ? "" : "\n") + o;
  if (other_fmt.empty()) other_fmt = "  <NO_OTHER_FAILURES>";
  const std::string border(width, '=');
  const std::string section(width, '-');
  const std::string msg =
      fmt::format("\n{}\n{}\n{}\nFailures:\n{}\n{}\nRoot Cause (first observed failure):\n{}\n{}",
                  border, title, section, other_fmt, section, root_fmt, border);
  return SplitLines(msg);
}

std::vector<std::string> DumpRootCauseErrorFile(const ProcessFailure& root,
                                                const std::string& parent_error_file) {
  constexpr std::string_view kLogger =
      "torch.distributed.elastic.multiprocessing.errors.error_handler";
  std::vector<std::string> log;
  if (root.error_file == kNotAvailable) return log;  // only an INFO line in torch
  nlohmann::json data = root.error_file_data;
  if (root.exitcode != 0) {
    // override_error_code_in_rootcause_data.
    if (!data.contains("message")) {
      log.push_back(fmt::format("WARNING:{}:child error file ({}) does not have field `message`. ",
                                kLogger, root.error_file));
      log.push_back(fmt::format("cannot override error code: {}", root.exitcode));
    } else if (data["message"].is_string()) {
      log.push_back(fmt::format("WARNING:{}:child error file ({}) has a new message format. ",
                                kLogger, root.error_file));
      log.push_back("skipping error code override");
    } else {
      data["message"]["errorCode"] = root.exitcode;
    }
  }
  if (parent_error_file.empty()) {
    log.push_back(
        fmt::format("ERROR:{}:no error file defined for parent, to copy child error file ({})",
                    kLogger, root.error_file));
    return log;
  }
  std::error_code ec;
  if (std::filesystem::is_regular_file(parent_error_file, ec)) {
    // _rm: the parent's file is overwritten, with a warning showing what was there.
    std::ifstream in(parent_error_file);
    std::stringstream buffer;
    buffer << in.rdbuf();
    auto original = nlohmann::json::parse(buffer.str(), nullptr, false);
    log.push_back(fmt::format(
        "WARNING:{}:{} already exists and will be overwritten.{}", kLogger, parent_error_file,
        original.is_discarded() ? " Unable to load original contents:" : " Original contents:"));
    if (!original.is_discarded()) {
      for (const auto& l : SplitLines(original.dump(2)))
        log.push_back(l);
    }
    std::filesystem::remove(parent_error_file, ec);
  }
  std::ofstream out(parent_error_file);
  out << data.dump();
  return log;
}

void RecordException(const std::string& parent_error_file, const std::string& type_name,
                     const std::string& message, const std::string& traceback,
                     std::int64_t timestamp) {
  if (parent_error_file.empty()) return;
  nlohmann::ordered_json data;
  data["message"]["message"] = type_name + ": " + message;  // f"{type(e).__name__}: {e}"
  data["message"]["extraInfo"]["py_callstack"] = traceback;
  data["message"]["extraInfo"]["timestamp"] = std::to_string(timestamp);
  std::ofstream out(parent_error_file);
  out << data.dump();
}

}  // namespace ptsim::elastic
