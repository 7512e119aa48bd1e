#include "http/client_address.h"

#include <fmt/format.h>

#include <algorithm>

#include "http/request.h"

namespace orgd::http {
bool InRanges(std::string_view address, const std::vector<AddressRange>& ranges) {
  return std::any_of(ranges.begin(), ranges.end(),
                     [&](const AddressRange& r) { return r.Contains(address); });
}

std::string ClientAddress(std::string_view peer, const std::vector<std::string_view>& forwarded_for,
                          const std::vector<AddressRange>& trusted) {
  std::string client(peer);
  if (trusted.empty() || !InRanges(peer, trusted)) return client;
  std::vector<std::string_view> hops;
  for (std::string_view value : forwarded_for) {
    for (size_t start = 0; start <= value.size();) {
      size_t comma = value.find(',', start);
      if (comma == std::string_view::npos) comma = value.size();
      hops.push_back(TrimOws(value.substr(start, comma - start)));
      start = comma + 1;
    }
  }
  for (auto hop = hops.rbegin(); hop != hops.rend(); ++hop) {
    if (!ParseAddress(*hop)) break;
    client = std::string(*hop);
    if (!InRanges(*hop, trusted)) break;
  }
  return client;
}

std::string LimitKey(std::string_view address) {
  auto bytes = ParseAddress(address);
  if (!bytes) return std::string(address);
  static constexpr uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::equal(std::begin(kMapped), std::end(kMapped), bytes->begin())) {
    return fmt::format("{}.{}.{}.{}", (*bytes)[12], (*bytes)[13], (*bytes)[14], (*bytes)[15]);
  }
  const auto& b = *bytes;
  return fmt::format("{:x}:{:x}:{:x}:{:x}::/64", b[0] << 8 | b[1], b[2] << 8 | b[3],
                     b[4] << 8 | b[5], b[6] << 8 | b[7]);
}

}  // namespace orgd::http
