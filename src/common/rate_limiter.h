// RateLimiter: counts requests per key in fixed windows ("5 per 10 seconds", as Clerk states its
// limits) and says when a key is over its limit and for how long.
//
// A window starts with a key's first request and lasts `window`; the request past `limit` in it is
// refused until the window ends, which is what Clerk's "a 429 blocks that endpoint until the
// Retry-After seconds have passed" describes. Memory is bounded: keys live in shards of at most
// kMaxKeysPerShard; a full shard first drops its expired windows, and when every window in it is
// still open a new key is let through uncounted (an attacker who can present that many addresses
// at once is not stopped by a counter table anyway; the limit keeps working for the keys it has).
//
// Thread safety: Take() may be called from any thread; each shard has its own mutex, held for one
// hash lookup.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/clock.h"

namespace orgd {

class RateLimiter {
 public:
  static constexpr size_t kShards = 16;
  static constexpr size_t kMaxKeysPerShard = 16384;

  // REQUIRES: `clock` outlives the limiter. `max_keys_per_shard` is for tests.
  explicit RateLimiter(const Clock& clock, size_t max_keys_per_shard = kMaxKeysPerShard)
      : clock_(clock), max_keys_per_shard_(max_keys_per_shard) {}

  // Counts one request for `key`. Returns 0 when it is within `limit` per `window`, else the
  // whole seconds (at least 1) until the key's window ends.
  int64_t Take(std::string_view key, int64_t limit, std::chrono::milliseconds window);

  // Keys currently held (for tests and metrics).
  size_t Size() const;

 private:
  struct Window {
    int64_t ends_at_ms = 0;
    int64_t count = 0;
  };
  struct Shard {
    mutable std::mutex mu;
    std::unordered_map<std::string, Window> windows;  // GUARDED_BY(mu)
  };

  const Clock& clock_;
  const size_t max_keys_per_shard_;
  std::array<Shard, kShards> shards_;
};

}  // namespace orgd
