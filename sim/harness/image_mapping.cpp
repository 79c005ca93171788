#include "sim/harness/image_mapping.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <map>

#include "sim/model/container_script.hpp"
#include "sim/model/yaml_file.hpp"

namespace ptsim {
namespace fs = std::filesystem;
namespace {

// A relative path resolved against `base`; absolute paths and $(VAR)
// references stay as they are.
std::string Resolve(const std::string& base, const std::string& path) {
  if (path.empty() || path.front() == '/' || path.find("$(") != std::string::npos) return path;
  return (fs::path(base) / path).lexically_normal().string();
}

// The program of a command line, when it is a path ("./train.sh",
// "bin/train"): resolved. A bare name ("python3") is looked up in PATH.
void ResolveProgram(const std::string& base, std::vector<std::string>* argv) {
  if (argv->empty()) return;
  std::string& program = argv->front();
  if (program.find('/') != std::string::npos) program = Resolve(base, program);
}

// An item of a YAML flow list, quoted where YAML would not read it back as
// this string (numbers, booleans, flow and comment characters).
std::string FlowItem(const std::string& item) {
  const bool number =
      !item.empty() && item.find_first_not_of("0123456789.eE+-") == std::string::npos;
  const bool special = item.empty() ||
                       item.find_first_of(",[]{}#&*!|>'\"%@`:") != std::string::npos ||
                       item.front() == ' ' || item.back() == ' ' || item == "true" ||
                       item == "false" || item == "null" || item == "~";
  if (!number && !special) return item;
  std::string out = "\"";
  for (char ch : item)
    out += ch == '"' || ch == '\\' ? std::string("\\") + ch : std::string(1, ch);
  return out + "\"";
}

std::string FormatList(const std::vector<std::string>& items) {
  std::vector<std::string> quoted;
  for (const auto& item : items)
    quoted.push_back(FlowItem(item));
  return fmt::format("[{}]", fmt::join(quoted, ", "));
}

void DecodeOne(DecodeContext& ctx, const std::string& ref, const YAML::Node& node,
               const std::string& path, const std::string& base_dir, ImageMapping* out) {
  if (IsAbsent(node)) {
    // `REF:` with nothing after it would run the container's own command,
    // which only `REF: {}` says on purpose.
    ctx.Error(node, path,
              "the mapping is empty (null): give `run`, `entrypoint`/`cmd` or `script`, or write "
              "`{}` to run the container's own command");
    return;
  }
  MapReader im(ctx, node, path);
  if (!im.ok()) return;
  // A key written with no value (`run:`) is a mistake, not "unset".
  for (const char* key : {"entrypoint", "cmd", "run", "workingDir", "env", "script"}) {
    const YAML::Node value = im.Get(key);  // a key present with no value is defined and null
    if (!value.IsDefined() || !IsAbsent(value)) continue;
    // At the key: yaml-cpp marks an empty value at the token after it.
    YAML::Node at = node;
    for (const auto& kv : node) {
      if (kv.first.Scalar() == key) at = kv.first;
    }
    ctx.Error(at, im.FieldPath(key),
              fmt::format("`{}` has no value (null): give one, or leave the key out", key));
  }
  ImageSpec& spec = out->spec;
  im.StringList("entrypoint", &spec.entrypoint);
  im.StringList("cmd", &spec.cmd);
  im.StringList("run", &spec.run);
  im.String("workingDir", &spec.working_dir);
  std::map<std::string, std::string> env;
  im.StringMap("env", &env);
  for (const auto& [k, v] : env)
    spec.env.push_back(k + "=" + v);
  im.String("script", &out->script_text);
  if (!out->script_text.empty()) {
    auto parsed = ParseContainerScript(out->script_text, ctx.Where(im.Get("script")), ctx.object());
    ctx.diagnostics().Append(parsed.diagnostics());
    if (parsed.ok()) spec.script = std::make_shared<const ContainerScript>(*parsed);
  }
  const int kinds = (spec.entrypoint.empty() && spec.cmd.empty() ? 0 : 1) +
                    (spec.run.empty() ? 0 : 1) + (out->script_text.empty() ? 0 : 1);
  if (kinds > 1) {
    ctx.Error(node, path, "give only one of `run`, `entrypoint`/`cmd` and `script`");
  }
  // Paths are relative to the file that holds the mapping (docs/scenarios.md).
  spec.base_dir = base_dir;
  spec.working_dir = Resolve(base_dir, spec.working_dir);
  ResolveProgram(base_dir, &spec.run);
  ResolveProgram(base_dir, spec.entrypoint.empty() ? &spec.cmd : &spec.entrypoint);
  out->ref = ref;
  out->where = ctx.Where(node);
}

std::string Origin(const SourceLocation& where) {
  if (where.line == 0) return where.file;
  return fmt::format("{}:{}:{}", where.file, where.line, where.column);
}

bool SameMapping(const ImageMapping& a, const ImageMapping& b) {
  return a.spec.entrypoint == b.spec.entrypoint && a.spec.cmd == b.spec.cmd &&
         a.spec.env == b.spec.env && a.spec.working_dir == b.spec.working_dir &&
         a.spec.run == b.spec.run && a.script_text == b.script_text;
}

}  // namespace

void DecodeImageMap(DecodeContext& ctx, const YAML::Node& images, const std::string& base_dir,
                    bool from_command_line, std::vector<ImageMapping>* out) {
  if (IsAbsent(images)) return;
  if (!images.IsMap()) {
    ctx.Error(images, "images", "expected a mapping from image reference to what it runs");
    return;
  }
  for (const auto& kv : images) {
    ImageMapping mapping;
    const std::string ref = kv.first.Scalar();
    if (ref.empty()) {
      ctx.Error(kv.first, "images", "an image reference cannot be empty");
      continue;
    }
    DecodeOne(ctx, ref, kv.second, KeyPath("images", ref), base_dir, &mapping);
    mapping.origin = Origin(mapping.where);
    mapping.from_command_line = from_command_line;
    out->push_back(std::move(mapping));
  }
}

Result<ImageMapping> ParseImageFlag(const std::string& text, const std::string& cwd) {
  Diagnostics diags;
  const std::string flag = fmt::format("--image '{}'", text);
  const auto eq = text.find('=');
  const std::string ref = eq == std::string::npos ? "" : text.substr(0, eq);
  if (ref.empty()) {
    diags.Error({flag, 0, 0}, "", "",
                "write REF={...}, the image reference and what it runs as a YAML flow mapping, "
                "e.g. --image 'trainer:v1={run: [python3, train.py]}'");
    return diags;
  }
  YAML::Node node;
  try {
    node = YAML::Load(text.substr(eq + 1));
  } catch (const YAML::Exception& e) {
    diags.Error({flag, 0, 0}, "", "",
                fmt::format("malformed YAML after \"{}=\" (column {}): {}; write e.g. "
                            "{{run: [python3, train.py], workingDir: src}}",
                            ref, e.mark.column + 1, e.msg));
    return diags;
  }
  if (!node.IsMap()) {
    diags.Error({flag, 0, 0}, "", "",
                fmt::format("expected a mapping after \"{}=\", such as {{run: [python3, "
                            "train.py]}}, {{entrypoint: [python3]}} or {{workingDir: src}}",
                            ref));
    return diags;
  }
  ImageMapping mapping;
  {
    DecodeContext ctx(flag, &diags);
    DecodeOne(ctx, ref, node, KeyPath("images", ref), cwd, &mapping);
  }
  // The line and column of a one-line flag say nothing the flag does not.
  Diagnostics out;
  for (Diagnostic d : diags.items()) {
    if (d.where.file == flag) d.where = {flag, 0, 0};
    out.Add(d);
  }
  if (!out.ok()) return out;
  mapping.where = {flag, 0, 0};
  mapping.origin = flag;
  mapping.from_command_line = true;
  return Result<ImageMapping>(std::move(mapping), std::move(out));
}

Result<std::vector<ImageMapping>> LoadImagesFile(const std::string& path, const std::string& cwd) {
  const std::string absolute = (fs::path(cwd) / path).lexically_normal().string();
  auto file = ReadYamlFile(absolute);
  if (!file.ok()) {
    Diagnostics d;
    for (const auto& item : file.diagnostics().items())
      d.Error({path, item.where.line, item.where.column}, "--images", "", item.message);
    return d;
  }
  Diagnostics diags;
  std::vector<ImageMapping> out;
  DecodeContext ctx(path, &diags);
  const auto& docs = file->documents;
  if (docs.size() != 1 || IsAbsent(docs[0])) {
    diags.Error({path, 0, 0}, "--images", "",
                "expected one YAML document holding `images:`, a mapping from image reference "
                "to what it runs");
    return diags;
  }
  {
    MapReader m(ctx, docs[0], "");
    if (m.ok()) {
      YAML::Node images = m.Get("images");
      if (IsAbsent(images) && docs[0].size() == 0) {  // other keys: reported as unknown
        ctx.Error(docs[0], "images", "Required value: the mappings go under `images:`");
      }
      DecodeImageMap(ctx, images, fs::path(absolute).parent_path().string(), true, &out);
      for (auto& mapping : out)
        mapping.from_library = true;
    }
  }
  if (!diags.ok()) return diags;
  return Result<std::vector<ImageMapping>>(std::move(out), std::move(diags));
}

void MergeImageMappings(const std::vector<ImageMapping>& more, std::vector<ImageMapping>* into,
                        Diagnostics* diagnostics) {
  for (const auto& m : more) {
    const ImageMapping* same_ref = nullptr;
    for (const auto& existing : *into) {
      if (existing.ref == m.ref) same_ref = &existing;
    }
    if (same_ref == nullptr) {
      into->push_back(m);
      continue;
    }
    if (SameMapping(*same_ref, m)) continue;
    diagnostics->Error(
        m.where, fmt::format("image \"{}\"", m.ref), "",
        fmt::format("mapped twice, differently: {} by {} and {} by {}; neither wins: remove one, "
                    "or make them the same",
                    DescribeImageSpec(*same_ref), same_ref->origin, DescribeImageSpec(m),
                    m.origin));
  }
}

std::string DescribeImageSpec(const ImageMapping& mapping) {
  const ImageSpec& s = mapping.spec;
  std::vector<std::string> parts;
  if (!s.run.empty()) parts.push_back("run: " + FormatList(s.run));
  if (!s.entrypoint.empty()) parts.push_back("entrypoint: " + FormatList(s.entrypoint));
  if (!s.cmd.empty()) parts.push_back("cmd: " + FormatList(s.cmd));
  if (!mapping.script_text.empty()) parts.push_back("script: " + FlowItem(mapping.script_text));
  if (!s.working_dir.empty()) parts.push_back("workingDir: " + s.working_dir);
  if (!s.env.empty()) {
    std::vector<std::string> env;
    for (const auto& entry : s.env) {
      const auto eq = entry.find('=');
      env.push_back(FlowItem(entry.substr(0, eq)) + ": " + FlowItem(entry.substr(eq + 1)));
    }
    parts.push_back(fmt::format("env: {{{}}}", fmt::join(env, ", ")));
  }
  return fmt::format("{{{}}}", fmt::join(parts, ", "));
}

}  // namespace ptsim
