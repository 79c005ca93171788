#include "sim/harness/report_junit.hpp"

#include <fmt/format.h>

namespace ptsim {

std::string XmlEscape(const std::string& text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        // XML 1.0 forbids most control characters.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r') {
          out += '?';
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string JUnitXml(const std::vector<nlohmann::json>& reports) {
  int failures = 0;
  double total = 0;
  for (const auto& r : reports) {
    failures += r.value("passed", false) ? 0 : 1;
    total += r.value("wallSeconds", 0.0);
  }
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<testsuites name=\"ptsim\" tests=\"{}\" failures=\"{}\" time=\"{:.3f}\">\n",
                     reports.size(), failures, total);
  out += fmt::format(
      "  <testsuite name=\"ptsim\" tests=\"{}\" failures=\"{}\" errors=\"0\" time=\"{:.3f}\">\n",
      reports.size(), failures, total);
  for (const auto& r : reports) {
    const std::string name = r.value("name", "");
    const std::string source = r.value("source", "");
    out += fmt::format("    <testcase classname=\"{}\" name=\"{}\" time=\"{:.3f}\">\n",
                       XmlEscape(source), XmlEscape(name), r.value("wallSeconds", 0.0));
    if (!r.value("passed", false)) {
      std::string details;
      int failed = 0;
      for (const auto& e : r["expectations"]) {
        if (e["passed"].get<bool>()) continue;
        ++failed;
        details += fmt::format("{}\n  want: {}\n  got:  {}\n", e["description"].get<std::string>(),
                               e["expected"].dump(), e["actual"].dump());
      }
      std::string message = failed > 0
                                ? fmt::format("{} expectation(s) failed", failed)
                                : fmt::format("the run did not finish: {}", r.value("outcome", ""));
      if (failed == 0) details = message + "\n";
      out += fmt::format("      <failure message=\"{}\" type=\"{}\">{}</failure>\n",
                         XmlEscape(message), failed > 0 ? "expectation" : "outcome",
                         XmlEscape(details));
    }
    std::string summary = fmt::format("operator {} · seed {} · {:.3f}s virtual · outcome {}\n",
                                      r.value("operatorVersion", ""), r.value("seed", 0),
                                      r.value("virtualSeconds", 0.0), r.value("outcome", ""));
    for (const auto& n : r["notes"])
      summary += "note: " + n["text"].get<std::string>() + "\n";
    out += fmt::format("      <system-out>{}</system-out>\n", XmlEscape(summary));
    out += "    </testcase>\n";
  }
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

}  // namespace ptsim
