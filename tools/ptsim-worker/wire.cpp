#include "tools/ptsim-worker/wire.hpp"

#include <fmt/format.h>

#include <bit>
#include <cstring>

namespace ptsim::worker {
namespace {

class Writer {
 public:
  void U32(std::uint32_t v) { Bytes(v, 4); }
  void U64(std::uint64_t v) { Bytes(v, 8); }
  void I64(std::int64_t v) { U64(static_cast<std::uint64_t>(v)); }
  void F64(double v) { U64(std::bit_cast<std::uint64_t>(v)); }
  std::vector<std::uint8_t> Take() { return std::move(out_); }

 private:
  void Bytes(std::uint64_t v, int n) {
    for (int i = 0; i < n; ++i)
      out_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  std::vector<std::uint8_t> out_;
};

// Reads little-endian values; after a short read every value is 0 and ok() is false.
class Reader {
 public:
  explicit Reader(std::span<const std::uint8_t> in) : in_(in) {}
  std::uint32_t U32() { return static_cast<std::uint32_t>(Bytes(4)); }
  std::uint64_t U64() { return Bytes(8); }
  std::int64_t I64() { return static_cast<std::int64_t>(U64()); }
  double F64() { return std::bit_cast<double>(U64()); }
  std::size_t remaining() const { return in_.size() - pos_; }
  bool ok() const { return ok_; }

 private:
  std::uint64_t Bytes(std::size_t n) {
    if (remaining() < n) {
      ok_ = false;
      pos_ = in_.size();
      return 0;
    }
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < n; ++i)
      v |= static_cast<std::uint64_t>(in_[pos_ + i]) << (8 * i);
    pos_ += n;
    return v;
  }
  std::span<const std::uint8_t> in_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

void WriteVector(Writer& w, const std::vector<double>& values) {
  w.U64(values.size());
  for (double v : values)
    w.F64(v);
}

bool ReadVector(Reader& r, std::vector<double>& values) {
  const std::uint64_t n = r.U64();
  if (!r.ok() || n != r.remaining() / 8 || r.remaining() % 8 != 0) return false;
  values.resize(n);
  for (double& v : values)
    v = r.F64();
  return r.ok();
}

Error Malformed(std::string_view what) {
  return Error{fmt::format("protocol error: malformed {} message", what)};
}

}  // namespace

std::string MessageName(MessageType type) {
  switch (type) {
    case MessageType::kHello:
      return "hello";
    case MessageType::kWelcome:
      return "welcome";
    case MessageType::kGradient:
      return "gradient";
    case MessageType::kReduced:
      return "reduced-gradient";
  }
  return fmt::format("unknown ({})", static_cast<std::uint32_t>(type));
}

std::vector<std::uint8_t> EncodeFrame(MessageType type, std::span<const std::uint8_t> payload) {
  Writer w;
  w.U32(kFrameMagic);
  w.U32(static_cast<std::uint32_t>(type));
  w.U64(payload.size());
  std::vector<std::uint8_t> out = w.Take();
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

Result<FrameHeader> DecodeFrameHeader(std::span<const std::uint8_t> header) {
  Reader r(header.first(kFrameHeaderSize));
  const std::uint32_t magic = r.U32();
  FrameHeader out;
  out.type = static_cast<MessageType>(r.U32());
  out.length = r.U64();
  if (magic != kFrameMagic) {
    return Error{"protocol error: the peer is not a ptsim-worker (bad frame magic)"};
  }
  if (out.length > kMaxPayload) {
    return Error{fmt::format("protocol error: a {}-byte message is over the {}-byte limit",
                             out.length, kMaxPayload)};
  }
  return out;
}

std::vector<std::uint8_t> EncodeHello(const Hello& hello) {
  Writer w;
  w.U32(static_cast<std::uint32_t>(hello.rank));
  w.U32(static_cast<std::uint32_t>(hello.world_size));
  w.U32(static_cast<std::uint32_t>(hello.dim));
  w.I64(hello.steps);
  w.F64(hello.lr);
  return w.Take();
}

std::vector<std::uint8_t> EncodeWelcome(const Welcome& welcome) {
  Writer w;
  w.I64(welcome.start_step);
  w.U32(welcome.resumed ? 1 : 0);
  w.F64(welcome.loss);
  WriteVector(w, welcome.params);
  return w.Take();
}

std::vector<std::uint8_t> EncodeStepValues(const StepValues& values) {
  Writer w;
  w.I64(values.step);
  w.F64(values.loss);
  WriteVector(w, values.values);
  return w.Take();
}

Result<Hello> DecodeHello(std::span<const std::uint8_t> payload) {
  Reader r(payload);
  Hello hello;
  hello.rank = static_cast<int>(r.U32());
  hello.world_size = static_cast<int>(r.U32());
  hello.dim = static_cast<int>(r.U32());
  hello.steps = r.I64();
  hello.lr = r.F64();
  if (!r.ok() || r.remaining() != 0) return Malformed("hello");
  return hello;
}

Result<Welcome> DecodeWelcome(std::span<const std::uint8_t> payload) {
  Reader r(payload);
  Welcome welcome;
  welcome.start_step = r.I64();
  welcome.resumed = r.U32() != 0;
  welcome.loss = r.F64();
  if (!ReadVector(r, welcome.params)) return Malformed("welcome");
  return welcome;
}

Result<StepValues> DecodeStepValues(std::span<const std::uint8_t> payload) {
  Reader r(payload);
  StepValues values;
  values.step = r.I64();
  values.loss = r.F64();
  if (!ReadVector(r, values.values)) return Malformed("step");
  return values;
}

}  // namespace ptsim::worker
