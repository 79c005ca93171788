// The HTML report is self-contained and renders in headless Chromium.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "sim/harness/report_html.hpp"
#include "sim/harness/report_junit.hpp"
#include "tests/harness/run_support.hpp"

namespace ptsim {
namespace {

using nlohmann::json;
using testing::RunScenario;
using testing::TempDir;

const char* kScenario = R"(apiVersion: ptsim.io/v1
kind: Scenario
name: html
description: A worker crashes once; the kubelet restarts it.
job:
  apiVersion: kubeflow.org/v1
  kind: PyTorchJob
  metadata: {name: job}
  spec:
    pytorchReplicaSpecs:
      Master:
        replicas: 1
        template:
          metadata: {annotations: {script.ptsim.io/pytorch: "run 40s, exit 0"}}
          spec: {containers: [{name: pytorch, image: trainer}]}
      Worker:
        replicas: 2
        template:
          metadata: {annotations: {script.ptsim.io/pytorch: "steps 30 every 1s"}}
          spec: {containers: [{name: pytorch, image: trainer}]}
faults:
- action: kill
  target: {replicaType: Worker, replicaIndex: 1}
  when: {logLine: "step 10"}
expect:
- finalCondition: {type: Succeeded}
)";

TEST_CASE(
    "the HTML report needs nothing from the network and shows lanes, bars, faults and conditions") {
  TempDir dir;
  const json r = RunScenario(dir, "html", kScenario);
  const std::string html = HtmlReport({r});
  CHECK(html.find("<svg") != std::string::npos);
  CHECK(html.find("http://") == html.find("http://www.w3.org/2000/svg"));  // only the SVG namespace
  CHECK(html.find("https://") == std::string::npos);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("job-worker-1") != std::string::npos);
  CHECK(html.find("kill") != std::string::npos);
  CHECK(html.find("Succeeded=True") != std::string::npos);
}

TEST_CASE("the HTML report renders in headless Chromium") {
  if (::access("/usr/bin/chromium", X_OK) != 0) {
    WARN("skipped: /usr/bin/chromium is not installed (apt-get install chromium)");
    return;
  }
  TempDir dir;
  const json r = RunScenario(dir, "html", kScenario);
  const std::string page = dir.path() + "/report.html";
  const std::string png = dir.path() + "/report.png";
  std::ofstream(page) << HtmlReport({r});
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    const std::string shot = "--screenshot=" + png;
    const std::string profile = "--user-data-dir=" + dir.path() + "/chrome";
    const std::string url = "file://" + page;
    const int devnull = ::open("/dev/null", O_WRONLY);
    ::dup2(devnull, 1);
    ::dup2(devnull, 2);
    ::execl("/usr/bin/chromium", "chromium", "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", profile.c_str(), shot.c_str(),
            "--window-size=1200,900", url.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  CHECK(WIFEXITED(status));
  struct stat st {};
  REQUIRE(::stat(png.c_str(), &st) == 0);
  // A blank 1200x900 screenshot compresses to a few KiB; the report is far richer.
  CHECK(st.st_size > 40 * 1024);
}

TEST_CASE("the JUnit report has one test case per run and a failure with want and got") {
  TempDir dir;
  json ok = RunScenario(dir, "html", kScenario);
  json bad = ok;
  bad["passed"] = false;
  bad["name"] = "bad";
  bad["expectations"][0]["passed"] = false;
  const std::string xml = JUnitXml({ok, bad});
  CHECK(xml.find("tests=\"2\" failures=\"1\"") != std::string::npos);
  CHECK(xml.find("<testcase classname=") != std::string::npos);
  CHECK(xml.find("<failure message=\"1 expectation(s) failed\" type=\"expectation\">") !=
        std::string::npos);
  CHECK(xml.find("want: &quot;Succeeded&quot;") != std::string::npos);
}

}  // namespace
}  // namespace ptsim
