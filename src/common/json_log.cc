#include "common/json_log.h"

#include <fmt/format.h>

#include "common/utf8.h"

namespace orgd {

void AppendJsonString(std::string& out, std::string_view s) {
  std::string valid;
  if (!IsValidUtf8(s)) {
    valid = ToValidUtf8(s);
    s = valid;
  }
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          fmt::format_to(std::back_inserter(out), "\\u{:04x}", static_cast<unsigned char>(c));
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

void AppendJsonField(std::string& out, std::string_view key, std::string_view value) {
  if (!out.empty() && out.back() != kLogFieldsMarker) out += ',';
  AppendJsonString(out, key);
  out += ':';
  AppendJsonString(out, value);
}

void AppendJsonField(std::string& out, std::string_view key, int64_t value) {
  if (!out.empty() && out.back() != kLogFieldsMarker) out += ',';
  AppendJsonString(out, key);
  fmt::format_to(std::back_inserter(out), ":{}", value);
}

}  // namespace orgd
