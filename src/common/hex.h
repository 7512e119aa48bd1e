// Lowercase hexadecimal of bytes (key ids, HMACs, generated keys). Pure; thread-safe.
#pragma once

#include <cstddef>
#include <string>

namespace orgd {

inline std::string HexEncode(const unsigned char* bytes, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) {
    out.push_back(kDigits[bytes[i] >> 4]);
    out.push_back(kDigits[bytes[i] & 15]);
  }
  return out;
}

}  // namespace orgd
