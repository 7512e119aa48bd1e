#include "common/ids.h"

#include "common/random.h"

namespace orgd {
namespace {

constexpr char kBase62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

bool IsBase62(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

}  // namespace

std::string EncodeIdBody(int64_t millis, const uint8_t (&random14)[14]) {
  uint8_t num[20];
  for (int i = 0; i < 6; ++i) num[i] = static_cast<uint8_t>(millis >> (8 * (5 - i)));
  for (int i = 0; i < 14; ++i) num[6 + i] = random14[i];

  // Long division of the 160-bit big-endian number by 62, least significant digit first.
  std::string out(kIdBodyLength, '0');
  for (size_t pos = kIdBodyLength; pos-- > 0;) {
    uint32_t rem = 0;
    for (uint8_t& byte : num) {
      uint32_t acc = (rem << 8) | byte;
      byte = static_cast<uint8_t>(acc / 62);
      rem = acc % 62;
    }
    out[pos] = kBase62[rem];
  }
  return out;
}

std::string RandomIdGenerator::New(std::string_view prefix) {
  uint8_t random14[14];
  FillRandom(random14);
  std::string id;
  id.reserve(prefix.size() + 1 + kIdBodyLength);
  id.append(prefix);
  id.push_back('_');
  id.append(EncodeIdBody(clock_.NowMillis(), random14));
  return id;
}

bool LooksLikeId(std::string_view id, std::string_view prefix) {
  if (id.size() <= prefix.size() + 1 || id.substr(0, prefix.size()) != prefix ||
      id[prefix.size()] != '_') {
    return false;
  }
  for (char c : id.substr(prefix.size() + 1)) {
    if (!IsBase62(c)) return false;
  }
  return true;
}

}  // namespace orgd
