#include "sim/harness/expectation.hpp"

#include <fmt/format.h>

#include <map>

#include "sim/model/go_duration.hpp"

namespace ptsim {
namespace {

using nlohmann::json;

std::string Str(const json& j, const char* key) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : "";
}

bool Matches(const ConditionPattern& p, const json& c) {
  return Str(c, "type") == p.type && Str(c, "status") == p.status &&
         (p.reason.empty() || Str(c, "reason") == p.reason);
}

json ConditionBrief(const json& c) {
  return fmt::format("{}={} ({})", Str(c, "type"), Str(c, "status"), Str(c, "reason"));
}

const json* FindJob(const json& report) {
  return report.contains("job") && report["job"].is_object() ? &report["job"] : nullptr;
}

// Every pod ever created with this name (a recreated pod is another entry).
std::vector<const json*> PodsNamed(const json& report, const std::string& name) {
  std::vector<const json*> out;
  for (const auto& p : report["pods"]) {
    if (Str(p, "name") == name) out.push_back(&p);
  }
  return out;
}

std::string Range(const std::optional<Duration>& after, const std::optional<Duration>& before) {
  if (after && before)
    return fmt::format("between {} and {}", FormatDuration(*after), FormatDuration(*before));
  if (after) return fmt::format("after {}", FormatDuration(*after));
  if (before) return fmt::format("before {}", FormatDuration(*before));
  return "";
}

std::string Bounds(const ExpectationSpec& s) {
  if (s.equals) return fmt::format("= {}", *s.equals);
  if (s.min && s.max) return fmt::format("in [{}, {}]", *s.min, *s.max);
  if (s.min) return fmt::format(">= {}", *s.min);
  if (s.max) return fmt::format("<= {}", *s.max);
  return "";
}

bool InBounds(const ExpectationSpec& s, int v) {
  if (s.equals && v != *s.equals) return false;
  if (s.min && v < *s.min) return false;
  if (s.max && v > *s.max) return false;
  return true;
}

}  // namespace

std::string ConditionPattern::Describe() const {
  std::string out = type;
  if (status != "True") out += "=" + status;
  if (!reason.empty()) out += " (" + reason + ")";
  return out;
}

std::string DescribeExpectation(const ExpectationSpec& s) {
  using K = ExpectationSpec::Kind;
  switch (s.kind) {
    case K::kFinalCondition: {
      std::string d = fmt::format("the job ends with condition {}", s.condition.Describe());
      if (!s.message_text.empty()) d += fmt::format(" and a message matching /{}/", s.message_text);
      return d;
    }
    case K::kConditions: {
      std::vector<std::string> parts;
      for (const auto& c : s.sequence)
        parts.push_back(c.Describe());
      return fmt::format("the job's conditions include, in order: {}", fmt::join(parts, " -> "));
    }
    case K::kRestartCount:
      if (!s.pod.empty()) {
        return fmt::format("restartCount of pod {}{} {}", s.pod,
                           s.container.empty() ? "" : "/" + s.container, Bounds(s));
      }
      return fmt::format("total restartCount of {} pods {}", s.replica_type, Bounds(s));
    case K::kPodsExist:
      return fmt::format("pods exist at the end: {}", fmt::join(s.names, ", "));
    case K::kPodsDeleted:
      return fmt::format("pods were deleted: {}", fmt::join(s.names, ", "));
    case K::kServicesExist:
      return fmt::format("services exist at the end: {}", fmt::join(s.names, ", "));
    case K::kServicesDeleted:
      return fmt::format("services were deleted: {}", fmt::join(s.names, ", "));
    case K::kJobDeleted: {
      const std::string range = Range(s.after, s.before);
      return range.empty() ? "the job is deleted" : "the job is deleted " + range;
    }
    case K::kJobNotDeleted:
      return "the job is not deleted";
    case K::kEvent: {
      std::string d = fmt::format("an event with reason {}", s.reason);
      if (!s.object.empty()) d += " on " + s.object;
      if (!s.message_text.empty()) d += fmt::format(" and a message matching /{}/", s.message_text);
      if (s.min || s.max || s.equals) d += fmt::format(", count {}", Bounds(s));
      return d;
    }
    case K::kEnv:
      return fmt::format("{} of {}/{} {} {}", s.env_name, s.pod,
                         s.container.empty() ? "*" : s.container,
                         s.resolved ? "is (as the process saw it)" : "is declared as",
                         s.env_value ? "\"" + *s.env_value + "\"" : "unset");
    case K::kDuration:
      return fmt::format("the run lasts {} of virtual time", Range(s.after, s.before));
    case K::kPodPhase:
      return fmt::format("pod {} ends in phase {}", s.pod, s.phase);
    case K::kOutcome:
      return fmt::format("the run's outcome is {}", s.outcome);
    case K::kNote:
      return fmt::format("a note matches /{}/", s.message_text);
    case K::kFlytePhase:
      return fmt::format("the Flyte task ends in phase {}", s.phase);
  }
  return "";
}

