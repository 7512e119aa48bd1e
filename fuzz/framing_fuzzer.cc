// Fuzzes the HTTP framing checks (http/framing.h) where the server applies them: on a request
// header that Beast's parser accepted, as http/server.cc reads it (header names lowercased), with
// the body then read by Beast as the server reads it.
//
// Input: the bytes a client sends on a connection (request line, fields, body, and whatever
// follows).
//
// Invariants: HasBareLineFeed finds exactly the LFs without a CR before them, and Beast never
// accepts a header holding one; whether a request is read, its verdict, its body and where the
// next request starts are the same when the bytes arrive at once or in pieces of 1-17 bytes;
// CheckFraming gives the verdict its contract states, with a reason that is fixed text (never the
// request's bytes); and when it passes a request, Beast delimits the body the way the check
// assumed: chunked exactly when Transfer-Encoding is present, else the Content-Length it was sent
// (or none) — so nothing of a body is ever read as the next request because orgd's check and
// Beast's parser disagreed.
#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cctype>
#include <charconv>
#include <set>
#include <string>
#include <vector>

#include "fuzz_check.h"
#include "http/framing.h"

namespace orgd::fuzz {
namespace {

namespace bhttp = boost::beast::http;
using http::FramingCheck;
using Verdict = FramingCheck::Verdict;

bool BareLineFeedReference(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r')) return true;
  }
  return false;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The verdict CheckFraming's contract states, written out from http/framing.h.
Verdict Expected(unsigned version, const std::vector<http::HeaderField>& headers) {
  auto count = [&](std::string_view name) {
    return std::count_if(headers.begin(), headers.end(),
                         [&](const http::HeaderField& h) { return h.name == name; });
  };
  for (std::string_view name : http::kSingletonHeaders) {
    if (count(name) > 1) return Verdict::kBadRequest;
  }
  auto te = std::find_if(headers.begin(), headers.end(),
                         [](const http::HeaderField& h) { return h.name == "transfer-encoding"; });
  if (te == headers.end()) return Verdict::kOk;
  if (version < 11 || count("content-length") > 0) return Verdict::kBadRequest;
  std::vector<std::string> codings;
  std::string_view rest = te->value;
  for (;;) {
    const size_t comma = rest.find(',');
    std::string_view item = Trim(rest.substr(0, comma));
    if (!item.empty()) {
      std::string lower(item);
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      codings.push_back(lower);
    }
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  if (codings.empty()) return Verdict::kBadRequest;
  const auto chunked = std::count(codings.begin(), codings.end(), "chunked");
  if (chunked > 1 || (chunked == 1 && codings.back() != "chunked")) return Verdict::kBadRequest;
  if (codings.size() != 1 || codings[0] != "chunked") return Verdict::kNotImplemented;
  return Verdict::kOk;
}

// The reasons CheckFraming may give: fixed sentences, and the names of singleton headers.
bool IsFixedReason(const std::string& reason) {
  static const std::set<std::string> kFixed = [] {
    std::set<std::string> s = {
        "Transfer-Encoding is not allowed in an HTTP/1.0 request.",
        "A request may not have both Transfer-Encoding and Content-Length.",
        "Transfer-Encoding is empty.",
        "chunked must be the last transfer coding, and appear once.",
        "The only transfer coding orgd accepts is chunked.",
    };
    for (std::string_view name : http::kSingletonHeaders) {
      s.insert("The request has more than one " + std::string(name) + " header.");
    }
    return s;
  }();
  return kFixed.contains(reason);
}

// A connection's bytes as the parser sees them: they arrive in pieces of `piece` bytes (all at
// once when 0), as reads from a socket return them, and what the parser took is gone.
struct Wire {
  std::string_view all;
  size_t piece = 0;
  size_t received = 0;
  size_t consumed = 0;

  std::string_view Unparsed() const { return all.substr(consumed, received - consumed); }
  // False when the client has sent everything: the server would wait.
  bool Receive() {
    if (received == all.size()) return false;
    received = piece == 0 ? all.size() : std::min(all.size(), received + piece);
    return true;
  }
};

enum class Fed { kDone, kWaiting, kRefused };

// Feeds `parser` from `wire` as the server's Feed() loop does, until `done` holds: kRefused when
// the parser fails (or throws) or the bytes it waits on hold a bare LF, kWaiting when it needs
// bytes the client has not sent.
template <class Parser, class Done>
Fed Feed(Parser& parser, Wire& wire, Done done) {
  for (;;) {
    if (done(parser)) return Fed::kDone;
    const std::string_view buffer = wire.Unparsed();
    if (!buffer.empty()) {
      boost::system::error_code ec;
      size_t used = 0;
      try {
        used = parser.put(boost::asio::const_buffer(buffer.data(), buffer.size()), ec);
      } catch (const std::exception&) {
        return Fed::kRefused;
      }
      wire.consumed += used;
      if (!ec && used > 0) continue;
      if (ec && ec != bhttp::error::need_more) return Fed::kRefused;
      if (done(parser)) return Fed::kDone;
      if (http::HasBareLineFeed(wire.Unparsed())) return Fed::kRefused;
    }
    if (!wire.Receive()) return Fed::kWaiting;
  }
}

// What the server makes of a connection's first request.
struct Outcome {
  Fed head = Fed::kWaiting;
  Verdict verdict = Verdict::kOk;
  Fed body = Fed::kWaiting;
  std::string body_bytes;
  size_t consumed = 0;  // where the next request would start

  bool operator==(const Outcome&) const = default;
};

// Reads the first request from `input`, arriving in pieces of `piece` bytes, checking the
// invariants on the way.
Outcome Read(std::string_view input, size_t piece) {
  Outcome out;
  Wire wire{input, piece};
  bhttp::request_parser<bhttp::empty_body> head;
  head.header_limit(16 * 1024);
  head.body_limit(boost::none);
  head.eager(false);
  out.head = Feed(head, wire, [](const auto& p) { return p.is_header_done(); });
  out.consumed = wire.consumed;
  if (out.head != Fed::kDone) return out;
  ORGD_FUZZ_CHECK(!http::HasBareLineFeed(input.substr(0, wire.consumed)));

  const auto& message = head.get();
  const unsigned version = message.version();
  std::vector<http::HeaderField> headers;
  for (const auto& field : message) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    headers.push_back({std::move(name), std::string(field.value())});
  }
  const FramingCheck check = http::CheckFraming(version, headers);
  out.verdict = check.verdict;
  ORGD_FUZZ_CHECK(check.verdict == Expected(version, headers));
  ORGD_FUZZ_CHECK(check.reason.empty() == (check.verdict == Verdict::kOk));
  if (check.verdict != Verdict::kOk) {
    ORGD_FUZZ_CHECK(IsFixedReason(check.reason));
    return out;
  }

  // A request orgd goes on with: Beast must frame its body as the check assumed.
  auto find = [&](std::string_view name) -> const http::HeaderField* {
    for (const auto& h : headers) {
      if (h.name == name) return &h;
    }
    return nullptr;
  };
  const http::HeaderField* te = find("transfer-encoding");
  const http::HeaderField* cl = find("content-length");
  ORGD_FUZZ_CHECK(head.chunked() == (te != nullptr));
  if (te != nullptr) {
    ORGD_FUZZ_CHECK(version >= 11 && cl == nullptr && !head.content_length());
  } else if (cl != nullptr) {
    // Beast took the value (else the header would have failed); it is the one length sent.
    ORGD_FUZZ_CHECK(head.content_length().has_value());
    std::string_view value = Trim(cl->value);
    uint64_t first = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), first);
    ORGD_FUZZ_CHECK(ec == std::errc() && *head.content_length() == first);
  } else {
    ORGD_FUZZ_CHECK(!head.content_length());
  }

