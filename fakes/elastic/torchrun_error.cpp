#include "fakes/elastic/torchrun_error.hpp"

#include <fmt/format.h>

namespace ptsim::elastic {

TorchrunError TorchrunError::Usage(std::string message) {
  TorchrunError e;
  e.kind = Kind::kUsage;
  e.message = std::move(message);
  return e;
}

TorchrunError TorchrunError::Exception(std::string type, std::string message) {
  TorchrunError e;
  e.kind = Kind::kException;
  e.exception = std::move(type);
  e.message = std::move(message);
  return e;
}

TorchrunError& TorchrunError::From(std::string flag_or_var, std::string value) {
  source = std::move(flag_or_var);
  source_value = std::move(value);
  return *this;
}

std::string TorchrunError::ExceptionLine() const {
  if (kind != Kind::kException) return message;
  return message.empty() ? exception : exception + ": " + message;
}

std::string TorchrunError::Describe(std::string_view pod) const {
  std::string out(pod);
  if (!source.empty()) {
    out += fmt::format("{}{}=\"{}\"", out.empty() ? "" : ": ", source, source_value);
  }
  if (!out.empty()) out += ": ";
  switch (kind) {
    case Kind::kUsage:
      return out + "torchrun: error: " + message;
    case Kind::kHelp:
      return out + "torchrun printed its usage (-h)";
    case Kind::kException:
      break;
  }
  out += ExceptionLine();
  if (!assertion.empty()) out += fmt::format(" ({})", assertion);
  return out;
}

std::vector<std::string> TorchrunError::OutputLines(std::string_view prog) const {
  std::vector<std::string> lines;
  switch (kind) {
    case Kind::kHelp:
    case Kind::kUsage:
      // argparse prints the usage, then (for errors) "prog: error: message".
      lines.push_back(
          fmt::format("usage: {} [-h] [--nnodes NNODES] [--nproc_per_node NPROC_PER_NODE] ... "
                      "training_script ...",
                      prog));
      if (kind == Kind::kUsage) lines.push_back(fmt::format("{}: error: {}", prog, message));
      return lines;
    case Kind::kException:
      break;
  }
  // Python's traceback; ptsim has no Python frames to show.
  lines.push_back("Traceback (most recent call last):");
  lines.push_back(fmt::format("  [ptsim] emulated {}: Python frames are not available", prog));
  if (!assertion.empty()) lines.push_back("    " + assertion);
  lines.push_back(ExceptionLine());
  return lines;
}

std::string ShortExceptionName(std::string_view qualified) {
  auto dot = qualified.rfind('.');
  return std::string(dot == std::string_view::npos ? qualified : qualified.substr(dot + 1));
}

}  // namespace ptsim::elastic
