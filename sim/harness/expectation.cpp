#include "sim/harness/expectation.hpp"
#include "fakes/process/container_log.hpp"
#include "sim/harness/report_fields.hpp"
#include "sim/model/user_regex.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "sim/model/go_duration.hpp"

namespace ptsim {
namespace {

using nlohmann::json;

double Num(const json& j, const char* key) {
  return j.contains(key) && j[key].is_number() ? j[key].get<double>() : 0.0;
}

// `c` is a condition of the report; its time is `time` in the history (when
// ptsim saw the transition), else lastTransitionTime.
bool Matches(const ConditionPattern& p, const json& c) {
  if (StringField(c, "type") != p.type || StringField(c, "status") != p.status) return false;
  if (!p.reason.empty() && StringField(c, "reason") != p.reason) return false;
  if (p.message && !SearchUserRegex(*p.message, StringField(c, "message"))) return false;
  const double at = c.contains("time") ? Num(c, "time") : Num(c, "lastTransitionTime");
  if (p.after && at < ToSeconds(*p.after)) return false;
  if (p.before && at > ToSeconds(*p.before)) return false;
  return true;
}

// The container incarnations an expectation about `pod`/`container` looks at:
// with `any_attempt`, every run of every pod ever created with the name;
// otherwise the runs of the newest such pod, filtered to `attempt` (a
// restartCount) when given, else its last run.
std::vector<const json*> RunsOf(const ExpectationSpec& s, const json& report, bool last_by_default,
                                std::string* why) {
  std::vector<const json*> pods;
  for (const auto& p : report["pods"]) {
    if (StringField(p, "name") == s.pod) pods.push_back(&p);
  }
  std::vector<const json*> out;
  if (pods.empty()) {
    *why = "no such pod";
    return out;
  }
  if (!s.any_attempt) pods = {pods.back()};
  bool container_seen = false;
  for (const json* p : pods) {
    for (const auto* list : {&(*p)["initContainers"], &(*p)["containers"]}) {
      for (const auto& c : *list) {
        if (s.container.empty() ? list == &(*p)["initContainers"]
                                : StringField(c, "name") != s.container)
          continue;
        container_seen = true;
        const json& runs = c["runs"];
        if (s.any_attempt || (!s.attempt && !last_by_default)) {
          for (const auto& r : runs)
            out.push_back(&r);
        } else if (s.attempt) {
          for (const auto& r : runs) {
            if (r["restartCount"] == *s.attempt) out.push_back(&r);
          }
        } else if (!runs.empty()) {
          out.push_back(&runs.back());
        }
        if (s.container.empty()) break;  // the first app container
      }
    }
  }
  if (!container_seen)
    *why = "no such container";
  else if (out.empty())
    *why = "no such attempt";
  return out;
}

std::string AttemptText(const ExpectationSpec& s, bool last_by_default) {
  if (s.any_attempt) return "any run";
  if (s.attempt) return fmt::format("run {}", *s.attempt);
  return last_by_default ? "the last run" : "any run";
}

std::string PodContainer(const ExpectationSpec& s) {
  return s.container.empty() ? s.pod : s.pod + "/" + s.container;
}

// Lines of `path` that match `re`, or nullopt when the file cannot be read.
std::optional<std::vector<std::string>> MatchingLines(const std::string& path,
                                                      const UserRegex& re) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) {
    if (SearchUserRegex(re, line)) out.push_back(line);
  }
  return out;
}

// Lines matching `re` in what the kubelet keeps of a container's log: its
// rotated files, oldest first, then the current one (what a rotation deleted
// is gone, as on a node). Nullopt when there is no log at all.
std::optional<std::vector<std::string>> MatchingLogLines(const std::string& path,
                                                         const UserRegex& re) {
  const auto files = KeptLogFiles(path);
  if (files.empty()) return std::nullopt;
  std::vector<std::string> out;
  for (const auto& file : files) {
    auto lines = MatchingLines(file, re);
    if (!lines) continue;  // deleted by a rotation in between
    for (auto& l : *lines)
      out.push_back(std::move(l));
  }
  return out;
}

