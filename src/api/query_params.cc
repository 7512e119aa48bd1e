#include "api/query_params.h"

#include <fmt/format.h>

#include <charconv>

#include "domain/errors.h"
#include "http/router.h"

namespace orgd::api {
namespace {

Error Malformed() {
  return Error(ErrorCode::kBadRequest, "malformed_request_parameters",
               "Malformed request parameters",
               "The request parameters are malformed and could not be parsed");
}

std::optional<std::string> DecodeComponent(std::string_view s) {
  std::string plus_as_space(s);
  for (char& c : plus_as_space) {
    if (c == '+') c = ' ';
  }
  return http::PercentDecode(plus_as_space);
}

std::optional<int64_t> ParseInt(std::string_view s) {
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

}  // namespace

Result<QueryParams> QueryParams::Parse(std::string_view raw) {
  QueryParams params;
  size_t pos = 0;
  while (pos < raw.size()) {
    size_t amp = raw.find('&', pos);
    if (amp == std::string_view::npos) amp = raw.size();
    std::string_view pair = raw.substr(pos, amp - pos);
    pos = amp + 1;
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    auto key = DecodeComponent(pair.substr(0, eq));
    auto value = DecodeComponent(eq == std::string_view::npos ? "" : pair.substr(eq + 1));
    if (!key || !value) return Malformed();
    params.entries_.emplace_back(std::move(*key), std::move(*value));
  }
  return params;
}

std::optional<std::string_view> QueryParams::Get(std::string_view key) const {
  for (const auto& [k, v] : entries_) {
    if (k == key) return std::string_view(v);
  }
  return std::nullopt;
}

std::vector<std::string_view> QueryParams::GetAll(std::string_view key) const {
  std::vector<std::string_view> out;
  for (const auto& [k, v] : entries_) {
    if (k == key) out.emplace_back(v);
  }
  return out;
}

Result<Pagination> ParsePagination(const QueryParams& params) {
  Pagination page;
  if (auto limit = params.Get("limit")) {
    auto v = ParseInt(*limit);
    if (!v || *v < 1 || *v > 500) {
      return errors::ParamInvalid("limit", "limit must be an integer between 1 and 500.");
    }
    page.limit = *v;
  }
  if (auto offset = params.Get("offset")) {
    auto v = ParseInt(*offset);
    if (!v || *v < 0) {
      return errors::ParamInvalid("offset",
                                  "offset must be an integer greater than or equal to 0.");
    }
    page.offset = *v;
  }
  return page;
}

Result<bool> ParseFlag(const QueryParams& params, std::string_view key) {
  auto value = params.Get(key);
  if (!value) return false;
  if (*value == "true" || *value == "1") return true;
  if (*value == "false" || *value == "0") return false;
  return errors::ParamInvalid(key, fmt::format("{} must be true or false.", key));
}

Result<std::optional<bool>> ParseOptionalFlag(const QueryParams& params, std::string_view key) {
  auto value = params.Get(key);
  if (!value || value->empty()) return std::optional<bool>();
  auto flag = ParseFlag(params, key);
  if (!flag) return flag.error();
  return std::optional<bool>(*flag);
}

Result<OrderBy> ParseOrderBy(const QueryParams& params, const std::vector<std::string>& allowed,
                             OrderBy fallback) {
  auto raw = params.Get("order_by");
  if (!raw) return fallback;
  std::string_view value = *raw;
  store::SortDirection direction = store::SortDirection::kAscending;
  if (!value.empty() && (value.front() == '+' || value.front() == ' ')) {
    value.remove_prefix(1);
  } else if (!value.empty() && value.front() == '-') {
    direction = store::SortDirection::kDescending;
    value.remove_prefix(1);
  }
  for (const auto& field : allowed) {
    if (value == field) return OrderBy{field, direction};
  }
  std::string list;
  for (const auto& field : allowed) list += (list.empty() ? "" : ", ") + field;
  return errors::ParamInvalid(
      "order_by", fmt::format("order_by must be one of {}, optionally prefixed by + or -.", list));
}

Result<std::vector<std::string>> ParseList(const QueryParams& params, std::string_view key,
                                           size_t max_items) {
  auto values = params.GetAll(key);
  if (values.size() > max_items) {
    return Error(ErrorCode::kInvalidArgument, "form_param_array_size_exceeded",
                 "exceeds maximum size",
                 fmt::format("{} should not exceed {} items.", key, max_items), std::string(key));
  }
  std::vector<std::string> out;
  for (std::string_view v : values) {
    if (!v.empty()) out.emplace_back(v);
  }
  return out;
}

Result<SignedList> ParseSignedList(const QueryParams& params, std::string_view key,
                                   size_t max_items) {
  auto values = ParseList(params, key, max_items);
  if (!values) return values.error();
  SignedList out;
  for (std::string_view v : *values) {
    if (v.starts_with('-')) {
      out.exclude.emplace_back(v.substr(1));
    } else {
      out.include.emplace_back(v.starts_with('+') || v.starts_with(' ') ? v.substr(1) : v);
    }
  }
  return out;
}

Result<std::optional<int64_t>> ParseMillis(const QueryParams& params, std::string_view key) {
  auto raw = params.Get(key);
  if (!raw) return std::optional<int64_t>();
  auto v = ParseInt(*raw);
  if (!v) {
    return errors::ParamInvalid(
        key, fmt::format("{} must be a timestamp in milliseconds since the epoch.", key));
  }
  return std::optional<int64_t>(*v);
}

Result<int64_t> ParseCount(std::string_view text, std::string_view param) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < 0) {
    return errors::ParamInvalid(param, std::string(param) + " must be a non-negative integer.");
  }
  return v;
}

Result<int64_t> ParseCursorLimit(const QueryParams& params, int64_t fallback) {
  auto v = params.Get("limit");
  if (!v || v->empty()) return fallback;
  auto limit = ParseCount(*v, "limit");
  if (!limit || *limit < 1 || *limit > 500) {
    return errors::ParamInvalid("limit", "limit must be between 1 and 500.");
  }
  return *limit;
}

}  // namespace orgd::api
