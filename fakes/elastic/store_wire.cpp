#include "fakes/elastic/store_wire.hpp"

#include <fmt/format.h>

#include <array>
#include <cstring>
#include <optional>

namespace ptsim::elastic::wire {

namespace {

// Query type bytes, in enum order (torch/csrc/distributed/c10d/TCPStore.cpp of torch 1.13;
// torch/csrc/distributed/c10d/TCPStoreBackend.hpp of 2.x).
constexpr std::array<Op, 9> kOps13 = {Op::kSet,        Op::kCompareSet, Op::kGet,
                                      Op::kAdd,        Op::kCheck,      Op::kWait,
                                      Op::kGetNumKeys, Op::kWatchKey,   Op::kDeleteKey};
constexpr std::array<Op, 17> kOps2 = {
    Op::kValidate,   Op::kSet,        Op::kCompareSet, Op::kGet,      Op::kAdd,      Op::kCheck,
    Op::kWait,       Op::kGetNumKeys, Op::kDeleteKey,  Op::kAppend,   Op::kMultiGet, Op::kMultiSet,
    Op::kCancelWait, Op::kPing,       Op::kQueuePush,  Op::kQueuePop, Op::kQueueLen};

class Reader {
 public:
  Reader(Dialect d, std::string_view buf) : dialect_(d), buf_(buf) {}
  // Each read: true when done; false when more bytes are needed or the input
  // is malformed (error() says which).
  template <typename T>
  bool Value(T* out) {
    if (buf_.size() - pos_ < sizeof(T)) return false;
    std::memcpy(out, buf_.data() + pos_, sizeof(T));  // little-endian, as x86 clients send
    pos_ += sizeof(T);
    return true;
  }
  bool String(std::string* out, bool is_key) {
    std::uint64_t n = 0;
    if (!Value(&n)) return false;
    const std::uint64_t limit =
        dialect_ == Dialect::kTorch2 ? (is_key ? kMaxKey2 : kMaxPayload2) : kMaxPayload13;
    if (n > limit) {
      error_ = fmt::format("{} of {} bytes is over the limit of {}", is_key ? "a key" : "a value",
                           n, limit);
      return false;
    }
    if (buf_.size() - pos_ < n) return false;
    out->assign(buf_.data() + pos_, n);
    pos_ += n;
    return true;
  }
  bool Count(std::uint64_t* n) {
    if (!Value(n)) return false;
    const std::uint64_t limit = dialect_ == Dialect::kTorch2 ? kMaxKeyCount2 : kMaxPayload13 / 8;
    if (*n > limit) {
      error_ = fmt::format("a count of {} keys is over the limit of {}", *n, limit);
      return false;
    }
    return true;
  }
  std::size_t pos() const { return pos_; }
  const std::string& error() const { return error_; }

