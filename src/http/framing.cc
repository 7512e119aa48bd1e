#include "http/framing.h"

#include <algorithm>
#include <cctype>

namespace orgd::http {
namespace {

FramingCheck Refuse(FramingCheck::Verdict verdict, std::string reason) {
  return FramingCheck{verdict, std::move(reason)};
}

// The codings of a Transfer-Encoding value, in order; empty list elements are skipped as
// RFC 9110 §5.6.1 asks of recipients.
std::vector<std::string_view> Codings(std::string_view value) {
  std::vector<std::string_view> out;
  while (true) {
    size_t comma = value.find(',');
    std::string_view item = TrimOws(value.substr(0, comma));
    if (!item.empty()) out.push_back(item);
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace

FramingCheck CheckFraming(unsigned version, const std::vector<HeaderField>& headers) {
  for (std::string_view name : kSingletonHeaders) {
    size_t count = std::count_if(headers.begin(), headers.end(),
                                 [&](const HeaderField& h) { return h.name == name; });
    if (count > 1) {
      return Refuse(FramingCheck::Verdict::kBadRequest,
                    "The request has more than one " + std::string(name) + " header.");
    }
  }
  auto find = [&](std::string_view name) {
    return std::find_if(headers.begin(), headers.end(),
                        [&](const HeaderField& h) { return h.name == name; });
  };
  auto te = find("transfer-encoding");
  if (te == headers.end()) return {};
  if (version < 11) {
    return Refuse(FramingCheck::Verdict::kBadRequest,
                  "Transfer-Encoding is not allowed in an HTTP/1.0 request.");
  }
  if (find("content-length") != headers.end()) {
    return Refuse(FramingCheck::Verdict::kBadRequest,
                  "A request may not have both Transfer-Encoding and Content-Length.");
  }
  std::vector<std::string_view> codings = Codings(te->value);
  if (codings.empty()) {
    return Refuse(FramingCheck::Verdict::kBadRequest, "Transfer-Encoding is empty.");
  }
  for (size_t i = 0; i < codings.size(); ++i) {
    if (EqualsIgnoreCase(codings[i], "chunked") && i + 1 != codings.size()) {
      return Refuse(FramingCheck::Verdict::kBadRequest,
                    "chunked must be the last transfer coding, and appear once.");
    }
  }
  if (codings.size() != 1 || !EqualsIgnoreCase(codings[0], "chunked")) {
    return Refuse(FramingCheck::Verdict::kNotImplemented,
                  "The only transfer coding orgd accepts is chunked.");
  }
  return {};
}

bool HasBareLineFeed(std::string_view bytes) {
  for (size_t i = bytes.find('\n'); i != std::string_view::npos; i = bytes.find('\n', i + 1)) {
    if (i == 0 || bytes[i - 1] != '\r') return true;
  }
  return false;
}

}  // namespace orgd::http
