#include "common/random.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "common/base64.h"
#include "common/hex.h"

namespace orgd {
namespace {

void DrawFromOpenSsl(std::span<uint8_t> out) {
  if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1) {
    std::fputs("orgd: OpenSSL RAND_bytes failed; refusing to continue\n", stderr);
    std::abort();
  }
}

// Bytes drawn from OpenSSL ahead of use, one pool per thread. A RAND_bytes call costs a few
// microseconds whatever its size (measured: 7% of a create's CPU time went to the one 14-byte
// call for its ID), so small requests are served from 1 KiB drawn at once. Each byte is handed
// out once and wiped as it leaves the pool.
class RandomPool {
 public:
  void Fill(std::span<uint8_t> out) {
    size_t done = 0;
    while (done < out.size()) {
      if (next_ == bytes_.size()) {
        DrawFromOpenSsl(bytes_);
        next_ = 0;
      }
      size_t n = std::min(out.size() - done, bytes_.size() - next_);
      std::memcpy(out.data() + done, bytes_.data() + next_, n);
      OPENSSL_cleanse(bytes_.data() + next_, n);
      next_ += n;
      done += n;
    }
  }
  ~RandomPool() { OPENSSL_cleanse(bytes_.data(), bytes_.size()); }

 private:
  std::array<uint8_t, 1024> bytes_{};
  size_t next_ = bytes_.size();  // empty until first use
};

constexpr size_t kPooledMax = 64;  // larger requests (keys, secrets) go to OpenSSL directly

}  // namespace

void FillRandom(std::span<uint8_t> out) {
  if (out.size() > kPooledMax) {
    DrawFromOpenSsl(out);
    return;
  }
  thread_local RandomPool pool;
  pool.Fill(out);
}

std::string RandomBase62(size_t length) {
  static constexpr char kAlphabet[] =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::string out;
  out.reserve(length);
  uint8_t buf[64];
  while (out.size() < length) {
    FillRandom(buf);
    for (uint8_t b : buf) {
      // 248 = 4 * 62: rejecting larger bytes keeps every character equally likely.
      if (b < 248 && out.size() < length) out.push_back(kAlphabet[b % 62]);
    }
  }
  return out;
}

std::string RandomDigits(size_t length) {
  std::string out;
  while (out.size() < length) {
    std::array<uint8_t, 16> bytes;
    FillRandom(bytes);
    for (uint8_t b : bytes) {
      // 250 = 25 × 10: rejecting the top values keeps every digit equally likely.
      if (b < 250 && out.size() < length) out.push_back(static_cast<char>('0' + b % 10));
    }
  }
  return out;
}

std::string RandomBase64Url(size_t bytes) {
  std::vector<uint8_t> raw(bytes);
  FillRandom(raw);
  return Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(raw.data()), raw.size()));
}

std::string RandomHex(size_t bytes) {
  std::vector<uint8_t> raw(bytes);
  FillRandom(raw);
  return HexEncode(raw.data(), raw.size());
}

}  // namespace orgd
