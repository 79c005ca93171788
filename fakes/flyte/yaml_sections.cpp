#include "fakes/flyte/yaml_sections.hpp"

namespace ptsim::flyte {
namespace {

void ParsePodTemplate(YamlDocument* doc, YamlMap& m, PodTemplate* t) {
  if (auto v = m.String("primary_container_name")) t->primary_container_name = *v;
  t->labels = m.StringMap("labels");
  t->annotations = m.StringMap("annotations");
  if (auto spec = m.Node("pod_spec")) {
    if (spec->IsMap()) {
      t->pod_spec = YamlDocument::ToJson(*spec);
    } else {
      doc->Error(*spec, m.Path("pod_spec"), "expected a mapping (a Kubernetes PodSpec)");
    }
  }
  m.Finish();
}

}  // namespace

std::optional<Resources> ParseResources(YamlDocument* doc, YamlMap& parent,
                                        const std::string& key) {
  auto m = parent.Map(key);
  if (!m) return std::nullopt;
  Resources r;
  auto field = [&](const char* name, std::optional<ResourceValue>* out) {
    auto v = m->Node(name);
    if (!v) return;
    if (v->IsScalar()) {
      *out = ResourceValue(YamlDocument::Scalar(*v));
    } else if (v->IsSequence()) {
      std::vector<PyScalar> items;
      for (const auto& item : *v) {
        if (!item.IsScalar() && !item.IsNull()) {
          doc->Error(item, m->Path(name), "expected a value or a list of values");
          return;
        }
        items.push_back(YamlDocument::Scalar(item));
      }
      *out = ResourceValue::List(std::move(items));
    } else {
      doc->Error(*v, m->Path(name), "expected a value (\"1\", 500m, 2Gi) or a list of two values");
    }
  };
  field("cpu", &r.cpu);
  field("mem", &r.mem);
  field("gpu", &r.gpu);
  field("ephemeral_storage", &r.ephemeral_storage);
  m->Finish();
  return r;
}

void ParseTaskSection(YamlDocument* doc, YamlMap& m, TaskDecorator* t) {
  if (auto v = m.String("name")) t->id.name = *v;
  if (auto v = m.String("project")) t->id.project = *v;
  if (auto v = m.String("domain")) t->id.domain = *v;
  if (auto v = m.String("version")) t->id.version = *v;
  if (auto v = m.String("image")) t->container_image = *v;
  if (auto v = m.StringList("command")) t->command = *v;
  if (auto v = m.StringList("args")) t->args = *v;
  if (auto env = m.Node("env")) {
    if (!env->IsMap()) {
      doc->Error(*env, m.Path("env"), "expected a mapping of strings");
    } else {
      for (const auto& kv : *env) {  // in file order, like a Python dict
        if (!kv.second.IsScalar()) {
          doc->Error(kv.second, m.Path("env") + "." + kv.first.Scalar(), "expected a string");
          continue;
        }
        t->environment.emplace_back(kv.first.Scalar(), kv.second.Scalar());
      }
    }
  }
  t->requests = ParseResources(doc, m, "requests");
  t->limits = ParseResources(doc, m, "limits");
  if (auto v = m.Node("shared_memory")) {
    PyScalar s = v->IsScalar() ? YamlDocument::Scalar(*v) : PyScalar::None();
    if (s.type == PyScalar::Type::kBool) {
      t->shared_memory = s.text == "True";
    } else if (s.type == PyScalar::Type::kStr) {
      t->shared_memory = s.text;
    } else {
      doc->Error(*v, m.Path("shared_memory"), "expected true, false or a size such as \"2Gi\"");
    }
  }
  if (auto pod = m.Map("pod_template")) {
    t->pod_template.emplace();
    ParsePodTemplate(doc, *pod, &*t->pod_template);
  }
  if (auto v = m.Node("accelerator")) {
    GpuAccelerator a;
    if (v->IsScalar()) {
      a.device = v->Scalar();
    } else if (auto am = m.Map("accelerator")) {
      if (auto d = am->String("device")) a.device = *d;
      a.partition_size = am->String("partition_size");
      if (auto u = am->Bool("unpartitioned")) a.unpartitioned = *u;
      am->Finish();
    }
    t->accelerator = a;
  }
  t->labels = m.StringMap("labels");
  t->annotations = m.StringMap("annotations");
  if (auto v = m.Node("retries")) {
    auto n = m.Int("retries");
    // RetryStrategy.retries is a uint32.
    if (n && (*n < 0 || *n > 4294967295LL)) {
      doc->Error(*v, m.Path("retries"), "Value out of range: " + std::to_string(*n));
    } else if (n) {
      t->retries = *n;
    }
  }
  m.Finish();
}

}  // namespace ptsim::flyte
