// Request bodies as clerk-js sends them (CLERK-JS.md §2): application/x-www-form-urlencoded with
// snake_case keys, repeated keys for arrays, null sent as an empty string; JSON objects are taken
// too. Keys the endpoint does not read are ignored (clerk-js adds locale, timezone, intent,
// tab_state… as its versions go), except metadata, which the Frontend API never writes.
#pragma once

#include <boost/json/object.hpp>

#include "common/result.h"
#include "http/request.h"

namespace orgd::api {

// The body as a JSON object: a form's single keys as strings, repeated keys as arrays of
// strings. Errors: 415 for another content type; request_body_invalid for malformed JSON or
// escapes; 422 form_param_unknown for public_metadata, private_metadata or unsafe_metadata.
Result<boost::json::object> ParseFrontendBody(const http::Request& request);

}  // namespace orgd::api
