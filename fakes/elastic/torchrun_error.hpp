// An error as torchrun reports it (errors as values,
// docs/ARCHITECTURE.md#errors): either an argparse usage error (usage line +
// "prog: error: ...", exit status 2), `-h` (usage, exit 0), or a Python
// exception escaping torchrun's @record'ed main (a traceback ending in "Type:
// message", exit status 1). Each carries torch's own message text, plus what
// ptsim adds for the user: the flag or PET_* variable the offending value came
// from, and that value. Plain data.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ptsim::elastic {

struct TorchrunError {
  enum class Kind { kUsage, kHelp, kException };
  Kind kind = Kind::kException;
  // The exception class as a traceback names it: builtins bare ("ValueError"),
  // torch's qualified ("torch.distributed.elastic.rendezvous.api.RendezvousClosedError").
  std::string exception;
  std::string message;  // torch's text; may be empty (bare `assert`, RendezvousClosedError)
  // The failing source line for a bare `assert` (run.py config_from_args).
  std::string assertion;
  std::string source;        // "--nnodes", "PET_NNODES", "--rdzv_conf", ...; may be empty
  std::string source_value;  // the value as given

  static TorchrunError Usage(std::string message);
  static TorchrunError Exception(std::string type, std::string message);
  TorchrunError& From(std::string flag_or_var, std::string value);

  int ExitStatus() const { return kind == Kind::kUsage ? 2 : kind == Kind::kHelp ? 0 : 1; }
  // "RuntimeError: nnodes=a:b:c is not in \"MIN:MAX\" format" (the traceback's last line).
  std::string ExceptionLine() const;
  // One line for ptsim's own reports: `default/job-worker-0: PET_NNODES="a:b:c": RuntimeError:
  // ...`.
  std::string Describe(std::string_view pod) const;
  // What torchrun prints (stderr) for this error; `prog` is argparse's prog
  // ("torchrun", "run.py", "launch.py").
  std::vector<std::string> OutputLines(std::string_view prog) const;
};

// The short name Python's type(e).__name__ gives ("RendezvousClosedError").
std::string ShortExceptionName(std::string_view qualified);

}  // namespace ptsim::elastic
