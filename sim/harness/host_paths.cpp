#include "sim/harness/host_paths.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <functional>

#include "sim/core/go_quote.hpp"
#include "sim/harness/job_kind.hpp"
#include "sim/model/pod_paths.hpp"

namespace ptsim {
namespace fs = std::filesystem;

std::string ResolvedHostPath(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::absolute(path, ec);
  if (ec) return fs::path(path).lexically_normal().string();
  fs::path resolved = fs::weakly_canonical(p, ec);
  std::string out = (ec ? p.lexically_normal() : resolved).string();
  while (out.size() > 1 && out.back() == '/')
    out.pop_back();
  return out;
}

bool IsBelow(const std::string& path, const std::string& prefix) {
  if (prefix == "/") return !path.empty() && path[0] == '/';
  return path.compare(0, prefix.size(), prefix) == 0 &&
         (path.size() == prefix.size() || path[prefix.size()] == '/');
}

namespace {

void CheckSpec(const PodSpec& spec, const std::string& object, const std::string& prefix,
               const std::function<SourceLocation(const std::string&)>& where,
               const std::vector<std::string>& allowed, const std::string& listed,
               Diagnostics* diagnostics) {
  for (std::size_t i = 0; i < spec.volumes.size(); ++i) {
    const Volume& v = spec.volumes[i];
    if (v.kind != Volume::Kind::kHostPath || v.path.empty()) continue;
    const std::string resolved = ResolvedHostPath(v.path);
    bool ok = false;
    for (const auto& a : allowed)
      ok = ok || IsBelow(resolved, a);
    if (ok) continue;
    const std::string field = fmt::format("{}volumes[{}].hostPath.path", prefix, i);
    diagnostics->Error(
        where(field), object, field,
        fmt::format("{}{} is outside the directories a hostPath may name ({}); to let containers "
                    "use it, add --allow-host-path {}",
                    GoQuote(v.path), resolved == v.path ? "" : fmt::format(" ({})", resolved),
                    listed, resolved));
  }
}

}  // namespace

void CheckHostPaths(const RunPlan& plan, const std::vector<std::string>& allowed,
                    Diagnostics* diagnostics) {
  std::vector<std::string> all;
  if (!plan.working_dir.empty()) all.push_back(ResolvedHostPath(plan.working_dir));
  for (const auto& a : allowed)
    all.push_back(ResolvedHostPath(a));
  std::string listed;
  for (const auto& a : all)
    listed += (listed.empty() ? "" : ", ") + a;
  for (std::size_t i = 0; i < plan.pods.size(); ++i) {
    const SourceLocation at =
        i < plan.pod_locations.size() ? plan.pod_locations[i] : SourceLocation{plan.source_file};
    CheckSpec(
        plan.pods[i].spec, fmt::format("Pod \"{}\"", plan.pods[i].metadata.name), "spec.",
        [&](const std::string&) { return at; }, all, listed, diagnostics);
  }
  for (const auto& entry : plan.jobs) {
    for (const auto& t : entry.kind->PodTemplates(entry)) {
      // The pods a controller makes from a template are checked by the API
      // server when created (fakes/apiserver); said here first, at the template.
      const std::string prefix = t.field + ".spec.";
      for (const auto& e : CheckPodSpecPaths(t.pod_template->spec, prefix)) {
        SourceLocation at = LocateField(entry.locations, e.field);
        if (at.line == 0) at = LocateField(entry.locations, prefix.substr(0, prefix.size() - 1));
        diagnostics->Error(at, JobLabel(entry), e.field, e.message);
      }
      CheckSpec(
          t.pod_template->spec, JobLabel(entry), prefix,
          [&](const std::string& field) {
            const std::string parent = field.substr(0, field.rfind(".hostPath"));
            SourceLocation at = LocateField(entry.locations, field);
            return at.line > 0 ? at : LocateField(entry.locations, parent);
          },
          all, listed, diagnostics);
    }
  }
}

}  // namespace ptsim
