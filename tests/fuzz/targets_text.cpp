// Fuzz targets for the small grammars: --fault flags, container scripts, Go
// durations, quantities, label selectors, torchrun command lines.
#include <string>
#include <string_view>

#include "fakes/elastic/launch_config.hpp"
#include "fakes/elastic/torchrun_command.hpp"
#include "sim/harness/fault_spec.hpp"
#include "sim/model/container_script.hpp"
#include "sim/model/go_duration.hpp"
#include "sim/model/label_selector.hpp"
#include "sim/model/pytorchjob_codec.hpp"
#include "sim/model/quantity.hpp"
#include "tests/fuzz/check.hpp"
#include "tests/fuzz/targets.hpp"

namespace ptsim::fuzz {
namespace {

std::string Text(const std::uint8_t* data, std::size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

}  // namespace

int FaultFlags(const std::uint8_t* data, std::size_t size) {
  const auto fault = ParseFaultFlag(Text(data, size));
  CheckResult(fault);
  if (fault.ok()) {
    Check(fault->repeat >= 0 && fault->repeat <= kMaxFaultFirings, "repeat out of bounds");
    Check(!fault->when.every || *fault->when.every >= kMinFaultEvery, "every below the minimum");
    Check(!fault->when.at || *fault->when.at >= Duration{0}, "a negative at");
    Check(!fault->duration || *fault->duration >= Duration{0}, "a negative duration");
    Check(fault->replicas >= 0 && fault->replicas <= kMaxReplicasPerType, "replicas out of bounds");
    (void)fault->target.Describe();
    (void)fault->when.Describe();
  }
  return 0;
}

int ContainerScripts(const std::uint8_t* data, std::size_t size) {
  const auto script = ParseContainerScript(Text(data, size), {"script", 1, 1}, "Pod \"p\"");
  CheckResult(script);
  if (script.ok()) {
    Check(!script->incarnations.empty(), "a script without incarnations");
    for (const auto& incarnation : script->incarnations) {
      for (const auto& step : incarnation.steps) {
        Check(step.duration >= Duration{0}, "a negative duration in a script");
        Check(step.kind != ScriptStep::Kind::kSteps || step.value <= kMaxScriptSteps,
              "too many steps");
      }
    }
    (void)script->ForRestart(7);
  }
  return 0;
}

int GoDurations(const std::uint8_t* data, std::size_t size) {
  std::string error;
  const auto d = ParseGoDuration(Text(data, size), &error);
  if (d) {
    // What Go prints, Go reads back: the same duration.
    const std::string printed = GoDurationString(*d);
    std::string again_error;
    const auto again = ParseGoDuration(printed, &again_error);
    Check(again.has_value(), "a printed duration does not parse");
    Check(*again == *d, "a printed duration parses to another value");
  } else {
    Check(!error.empty(), "a rejected duration without a reason");
  }
  return 0;
}

int Quantities(const std::uint8_t* data, std::size_t size) {
  const auto q = Quantity::Parse(Text(data, size));
  if (q.ok()) {
    (void)q->units();
    (void)FormatQuantity("memory", q->milli());
    (void)FormatQuantity("cpu", q->milli());
  } else {
    Check(!q.diagnostics().items().empty() && !q.diagnostics().items().front().message.empty(),
          "a rejected quantity without a reason");
  }
  return 0;
}

int LabelSelectors(const std::uint8_t* data, std::size_t size) {
  const auto selector = LabelSelector::Parse(Text(data, size));
  CheckResult(selector);
  if (selector.ok()) {
    // The canonical form parses to a selector that matches the same labels.
    const auto again = LabelSelector::Parse(selector->ToString());
    Check(again.ok(), "a selector's ToString() does not parse");
    const Labels samples[] = {{}, {{"app", "x"}}, {{"a", "b"}, {"c", ""}}};
    for (const auto& labels : samples) {
      Check(selector->Matches(labels) == again->Matches(labels),
            "a selector and its ToString() match differently");
    }
  }
  return 0;
}

int TorchrunCommandLines(const std::uint8_t* data, std::size_t size) {
  // One argv entry or environment variable (PET_...=value) per line; the
  // first byte picks the emulated torch version.
  if (size == 0) return 0;
  const auto version =
      data[0] % 2 == 0 ? elastic::TorchVersion::kTorch1_13 : elastic::TorchVersion::kTorch2;
  std::vector<std::string> argv;
  elastic::EnvMap env;
  std::string line;
  const std::string text = Text(data + 1, size - 1);
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] != '\n') {
      line += text[i];
      continue;
    }
    if (const auto eq = line.find('='); line.rfind("PET_", 0) == 0 && eq != std::string::npos) {
      env[line.substr(0, eq)] = line.substr(eq + 1);
    } else {
      argv.push_back(line);
    }
    line.clear();
  }
  if (!elastic::RecognizeTorchrun(argv)) argv.insert(argv.begin(), "torchrun");
  if (!elastic::RecognizeTorchrun(argv)) return 0;
  elastic::LaunchInputs inputs;
  inputs.cpu_count = 4;
  const auto plan =
      elastic::PlanTorchrun(argv, env, elastic::TorchrunProfile::For(version), inputs);
  Check(plan.ok() || plan.error.has_value(), "a failed torchrun plan without an error");
  return 0;
}

}  // namespace ptsim::fuzz