ExpectationResult Evaluate(const ExpectationSpec& s, const json& report) {
  using K = ExpectationSpec::Kind;
  ExpectationResult r;
  r.description = DescribeExpectation(s);
  const json* job = FindJob(report);
  switch (s.kind) {
    case K::kFinalCondition: {
      r.expected = s.condition.Describe() +
                   (s.message_text.empty() ? "" : fmt::format(", message /{}/", s.message_text));
      if (!job || job->at("status").at("conditions").empty()) {
        r.actual = "no conditions";
        break;
      }
      const json& last = job->at("status").at("conditions").back();
      r.actual = fmt::format("{}, message \"{}\"", ConditionBrief(last).get<std::string>(),
                             Str(last, "message"));
      r.passed = Matches(s.condition, last) &&
                 (!s.message || std::regex_search(Str(last, "message"), *s.message));
      break;
    }
    case K::kConditions: {
      std::vector<std::string> want;
      for (const auto& c : s.sequence)
        want.push_back(c.Describe());
      r.expected = want;
      json got = json::array();
      std::size_t next = 0;
      if (job) {
        for (const auto& c : job->at("conditionHistory")) {
          got.push_back(ConditionBrief(c));
          if (next < s.sequence.size() && Matches(s.sequence[next], c)) ++next;
        }
      }
      r.actual = got;
      r.passed = next == s.sequence.size();
      break;
    }
    case K::kRestartCount: {
      // The latest pod of each name counts (a recreated pod starts again at 0).
      r.expected = Bounds(s);
      std::map<std::string, const json*> latest;
      for (const auto& p : report["pods"]) {
        const bool match =
            !s.pod.empty() ? Str(p, "name") == s.pod : Str(p, "replicaType") == s.replica_type;
        if (match) latest[Str(p, "name")] = &p;
      }
      int total = 0;
      for (const auto& [name, p] : latest) {
        for (const auto& c : (*p)["containers"]) {
          if (!s.container.empty() && Str(c, "name") != s.container) continue;
          total += c["restartCount"].get<int>();
        }
      }
      r.actual = latest.empty() ? json("no such pod") : json(total);
      r.passed = !latest.empty() && InBounds(s, total);
      break;
    }
    case K::kPodsExist:
    case K::kPodsDeleted:
    case K::kServicesExist:
    case K::kServicesDeleted: {
      const bool pods = s.kind == K::kPodsExist || s.kind == K::kPodsDeleted;
      const bool want_exist = s.kind == K::kPodsExist || s.kind == K::kServicesExist;
      r.expected = s.names;
      json got = json::object();
      r.passed = true;
      for (const auto& name : s.names) {
        bool seen = false;
        bool exists = false;
        for (const auto& o : report[pods ? "pods" : "services"]) {
          if (Str(o, "name") != name) continue;
          seen = true;
          exists = exists || o["deletedAt"].is_null();
        }
        got[name] = !seen ? "never created" : (exists ? "exists" : "deleted");
        if (want_exist ? !exists : (!seen || exists)) r.passed = false;
      }
      r.actual = got;
      break;
    }
    case K::kJobDeleted:
    case K::kJobNotDeleted: {
      const std::string range = Range(s.after, s.before);
      r.expected = s.kind == K::kJobNotDeleted ? "not deleted"
                                               : (range.empty() ? "deleted" : "deleted " + range);
      if (!job || job->at("deletedAt").is_null()) {
        r.actual = "not deleted";
        r.passed = s.kind == K::kJobNotDeleted;
        break;
      }
      const double at = job->at("deletedAt").get<double>();
      r.actual = fmt::format("deleted at {:.3f}s", at);
      r.passed = s.kind == K::kJobDeleted && (!s.after || at >= ToSeconds(*s.after)) &&
                 (!s.before || at <= ToSeconds(*s.before));
      break;
    }
    case K::kEvent: {
      r.expected = r.description;
      int count = 0;
      json seen = json::array();
      for (const auto& e : report["events"]) {
        if (Str(e, "reason") != s.reason) continue;
        if (!s.object.empty() && Str(e, "object") != s.object) continue;
        seen.push_back(
            fmt::format("{} {}: {}", Str(e, "object"), Str(e, "reason"), Str(e, "message")));
        if (s.message && !std::regex_search(Str(e, "message"), *s.message)) continue;
        count += e["count"].get<int>();
      }
      r.actual = seen.empty() ? json("no such event") : seen;
      r.passed = (s.min || s.max || s.equals) ? InBounds(s, count) : count > 0;
      break;
    }
    case K::kEnv: {
      r.expected = s.env_value ? json(*s.env_value) : json("unset");
      std::optional<std::string> value;
      bool found_pod = false;
      const auto pods = PodsNamed(report, s.pod);
      if (!pods.empty()) {
        found_pod = true;
        const json& p = *pods.back();
        for (const auto* list : {&p["initContainers"], &p["containers"]}) {
          for (const auto& c : *list) {
            if (!s.container.empty() && Str(c, "name") != s.container) continue;
            if (s.resolved) {
              if (c["resolvedEnv"].is_object() && c["resolvedEnv"].contains(s.env_name)) {
                value = c["resolvedEnv"][s.env_name].get<std::string>();
              }
            } else {
              for (const auto& e : c["env"]) {
                if (Str(e, "name") == s.env_name && e["value"].is_string())
                  value = e["value"].get<std::string>();
              }
            }
          }
        }
      }
      r.actual = !found_pod ? json("no such pod") : (value ? json(*value) : json("unset"));
      r.passed = found_pod && value == s.env_value;
      break;
    }
    case K::kDuration: {
      r.expected = Range(s.after, s.before);
      const double v = report["virtualSeconds"].get<double>();
      r.actual = fmt::format("{:.3f}s", v);
      r.passed = (!s.after || v >= ToSeconds(*s.after)) && (!s.before || v <= ToSeconds(*s.before));
      break;
    }
    case K::kPodPhase: {
      r.expected = s.phase;
      const auto pods = PodsNamed(report, s.pod);
      r.actual = pods.empty() ? json("no such pod") : json(Str(*pods.back(), "phase"));
      r.passed = !pods.empty() && Str(*pods.back(), "phase") == s.phase;
      break;
    }
    case K::kOutcome:
      r.expected = s.outcome;
      r.actual = Str(report, "outcome");
      r.passed = Str(report, "outcome") == s.outcome;
      break;
    case K::kNote: {
      r.expected = fmt::format("/{}/", s.message_text);
      json notes = json::array();
      for (const auto& n : report["notes"]) {
        notes.push_back(Str(n, "text"));
        const std::string text = Str(n, "text") + " " + Str(n, "ref");
        if (std::regex_search(text, *s.message)) r.passed = true;
      }
      r.actual = notes;
      break;
    }
    case K::kFlytePhase: {
      r.expected = s.phase;
      const bool has = report.contains("flyte") && report["flyte"].is_object();
      r.actual = has ? json(Str(report["flyte"], "phase")) : json("not a Flyte task");
      r.passed = has && Str(report["flyte"], "phase") == s.phase;
      break;
    }
  }
  return r;
}

}  // namespace ptsim
