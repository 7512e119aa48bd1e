// Request bodies as clerk-js sends them (CLERK-JS.md §2): application/x-www-form-urlencoded with
// snake_case keys, repeated keys for arrays, null sent as an empty string; JSON objects are taken
// too. Keys the endpoint does not read are ignored (clerk-js adds locale, timezone, intent,
// tab_state… as its versions go), except metadata, which the Frontend API never writes.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "http/request.h"

namespace orgd::api {

// The body as a JSON object: a form's single keys as strings, repeated keys as arrays of
// strings. Errors: 415 for another content type; request_body_invalid for malformed JSON or
// escapes, or form text that is not UTF-8 or holds a NUL; 422 form_param_unknown for
// public_metadata, private_metadata or unsafe_metadata.
Result<boost::json::object> ParseFrontendBody(const http::Request& request);

// Reading one field of such a body. clerk-js sends null as "", so:
//   FormString  the field as sent: "" for an empty value or a JSON null; nullopt when absent or
//               not a string (touch's active_organization_id, where "" means "none")
//   FormText    a non-empty string, else nullopt ("" reads as absent)
//   StrictFormText  as FormText, but 422 form_param_value_invalid for an array or another type
//   FormValues  every value of a repeated field (a lone value is one; non-strings are skipped)
std::optional<std::string> FormString(const boost::json::object& body, std::string_view key);
std::optional<std::string> FormText(const boost::json::object& body, std::string_view key);
Result<std::optional<std::string>> StrictFormText(const boost::json::object& body,
                                                  std::string_view key);
std::vector<std::string> FormValues(const boost::json::object& body, std::string_view key);

}  // namespace orgd::api
