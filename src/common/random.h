// Cryptographically strong random bytes from OpenSSL's DRBG.
//
// Thread safety: safe to call from any thread (each thread draws from OpenSSL through its own
// pool of bytes; OpenSSL 3 keeps a DRBG per thread). orgd never forks: a forked child would
// inherit its parent's unused pooled bytes, unlike OpenSSL's own DRBG, which reseeds after fork.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace orgd {

// Fills `out` with random bytes. Aborts the process if the system's entropy source fails, since
// every secret and identifier orgd makes would be predictable after that.
void FillRandom(std::span<uint8_t> out);

// `length` characters drawn uniformly from [0-9A-Za-z].
std::string RandomBase62(size_t length);
// `length` decimal digits drawn uniformly (a one-time code).
std::string RandomDigits(size_t length);
// `bytes` random bytes as unpadded URL-safe base64 (secrets handed out once) or lowercase hex.
std::string RandomBase64Url(size_t bytes);
std::string RandomHex(size_t bytes);

}  // namespace orgd