json ConditionBrief(const json& c) {
  return fmt::format("{}={} ({})", StringField(c, "type"), StringField(c, "status"),
                     StringField(c, "reason"));
}

// The job an expectation is about: `name` among every job of the run, or the
// first job when `name` is empty.
const json* FindJob(const json& report, const std::string& name) {
  if (name.empty()) {
    return report.contains("job") && report["job"].is_object() ? &report["job"] : nullptr;
  }
  if (!report.contains("jobs")) return nullptr;
  for (const auto& job : report["jobs"]) {
    if (StringField(job, "name") == name) return &job;
  }
  return nullptr;
}

// "the job" or "the job NAME".
std::string TheJob(const ExpectationSpec& s) {
  return s.job.empty() ? "the job" : "the job " + s.job;
}

// Every pod ever created with this name (a recreated pod is another entry).
std::vector<const json*> PodsNamed(const json& report, const std::string& name) {
  std::vector<const json*> out;
  for (const auto& p : report["pods"]) {
    if (StringField(p, "name") == name) out.push_back(&p);
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
  if (!message_text.empty()) out += fmt::format(" /{}/", message_text);
  if (const std::string range = Range(after, before); !range.empty()) out += " " + range;
  return out;
}

std::string DescribeExpectation(const ExpectationSpec& s) {
  using K = ExpectationSpec::Kind;
  switch (s.kind) {
    case K::kFinalCondition: {
      std::string d = fmt::format("{} ends with condition {}", TheJob(s), s.condition.Describe());
      if (!s.message_text.empty()) d += fmt::format(" and a message matching /{}/", s.message_text);
      return d;
    }
    case K::kConditions: {
      std::vector<std::string> parts;
      for (const auto& c : s.sequence)
        parts.push_back(c.Describe());
      return fmt::format("{}'s conditions include, in order: {}", TheJob(s),
                         fmt::join(parts, " -> "));
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
      return TheJob(s) + " is deleted" + (range.empty() ? "" : " " + range);
    }
    case K::kJobNotDeleted:
      return TheJob(s) + " is not deleted";
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
    case K::kNeverCondition:
      return fmt::format("{} never has condition {}", TheJob(s), s.condition.Describe());
    case K::kTermination: {
      std::vector<std::string> parts;
      if (!s.reason.empty()) parts.push_back("reason " + s.reason);
      if (s.exit_code) parts.push_back(fmt::format("exit code {}", *s.exit_code));
      if (s.signal) parts.push_back(fmt::format("signal {}", *s.signal));
      return fmt::format("{} of {} ended with {}", AttemptText(s, true), PodContainer(s),
                         fmt::join(parts, ", "));
    }
    case K::kLog: {
      std::string d = fmt::format("the log of {} of {} has lines matching /{}/",
                                  AttemptText(s, false), PodContainer(s), s.message_text);
      if (s.min || s.max || s.equals) d += fmt::format(", count {}", Bounds(s));
      return d;
    }
    case K::kFault:
      return fmt::format("fault \"{}\" fired, count {}", s.target,
                         (s.min || s.max || s.equals) ? Bounds(s) : ">= 1");
    case K::kFile: {
      if (s.exists && !*s.exists) return fmt::format("file {} does not exist", s.target);
      if (!s.message_text.empty())
        return fmt::format("file {} has a line matching /{}/", s.target, s.message_text);
      return fmt::format("file {} exists", s.target);
    }
    case K::kReport: {
      std::vector<std::string> parts;
      if (s.exists) parts.push_back(*s.exists ? "exists" : "does not exist");
      if (s.value) parts.push_back("= " + s.value->dump());
      if (!s.message_text.empty()) parts.push_back(fmt::format("matches /{}/", s.message_text));
      if (s.number_min) parts.push_back(fmt::format(">= {}", *s.number_min));
      if (s.number_max) parts.push_back(fmt::format("<= {}", *s.number_max));
      return fmt::format("report {} {}", s.target, fmt::join(parts, ", "));
    }
    case K::kFlyte:
      return s.flyte ? DescribeFlyteExpectation(*s.flyte) : std::string();
  }
  return "";
}

ExpectationResult Evaluate(const ExpectationSpec& s, const json& report) {
  using K = ExpectationSpec::Kind;
  ExpectationResult r;
  r.description = DescribeExpectation(s);
  const json* job = FindJob(report, s.job);
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
                             StringField(last, "message"));
      r.passed = Matches(s.condition, last) &&
                 (!s.message || SearchUserRegex(*s.message, StringField(last, "message")));
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
        const bool match = !s.pod.empty() ? StringField(p, "name") == s.pod
                                          : StringField(p, "replicaType") == s.replica_type;
        if (match) latest[StringField(p, "name")] = &p;
      }
      int total = 0;
      for (const auto& [name, p] : latest) {
        for (const auto& c : (*p)["containers"]) {
          if (!s.container.empty() && StringField(c, "name") != s.container) continue;
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
          if (StringField(o, "name") != name) continue;
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
        if (StringField(e, "reason") != s.reason) continue;
        if (!s.object.empty() && StringField(e, "object") != s.object) continue;
        seen.push_back(fmt::format("{} {}: {}", StringField(e, "object"), StringField(e, "reason"),
                                   StringField(e, "message")));
        if (s.message && !SearchUserRegex(*s.message, StringField(e, "message"))) continue;
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
            if (!s.container.empty() && StringField(c, "name") != s.container) continue;
            if (s.resolved) {
              if (c["resolvedEnv"].is_object() && c["resolvedEnv"].contains(s.env_name)) {
                value = c["resolvedEnv"][s.env_name].get<std::string>();
              }
            } else {
              for (const auto& e : c["env"]) {
                if (StringField(e, "name") == s.env_name && e["value"].is_string())
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
      r.actual = pods.empty() ? json("no such pod") : json(StringField(*pods.back(), "phase"));
      r.passed = !pods.empty() && StringField(*pods.back(), "phase") == s.phase;
      break;
    }
    case K::kOutcome:
      r.expected = s.outcome;
      r.actual = StringField(report, "outcome");
      r.passed = StringField(report, "outcome") == s.outcome;
      break;
    case K::kNote: {
      r.expected = fmt::format("/{}/", s.message_text);
      json notes = json::array();
      for (const auto& n : report["notes"]) {
        notes.push_back(StringField(n, "text"));
        const std::string text = StringField(n, "text") + " " + StringField(n, "ref");
        if (SearchUserRegex(*s.message, text)) r.passed = true;
      }
      r.actual = notes;
      break;
    }
    case K::kFlytePhase: {
      r.expected = s.phase;
      const bool has = report.contains("flyte") && report["flyte"].is_object();
      r.actual = has ? json(StringField(report["flyte"], "phase")) : json("not a Flyte task");
      r.passed = has && StringField(report["flyte"], "phase") == s.phase;
      break;
    }
    case K::kNeverCondition: {
      r.expected = "never " + s.condition.Describe();
      json seen = json::array();
      if (job) {
        for (const auto& c : job->at("conditionHistory")) {
          if (Matches(s.condition, c))
            seen.push_back(
                fmt::format("{} at {:.3f}s", ConditionBrief(c).get<std::string>(), Num(c, "time")));
        }
      }
      r.actual = seen.empty() ? json("never") : seen;
      r.passed = seen.empty();
      break;
    }
    case K::kTermination: {
      r.expected = r.description;
      std::string why;
      const auto runs = RunsOf(s, report, true, &why);
      json got = json::array();
      for (const json* run : runs) {
        const int signal = (*run)["signal"].is_number() ? (*run)["signal"].get<int>() : 0;
        const int code = (*run)["exitCode"].is_number() ? (*run)["exitCode"].get<int>() : -1;
        got.push_back(fmt::format("run {}: reason {}, exit code {}, signal {}",
                                  (*run)["restartCount"].dump(), StringField(*run, "reason"),
                                  (*run)["exitCode"].dump(), signal));
        if ((s.reason.empty() || StringField(*run, "reason") == s.reason) &&
            (!s.exit_code || code == *s.exit_code) && (!s.signal || signal == *s.signal)) {
          r.passed = true;
        }
      }
      r.actual = runs.empty() ? json(why) : got;
      break;
    }
    case K::kLog: {
      r.expected = r.description;
      std::string why;
      const auto runs = RunsOf(s, report, false, &why);
      int count = 0;
      json got = json::array();
      for (const json* run : runs) {
        const std::string path = StringField(*run, "log");
        auto lines = path.empty() ? std::nullopt : MatchingLogLines(path, *s.message);
        if (!lines) {
          got.push_back(fmt::format("run {}: no log", (*run)["restartCount"].dump()));
          continue;
        }
        count += static_cast<int>(lines->size());
        for (const auto& l : *lines) {
          if (got.size() < 5)
            got.push_back(fmt::format("run {}: {}", (*run)["restartCount"].dump(), l));
        }
      }
      if (runs.empty()) {
        r.actual = why;
        break;
      }
      r.actual = got.empty() ? json("no matching line") : got;
      r.passed = (s.min || s.max || s.equals) ? InBounds(s, count) : count > 0;
      break;
    }
    case K::kFault: {
      r.expected = r.description;
      const json* fault = nullptr;
      for (const auto& f : report["faults"]) {
        if (StringField(f, "name") == s.target) fault = &f;
      }
      if (!fault) {
        r.actual = "no fault with this name";
        break;
      }
      const int fired = static_cast<int>((*fault)["fired"].size());
      json got = json::array();
      for (const auto& f : (*fault)["fired"])
        got.push_back(fmt::format("at {:.3f}s on {}", Num(f, "time"), f["targets"].dump()));
      r.actual = got.empty() ? json("never fired") : got;
      r.passed = (s.min || s.max || s.equals) ? InBounds(s, fired) : fired > 0;
      break;
    }
    case K::kFile: {
      r.expected = r.description;
      const std::filesystem::path path =
          std::filesystem::path(StringField(report, "runDir")) / s.target;
      std::error_code ec;
      const bool present = std::filesystem::is_regular_file(path, ec);
      if (s.exists && !*s.exists) {
        r.actual = present ? "exists" : "does not exist";
        r.passed = !present;
        break;
      }
      if (!present) {
        r.actual = "does not exist";
        break;
      }
      if (!s.message) {
        r.actual = "exists";
        r.passed = true;
        break;
      }
      auto lines = MatchingLines(path.string(), *s.message);
      r.actual = !lines           ? json("cannot be read")
                 : lines->empty() ? json("no matching line")
                                  : json(lines->front());
      r.passed = lines && !lines->empty();
      break;
    }
    case K::kReport: {
      r.expected = r.description;
      const json::json_pointer pointer(s.target);
      // The report writes absent values as null.
      if (!report.contains(pointer) || report.at(pointer).is_null()) {
        r.actual = "absent";
        r.passed = s.exists && !*s.exists;
        break;
      }
      const json& v = report.at(pointer);
      r.actual = v;
      r.passed = !(s.exists && !*s.exists);
      if (s.value && v != *s.value) {
        // 1 and 1.0 are the same number in the report.
        const bool same_number =
            v.is_number() && s.value->is_number() && v.get<double>() == s.value->get<double>();
        if (!same_number) r.passed = false;
      }
      if (s.message && !(v.is_string() && SearchUserRegex(*s.message, v.get<std::string>())))
        r.passed = false;
      if ((s.number_min || s.number_max) && !v.is_number()) r.passed = false;
      if (s.number_min && v.is_number() && v.get<double>() < *s.number_min) r.passed = false;
      if (s.number_max && v.is_number() && v.get<double>() > *s.number_max) r.passed = false;
      break;
    }
    case K::kFlyte: {
      if (!s.flyte) break;
      FlyteCheck c = EvaluateFlyteExpectation(*s.flyte, report);
      r.expected = c.expected;
      r.actual = c.actual;
      r.passed = c.passed;
      break;
    }
  }
  return r;
}

}  // namespace ptsim