 private:
  Dialect dialect_;
  std::string_view buf_;
  std::size_t pos_ = 0;
  std::string error_;
};

std::optional<Op> OpOf(Dialect d, std::uint8_t byte) {
  if (d == Dialect::kTorch1_13) {
    if (byte < kOps13.size()) return kOps13[byte];
  } else if (byte < kOps2.size()) {
    return kOps2[byte];
  }
  return std::nullopt;
}

// Reads the arguments of `r.op`; false when incomplete or malformed.
bool ReadArgs(Reader& in, Request& r) {
  std::string s;
  std::uint64_t n = 0;
  switch (r.op) {
    case Op::kValidate:
    case Op::kPing:
      return in.Value(&r.number);
    case Op::kGetNumKeys:
    case Op::kCancelWait:
      return true;
    case Op::kGet:
    case Op::kWatchKey:
    case Op::kDeleteKey:
    case Op::kQueuePop:
    case Op::kQueueLen:
      if (!in.String(&s, true)) return false;
      r.keys.push_back(s);
      return true;
    case Op::kSet:
    case Op::kAppend:
    case Op::kQueuePush:
      if (!in.String(&s, true)) return false;
      r.keys.push_back(s);
      if (!in.String(&s, false)) return false;
      r.values.push_back(s);
      return true;
    case Op::kCompareSet:
      if (!in.String(&s, true)) return false;
      r.keys.push_back(s);
      for (int i = 0; i < 2; ++i) {
        if (!in.String(&s, false)) return false;
        r.values.push_back(s);
      }
      return true;
    case Op::kAdd:
      if (!in.String(&s, true)) return false;
      r.keys.push_back(s);
      return in.Value(&r.delta);
    case Op::kCheck:
    case Op::kWait:
    case Op::kMultiGet:
    case Op::kMultiSet:
      if (!in.Count(&n)) return false;
      for (std::uint64_t i = 0; i < n; ++i) {
        if (!in.String(&s, true)) return false;
        r.keys.push_back(s);
        if (r.op == Op::kMultiSet) {
          if (!in.String(&s, false)) return false;
          r.values.push_back(s);
        }
      }
      return true;
  }
  return false;
}

}  // namespace

Dialect DetectDialect(std::string_view head) {
  if (head.empty()) return Dialect::kUnknown;
  // A torch 2 client opens with VALIDATE (0) and the magic; torch 1.13 has no
  // handshake, and its SET (also 0) is followed by a key length whose low four
  // bytes would have to be the magic: a key of about 1 GB.
  if (static_cast<std::uint8_t>(head[0]) != 0) return Dialect::kTorch1_13;
  if (head.size() < 5) return Dialect::kUnknown;
  std::uint32_t magic = 0;
  std::memcpy(&magic, head.data() + 1, sizeof magic);
  return magic == kValidationMagic ? Dialect::kTorch2 : Dialect::kTorch1_13;
}

Parsed ParseRequest(Dialect dialect, std::string_view buffer) {
  Parsed p;
  if (buffer.empty()) return p;
  const auto byte = static_cast<std::uint8_t>(buffer[0]);
  auto op = OpOf(dialect, byte);
  if (!op) {
    p.status = Parsed::Status::kMalformed;
    p.error = fmt::format("unknown query type {}", byte);
    return p;
  }
  Reader in(dialect, buffer.substr(1));
  p.request.op = *op;
  if (!ReadArgs(in, p.request)) {
    if (!in.error().empty()) {
      p.status = Parsed::Status::kMalformed;
      p.error = fmt::format("{}: {}", OpName(*op), in.error());
    }
    return p;
  }
  if (*op == Op::kValidate && p.request.number != kValidationMagic) {
    p.status = Parsed::Status::kMalformed;
    p.error = fmt::format("VALIDATE with magic {:#x}", p.request.number);
    return p;
  }
  p.status = Parsed::Status::kRequest;
  p.consumed = 1 + in.pos();
  return p;
}

std::string_view OpName(Op op) {
  static constexpr std::array<std::string_view, 18> kNames = {
      "VALIDATE",  "SET",         "COMPARE_SET", "GET",        "ADD",       "CHECK",
      "WAIT",      "GETNUMKEYS",  "WATCH_KEY",   "DELETE_KEY", "APPEND",    "MULTI_GET",
      "MULTI_SET", "CANCEL_WAIT", "PING",        "QUEUE_PUSH", "QUEUE_POP", "QUEUE_LEN"};
  return kNames[static_cast<std::size_t>(op)];
}

void PutU8(std::string* out, std::uint8_t v) {
  out->push_back(static_cast<char>(v));
}

void PutU32(std::string* out, std::uint32_t v) {
  out->append(reinterpret_cast<const char*>(&v), sizeof v);
}

void PutU64(std::string* out, std::uint64_t v) {
  out->append(reinterpret_cast<const char*>(&v), sizeof v);
}

void PutI64(std::string* out, std::int64_t v) {
  out->append(reinterpret_cast<const char*>(&v), sizeof v);
}

void PutBytes(std::string* out, std::string_view bytes) {
  PutU64(out, bytes.size());
  out->append(bytes);
}

int QueryByte(Dialect dialect, Op op) {
  if (dialect == Dialect::kTorch1_13) {
    for (std::size_t i = 0; i < kOps13.size(); ++i)
      if (kOps13[i] == op) return static_cast<int>(i);
    return -1;
  }
  for (std::size_t i = 0; i < kOps2.size(); ++i)
    if (kOps2[i] == op) return static_cast<int>(i);
  return -1;
}

}  // namespace ptsim::elastic::wire
