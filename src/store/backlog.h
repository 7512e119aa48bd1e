// Backlog: how much of a queue in the store waits, and since when (for /readyz and the metrics).
#pragma once

#include <cstdint>
#include <optional>

namespace orgd::store {

struct Backlog {
  int64_t count = 0;
  std::optional<int64_t> oldest;  // ms: when the longest-waiting entry became due; absent if none
};

}  // namespace orgd::store
