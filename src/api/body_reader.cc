#include "api/body_reader.h"

#include <boost/json/parse.hpp>
#include <optional>

#include "common/json_finite.h"
#include "common/json_type_name.h"
#include "domain/errors.h"

namespace orgd::api {

namespace {

// The body as JSON: nullopt when it is empty (Clerk's SDK sends Content-Type: application/json
// with no body on calls without parameters), else the parsed value, or the Clerk error.
Result<std::optional<boost::json::value>> ParseJsonBody(const http::Request& request) {
  std::string_view type = request.Header("content-type");
  std::string_view essence = type.substr(0, type.find(';'));
  while (!essence.empty() && (essence.back() == ' ' || essence.back() == '\t')) {
    essence.remove_suffix(1);
  }
  // Type and subtype are case-insensitive (RFC 9110 §8.3.1): Application/JSON is JSON too.
  if (!essence.empty() && !http::EqualsIgnoreCase(essence, "application/json")) {
    return errors::UnsupportedContentType(essence, "application/json");
  }
  if (request.body.find_first_not_of(" \t\r\n") == std::string::npos) {
    return std::optional<boost::json::value>();
  }
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(request.body, ec);
  if (ec) {
    return errors::RequestBodyInvalid("The request body is not valid JSON: " + ec.message() + ".");
  }
  return std::optional<boost::json::value>(std::move(v));
}

// JSON numbers beyond a double's range are parsed as infinite; JSON has no such value, and
// Boost.JSON would write it back as the non-JSON token Infinity. Refused once for every
// endpoint, naming the top-level field that holds one.
Result<void> RefuseNonFinite(const boost::json::object& object) {
  for (const auto& [key, field] : object) {
    if (!AllNumbersFinite(field)) {
      return errors::ParamInvalid(
          key, std::string(key) +
                   " contains a number too large to represent (its magnitude may be at most "
                   "1.7976931348623157e308).");
    }
  }
  return {};
}

}  // namespace

Result<boost::json::object> ParseJsonObjectBody(const http::Request& request) {
  auto parsed = ParseJsonBody(request);
  if (!parsed) return parsed.error();
  if (!*parsed) return boost::json::object();
  boost::json::value& v = **parsed;
  if (!v.is_object()) {
    return errors::RequestBodyInvalid("The request body must be a JSON object, not " +
                                      std::string(JsonTypeName(v.kind())) + ".");
  }
  if (auto r = RefuseNonFinite(v.get_object()); !r) return r.error();
  return std::move(v.get_object());
}

Result<std::vector<boost::json::object>> ParseJsonArrayOfObjectsBody(const http::Request& request) {
  auto parsed = ParseJsonBody(request);
  if (!parsed) return parsed.error();
  std::vector<boost::json::object> out;
  if (!*parsed) return out;  // no body: []
  boost::json::value& v = **parsed;
  if (!v.is_array()) {
    return errors::RequestBodyInvalid("The request body must be a JSON array, not " +
                                      std::string(JsonTypeName(v.kind())) + ".");
  }
  for (auto& item : v.get_array()) {
    if (!item.is_object()) {
      return errors::RequestBodyInvalid(
          "Each item of the request body must be a JSON object, not " +
          std::string(JsonTypeName(item.kind())) + ".");
    }
    if (auto r = RefuseNonFinite(item.get_object()); !r) return r.error();
    out.push_back(std::move(item.get_object()));
  }
  return out;
}

const boost::json::value* BodyReader::Find(std::string_view key) {
  known_.emplace(key);
  const boost::json::value* v = body_.if_contains(key);
  if (v == nullptr || v->is_null()) return nullptr;
  return v;
}

void BodyReader::WrongType(std::string_view key, const boost::json::value& v,
                           std::string_view expected) {
  if (!error_) error_ = errors::ParamWrongType(key, JsonTypeName(v.kind()), expected);
}

std::optional<std::string> BodyReader::String(std::string_view key) {
  const boost::json::value* v = Find(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) {
    WrongType(key, *v, "string");
    return std::nullopt;
  }
  return std::string(v->get_string());
}

std::optional<int64_t> BodyReader::Int(std::string_view key) {
  const boost::json::value* v = Find(key);
  if (v == nullptr) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64() && v->get_uint64() <= static_cast<uint64_t>(INT64_MAX)) {
    return static_cast<int64_t>(v->get_uint64());
  }
  // Only an integer literal is an integer: 1e2 and 3.0 are parsed as doubles and refused, as
  // 1.5 and "5" are.
  if (v->is_double()) {
    if (!error_) {
      error_ = errors::ParamWrongType(key, "a number with a fraction or an exponent", "integer");
    }
    return std::nullopt;
  }
  WrongType(key, *v, "integer");
  return std::nullopt;
}

std::optional<bool> BodyReader::Bool(std::string_view key) {
  const boost::json::value* v = Find(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_bool()) {
    WrongType(key, *v, "boolean");
    return std::nullopt;
  }
  return v->get_bool();
}

std::optional<std::vector<std::string>> BodyReader::StringArray(std::string_view key,
                                                                size_t max_items) {
  const boost::json::value* v = Find(key);
  if (v == nullptr) return std::nullopt;
  // A single string is taken as a one-item list, as Clerk's form encoding allows.
  if (v->is_string()) return std::vector<std::string>{std::string(v->get_string())};
  if (!v->is_array()) {
    WrongType(key, *v, "array");
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const auto& item : v->get_array()) {
    if (!item.is_string()) {
      WrongType(key, item, "array of strings");
      return std::nullopt;
    }
    out.emplace_back(item.get_string());
  }
  if (out.size() > max_items && !error_) {
    error_ =
        Error(ErrorCode::kInvalidArgument, "form_param_array_size_exceeded", "exceeds maximum size",
              std::string(key) + " should not exceed " + std::to_string(max_items) + " items.",
              std::string(key));
  }
  return out;
}

std::optional<boost::json::value> BodyReader::Value(std::string_view key) {
  known_.emplace(key);
  const boost::json::value* v = body_.if_contains(key);
  if (v == nullptr) return std::nullopt;
  return *v;
}

Result<void> BodyReader::Finish() const {
  if (error_) return *error_;
  for (const auto& [key, value] : body_) {
    if (!known_.contains(std::string_view(key))) return errors::ParamUnknown(key);
  }
  return {};
}

}  // namespace orgd::api
