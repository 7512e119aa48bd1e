// Fuzzes the query-string parser (api/query_params.h) and the readers the list endpoints build
// on it: pagination, flags, order_by, repeated keys, signed lists, millisecond timestamps.
//
// Input: a raw query string, as after the '?' (`limit=10&order_by=-created_at&user_id=a`).
//
// Invariants: Parse fails only for a bad %-escape, a NUL or text that is not UTF-8, with
// malformed_request_parameters, and what it returns is UTF-8 without NUL; it never yields more
// pairs than the string has '&'-separated pieces; writing its pairs out percent-encoded parses back
// to the same pairs; Get/GetAll agree with the pairs; every reader's result is within its contract
// (limit 1-500, offset >= 0, an order_by field from the allowed list, at most max_items values),
// and every error is a 4xx whose envelope is valid JSON.
#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "api/query_params.h"
#include "fuzz_check.h"
#include "reference.h"

namespace orgd::fuzz {
namespace {

std::string Encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

// True when QueryParams::Parse must refuse `raw`: a key or value whose decoding (with '+' as a
// space) is malformed, holds a NUL or is not UTF-8.
bool Refused(std::string_view raw) {
  size_t pos = 0;
  while (pos < raw.size()) {
    const size_t amp = std::min(raw.find('&', pos), raw.size());
    std::string pair(raw.substr(pos, amp - pos));
    pos = amp + 1;
    if (pair.empty()) continue;
    std::replace(pair.begin(), pair.end(), '+', ' ');
    const size_t eq = pair.find('=');
    if (!ReferencePercentDecode(std::string_view(pair).substr(0, eq))) return true;
    if (eq != std::string::npos && !ReferencePercentDecode(std::string_view(pair).substr(eq + 1))) {
      return true;
    }
  }
  return false;
}

void CheckReaders(const api::QueryParams& params) {
  if (auto page = api::ParsePagination(params)) {
    ORGD_FUZZ_CHECK(page->limit >= 1 && page->limit <= 500);
    ORGD_FUZZ_CHECK(page->offset >= 0);
    if (!params.Has("limit")) ORGD_FUZZ_CHECK(page->limit == 10);
    if (!params.Has("offset")) ORGD_FUZZ_CHECK(page->offset == 0);
  } else {
    ORGD_FUZZ_CHECK(page.error().param_name == "limit" || page.error().param_name == "offset");
    CheckClientError(page.error());
  }

  for (std::string_view key : {"include_members_count", "query"}) {
    auto flag = api::ParseFlag(params, key);
    auto value = params.Get(key);
    const bool valid =
        !value || *value == "true" || *value == "false" || *value == "1" || *value == "0";
    ORGD_FUZZ_CHECK(flag.has_value() == valid);
    if (flag) ORGD_FUZZ_CHECK(*flag == (value && (*value == "true" || *value == "1")));
    if (!flag) CheckClientError(flag.error());
    auto optional = api::ParseOptionalFlag(params, key);
    ORGD_FUZZ_CHECK(optional.has_value() == (valid || value->empty()));
    if (optional && (!value || value->empty())) ORGD_FUZZ_CHECK(!optional->has_value());
    if (!optional) CheckClientError(optional.error());
  }

  const std::vector<std::string> allowed = {"created_at", "name", "members_count"};
  auto order =
      api::ParseOrderBy(params, allowed, {"created_at", store::SortDirection::kDescending});
  if (order) {
    ORGD_FUZZ_CHECK(std::find(allowed.begin(), allowed.end(), order->field) != allowed.end());
    if (!params.Has("order_by")) {
      ORGD_FUZZ_CHECK(order->direction == store::SortDirection::kDescending);
    } else {
      // The value is the field, with at most one sign before it.
      std::string_view v = *params.Get("order_by");
      ORGD_FUZZ_CHECK(v.ends_with(order->field) && v.size() - order->field.size() <= 1);
      ORGD_FUZZ_CHECK((order->direction == store::SortDirection::kDescending) ==
                      v.starts_with('-'));
    }
  } else {
    ORGD_FUZZ_CHECK(order.error().param_name == "order_by");
    CheckClientError(order.error());
  }

  constexpr size_t kMaxItems = 5;
  auto all = params.GetAll("user_id");
  auto list = api::ParseList(params, "user_id", kMaxItems);
  ORGD_FUZZ_CHECK(list.has_value() == (all.size() <= kMaxItems));
  if (list) {
    const size_t non_empty =
        std::count_if(all.begin(), all.end(), [](std::string_view v) { return !v.empty(); });
    ORGD_FUZZ_CHECK(list->size() == non_empty);
    for (const auto& v : *list) ORGD_FUZZ_CHECK(!v.empty());
  } else {
    ORGD_FUZZ_CHECK(list.error().clerk_code == "form_param_array_size_exceeded");
    CheckClientError(list.error());
  }
  auto signed_list = api::ParseSignedList(params, "user_id", kMaxItems);
  ORGD_FUZZ_CHECK(signed_list.has_value() == list.has_value());
  if (signed_list) {
    ORGD_FUZZ_CHECK(signed_list->include.size() + signed_list->exclude.size() == list->size());
  }

  auto millis = api::ParseMillis(params, "created_at_before");
  if (!params.Has("created_at_before")) ORGD_FUZZ_CHECK(millis && !millis->has_value());
  if (millis && millis->has_value()) {
    // An integer literal: digits, perhaps after a minus sign.
    std::string_view v = *params.Get("created_at_before");
    if (v.starts_with('-')) v.remove_prefix(1);
    ORGD_FUZZ_CHECK(!v.empty() &&
                    std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; }));
  }
  if (!millis) CheckClientError(millis.error());
}

}  // namespace
}  // namespace orgd::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace orgd;
  using namespace orgd::fuzz;
  const std::string_view raw = AsText(data, size);
  auto params = api::QueryParams::Parse(raw);
  if (!params) {
    ORGD_FUZZ_CHECK(params.error().clerk_code == "malformed_request_parameters");
    ORGD_FUZZ_CHECK(Refused(raw));
    CheckClientError(params.error());
    return 0;
  }
  ORGD_FUZZ_CHECK(!Refused(raw));
  const auto& entries = params->entries();
  ORGD_FUZZ_CHECK(entries.size() <=
                  static_cast<size_t>(std::count(raw.begin(), raw.end(), '&')) + 1);

  std::string again;
  for (const auto& [key, value] : entries) {
    // Text for the services: UTF-8, without NUL.
    ORGD_FUZZ_CHECK(IsValidUtf8(key) && IsValidUtf8(value));
    ORGD_FUZZ_CHECK(key.find('\0') == std::string::npos && value.find('\0') == std::string::npos);
    if (!again.empty()) again.push_back('&');
    again += Encode(key) + "=" + Encode(value);
  }
  // Written out again, percent-encoded, the pairs read back the same.
  auto reparsed = api::QueryParams::Parse(again);
  ORGD_FUZZ_CHECK(reparsed && reparsed->entries() == entries);

  for (const auto& [key, value] : entries) {
    auto first = params->Get(key);
    ORGD_FUZZ_CHECK(first.has_value());
    auto every = params->GetAll(key);
    ORGD_FUZZ_CHECK(!every.empty() && every.front() == *first);
    ORGD_FUZZ_CHECK(std::find(every.begin(), every.end(), value) != every.end());
  }
  CheckReaders(*params);
  return 0;
}
