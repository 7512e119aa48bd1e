// Query parameters as Clerk's SDK sends them: snake_case keys, arrays as repeated keys, falsy
// values left out (BEHAVIOR.md §1.2), pagination by limit/offset (§1.5), order_by with an
// optional +/- sign (§1.6).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "store/page.h"

namespace orgd::api {

class QueryParams {
 public:
  // Decodes a raw query string (`a=1&b=x%20y&a=2`; `+` means space). Returns kBadRequest
  // malformed_request_parameters for a bad %-escape, or a key or value that is not UTF-8 or
  // holds a NUL (http::PercentDecode).
  static Result<QueryParams> Parse(std::string_view raw);

  // The first value of `key`, or nullopt.
  std::optional<std::string_view> Get(std::string_view key) const;
  // Every value of `key`, in order.
  std::vector<std::string_view> GetAll(std::string_view key) const;
  bool Has(std::string_view key) const { return Get(key).has_value(); }
  // Every key and value, decoded, in order (a form-urlencoded body reads the same way).
  const std::vector<std::pair<std::string, std::string>>& entries() const { return entries_; }

 private:
  std::vector<std::pair<std::string, std::string>> entries_;
};

struct Pagination {
  int64_t limit = 10;
  int64_t offset = 0;
};

// limit: integer 1–500 (default 10); offset: integer >= 0 (default 0). Otherwise
// kInvalidArgument form_param_value_invalid naming the parameter.
Result<Pagination> ParsePagination(const QueryParams& params);

// A boolean flag: "true"/"false" (also "1"/"0"); absent means false. Otherwise
// form_param_value_invalid.
Result<bool> ParseFlag(const QueryParams& params, std::string_view key);
// The same for a filter that may be left out: absent or empty is nullopt.
Result<std::optional<bool>> ParseOptionalFlag(const QueryParams& params, std::string_view key);

struct OrderBy {
  std::string field;
  store::SortDirection direction;
};

// order_by: one of `allowed`, optionally prefixed by '+' (ascending, also the meaning of no
// sign) or '-' (descending); `fallback` when absent. A '+' may arrive decoded as a space.
// Otherwise form_param_value_invalid.
Result<OrderBy> ParseOrderBy(const QueryParams& params, const std::vector<std::string>& allowed,
                             OrderBy fallback);

// Every value of a repeated key (empty values are left out); more than `max_items` is
// form_param_array_size_exceeded.
Result<std::vector<std::string>> ParseList(const QueryParams& params, std::string_view key,
                                           size_t max_items = 100);

// A repeated key whose values may carry a sign: "+id" or "id" includes, "-id" excludes
// (BEHAVIOR.md §1.6). A '+' may arrive decoded as a space.
struct SignedList {
  std::vector<std::string> include;
  std::vector<std::string> exclude;
};
Result<SignedList> ParseSignedList(const QueryParams& params, std::string_view key,
                                   size_t max_items = 100);

// An integer number of milliseconds (created_at_before…); absent stays absent.
Result<std::optional<int64_t>> ParseMillis(const QueryParams& params, std::string_view key);

// `limit` of a cursor-paged list (the event feed, the audit log): an integer 1–500, `fallback`
// when absent or empty; otherwise form_param_value_invalid.
Result<int64_t> ParseCursorLimit(const QueryParams& params, int64_t fallback);

// A non-negative decimal integer (a cursor, a count); `param` names it in the error
// (form_param_value_invalid).
Result<int64_t> ParseCount(std::string_view text, std::string_view param);

}  // namespace orgd::api
