// The guards on outside input: file size, UTF-8 and control characters, the
// YAML stream guard (yaml-cpp's endless loop, alias bombs, cycles, node
// count), plain scalars resolved as go-yaml v2 resolves them, the API
// server's annotation size limit, ptsim's replica limit, label selectors,
// container script bounds, and Go-style quoting of what messages echo.
#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>

#include "sim/core/go_quote.hpp"
#include "sim/core/utf8.hpp"
#include "sim/model/container_script.hpp"
#include "sim/model/input_text.hpp"
#include "sim/model/label_selector.hpp"
#include "sim/model/pod_codec.hpp"
#include "sim/model/pytorchjob_codec.hpp"
#include "sim/model/yaml_file.hpp"
#include "sim/model/yaml_guard.hpp"
#include "sim/model/yaml_reader.hpp"
#include "sim/model/yaml_to_json.hpp"
#include "tests/support/temp_dir.hpp"

namespace ptsim {
namespace {

using testing::TempDir;

std::string FirstError(const Diagnostics& d) {
  REQUIRE_FALSE(d.ok());
  return d.items().front().Render();
}

std::string ParseError(const std::string& text) {
  auto file = ParseYamlText(text, "f.yaml");
  REQUIRE_FALSE(file.ok());
  return FirstError(file.diagnostics());
}

// "1e3" -> its JSON as kubectl would send it, dumped.
std::string Resolved(const std::string& plain) {
  auto v = ResolvePlainScalar(plain);
  return v ? v->dump() : "(not JSON: .inf or .nan)";
}

TEST_CASE("plain scalars resolve as go-yaml v2 resolves them") {
  CHECK(Resolved("-e") == "\"-e\"");
  CHECK(Resolved("e") == "\"e\"");
  CHECK(Resolved("--") == "\"--\"");
  CHECK(Resolved("..") == "\"..\"");
  CHECK(Resolved("-") == "\"-\"");
  CHECK(Resolved(".") == "\".\"");
  CHECK(Resolved("e1") == "\"e1\"");
  CHECK(Resolved("_") == "\"_\"");
  CHECK(Resolved("-.5") == "-0.5");
  CHECK(Resolved("1e3") == "1000.0");
  CHECK(Resolved("0x1F") == "31");
  CHECK(Resolved("+1") == "1");
  CHECK(Resolved("1_000") == "1000");
  CHECK(Resolved("0o17") == "15");
  CHECK(Resolved("yes") == "true");
  CHECK(Resolved("on") == "true");
  CHECK(Resolved("~") == "null");
  CHECK(Resolved("null") == "null");
  CHECK(Resolved(".inf") == "(not JSON: .inf or .nan)");
  CHECK(Resolved("-.Inf") == "(not JSON: .inf or .nan)");
  // strconv.ParseFloat fails out of range, and go-yaml keeps the text.
  CHECK(Resolved("1e999") == "\"1e999\"");
  CHECK(Resolved(".5e999") == "\".5e999\"");
}

TEST_CASE("a very long plain scalar resolves without exhausting the stack") {
  // std::regex's matcher recursed once per character and crashed here.
  CHECK(Resolved(std::string(200000, '1') + ".5").size() > 3);
  CHECK(Resolved("-" + std::string(200000, '7')) != "");
  CHECK(CheckDns1123Label(std::string(200000, 'a')) == "must be no more than 63 characters");
}

TEST_CASE("command arguments such as -e and -- are strings, as kubectl reads them") {
  auto file = ParseYamlText("command: [sh, -e, -c, --, ..]\n", "f.yaml");
  REQUIRE(file.ok());
  Diagnostics d;
  DecodeContext ctx("f.yaml", &d);
  std::vector<std::string> command;
  {
    MapReader m(ctx, file->documents[0], "");
    m.StringList("command", &command);
  }
  CHECK(d.ok());
  CHECK(command == std::vector<std::string>{"sh", "-e", "-c", "--", ".."});
}

TEST_CASE("a number or boolean where a string belongs is still a type error") {
  for (const char* plain : {"1e3", "0x1F", "yes", "-.5", ".inf"}) {
    INFO(plain);
    auto file = ParseYamlText(std::string("v: ") + plain + "\n", "f.yaml");
    REQUIRE(file.ok());
    Diagnostics d;
    DecodeContext ctx("f.yaml", &d);
    std::string v;
    {
      MapReader m(ctx, file->documents[0], "");
      m.String("v", &v);
    }
    CHECK_THAT(FirstError(d), Catch::Contains("expected a string, got the"));
  }
}

TEST_CASE("integer fields take what go-yaml and the API server take") {
  auto file = ParseYamlText("a: 0x10\nb: 1_000\nc: 1e3\nd: 1.5\ne: '7'\n", "f.yaml");
  REQUIRE(file.ok());
  Diagnostics d;
  DecodeContext ctx("f.yaml", &d);
  std::int64_t a = 0, b = 0, c = 0, dd = 0, e = 0;
  {
    MapReader m(ctx, file->documents[0], "");
    m.Int64("a", &a);
    m.Int64("b", &b);
    m.Int64("c", &c);  // json.Marshal sends 1e3 as 1000
    m.Int64("d", &dd);
    m.Int64("e", &e);
  }
  CHECK(a == 16);
  CHECK(b == 1000);
  CHECK(c == 1000);
  REQUIRE(d.errors() == 2);
  CHECK(d.items()[0].field == "d");
  CHECK(d.items()[1].field == "e");
}

TEST_CASE("a file holding only a comma is an error, not an endless loop") {
  // yaml-cpp 0.7.0 LoadAll appended empty documents forever (jbeder/yaml-cpp#1040).
  for (const char* text : {",", "[a] ,", "- a\n,", "--- ,", "!t ,", "&x ,"}) {
    INFO(text);
    const auto start = std::chrono::steady_clock::now();
    CHECK_THAT(ParseError(text), Catch::Contains("did not find expected node content"));
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
  }
}

TEST_CASE("an alias bomb is refused before anything walks it") {
  // The 579-byte "billion laughs" of CVE-2019-11253, at nine levels.
  std::string bomb =
      "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
  for (char c = 'b'; c <= 'i'; ++c) {
    const char p = static_cast<char>(c - 1);
    bomb += std::string(1, c) + ": &" + c + " [*" + p + ",*" + p + ",*" + p + ",*" + p + ",*" + p +
            ",*" + p + ",*" + p + ",*" + p + ",*" + p + "]\n";
  }
  const std::string error = ParseError(bomb);
  CHECK_THAT(error, Catch::Contains("document contains excessive aliasing"));
  CHECK_THAT(error, Catch::StartsWith("f.yaml:"));
}

TEST_CASE("modest use of anchors and aliases is accepted") {
  auto file = ParseYamlText(
      "base: &base {image: trainer, command: [python, train.py]}\n"
      "a: *base\nb: *base\nc: [*base, *base]\n",
      "f.yaml");
  CHECK(file.ok());
}

TEST_CASE("an alias inside the node it names is refused, not built as a cycle") {
  CHECK_THAT(ParseError("&a [*a]\n"), Catch::Contains("anchor value contains itself"));
  CHECK_THAT(ParseError("a: &x\n  b: *x\n"), Catch::Contains("anchor value contains itself"));
}

TEST_CASE("a file with too many YAML nodes is refused with the limit") {
  std::string text = "[";
  for (std::size_t i = 0; i <= kMaxYamlNodes; ++i)
    text += "a,";
  text += "a]";
  CHECK_THAT(ParseError(text), Catch::Contains("more than 200000 YAML nodes in one file"));
}

TEST_CASE("invalid UTF-8 is refused at load time with its line and column") {
  CHECK(ParseError("a: 1\nb: \"x\xff\"\n") ==
        "f.yaml:2:6: error: invalid UTF-8 (byte 0xff): Kubernetes objects are UTF-8 text; save "
        "the file as UTF-8");
  CHECK_THAT(ParseError("description: caf\xc3\n"),
             Catch::StartsWith("f.yaml:1:17: error: invalid"));
}

TEST_CASE("raw control characters are refused as go-yaml refuses them") {
  CHECK(ParseError("a: b\x1b[31m\n") ==
        "f.yaml:1:5: error: control character U+001B is not allowed in YAML or JSON text; to put "
        "one in a value, write it as an escape in a double-quoted string: \"\\u001b\"");
  CHECK_THAT(ParseError(std::string("a: b\0c\n", 7)), Catch::Contains("U+0000"));
  CHECK_THAT(ParseError("a: \xc2\x85ok\x7f\n"), Catch::Contains("U+007F"));
  // Tabs, line ends, BOM and non-ASCII text are fine.
  CHECK(ParseYamlText("\xef\xbb\xbf"
                      "a:\t\"caf\xc3\xa9 \xe2\x80\xae\"\r\n",
                      "f.yaml")
            .ok());
}

TEST_CASE("a UTF-16 file is refused with what to do") {
  CHECK_THAT(ParseError(std::string("\xff\xfe"
                                    "a\0:\0",
                                    6)),
             Catch::Contains("save it as UTF-8"));
}

TEST_CASE("an input file larger than the limit is refused without reading it") {
  TempDir dir;
  const std::string big = dir / "big.yaml";
  {
    // A sparse 10 GiB file: no disk is used, and reading it whole would take
    // minutes and all the memory.
    const int fd = ::open(big.c_str(), O_CREAT | O_WRONLY, 0644);
    REQUIRE(fd >= 0);
    REQUIRE(::ftruncate(fd, off_t{10} << 30) == 0);
    ::close(fd);
  }
  const auto start = std::chrono::steady_clock::now();
  auto file = ReadYamlFile(big);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
  CHECK_THAT(FirstError(file.diagnostics()),
             Catch::Contains("the file is larger than 4 MiB, ptsim's limit for one input file"));
}

TEST_CASE("a device with no end is read only up to the limit") {
  auto file = ReadYamlFile("/dev/zero");
  CHECK_THAT(FirstError(file.diagnostics()), Catch::Contains("larger than 4 MiB"));
}

TEST_CASE("a directory or a missing file is a clear error") {
  TempDir dir;
  CHECK_THAT(FirstError(ReadYamlFile(dir.path()).diagnostics()), Catch::Contains("is a directory"));
  CHECK_THAT(FirstError(ReadYamlFile(dir / "none.yaml").diagnostics()),
             Catch::Contains("no such file"));
}

TEST_CASE("annotations over 256 KiB in total are refused with the API server's message") {
  const std::string big(kTotalAnnotationSizeLimitBytes, 'x');
  auto file = ParseYamlText("metadata:\n  annotations:\n    a: " + big + "\n", "f.yaml");
  REQUIRE(file.ok());
  Diagnostics d;
  DecodeContext ctx("f.yaml", &d);
  ObjectMeta meta;
  {
    MapReader m(ctx, file->documents[0], "");
    m.Nested("metadata", [&](MapReader& md) { DecodeObjectMeta(md, &meta); });
  }
  CHECK(FirstError(d) ==
        "f.yaml:3:5: error: metadata.annotations: Too long: must have at most 262144 bytes");
  // Exactly at the limit is fine.
  auto at_limit = ParseYamlText("metadata:\n  annotations:\n    a: " + big.substr(1) + "\n", "f");
  Diagnostics ok;
  DecodeContext ok_ctx("f", &ok);
  {
    MapReader m(ok_ctx, at_limit->documents[0], "");
    m.Nested("metadata", [&](MapReader& md) { DecodeObjectMeta(md, &meta); });
  }
  CHECK(ok.ok());
}

TEST_CASE("replicas beyond ptsim's limit are refused before anything runs") {
  auto r = ParsePyTorchJob(
      "apiVersion: kubeflow.org/v1\nkind: PyTorchJob\nmetadata: {name: j}\nspec:\n"
      "  pytorchReplicaSpecs:\n    Worker:\n      replicas: 99999999\n      template:\n"
      "        spec:\n          containers: [{name: pytorch, image: t}]\n",
      "j.yaml");
  CHECK(FirstError(r.diagnostics()) ==
        "j.yaml:7:17: error: PyTorchJob \"j\": spec.pytorchReplicaSpecs[Worker].replicas: "
        "Invalid value: 99999999: ptsim simulates at most 10000 replicas of one type");
}

TEST_CASE("a malformed label selector is an error that says what was found") {
  const std::string long_key(64, 'k');
  for (const char* bad : {"a=b=c", "a in b", "a in (", "=b", "a b", "a,", "x>1", "a in ()", "-a=b",
                          "a=-b", long_key.c_str()}) {
    INFO(bad);
    CHECK_FALSE(LabelSelector::Parse(bad).ok());
  }
  auto s = LabelSelector::Parse(" app.kubernetes.io/name == x , tier notin (a,b), !gpu, env=");
  REQUIRE(s.ok());
  CHECK(s->Matches({{"app.kubernetes.io/name", "x"}, {"env", ""}}));
  CHECK_FALSE(s->Matches({{"app.kubernetes.io/name", "x"}, {"env", ""}, {"gpu", "1"}}));
  CHECK(LabelSelector::Parse("a=b\x1b[31m").diagnostics().items().front().message ==
        "invalid label selector \"a=b\\x1b[31m\": value \"b\\x1b[31m\": a valid label must be an "
        "empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and "
        "end with an alphanumeric character");
}

TEST_CASE("container scripts refuse negative durations and runaway step counts") {
  for (const char* bad : {"run -1s", "steps 3 every -1s", "steps 100001 every 1ms"}) {
    INFO(bad);
    CHECK_FALSE(ParseContainerScript(bad, {"f", 1, 1}, "").ok());
  }
  CHECK(ParseContainerScript("steps 100000 every 1ms", {"f", 1, 1}, "").ok());
}

TEST_CASE("GoQuote escapes what strconv.Quote escapes") {
  CHECK(GoQuote("plain caf\xc3\xa9") == "\"plain caf\xc3\xa9\"");
  CHECK(GoQuote(std::string("a\0b", 3)) == "\"a\\x00b\"");
  CHECK(GoQuote("\x1b[31mred") == "\"\\x1b[31mred\"");
  CHECK(GoQuote("\xe2\x80\xae"
                "evil") == "\"\\u202eevil\"");
  CHECK(GoQuote("tab\tnl\n\"q\"\\") == "\"tab\\tnl\\n\\\"q\\\"\\\\\"");
  CHECK(GoQuote("\xff") == "\"\\xff\"");
  CHECK(GoQuote("\xf3\xa0\x80\x81") == "\"\\U000e0001\"");
  CHECK(GoQuote("\xc2\xa0") == "\"\\u00a0\"");
}

TEST_CASE("a rendered diagnostic never carries raw control bytes or bidi overrides") {
  Diagnostics d;
  d.Error({"f.yaml", 1, 2}, "Pod \"x\x1b[2J\"", "spec",
          std::string("bad value \"\xe2\x80\xae") + std::string(1, '\0') + "\"");
  CHECK(d.items()[0].Render() ==
        "f.yaml:1:2: error: Pod \"x\\x1b[2J\": spec: bad value \"\\u202e\\x00\"");
}

TEST_CASE("invalid UTF-8 is replaced, byte by byte, for JSON") {
  CHECK(ReplaceInvalidUtf8("ok\xff\xfe!") == "ok\xef\xbf\xbd\xef\xbf\xbd!");
  CHECK(ReplaceInvalidUtf8("caf\xc3\xa9") == "caf\xc3\xa9");
  CHECK(FindInvalidUtf8("\xed\xa0\x80") == std::size_t{0});  // a surrogate
}

}  // namespace
}  // namespace ptsim
