// Errors as values for ptsim-worker: a Result<T> holds either a value or the
// message that explains why there is none, and Status is a Result with no
// value. Messages say what was wrong and where (a flag, a variable, a file, a
// peer) so that callers can print them as they are. Plain data; any thread.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace ptsim::worker {

struct Error {
  std::string message;
};

template <typename T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : state_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // REQUIRES: ok()
  const T& value() const& { return std::get<0>(state_); }
  T& value() & { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }

  // REQUIRES: !ok()
  const std::string& error() const { return std::get<1>(state_).message; }

 private:
  std::variant<T, Error> state_;
};

struct Ok {};
using Status = Result<Ok>;

}  // namespace ptsim::worker
