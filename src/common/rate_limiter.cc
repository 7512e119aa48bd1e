#include "common/rate_limiter.h"

#include <functional>

namespace orgd {

int64_t RateLimiter::Take(std::string_view key, int64_t limit, std::chrono::milliseconds window) {
  const int64_t now = clock_.NowMillis();
  Shard& shard = shards_[std::hash<std::string_view>{}(key) % kShards];
  std::lock_guard lock(shard.mu);
  auto it = shard.windows.find(std::string(key));
  if (it == shard.windows.end()) {
    if (shard.windows.size() >= max_keys_per_shard_) {
      std::erase_if(shard.windows,
                    [now](const auto& entry) { return entry.second.ends_at_ms <= now; });
      if (shard.windows.size() >= max_keys_per_shard_) return 0;
    }
    it = shard.windows.emplace(std::string(key), Window{}).first;
  }
  Window& w = it->second;
  if (w.ends_at_ms <= now) w = Window{now + window.count(), 0};
  if (w.count >= limit) return std::max<int64_t>(1, (w.ends_at_ms - now + 999) / 1000);
  ++w.count;
  return 0;
}

size_t RateLimiter::Size() const {
  size_t n = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard lock(shard.mu);
    n += shard.windows.size();
  }
  return n;
}

}  // namespace orgd
