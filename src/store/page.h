// Page<T>: one page of a list plus the number of items across all pages.
#pragma once

#include <cstdint>
#include <vector>

namespace orgd::store {

template <class T>
struct Page {
  std::vector<T> data;
  int64_t total_count = 0;
};

enum class SortDirection { kAscending, kDescending };

}  // namespace orgd::store
