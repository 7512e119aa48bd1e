// Reading JSON request bodies the way Clerk's Backend API does: an empty body is `{}`, anything
// that is not a JSON object is request_body_invalid, a field of the wrong type is
// form_param_value_invalid naming the field, and a field the endpoint does not take is
// form_param_unknown.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "http/request.h"

namespace orgd::api {

// Parses the request body as a JSON object. An empty body means `{}` (Clerk's SDK sends
// `Content-Type: application/json` with no body on every call without parameters).
// Errors: kUnsupportedMediaType when a Content-Type other than application/json is given;
// kBadRequest request_body_invalid when the body is not a JSON object; kInvalidArgument
// form_param_value_invalid, naming the top-level field, when a number in it is too large for a
// double (1e400: JSON has no infinity, and it could be neither stored nor written back).
Result<boost::json::object> ParseJsonObjectBody(const http::Request& request);

// Parses the request body as a JSON array of objects (POST …/invitations/bulk). An empty body
// means `[]` (the SDK sends none for an empty list). Errors as ParseJsonObjectBody, and
// request_body_invalid when the body or an item has another type.
Result<std::vector<boost::json::object>> ParseJsonArrayOfObjectsBody(const http::Request& request);

// Reads typed fields from a parsed body. Each getter returns nullopt when the field is absent
// or JSON null (Clerk's "nullable" means "leave unchanged"); a wrong type is remembered and
// reported by Finish(). Usage:
//   BodyReader in(body);
//   auto name = in.String("name");
//   if (auto done = in.Finish(); !done) return done.error();
class BodyReader {
 public:
  explicit BodyReader(const boost::json::object& body) : body_(body) {}

  std::optional<std::string> String(std::string_view key);
  // A JSON integer literal within int64. A number written with a fraction or an exponent (3.0,
  // 1e2) is a wrong type (form_param_value_invalid), as "5" is.
  std::optional<int64_t> Int(std::string_view key);
  std::optional<bool> Bool(std::string_view key);
  // An array of strings (a lone string counts as one item); more than `max_items` is
  // form_param_array_size_exceeded.
  std::optional<std::vector<std::string>> StringArray(std::string_view key, size_t max_items = 100);
  // Any JSON value, null included (present-but-null is distinct from absent here).
  std::optional<boost::json::value> Value(std::string_view key);
  // Marks `key` as known without reading it.
  void Allow(std::string_view key) { known_.emplace(key); }

  // Returns the first type error, else form_param_unknown for the first field (in body order)
  // that no getter asked for.
  Result<void> Finish() const;

 private:
  const boost::json::value* Find(std::string_view key);
  void WrongType(std::string_view key, const boost::json::value& v, std::string_view expected);

  const boost::json::object& body_;
  std::set<std::string, std::less<>> known_;
  std::optional<Error> error_;
};

}  // namespace orgd::api