  const uint64_t declared = te != nullptr ? 0 : head.content_length().value_or(0);
  // As the server does: a declared length over the route's limit is answered 413 before the body
  // parser exists, since string_body reserves the whole declared length when the body starts.
  constexpr uint64_t kBodyLimit = 1024 * 1024;
  if (declared > kBodyLimit) {
    out.body = Fed::kRefused;
    return out;
  }
  bhttp::request_parser<bhttp::string_body> body(std::move(head));
  body.body_limit(kBodyLimit);
  body.eager(true);
  out.body = Feed(body, wire, [](const auto& p) { return p.is_done(); });
  out.consumed = wire.consumed;
  if (out.body != Fed::kDone) return out;
  out.body_bytes = body.get().body();
  if (te == nullptr) {
    ORGD_FUZZ_CHECK(out.body_bytes.size() == declared);
    ORGD_FUZZ_CHECK(input.substr(out.consumed - declared, declared) == out.body_bytes);
  }
  return out;
}

}  // namespace
}  // namespace orgd::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace orgd;
  using namespace orgd::fuzz;
  const std::string_view input = AsText(data, size);
  ORGD_FUZZ_CHECK(http::HasBareLineFeed(input) == BareLineFeedReference(input));
  // However the bytes arrive, a request is read or not, with the same verdict and body, and the
  // next one starts at the same byte. (Beast reports a malformed header early when the bytes are
  // there at once, and waits for its end when they trickle in; so refused and waiting may differ
  // for a header or body the client never finishes.)
  const Outcome whole = Read(input, 0);
  const size_t piece = size == 0 ? 1 : 1 + data[size - 1] % 17;
  const Outcome split = Read(input, piece);
  ORGD_FUZZ_CHECK((whole.head == Fed::kDone) == (split.head == Fed::kDone));
  if (whole.head == Fed::kDone) {
    ORGD_FUZZ_CHECK(whole.verdict == split.verdict);
    ORGD_FUZZ_CHECK((whole.body == Fed::kDone) == (split.body == Fed::kDone));
  }
  if (whole.body == Fed::kDone) ORGD_FUZZ_CHECK(whole == split);
  return 0;
}
