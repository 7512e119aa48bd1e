// TicketOf: the __clerk_ticket parameter of an invitation's accept link, for tests.
#pragma once

#include <string>

namespace orgd::testing {

inline std::string TicketOf(const std::string& url) {
  const std::string key = "__clerk_ticket=";
  size_t at = url.find(key);
  if (at == std::string::npos) return "";
  at += key.size();
  return url.substr(at, url.find('&', at) - at);
}

}  // namespace orgd::testing
