// A job of some kind (a PyTorchJob today; a TrainJob, JobSet or batch/v1 Job
// next) as the harness carries it: AnyJob is one immutable object of a job
// kind, type-erased and shared, with the ObjectMeta every kind has;
// PlannedJob is a job of a RunPlan — its JobKind (job_kind.hpp), the typed
// object as decoded (no defaults applied), the spec as submitted and where
// each field was written. Plain data; copies share the immutable object.
#pragma once

#include <nlohmann/json.hpp>

#include <any>
#include <memory>
#include <string>

#include "sim/model/object_meta.hpp"
#include "sim/model/pytorchjob_codec.hpp"

namespace ptsim {

class JobKind;

class AnyJob {
 public:
  AnyJob() = default;
  template <typename T>
  explicit AnyJob(std::shared_ptr<const T> object)
      : object_(object), metadata_(object ? &object->metadata : nullptr) {}

  // The object when it is a T, else null.
  template <typename T>
  const T* As() const {
    const auto* p = std::any_cast<std::shared_ptr<const T>>(&object_);
    return p ? p->get() : nullptr;
  }
  // REQUIRES: the AnyJob holds an object.
  const ObjectMeta& metadata() const { return *metadata_; }
  explicit operator bool() const { return metadata_ != nullptr; }

 private:
  std::any object_;  // std::shared_ptr<const T>
  const ObjectMeta* metadata_ = nullptr;
};

struct PlannedJob {
  const JobKind* kind = nullptr;  // one of JobKinds(); never null in a loaded plan
  AnyJob object;                  // as decoded: no defaults applied
  nlohmann::json spec;            // the spec as submitted, for the report
  FieldLocations locations;       // where each field was written

  const std::string& name() const { return object.metadata().name; }
  const std::string& namespace_() const { return object.metadata().namespace_; }
  template <typename T>
  const T* As() const {
    return object.As<T>();
  }
};

}  // namespace ptsim
