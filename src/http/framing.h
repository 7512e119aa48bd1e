// Framing rules that Beast's parser leaves to its user, checked on a request's header before any
// byte of its body is read: how the body is delimited (RFC 9112 §6) and the headers that decide
// how a request is handled, which may appear only once. A request that breaks them is answered
// and the connection closed, so nothing after the header can be read as a second request
// ("request smuggling" through a coding or a length that two parsers see differently).
//
// Pure functions of the header; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "http/request.h"

namespace orgd::http {

struct FramingCheck {
  enum class Verdict {
    kOk,
    kBadRequest,      // 400: faulty framing or a repeated singleton header
    kNotImplemented,  // 501: a transfer coding orgd does not decode (RFC 9112 §6.1)
  };
  Verdict verdict = Verdict::kOk;
  // Why, in words safe to show the client: fixed text and header names orgd knows, never a
  // value from the request.
  std::string reason;
};

// Headers that decide authentication, framing, content negotiation or the API version: a request
// that carries one of them twice is refused, since two components could each read a different one
// (the proxy checks the first Authorization, the server the second).
inline constexpr std::string_view kSingletonHeaders[] = {
    "authorization",
    "content-length",
    "content-type",
    "transfer-encoding",
    "clerk-api-version",
    "host",
    "expect",
    "x-request-id",
    "origin",
};

// Checks one request header. `version` is 10 or 11; `headers` have lowercase names.
//  - a singleton header more than once: kBadRequest;
//  - Transfer-Encoding on HTTP/1.0 (RFC 9112 §6.1: faulty framing): kBadRequest;
//  - Transfer-Encoding together with Content-Length (§6.1): kBadRequest;
//  - a Transfer-Encoding whose codings are not exactly `chunked`: kBadRequest when chunked is
//    not the last coding or appears twice (§6.3), kNotImplemented for any other coding (gzip,
//    identity, an unknown name): orgd decodes chunked only;
//  - otherwise kOk.
FramingCheck CheckFraming(unsigned version, const std::vector<HeaderField>& headers);

// True when `bytes` hold a line feed not preceded by a carriage return. HTTP/1.1 lines (request
// line, fields, chunk sizes, trailers) end in CRLF; orgd does not accept a bare LF (RFC 9112
// §2.2 allows either) because a peer that does is then reading a different message.
bool HasBareLineFeed(std::string_view bytes);

}  // namespace orgd::http
