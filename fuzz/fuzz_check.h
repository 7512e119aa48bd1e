// What every fuzz target shares: a check that stops the run with the broken invariant named (an
// abort, which libFuzzer reports as a crash and saves the input of), the input as text, and the
// check that an error a parser returns renders as Clerk's error envelope.
#pragma once

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "api/error_response.h"
#include "common/error.h"

// Aborts with the condition's text when it is false. Active in every build type: a fuzz target is
// its invariants.
#define ORGD_FUZZ_CHECK(condition)                                                          \
  do {                                                                                      \
    if (!(condition)) {                                                                     \
      std::fprintf(stderr, "fuzz invariant failed: %s\n  at %s:%d\n", #condition, __FILE__, \
                   __LINE__);                                                               \
      std::abort();                                                                         \
    }                                                                                       \
  } while (0)

namespace orgd::fuzz {

inline std::string_view AsText(const uint8_t* data, size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

// Splits off the first line of `in` (without its '\n'); `in` keeps the rest. nullopt-free: a
// text without '\n' is all first line.
inline std::string_view TakeLine(std::string_view& in) {
  const size_t end = in.find('\n');
  std::string_view line = in.substr(0, end);
  in = end == std::string_view::npos ? std::string_view() : in.substr(end + 1);
  return line;
}

// An error that a parser of request bytes returns must be the client's fault (a 4xx with a Clerk
// code), and its envelope must be valid JSON (so valid UTF-8, whatever bytes it quotes) that
// names the same code and parameter.
inline void CheckClientError(const Error& error) {
  ORGD_FUZZ_CHECK(!error.clerk_code.empty());
  const int status = api::HttpStatus(error.code);
  ORGD_FUZZ_CHECK(status >= 400 && status < 500);
  http::Response response = api::ErrorResponse(error, "fuzz_request");
  ORGD_FUZZ_CHECK(response.status == status);
  boost::system::error_code ec;
  boost::json::value body = boost::json::parse(response.body, ec);
  ORGD_FUZZ_CHECK(!ec);
  const auto& entries = body.at("errors").as_array();
  ORGD_FUZZ_CHECK(entries.size() == 1);
  const auto& entry = entries[0].as_object();
  ORGD_FUZZ_CHECK(entry.at("code").as_string() == error.clerk_code);
  ORGD_FUZZ_CHECK(entry.at("long_message").is_string());
  const auto* param = entry.at("meta").as_object().if_contains("param_name");
  ORGD_FUZZ_CHECK((param != nullptr) == !error.param_name.empty());
  ORGD_FUZZ_CHECK(body.at("clerk_trace_id").as_string() == "fuzz_request");
}

}  // namespace orgd::fuzz
