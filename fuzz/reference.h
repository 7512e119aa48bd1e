// Plain re-statements of contracts that several fuzz targets check orgd's code against, written
// from the headers' words rather than from the implementations.
#pragma once

#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "common/utf8.h"

namespace orgd::fuzz {

// http::PercentDecode's contract: %XX escapes decoded; nullopt for a malformed escape, or a
// result that holds a NUL or is not UTF-8.
inline std::optional<std::string> ReferencePercentDecode(std::string_view s) {
  auto hex = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out.push_back(s[i]);
      continue;
    }
    if (s.size() - i < 3 || hex(s[i + 1]) < 0 || hex(s[i + 2]) < 0) return std::nullopt;
    out.push_back(static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2])));
    i += 2;
  }
  if (out.find('\0') != std::string::npos || !IsValidUtf8(out)) return std::nullopt;
  return out;
}

// True when every key and string in `v`, at any depth, is UTF-8: what the services and the
// stores may be handed (PostgreSQL refuses anything else).
inline bool AllTextUtf8(const boost::json::value& v) {
  if (const auto* s = v.if_string()) return IsValidUtf8(*s);
  if (const auto* a = v.if_array()) {
    for (const auto& item : *a) {
      if (!AllTextUtf8(item)) return false;
    }
  }
  if (const auto* o = v.if_object()) {
    for (const auto& [key, item] : *o) {
      if (!IsValidUtf8(key) || !AllTextUtf8(item)) return false;
    }
  }
  return true;
}

}  // namespace orgd::fuzz
